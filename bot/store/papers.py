"""PaperStore: every query the bot and the command line make, returning dataclasses.

Lookups of one paper or day are here; search is `SearchPlanner` (bot/store/search.py, with
its query plans), top / random / days / stats are `Listings` (bot/store/listing.py), the
author queries `Authors` (bot/store/authors.py), all over one Database under one `Limits`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from bot.arxiv import parse_arxiv_id
from bot.models import Digest, Paper, ParseResult, Sort
from bot.store.authors import Authors
from bot.store.cache import ENTRIES, LookupCache
from bot.store.database import READ_TIMEOUT, Database
from bot.store.ingest_sql import IngestStats, Prepared, merged_index, write_files
from bot.store.limits import Limits
from bot.store.listing import DayInfo, Listings, Stats
from bot.store.reads import Page, Reads, paper_row, remembered
from bot.store.search import SearchPlanner
from bot.store.text import closest_title, match_query

_TITLE_POOL = 4  # title suggestions: newest featured among this many x limit newest added
_TITLE_CANDIDATES = 50  # /paper by title words: the closest title among this many newest


class PaperStore(Reads):
    """Papers, days and search over a Database; the author queries are `authors`, search
    `planner`, the listings `listings`. Open with `await PaperStore.open(path)` (it owns that
    Database then), or build one over a Database; close when done."""

    def __init__(self, database: Database, limits: Limits | None = None) -> None:
        super().__init__(database, limits or Limits())
        self.authors = Authors(database, self.limits)
        self.planner = SearchPlanner(database, self.limits)
        self.listings = Listings(database, self.limits)

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        cache_entries: int = ENTRIES,
        create: bool = True,
        read_only: bool = False,
        limits: Limits | None = None,
        read_timeout: float | None = READ_TIMEOUT,
    ) -> PaperStore:
        """The store over `Database.open(path, ...)` (its arguments are documented there);
        `limits`: the query plans' thresholds."""
        database = await Database.open(
            path,
            cache_entries=cache_entries,
            create=create,
            read_only=read_only,
            read_timeout=read_timeout,
        )
        return cls(database, limits)

    @property
    def cache(self) -> LookupCache:
        return self.db.cache

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> PaperStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def ingest(
        self, source: str, result: ParseResult, *, partial: bool = False
    ) -> IngestStats:
        """Write one parsed file: it replaces what it contributed to the days it holds, and
        withdraws what it held on other days (with `partial`, the result is only part of the
        source, e.g. one day's sections: other days keep what the source held)."""
        return (await self.ingest_many([(source, result)], partial=partial))[0]

    async def ingest_many(
        self,
        items: Sequence[tuple[str, ParseResult]],
        *,
        prepared: Sequence[Prepared] = (),
        partial: bool = False,
    ) -> list[IngestStats]:
        """Write several parsed files in one transaction (much faster for bulk loads).

        `prepared`: `prepare(result)` of some of them, worked out elsewhere (another
        process), so that writing does not repeat it."""
        now = dt.datetime.now(dt.UTC)
        async with self.db.indexed(merged_index(prepared)):
            return await write_files(self.db, items, now, partial=partial)

    async def by_author(self, name: str, *, limit: int = 10, offset: int = 0) -> Page:
        """Authors.by_author."""
        return await self.authors.by_author(name, limit=limit, offset=offset)

    async def author_suggestions(self, text: str, *, limit: int = 25) -> list[str]:
        """Authors.author_suggestions."""
        return await self.authors.author_suggestions(text, limit=limit)

    @remembered
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
        has_code: bool = False,
        sort: Sort = Sort.RELEVANCE,
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """SearchPlanner.search."""
        return await self.planner.search(
            query,
            since=since,
            until=until,
            min_votes=min_votes,
            has_code=has_code,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @remembered
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
        return Digest(day, tuple(paper_row(r) for r in rows)) if rows else None

    async def top(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """Listings.top."""
        return await self.listings.top(since=since, until=until, limit=limit, offset=offset)

    async def random_paper(
        self, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> Paper | None:
        """Listings.random_paper."""
        return await self.listings.random_paper(since=since, until=until)

    async def days(self, *, limit: int | None = None, prefix: str = "") -> list[DayInfo]:
        """Listings.days."""
        return await self.listings.days(limit=limit, prefix=prefix)

    async def stats(self) -> Stats:
        """Listings.stats."""
        return await self.listings.stats()

    @remembered
    async def title_suggestions(self, text: str, *, limit: int = 25) -> list[tuple[str, str]]:
        """(arxiv_id, title) pairs for autocomplete: id prefix, else title words.

        Title words are prefixes ("large lang"); of the `_TITLE_POOL` x `limit` most recently
        added papers whose title has them (titles_fts, read in rowid order and stopped there),
        the newest featured come first.
        """
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
                (key, key + "\U0010ffff", limit),
            )
            if rows:
                return [(r[0], r[1]) for r in rows]
        expr = match_query(text, column="title", prefix=True)
        if expr is None:
            return []
        rows = await self._rows(
            "SELECT arxiv_id, title FROM (SELECT p.arxiv_id, p.title, p.last_day, p.votes "
            "FROM titles_fts t JOIN papers p ON p.id = t.rowid WHERE titles_fts MATCH ? "
            "ORDER BY t.rowid DESC LIMIT ?) ORDER BY last_day DESC, votes DESC LIMIT ?",
            (expr, limit * _TITLE_POOL, limit),
        )
        return [(r[0], r[1]) for r in rows]

    @remembered
    async def by_title(self, text: str) -> Paper | None:
        """The paper whose title best matches words from it (`closest_title`), if any has
        them all: of the `_TITLE_CANDIDATES` most recently added such papers."""
        expr = match_query(text, column="title")
        if expr is None:
            return None
        rows = await self._rows(
            "SELECT t.rowid, p.title FROM titles_fts t JOIN papers p ON p.id = t.rowid "
            "WHERE titles_fts MATCH ? ORDER BY t.rowid DESC LIMIT ?",
            (expr, _TITLE_CANDIDATES),
        )
        best = closest_title(text, [(int(r[0]), str(r[1])) for r in rows])
        if best is None:
            return None
        found = await self._by_ids([best])
        return found[0] if found else None
