"""Hugging Face Daily Papers: the public API as a typed, paced, bounded client.

models.py     `HfPaper`: a paper as the API describes it, read defensively from its JSON
ratelimit.py  `RateLimiter` (anonymous access: ~500 requests / 5 min) and 429 header reading
client.py     `HfClient`: daily papers of a day (paged) and paper pages, retries, typed errors
write.py      pure: a day of papers as a digest in the published markdown format
build.py      `DayBuilder`: a day fetched, written into a folder and loaded like any digest
"""

from bot.huggingface.client import (
    API_BASE_ENV,
    DEFAULT_API_BASE,
    HfBadResponse,
    HfClient,
    HfError,
    HfRateLimited,
    HfUnavailable,
)
from bot.huggingface.models import HfPaper
from bot.huggingface.ratelimit import RateLimiter

__all__ = [
    "API_BASE_ENV",
    "DEFAULT_API_BASE",
    "HfBadResponse",
    "HfClient",
    "HfError",
    "HfPaper",
    "HfRateLimited",
    "HfUnavailable",
    "RateLimiter",
]
