"""papers-bot: Hugging Face Daily Papers digests (in Korean) for Discord servers."""

__version__ = "0.1.0"
