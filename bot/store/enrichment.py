"""EnrichmentStore: what Hugging Face says about each paper, beside what its digests published.

One `enrichment` row per paper (migration 012), keyed by the paper's id and removed with it.
Writes never touch the digests' tables; a paper the store does not hold (any more) is not
written. A paper Hugging Face does not know is recorded as not found, with its time, so a
backfill does not ask again until the row is stale; a not-found answer for a paper found
before keeps what was found and only renews the time. The bot's last enrichment pass that
asked anything is kept in `enrich_runs` (migration 015), for /daily status.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import Enrichment
from bot.store.database import Database

_COLUMNS = "p.arxiv_id, e.found, e.abstract, e.github_repo, e.github_stars, e.project_page, \
e.upvotes, e.enriched_at"

_RECORD_FOUND = """
INSERT INTO enrichment (paper_id, found, abstract, github_repo, github_stars, project_page,
                        upvotes, enriched_at)
SELECT p.id, 1, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5,
       j.value ->> 6
FROM json_each(?1) j JOIN papers p ON p.arxiv_id = j.value ->> 0
WHERE true
ON CONFLICT (paper_id) DO UPDATE SET
    found = 1, abstract = excluded.abstract, github_repo = excluded.github_repo,
    github_stars = excluded.github_stars, project_page = excluded.project_page,
    upvotes = excluded.upvotes, enriched_at = excluded.enriched_at
"""
_RECORD_MISSING = """
INSERT INTO enrichment (paper_id, found, enriched_at)
SELECT p.id, 0, j.value ->> 1
FROM json_each(?1) j JOIN papers p ON p.arxiv_id = j.value ->> 0
WHERE true
ON CONFLICT (paper_id) DO UPDATE SET enriched_at = excluded.enriched_at
"""


@dataclass(frozen=True, slots=True)
class Due:
    """A paper to enrich, and the newest day in the range it was featured on."""

    arxiv_id: str
    day: dt.date


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a range's papers the store has enriched."""

    papers: int  # featured in the range
    enriched: int  # with a row, found or not
    found: int
    with_code: int


@dataclass(frozen=True, slots=True)
class EnrichRun:
    """The bot's last enrichment pass that asked Hugging Face anything."""

    at: dt.datetime
    problem: str | None  # why it stopped short (Hugging Face down, rate limited); None: it did not


def _enrichment(row: Sequence[Any]) -> Enrichment:
    return Enrichment(
        arxiv_id=row[0],
        found=bool(row[1]),
        abstract=row[2],
        github_repo=row[3],
        github_stars=row[4],
        project_page=row[5],
        upvotes=row[6],
        enriched_at=dt.datetime.fromisoformat(row[7]),
    )


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("enrichment times are timezone-aware")
    return moment.astimezone(dt.UTC).isoformat()


def _found_row(e: Enrichment) -> list[object]:
    """The row _RECORD_FOUND reads: arXiv id, then the columns in its order."""
    at = _iso(e.enriched_at)
    return [e.arxiv_id, e.abstract, e.github_repo, e.github_stars, e.project_page, e.upvotes, at]


def _bounds(since: dt.date | None, until: dt.date | None) -> tuple[str, str]:
    return (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()


class EnrichmentStore:
    """Reads and writes of `enrichment` over a Database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    async def enrichment_of(self, arxiv_id: str) -> Enrichment | None:
        """The paper's enrichment (None: never enriched, or no such paper)."""
        found = await self.enrichments([arxiv_id])
        return found.get(arxiv_id)

    async def enrichments(self, arxiv_ids: Sequence[str]) -> dict[str, Enrichment]:
        """arXiv id -> enrichment, for those of the papers that have one."""
        if not arxiv_ids:
            return {}
        rows = await self.db.read(
            f"SELECT {_COLUMNS} FROM json_each(?) j JOIN papers p ON p.arxiv_id = j.value "
            "JOIN enrichment e ON e.paper_id = p.id",
            (json.dumps(list(arxiv_ids)),),
        )
        return {str(r[0]): _enrichment(r) for r in rows}

    async def record(self, enrichments: Sequence[Enrichment]) -> int:
        """Write what was found (and not found) in one transaction; papers the store does not
        hold are left out. Returns the rows written."""
        found = [_found_row(e) for e in enrichments if e.found]
        missing = [[e.arxiv_id, _iso(e.enriched_at)] for e in enrichments if not e.found]
        if not found and not missing:
            return 0
        written = 0
        async with self.db.transaction() as conn:
            for sql, rows in ((_RECORD_FOUND, found), (_RECORD_MISSING, missing)):
                if rows:
                    cursor = await conn.execute(sql, (json.dumps(rows, ensure_ascii=False),))
                    written += max(cursor.rowcount, 0)
        self.db.cache.changed()  # has_code searches read enrichment
        return written

    async def due(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        stale_before: dt.datetime,
    ) -> list[Due]:
        """Papers featured in the range with no enrichment, or one older than `stale_before`:
        newest day first (each with the newest day it has in the range)."""
        rows = await self.db.read(
            "SELECT p.arxiv_id, max(a.day) FROM appearances a "
            "JOIN papers p ON p.id = a.paper_id "
            "LEFT JOIN enrichment e ON e.paper_id = p.id "
            "WHERE a.day BETWEEN ? AND ? AND (e.paper_id IS NULL OR e.enriched_at < ?) "
            "GROUP BY p.id ORDER BY 2 DESC, p.id",
            (*_bounds(since, until), _iso(stale_before)),
        )
        return [Due(str(r[0]), dt.date.fromisoformat(r[1])) for r in rows]

    async def newest_day(self) -> dt.date | None:
        """The newest digest day in the store."""
        rows = await self.db.read("SELECT max(day) FROM days")
        return dt.date.fromisoformat(rows[0][0]) if rows[0][0] else None

    async def coverage(
        self, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> Coverage:
        """Counts over the papers featured in the range."""
        rows = await self.db.read(
            "SELECT count(*), count(e.paper_id), coalesce(sum(e.found), 0), "
            "count(e.github_repo) FROM (SELECT DISTINCT paper_id FROM appearances "
            "WHERE day BETWEEN ? AND ?) a LEFT JOIN enrichment e ON e.paper_id = a.paper_id",
            _bounds(since, until),
        )
        papers, enriched, found, code = (int(v) for v in rows[0])
        return Coverage(papers, enriched, found, code)

    async def record_run(self, at: dt.datetime, problem: str | None) -> None:
        """Keep how the bot's latest enrichment pass ended (one row, replaced)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO enrich_runs (id, at, problem) VALUES (1, ?, ?)",
                (_iso(at), problem),
            )

    async def last_run(self) -> EnrichRun | None:
        rows = await self.db.read("SELECT at, problem FROM enrich_runs WHERE id = 1")
        if not rows:
            return None
        return EnrichRun(dt.datetime.fromisoformat(rows[0][0]), rows[0][1])
