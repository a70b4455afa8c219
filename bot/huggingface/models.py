"""Hugging Face's paper JSON as a typed, frozen `HfPaper`, read defensively.

The shapes (huggingface_hub's `PaperInfo`, `list_daily_papers` and `paper_info`):

- `GET /api/daily_papers?date=D` answers a list of items, each
  `{"paper": {...}, "title", "summary", "publishedAt", "thumbnail", "numComments", ...}`;
  the item's `publishedAt` is when the paper was put on Daily Papers;
- `GET /api/papers/{id}` answers the paper object itself:
  `{"id", "title", "summary", "authors": [{"name", ...}], "publishedAt",
  "submittedOnDailyAt", "upvotes", "ai_summary", "ai_keywords", "githubRepo",
  "githubStars", "projectPage", ...}`.

A field that is missing or of the wrong type is None (or empty), never an exception: the API
is someone else's and may change. Only an item without a readable arXiv id is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.arxiv import parse_arxiv_id

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class HfPaper:
    """One paper as Hugging Face describes it."""

    arxiv_id: str  # versionless, e.g. "2406.07550"
    title: str | None = None  # whitespace collapsed to single spaces
    abstract: str | None = None  # `paper.summary`: the English abstract
    authors: tuple[str, ...] = ()  # names in the API's order
    upvotes: int | None = None
    published_at: dt.datetime | None = None  # on arXiv (`paper.publishedAt`)
    submitted_at: dt.datetime | None = None  # on Daily Papers (`submittedOnDailyAt`)
    ai_summary: str | None = None  # Hugging Face's one-line English AI summary
    ai_keywords: tuple[str, ...] = ()
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    thumbnail: str | None = None  # only daily items carry one
    num_comments: int | None = None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _datetime(value: object) -> dt.datetime | None:
    """An ISO 8601 timestamp as an aware datetime (UTC when it names no offset)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = []
    for author in value:
        name = author.get("name") if isinstance(author, Mapping) else author
        if isinstance(name, str) and name.strip():
            names.append(_SPACES.sub(" ", name).strip())
    return tuple(names)


def _keywords(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(k.strip() for k in value if isinstance(k, str) and k.strip())


def _first(*values: object) -> object:
    """The first value that is not None (an empty string counts as given)."""
    return next((v for v in values if v is not None), None)


def paper_from_json(paper: object, item: object = None) -> HfPaper | None:
    """`paper` (a paper object) read with `item` (the daily item around it, if any) as the
    fallback for the fields it also carries; None without a readable arXiv id."""
    p: Mapping[str, Any] = paper if isinstance(paper, Mapping) else {}
    i: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
    raw_id = _first(p.get("id"), i.get("id"))
    arxiv_id = parse_arxiv_id(raw_id) if isinstance(raw_id, str) else None
    if arxiv_id is None:
        return None

    def field(key: str) -> object:
        return _first(p.get(key), i.get(key))

    title = _text(field("title"))
    return HfPaper(
        arxiv_id=arxiv_id,
        title=_SPACES.sub(" ", title) if title else None,
        abstract=_text(field("summary")),
        authors=_names(field("authors")),
        upvotes=_int(field("upvotes")),
        published_at=_datetime(p.get("publishedAt")),
        submitted_at=_datetime(_first(p.get("submittedOnDailyAt"), i.get("publishedAt"))),
        ai_summary=_text(field("ai_summary")),
        ai_keywords=_keywords(field("ai_keywords")),
        github_repo=_text(field("githubRepo")),
        github_stars=_int(field("githubStars")),
        project_page=_text(field("projectPage")),
        thumbnail=_text(i.get("thumbnail")),
        num_comments=_int(_first(i.get("numComments"), p.get("numComments"))),
    )


def daily_item(item: object) -> HfPaper | None:
    """One item of `/api/daily_papers`; None when it names no paper."""
    if not isinstance(item, Mapping):
        return None
    return paper_from_json(item.get("paper"), item)


def paper_info(body: object) -> HfPaper | None:
    """The answer of `/api/papers/{id}`; None when it names no paper."""
    return paper_from_json(body)
