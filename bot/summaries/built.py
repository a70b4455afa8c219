"""Korean bullets for the days built from Hugging Face: the `summarize` a DayBuilder is given.

A day is built again at every poll (its votes change); the papers that already have Korean
bullets in the day's file keep them without a request, so each build asks only for those of
the day's `summaries.max_papers_per_day` most upvoted papers still in English. A build waits
at most `summaries.deadline_seconds` for them: a post due meanwhile goes out by then, and the
papers not summarized yet keep their English bullets until a later build.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import by_upvotes, day_path
from bot.summaries.answer import parse_answer
from bot.summaries.korean import Summarizer


class BuiltDaySummaries:
    """Summarizes a built day's papers with `summarizer`, reusing the day file's Korean ones."""

    def __init__(self, summarizer: Summarizer, folder: Path, *, deadline_seconds: float) -> None:
        self.summarizer, self.folder = summarizer, folder
        self.deadline_seconds = deadline_seconds

    def __repr__(self) -> str:
        return f"BuiltDaySummaries({self.summarizer!r}, folder={str(self.folder)!r})"

    async def __call__(self, day: dt.date, papers: Sequence[HfPaper]) -> dict[str, tuple[str, ...]]:
        known = self.known(day)
        top = by_upvotes(papers)[: self.summarizer.max_papers]
        todo = [p for p in top if p.arxiv_id not in known]
        deadline = asyncio.get_running_loop().time() + self.deadline_seconds
        fresh = await self.summarizer.korean_summaries(todo, deadline=deadline) if todo else {}
        return known | fresh

    def known(self, day: dt.date) -> dict[str, tuple[str, ...]]:
        """arXiv id -> the Korean bullets the day's built file already holds."""
        try:
            text = day_path(self.folder, day).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
        known: dict[str, tuple[str, ...]] = {}
        for section in parse(text).sections:
            for entry in section.entries:
                summary = parse_answer(entry.summary)
                if not isinstance(summary, str):
                    known[entry.arxiv_id] = summary.bullets()
        return known

    async def close(self) -> None:
        await self.summarizer.close()
