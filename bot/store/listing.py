"""Listings: the most-voted papers of a range, a random one, digest days and the store's counts."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Paper
from bot.store.ingest_sql import BUILT_COMPLETE
from bot.store.reads import ORDER, Page, Reads, day_range, remembered


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: dt.date
    papers: int
    sources: tuple[str, ...] = ()  # the files it came from, the one whose order it follows first
    built: tuple[str, ...] = ()  # those of them built from Hugging Face (migration 011)
    complete: tuple[str, ...] = ()  # those built once Hugging Face's day was complete

    @property
    def only_built(self) -> bool:
        """Every file of the day was built from Hugging Face: no Korean digest holds it."""
        return bool(self.sources) and set(self.sources) <= set(self.built)

    @property
    def incomplete(self) -> bool:
        """Only built files hold the day, each fetched before the day was complete: not yet
        the day a post should carry."""
        return self.only_built and not self.complete


@dataclass(frozen=True, slots=True)
class Stats:
    papers: int
    days: int
    appearances: int
    authors: int
    first_day: dt.date | None
    last_day: dt.date | None

    def to_json(self) -> dict[str, object]:
        return {
            "papers": self.papers,
            "days": self.days,
            "appearances": self.appearances,
            "authors": self.authors,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
        }


class Listings(Reads):
    """Queries over days and votes rather than text (under `Limits`)."""

    async def _page(
        self, select: str, count: str, params: Sequence[object], limit: int, offset: int
    ) -> Page:
        rows = await self._rows(f"{select} LIMIT ? OFFSET ?", [*params, limit, offset])
        total, more = await self._count(f"FROM ({count})", params, self.limits.exact)
        papers = await self._by_ids([r[0] for r in rows])
        return Page(tuple(papers), total, more)

    @remembered
    async def top(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """Most-voted papers featured in a date range (current votes)."""
        lo, hi = day_range(since, until)
        narrow = await self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM days WHERE day BETWEEN ? AND ? LIMIT ?)",
            (lo, hi, self.limits.narrow_days + 1),
        )
        if int(narrow[0][0]) <= self.limits.narrow_days:
            base = (
                "FROM papers p WHERE p.id IN (SELECT paper_id FROM appearances "
                "WHERE day BETWEEN ? AND ?)"
            )
            return await self._page(
                f"SELECT p.id {base} ORDER BY {ORDER['votes']}",
                f"SELECT 1 {base}",
                (lo, hi),
                limit,
                offset,
            )
        # A long range: the most-voted papers first, until a page of them is in the range.
        rows = await self._rows(
            "SELECT p.id FROM papers p INDEXED BY papers_most_voted WHERE EXISTS (SELECT 1 "
            "FROM appearances a WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?) "
            f"ORDER BY {ORDER['votes']} LIMIT ? OFFSET ?",
            (lo, hi, limit, offset),
        )
        if since is None and until is None:  # every paper: no appearance need be read
            total, more = await self._count("FROM papers", (), self.limits.exact)
        else:
            # appearances_day (migration 010): the papers of the days, not their rows
            total, more = await self._count(
                "FROM (SELECT DISTINCT paper_id FROM appearances WHERE day BETWEEN ? AND ?)",
                (lo, hi),
                self.limits.exact,
            )
        return Page(tuple(await self._by_ids([r[0] for r in rows])), total, more)

    async def random_paper(
        self, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> Paper | None:
        """A random paper featured in the range (uniform over appearances)."""
        lo, hi = day_range(since, until)
        days = await self._rows("SELECT day, papers FROM days WHERE day BETWEEN ? AND ?", (lo, hi))
        if not days:
            return None
        day, count = random.choices(days, weights=[d[1] for d in days])[0]
        rows = await self._rows(
            "SELECT paper_id FROM appearances WHERE day = ? ORDER BY position LIMIT 1 OFFSET ?",
            (day, random.randrange(max(count, 1))),
        )
        found = await self._by_ids([rows[0][0]]) if rows else []
        return found[0] if found else None

    @remembered
    async def days(self, *, limit: int | None = None, prefix: str = "") -> list[DayInfo]:
        """Digest days, newest first, optionally those starting with `prefix` (e.g. "2024-06")."""
        files = (
            "(SELECT json_group_array(f.source) FROM json_each(days.sources) j "
            "JOIN digest_files f ON f.source = j.value WHERE {})"
        )  # digest_files.built: see bot/store/ingest_sql.py (PUBLISHED)
        rows = await self._rows(
            f"SELECT day, papers, sources, {files.format('f.built')}, "
            f"{files.format(f'f.built = {BUILT_COMPLETE}')} FROM days "
            "WHERE day LIKE ? ESCAPE '\\' ORDER BY day DESC LIMIT ?",
            (_like_prefix(prefix), -1 if limit is None else limit),
        )
        return [
            DayInfo(
                dt.date.fromisoformat(d),
                n,
                tuple(json.loads(s)),
                tuple(json.loads(b)),
                tuple(json.loads(c)),
            )
            for d, n, s, b, c in rows
        ]

    async def stats(self) -> Stats:
        row = (
            await self._rows(
                "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM days), "
                "(SELECT count(*) FROM appearances), (SELECT count(*) FROM author_names), "
                "(SELECT min(day) FROM days), (SELECT max(day) FROM days)"
            )
        )[0]
        return Stats(
            papers=row[0],
            days=row[1],
            appearances=row[2],
            authors=row[3],
            first_day=dt.date.fromisoformat(row[4]) if row[4] else None,
            last_day=dt.date.fromisoformat(row[5]) if row[5] else None,
        )


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
