"""Daily posts' message content: the opening header, the compact list of the day's papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.i18n_text import text as _t
from bot.models import Paper
from bot.render.cards import votes_label
from bot.render.limits import CONTENT_LIMIT, SELECT_OPTIONS
from bot.render.text import link_text, safe_url, sanitize, shorten

TITLE_IN_TEXT: Final = 300  # paper titles inside message content


def _count(count: int, locale: str) -> str:
    return _t(locale, "paper_count_one") if count == 1 else _t(locale, "paper_count", count=count)


def _source(source_url: str | None, locale: str) -> str:
    url = safe_url(source_url or "")
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        return ""
    return f" · [{_t(locale, 'source')}](<{url}>)"


@dataclass(frozen=True, slots=True)
class CompactMessage:
    """One message of a compact post: its text and which of the day's papers it lists."""

    content: str
    first: int = 0  # index of the first paper it lists
    count: int = 0  # papers it lists (0: none, "no papers this day")

    def listed(self, papers: Sequence[Paper]) -> Sequence[Paper]:
        return papers[self.first : self.first + self.count]


def _compact_line(number: int, paper: Paper) -> str:
    title = link_text(shorten(sanitize(paper.title), TITLE_IN_TEXT))
    return f"{number}. [{title}](<{paper.abs_url}>) — 👍 {votes_label(paper.votes)}"


def compact_digest(
    day: dt.date,
    papers: Sequence[Paper],
    *,
    source_url: str | None,
    locale: str = "en",
    per_message: int = SELECT_OPTIONS,
) -> list[CompactMessage]:
    """The day's papers, one `1. [Title](<abs>) — 👍 42` line each, in as few messages as
    possible: each <= 2000 characters and <= `per_message` papers (so one menu under it can
    offer every paper it lists), cut only between lines."""
    title = _t(locale, "daily_title", day=day.isoformat())
    header = f"**{title}** · {_count(len(papers), locale)}{_source(source_url, locale)}"
    current, first, count = shorten(header, CONTENT_LIMIT), 0, 0
    if not papers:
        return [CompactMessage(shorten(f"{current}\n{_t(locale, 'no_papers')}", CONTENT_LIMIT))]
    messages: list[CompactMessage] = []
    for i, paper in enumerate(papers):
        line = shorten(_compact_line(i + 1, paper), CONTENT_LIMIT)
        if count >= per_message or len(current) + 1 + len(line) > CONTENT_LIMIT:
            messages.append(CompactMessage(current, first, count))
            current, first, count = line, i, 1
        else:
            current, count = f"{current}\n{line}", count + 1
    return [*messages, CompactMessage(current, first, count)]


def digest_header(day: dt.date, count: int, *, source_url: str | None, locale: str = "en") -> str:
    """The message opening a daily post: day, number of papers, link to the source digest."""
    title = _t(locale, "daily_title", day=day.isoformat())
    info = f"{_count(count, locale)}{_source(source_url, locale)}".removeprefix(" · ")
    return shorten(f"## 📚 {title}\n{info}", CONTENT_LIMIT)
