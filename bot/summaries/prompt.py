"""The instructions sent with every paper: prompt.md in this package, or the operator's file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MAX_PROMPT_BYTES = 64 * 1024  # the bundled prompt is ~1 KB
MAX_TITLE_CHARS = 500
MAX_ABSTRACT_CHARS = 6_000  # arXiv caps abstracts at 1,920 characters; HF's copies run longer


class PromptError(ValueError):
    """The prompt file cannot be used; the message says why (and never quotes the file)."""


def default_prompt() -> str:
    return resources.files("bot.summaries").joinpath("prompt.md").read_text("utf-8")


def read_prompt(path: str | Path | None) -> str:
    """The prompt text: `path`'s, or the bundled one when `path` is None."""
    if path is None:
        return default_prompt()
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_PROMPT_BYTES + 1)
    except FileNotFoundError:
        raise PromptError(f"prompt file {str(path)!r} not found") from None
    except IsADirectoryError:
        raise PromptError(f"prompt file {str(path)!r} is a folder, not a file") from None
    except OSError as e:
        raise PromptError(f"cannot read prompt file {str(path)!r}: {e.strerror}") from None
    if len(data) > MAX_PROMPT_BYTES:
        raise PromptError(f"prompt file {str(path)!r} is over {MAX_PROMPT_BYTES} bytes")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise PromptError(f"prompt file {str(path)!r} is not UTF-8 ({e.reason})") from None
    if not text.strip():
        raise PromptError(f"prompt file {str(path)!r} is empty")
    return text


def messages(prompt: str, title: str, abstract: str) -> list[dict[str, str]]:
    """The chat messages for one paper: the prompt as instructions, the paper as the question."""
    paper = f"Title: {_one_line(title)[:MAX_TITLE_CHARS]}\n\nAbstract: {_one_line(abstract)}"
    return [
        {"role": "system", "content": prompt.strip()},
        {"role": "user", "content": paper[: MAX_TITLE_CHARS + MAX_ABSTRACT_CHARS]},
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())
