"""Daily posts' message content: the opening header, the compact list of the day's papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from bot.i18n_text import text as _t
from bot.models import Paper
from bot.render.cards import votes_label
from bot.render.limits import CONTENT_LIMIT
from bot.render.text import link_text, safe_url, sanitize, shorten

TITLE_IN_TEXT: Final = 300  # paper titles inside message content


def _count(count: int, locale: str) -> str:
    return _t(locale, "paper_count_one") if count == 1 else _t(locale, "paper_count", count=count)


def _source(source_url: str | None, locale: str) -> str:
    url = safe_url(source_url or "")
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        return ""
    return f" · [{_t(locale, 'source')}](<{url}>)"


def _split_lines(lines: Sequence[str], limit: int = CONTENT_LIMIT) -> list[str]:
    """Lines joined into as few messages as possible, each <= `limit`, cut only between lines."""
    chunks: list[str] = []
    current = ""
    for line in (shorten(ln, limit) for ln in lines):
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


def _compact_line(number: int, paper: Paper) -> str:
    title = link_text(shorten(sanitize(paper.title), TITLE_IN_TEXT))
    return f"{number}. [{title}](<{paper.abs_url}>) — 👍 {votes_label(paper.votes)}"


def compact_digest(
    day: dt.date, papers: Sequence[Paper], *, source_url: str | None, locale: str = "en"
) -> list[str]:
    """The day's papers, one `1. [Title](<abs>) — 👍 42` line each, split into <= 2000 messages."""
    title = _t(locale, "daily_title", day=day.isoformat())
    header = f"**{title}** · {_count(len(papers), locale)}{_source(source_url, locale)}"
    lines = [_compact_line(i, p) for i, p in enumerate(papers, 1)]
    return _split_lines([header, *(lines or [_t(locale, "no_papers")])])


def digest_header(day: dt.date, count: int, *, source_url: str | None, locale: str = "en") -> str:
    """The message opening a daily post: day, number of papers, link to the source digest."""
    title = _t(locale, "daily_title", day=day.isoformat())
    info = f"{_count(count, locale)}{_source(source_url, locale)}".removeprefix(" · ")
    return shorten(f"## 📚 {title}\n{info}", CONTENT_LIMIT)
