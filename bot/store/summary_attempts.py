"""SummaryAttemptStore: the Korean-summary requests that failed for each paper (migration 015).

A counted failure (an unusable answer, a refused request) adds to `failures` and ends a run
of transient ones; a transient failure (timeout, 429, 5xx) adds to `transient`; a summary
that succeeds deletes the paper's row. What these counts mean for the next build is
bot/summaries/attempts.py's (pure); this module only keeps them, and reads a built day's
state for /daily status.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.store.database import Database
from bot.store.ingest_sql import PUBLISHED
from bot.store.writes import iso

_COUNTED = """
INSERT INTO summary_attempts (arxiv_id, failures, transient, reason, failed_at)
SELECT j.value ->> 0, 1, 0, j.value ->> 1, ?2 FROM json_each(?1) j WHERE true
ON CONFLICT (arxiv_id) DO UPDATE SET
    failures = failures + 1, transient = 0, reason = excluded.reason, failed_at = excluded.failed_at
"""
_TRANSIENT = """
INSERT INTO summary_attempts (arxiv_id, failures, transient, reason, failed_at)
SELECT j.value ->> 0, 0, 1, j.value ->> 1, ?2 FROM json_each(?1) j WHERE true
ON CONFLICT (arxiv_id) DO UPDATE SET
    transient = transient + 1, reason = excluded.reason, failed_at = excluded.failed_at
"""
_SUCCEEDED = "DELETE FROM summary_attempts WHERE arxiv_id IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True, slots=True)
class Attempts:
    """A paper's failed summary requests since its last success (it has had none)."""

    arxiv_id: str
    failures: int  # counted: unusable answers, refused requests
    transient: int  # timeouts, 429s, 5xx in a row since the last counted failure
    reason: str  # the last failure's
    failed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DaySummaries:
    """A day's papers and how many read in Korean; the attempts of those still in English."""

    day: dt.date
    papers: int
    korean: int
    failing: tuple[Attempts, ...]  # newest failure first


def _attempts(row: Sequence[object]) -> Attempts:
    arxiv_id, failures, transient, reason, at = row
    return Attempts(
        str(arxiv_id),
        int(str(failures)),
        int(str(transient)),
        str(reason),
        dt.datetime.fromisoformat(str(at)),
    )


class SummaryAttemptStore:
    """Reads and writes of `summary_attempts` over a Database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    async def attempts(self, arxiv_ids: Sequence[str]) -> dict[str, Attempts]:
        """arXiv id -> its failed attempts, for those of the papers that have any."""
        if not arxiv_ids:
            return {}
        rows = await self.db.read(
            "SELECT arxiv_id, failures, transient, reason, failed_at FROM summary_attempts "
            "WHERE arxiv_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(arxiv_ids)),),
        )
        return {str(r[0]): _attempts(r) for r in rows}

    async def record(
        self,
        *,
        succeeded: Sequence[str] = (),
        counted: Mapping[str, str] | None = None,
        transient: Mapping[str, str] | None = None,
        now: dt.datetime,
    ) -> None:
        """One build's outcomes in one transaction: `counted` and `transient` map an arXiv
        id to why its request failed."""
        counted, transient = counted or {}, transient or {}
        if not (succeeded or counted or transient):
            return
        at = iso(now)
        async with self.db.transaction() as conn:
            if succeeded:
                await conn.execute(_SUCCEEDED, (json.dumps(list(succeeded)),))
            for sql, failed in ((_COUNTED, counted), (_TRANSIENT, transient)):
                if failed:
                    rows = json.dumps(list(failed.items()), ensure_ascii=False)
                    await conn.execute(sql, (rows, at))

    async def newest_built_day(self) -> dt.date | None:
        """The newest day a file built from Hugging Face holds."""
        rows = await self.db.read(  # the few built files, each its newest day by holdings_file
            "SELECT max((SELECT max(h.day) FROM holdings h WHERE h.file_id = f.id)) "
            f"FROM digest_files f WHERE f.built != {PUBLISHED}"
        )
        return dt.date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    async def day_summaries(self, day: dt.date, *, english_mark: str) -> DaySummaries:
        """`day`'s papers as the store shows them: how many have a summary that does not
        start with `english_mark` (a built day's English bullets), and the failed attempts
        of the others."""
        mark = (english_mark, len(english_mark))
        counts = await self.db.read(
            "SELECT count(*), coalesce(sum(substr(summary, 1, ?2) IS NOT ?1), 0) "
            "FROM appearances WHERE day = ?3",
            (*mark, day.isoformat()),
        )
        failing = await self.db.read(
            "SELECT s.arxiv_id, s.failures, s.transient, s.reason, s.failed_at "
            "FROM appearances a JOIN papers p ON p.id = a.paper_id "
            "JOIN summary_attempts s ON s.arxiv_id = p.arxiv_id "
            "WHERE a.day = ?3 AND substr(a.summary, 1, ?2) IS ?1 "
            "ORDER BY s.failed_at DESC, s.arxiv_id",
            (*mark, day.isoformat()),
        )
        papers, korean = (int(v) for v in counts[0])
        return DaySummaries(day, papers, korean, tuple(_attempts(r) for r in failing))
