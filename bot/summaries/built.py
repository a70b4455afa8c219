"""Korean bullets for the days built from Hugging Face: the `summarize` a DayBuilder is given.

A day is built again at every poll (its votes change); the papers that already have Korean
bullets in the day's file keep them without a request, so each build asks only for those of
the day's `summaries.max_papers_per_day` most upvoted papers still in English. A build waits
at most `summaries.deadline_seconds` for them: a post due meanwhile goes out by then, and the
papers not summarized yet keep their English bullets until a later build.

With an attempt store (the bot's), each build records how each request went, and a paper
whose requests keep failing is asked at most `summaries.max_attempts` times in all, across
builds and restarts (attempts.py says which failures count, and how transient ones wait).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import by_upvotes, day_path
from bot.store import ReadTimedOut
from bot.store.summary_attempts import SummaryAttemptStore
from bot.summaries.answer import parse_answer
from bot.summaries.attempts import held_back
from bot.summaries.korean import DayReport, Failure, Summarizer

log = logging.getLogger(__name__)


class BuiltDaySummaries:
    """Summarizes a built day's papers with `summarizer`, reusing the day file's Korean ones."""

    def __init__(
        self,
        summarizer: Summarizer,
        folder: Path,
        *,
        deadline_seconds: float,
        attempts: SummaryAttemptStore | None = None,
        max_attempts: int = 3,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.summarizer, self.folder = summarizer, folder
        self.deadline_seconds = deadline_seconds
        self.attempts, self.max_attempts, self.clock = attempts, max_attempts, clock

    def __repr__(self) -> str:
        return f"BuiltDaySummaries({self.summarizer!r}, folder={str(self.folder)!r})"

    async def __call__(self, day: dt.date, papers: Sequence[HfPaper]) -> dict[str, tuple[str, ...]]:
        known = self.known(day)
        top = by_upvotes(papers)[: self.summarizer.max_papers]
        todo = [p for p in top if p.arxiv_id not in known]
        if todo and self.attempts is not None:
            held = await self._held_back([p.arxiv_id for p in todo])
            todo = [p for p in todo if p.arxiv_id not in held]
            if held:
                log.debug("Korean summaries of %s: %d papers not asked now", day, len(held))
        if not todo:
            return known
        deadline = asyncio.get_running_loop().time() + self.deadline_seconds
        report = await self.summarizer.summarize_day(todo, deadline=deadline)
        if self.attempts is not None:
            await self._record(report)
        return known | {arxiv_id: s.bullets() for arxiv_id, s in report.korean.items()}

    async def _held_back(self, arxiv_ids: list[str]) -> set[str]:
        assert self.attempts is not None
        try:
            found = await self.attempts.attempts(arxiv_ids)
        except (sqlite3.Error, ReadTimedOut) as exc:  # ask this once rather than lose the day
            log.warning("Korean summaries: attempts not read (%s); asking for every paper", exc)
            return set()
        return held_back(found.values(), self.clock(), self.max_attempts)

    async def _record(self, report: DayReport) -> None:
        assert self.attempts is not None

        def failed(kind: Failure) -> dict[str, str]:
            return {p: report.failed[p] for p, k in report.kinds.items() if k is kind}

        try:
            await self.attempts.record(
                succeeded=list(report.korean),
                counted=failed(Failure.COUNTED),
                transient=failed(Failure.TRANSIENT),
                now=self.clock(),
            )
        except sqlite3.Error as exc:
            log.warning("Korean summaries: attempts not recorded (%s)", exc)

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
