"""PaperStore: every query the bot and the command line make, returning dataclasses."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from bot.digest.ids import parse_arxiv_id
from bot.models import Digest, Paper, ParseResult
from bot.store import db
from bot.store.ingest_sql import IngestStats, write_files
from bot.store.text import fold, match_query

Sort = Literal["relevance", "votes", "newest"]
COUNT_CAP = 1000  # result counts above this are shown as "1000+"
_NARROW_RANGE_DAYS = 62  # a top-N over fewer digest days is driven from those days' rows

_PAPER_COLS = """p.id, p.arxiv_id, p.title, p.authors, p.votes, p.thumbnail, p.url,
    (SELECT a.summary FROM appearances a WHERE a.paper_id = p.id AND a.day = p.last_day),
    (SELECT group_concat(day) FROM
        (SELECT day FROM appearances a WHERE a.paper_id = p.id ORDER BY day))"""
_ORDER = {
    "relevance": "score, p.last_day DESC",
    "votes": "p.votes IS NULL, p.votes DESC, p.last_day DESC",
    "newest": "p.last_day DESC, p.votes IS NULL, p.votes DESC",
}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results; `total` is exact up to COUNT_CAP, then COUNT_CAP + 1."""

    papers: tuple[Paper, ...]
    total: int

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: dt.date
    papers: int


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


def _paper(row: Sequence[Any]) -> Paper:
    return Paper(
        arxiv_id=row[1],
        title=row[2],
        authors=tuple(json.loads(row[3])),
        votes=row[4],
        thumbnail=row[5],
        url=row[6],
        summary=row[7] or "",
        dates=tuple(dt.date.fromisoformat(d) for d in (row[8] or "").split(",") if d),
    )


def _range(since: dt.date | None, until: dt.date | None) -> tuple[str, str]:
    return (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()


class PaperStore:
    """The papers database. Open with `await PaperStore.open(path)`; close when done."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    @classmethod
    async def open(cls, path: str | Path) -> PaperStore:
        return cls(await db.connect(path))

    async def close(self) -> None:
        await self._conn.close()

    async def __aenter__(self) -> PaperStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def connection(self) -> aiosqlite.Connection:
        """For sibling store modules (subscriptions, ledger) sharing this connection."""
        return self._conn

    async def ingest(self, source: str, result: ParseResult) -> IngestStats:
        """Write one parsed file; the days it holds are replaced by its content."""
        return (await self.ingest_many([(source, result)]))[0]

    async def ingest_many(self, items: Sequence[tuple[str, ParseResult]]) -> list[IngestStats]:
        """Write several parsed files in one transaction (much faster for bulk loads)."""
        return await write_files(self._conn, items, dt.datetime.now(dt.UTC))

    async def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _papers(self, where: str, params: Sequence[object] = ()) -> list[Paper]:
        return [
            _paper(r)
            for r in await self._rows(f"SELECT {_PAPER_COLS} FROM papers p {where}", params)
        ]

    async def _by_ids(self, ids: Sequence[int]) -> list[Paper]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._rows(f"SELECT {_PAPER_COLS} FROM papers p WHERE p.id IN ({marks})", ids)
        by_id = {r[0]: _paper(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def get(self, id_or_link: str) -> Paper | None:
        """A paper by arXiv id (any version) or an arXiv / Hugging Face link."""
        arxiv_id = parse_arxiv_id(id_or_link)
        if arxiv_id is None:
            return None
        found = await self._papers("WHERE p.arxiv_id = ?", (arxiv_id,))
        return found[0] if found else None

    async def search(
        self,
        query: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        min_votes: int | None = None,
        sort: Sort = "relevance",
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """Full-text search over titles, authors and summaries (Korean-aware, bm25)."""
        expr = match_query(query)
        if expr is None:
            return Page((), 0)
        where = ["papers_fts MATCH ?"]
        params: list[object] = [expr]
        if min_votes is not None:
            where.append("p.votes >= ?")
            params.append(min_votes)
        if since or until:
            where.append(
                "EXISTS (SELECT 1 FROM appearances a "
                "WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?)"
            )
            params.extend(_range(since, until))
        base = "FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid WHERE " + " AND ".join(
            where
        )
        return await self._page(
            f"SELECT p.id, bm25(papers_fts, 10.0, 5.0, 1.0) AS score {base} "
            f"ORDER BY {_ORDER[sort]}",
            f"SELECT 1 {base}",
            params,
            limit,
            offset,
        )

    async def _page(
        self, select: str, count: str, params: Sequence[object], limit: int, offset: int
    ) -> Page:
        rows = await self._rows(f"{select} LIMIT ? OFFSET ?", [*params, limit, offset])
        total_rows = await self._rows(
            f"SELECT count(*) FROM ({count} LIMIT ?)", [*params, COUNT_CAP + 1]
        )
        papers = await self._by_ids([r[0] for r in rows])
        return Page(tuple(papers), int(total_rows[0][0]))

    async def by_author(self, name: str, *, limit: int = 10, offset: int = 0) -> Page:
        """Papers with an author whose name contains `name` (case- and accent-insensitive)."""
        expr = match_query(name, column="authors", prefix=True)
        if expr is None:
            return Page((), 0)
        base = (
            "FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid WHERE papers_fts MATCH ? "
            "AND EXISTS (SELECT 1 FROM json_each(p.authors) j WHERE instr(fold(j.value), ?))"
        )
        params = [expr, fold(name.strip())]
        return await self._page(
            f"SELECT p.id {base} ORDER BY p.last_day DESC, p.votes DESC",
            f"SELECT 1 {base}",
            params,
            limit,
            offset,
        )

    async def digest(self, day: dt.date | None = None) -> Digest | None:
        """A day's digest in published order, as that day showed it (the newest day if None)."""
        if day is None:
            newest = await self._rows("SELECT max(day) FROM days")
            if newest[0][0] is None:
                return None
            day = dt.date.fromisoformat(newest[0][0])
        rows = await self._rows(
            "SELECT a.paper_id, p.arxiv_id, a.title, a.authors, a.votes, a.thumbnail, a.url, "
            "a.summary, (SELECT group_concat(day) FROM (SELECT day FROM appearances x "
            "WHERE x.paper_id = p.id ORDER BY day)) "
            "FROM appearances a JOIN papers p ON p.id = a.paper_id "
            "WHERE a.day = ? ORDER BY a.position",
            (day.isoformat(),),
        )
        return Digest(day, tuple(_paper(r) for r in rows)) if rows else None

    async def top(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """Most-voted papers featured in a date range (current votes)."""
        lo, hi = _range(since, until)
        narrow = await self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM days WHERE day BETWEEN ? AND ? LIMIT ?)",
            (lo, hi, _NARROW_RANGE_DAYS + 1),
        )
        if int(narrow[0][0]) <= _NARROW_RANGE_DAYS:
            base = (
                "FROM papers p WHERE p.id IN (SELECT paper_id FROM appearances "
                "WHERE day BETWEEN ? AND ?)"
            )
        else:
            base = (
                "FROM papers p WHERE EXISTS (SELECT 1 FROM appearances a "
                "WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?)"
            )
        return await self._page(
            f"SELECT p.id {base} ORDER BY {_ORDER['votes']}",
            f"SELECT 1 {base}",
            (lo, hi),
            limit,
            offset,
        )

    async def random_paper(
        self, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> Paper | None:
        """A random paper featured in the range (uniform over appearances)."""
        lo, hi = _range(since, until)
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

    async def days(self, *, limit: int | None = None, prefix: str = "") -> list[DayInfo]:
        """Digest days, newest first, optionally those starting with `prefix` (e.g. "2024-06")."""
        rows = await self._rows(
            "SELECT day, papers FROM days WHERE day LIKE ? ESCAPE '\\' ORDER BY day DESC LIMIT ?",
            (_like_prefix(prefix), -1 if limit is None else limit),
        )
        return [DayInfo(dt.date.fromisoformat(d), n) for d, n in rows]

    async def title_suggestions(self, text: str, *, limit: int = 25) -> list[tuple[str, str]]:
        """(arxiv_id, title) pairs for autocomplete: id prefix, else title words."""
        text = text.strip()
        if not text:
            rows = await self._rows(
                "SELECT arxiv_id, title FROM papers ORDER BY last_day DESC, votes DESC LIMIT ?",
                (limit,),
            )
            return [(r[0], r[1]) for r in rows]
        arxiv_id = parse_arxiv_id(text)
        if arxiv_id or text[:1].isdigit():
            key = arxiv_id or text
            rows = await self._rows(
                "SELECT arxiv_id, title FROM papers WHERE arxiv_id >= ? AND arxiv_id < ? "
                "ORDER BY arxiv_id LIMIT ?",
                (key, key + "\uffff", limit),
            )
            if rows:
                return [(r[0], r[1]) for r in rows]
        expr = match_query(text, column="title", prefix=True)
        if expr is None:
            return []
        rows = await self._rows(
            "SELECT p.arxiv_id, p.title FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid "
            "WHERE papers_fts MATCH ? ORDER BY p.last_day DESC LIMIT ?",
            (expr, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def author_suggestions(self, text: str, *, limit: int = 25) -> list[str]:
        """Known author names starting with `text` (case- and accent-insensitive)."""
        key = fold(text.strip())
        rows = await self._rows(
            "SELECT name FROM author_names WHERE folded >= ? AND folded < ? "
            "ORDER BY folded LIMIT ?",
            (key, key + "\uffff", limit),
        )
        return [r[0] for r in rows]

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
