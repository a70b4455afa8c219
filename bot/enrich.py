"""Enriching the store's papers from Hugging Face: `papers-bot enrich` and the bot's own job.

Requests: one `GET /api/daily_papers?date=D` (paged) per digest day with papers due gives
every paper Hugging Face lists that day with its abstract, GitHub repository and stars,
project page and current upvotes. Only a paper that no listing read so far holds, once its
own day's listing and the next older one have been read (the digest's day and Hugging
Face's may differ by one), is asked for by itself (`GET /api/papers/{id}`); a 404 there is
recorded as not found. So a backfill costs about one request per day, not one per paper.

What is written is kept at once (one transaction per day's listing, one per paper asked
alone): an interrupted run keeps it, and the next run asks only for what is still due (not
enriched, or enriched longer ago than the configured age).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bot.config import Config
from bot.huggingface import HfBadResponse, HfError, HfPaper
from bot.models import Enrichment
from bot.store.enrichment import EnrichmentStore

log = logging.getLogger(__name__)
ABSTRACT_CHARS = 8000  # arXiv caps abstracts at 1,920 characters: more is not an abstract
URL_CHARS = 2048

Progress = Callable[[int, int, str], None]  # papers done, papers due, what is being asked
Clock = Callable[[], dt.datetime]


class PaperSource(Protocol):
    """What enrichment asks Hugging Face (bot.huggingface.HfClient)."""

    async def daily_papers(self, day: dt.date) -> list[HfPaper]: ...

    async def paper(self, arxiv_id: str) -> HfPaper | None: ...


@dataclass
class EnrichReport:
    """What one run did, in papers (each counted once) and requests."""

    due: int = 0  # papers not enriched, or enriched before the age limit, at the start
    fresh: int = 0  # papers in the range enriched within the age limit: not asked
    enriched: int = 0  # found on Hugging Face and written
    with_code: int = 0  # of those, with a GitHub repository
    not_found: int = 0  # Hugging Face has no such paper: recorded
    listings: int = 0  # days whose listing was read
    alone: int = 0  # papers asked for by themselves
    problems: list[str] = field(default_factory=list)

    @property
    def left(self) -> int:
        """Papers still due after the run (Hugging Face failed): the next run asks again."""
        return self.due - self.enriched - self.not_found

    def summary_line(self) -> str:
        return (
            f"enriched {_count(self.enriched, 'paper')} ({self.with_code:,} with code), "
            f"{self.not_found:,} not on Hugging Face, {self.left:,} left for a later run; "
            f"{self.fresh:,} enriched recently, not asked; "
            f"{_count(self.listings, 'day')} read, {_count(self.alone, 'paper')} asked alone"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "fresh": self.fresh,
            "enriched": self.enriched,
            "with_code": self.with_code,
            "not_found": self.not_found,
            "left": self.left,
            "listings": self.listings,
            "alone": self.alone,
            "problems": list(self.problems),
        }


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def web_url(value: str | None) -> str | None:
    """An http(s) URL as given, or None for anything else (rendering checks it again)."""
    if not value:
        return None
    url = value.strip()
    if len(url) > URL_CHARS or url.split() != [url]:
        return None
    if not url.lower().startswith(("https://", "http://")):
        return None
    return url


def enrichment_of(paper: HfPaper, at: dt.datetime) -> Enrichment:
    """What the store keeps of Hugging Face's paper."""
    stars = paper.github_stars if paper.github_stars is None or paper.github_stars >= 0 else None
    abstract = paper.abstract[:ABSTRACT_CHARS] if paper.abstract else None
    return Enrichment(
        arxiv_id=paper.arxiv_id,
        enriched_at=at,
        abstract=abstract,
        github_repo=web_url(paper.github_repo),
        github_stars=stars,
        project_page=web_url(paper.project_page),
        upvotes=paper.upvotes,
    )


def hf_api_base(config: Config) -> str:
    """Where the Hugging Face API is: `sources.huggingface.api_base` (PAPERS_BOT_HF_API
    overrides it), the Hugging Face source's."""
    return config.sources.huggingface.api_base.rstrip("/")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Run:
    """One backfill: the due papers, what is still pending, and the report."""

    def __init__(
        self,
        store: EnrichmentStore,
        hf: PaperSource,
        clock: Clock,
        progress: Progress | None,
        report: EnrichReport,
    ) -> None:
        self.store, self.hf, self.clock, self.progress = store, hf, clock, progress
        self.report = report
        self.pending: dict[str, dt.date] = {}  # arXiv id -> its newest day in the range
        self.by_day: dict[dt.date, list[str]] = {}  # the papers due, by that day

    def _tick(self, doing: str) -> None:
        if self.progress is not None:
            r = self.report
            self.progress(r.enriched + r.not_found, r.due, doing)

    async def _write(self, found: Iterable[HfPaper], missing: Iterable[str] = ()) -> None:
        at = self.clock()
        rows = [enrichment_of(p, at) for p in found]
        rows += [Enrichment(arxiv_id, at, found=False) for arxiv_id in missing]
        if not rows:
            return
        await self.store.record(rows)
        for row in rows:
            del self.pending[row.arxiv_id]
            if row.found:
                self.report.enriched += 1
                self.report.with_code += row.has_code
            else:
                self.report.not_found += 1

    async def listing(self, day: dt.date) -> None:
        """The day's listing: every pending paper in it is written."""
        self._tick(f"day {day.isoformat()}")
        try:
            listed = await self.hf.daily_papers(day)
        except HfBadResponse as exc:  # this day's answer only: its papers are asked alone
            self.report.problems.append(str(exc))
            log.warning("enrich: %s", exc)
            return
        self.report.listings += 1
        seen: set[str] = set()
        found = []
        for paper in listed:
            if paper.arxiv_id in self.pending and paper.arxiv_id not in seen:
                seen.add(paper.arxiv_id)
                found.append(paper)
        await self._write(found)

    async def alone(self, day: dt.date) -> None:
        """The papers of `day` no listing held, each asked for by itself."""
        for arxiv_id in [a for a in self.by_day.get(day, ()) if a in self.pending]:
            self._tick(arxiv_id)
            try:
                paper = await self.hf.paper(arxiv_id)
            except HfBadResponse as exc:  # this paper's answer only: asked again next run
                self.report.problems.append(str(exc))
                log.warning("enrich: %s", exc)
                continue
            self.report.alone += 1
            if paper is None or paper.arxiv_id != arxiv_id:
                await self._write((), [arxiv_id])
            else:
                await self._write([paper])


async def enrich(
    store: EnrichmentStore,
    hf: PaperSource,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    max_age: dt.timedelta,
    clock: Clock = _utcnow,
    progress: Progress | None = None,
    report: EnrichReport | None = None,
) -> EnrichReport:
    """Enrich the papers featured in since..until that are due (module docstring).

    Hugging Face unreachable or rate limiting past the client's wait raises its HfError
    after what was fetched is written; `report` (filled as it goes) says how far it got,
    as it does when the run is cancelled."""
    report = report if report is not None else EnrichReport()
    run = _Run(store, hf, clock, progress, report)
    due = await store.due(since=since, until=until, stale_before=clock() - max_age)
    coverage = await store.coverage(since=since, until=until)
    report.due, report.fresh = len(due), coverage.papers - len(due)
    run.pending = {d.arxiv_id: d.day for d in due}
    for d in due:
        run.by_day.setdefault(d.day, []).append(d.arxiv_id)
    days = sorted(run.by_day, reverse=True)
    previous: dt.date | None = None
    for day in days:
        await run.listing(day)
        if previous is not None:
            await run.alone(previous)
        previous = day
    if previous is not None:
        await run.alone(previous)
    if report.due:
        run._tick("done")
    return report


__all__ = [
    "EnrichReport",
    "HfError",
    "PaperSource",
    "enrich",
    "enrichment_of",
    "hf_api_base",
    "web_url",
]
