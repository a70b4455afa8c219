"""PaperStore: every query the bot and the command line make, returning dataclasses.

Query plans (thresholds in `Limits`; bench/search.py measures them at 100k and 1M papers).
Up to `Limits.exact` matches everything is exact: every match is ranked or sorted and the
count is exact. That covers every query on a store the size of the published history (about
5,500 papers, some 4,000 more a year). Past it, a word like 모델 matches most papers, so
nothing may cost in proportion to the number of matches:

- without a filter, one statement keeps up to `exact` + 1 matches' rowids from papers_fts,
  counts them and, within `exact`, lists the page (`_budgeted`): the matches are read once.
- relevance, up to `Limits.scored` matches in the whole store, each word in at most
  `Limits.scored_words` papers (bm25 reads every paper with each word): bm25 orders the matches
  within tiers: every word in the title, the words as typed there (not only their stems),
  the words near each other there (`_ranked`). Past it bm25 is too dear (it counts each
  phrase over the whole index, even when a date range holds few matches, and costs per
  match): the matches in the range, or past `exact` the newest `Limits.pool` of them (or
  as many as the page reaches), are ranked title first, then newest (`_tiered`).
- votes / newest / author / top: up to `exact` matches are sorted (or, at least 1 in
  `Limits.sorted_walk` papers, found walking the order's index); beyond that a page is
  read in order from an index (`papers_most_voted`, `papers_newest`, migration 003), each
  paper checked against the query, stopping at the page's LIMIT.
- a date range bounds the FTS rowids searched (min and max paper id of its days), so
  "last 30 days" reads that range of the index, not every match.
- counts are exact up to `exact`; past it a page says "more than N" (`Page.more`): N is
  `exact`, or `Limits.filtered_count` when a vote or date filter must be checked per match.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.arxiv import parse_arxiv_id
from bot.models import Digest, Paper, ParseResult, Sort
from bot.store.authors import Authors
from bot.store.cache import ENTRIES, LookupCache
from bot.store.database import READ_TIMEOUT, Database
from bot.store.ingest_sql import IngestStats, Prepared, merged_index, write_files
from bot.store.reads import Page, Reads, paper_row, remembered
from bot.store.text import (
    closest_title,
    has_prefix,
    is_one_token,
    match_query,
    near_query,
    query_terms,
    query_words,
)

_NEAR = 3  # words at most this many words apart are "near each other" (relevance tier)
_BOUND_DAYS = 2000  # a date range of up to this many digest days bounds the paper ids searched
_TITLE_POOL = 4  # title suggestions: newest featured among this many x limit newest added
_TITLE_CANDIDATES = 50  # /paper by title words: the closest title among this many newest
_ALL_IDS = (-(2**63), 2**63 - 1)
# A page's SELECT, its parameters, the condition it is read under, its parameters.
_Arm = tuple[str, Sequence[object], str, Sequence[object]]
_FTS_MATCHED = "FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ?"

_ORDER = {
    "relevance": "score, p.last_day DESC",
    "votes": "p.votes DESC, p.last_day DESC",
    "newest": "p.last_day DESC, p.votes DESC",
}
_INDEX = {"votes": "papers_most_voted", "newest": "papers_newest"}


@dataclass(frozen=True, slots=True)
class Limits:
    """Thresholds of the query plans (module docstring); tests pass smaller ones."""

    # Up to this many matches: all ranked or sorted, counted exactly. Chosen so a query of this
    # many matches at 1M papers is ranked within the p99 target (bench/search.py).
    exact: int = 20_000
    # Up to this many matches in the whole store, relevance is bm25 within tiers (`_ranked`);
    # more, and every match is ranked by tiers, newest first (`_tiered`): bm25's cost grows
    # with each match (more for Korean phrases) on top of reading them (bench/search.py).
    scored: int = 5_000  # (`pool` for a query with a prefix term: bm25 expands it per match)
    # ... and while each of its words is in at most this many papers: bm25 reads every paper
    # with each word (모델 in 89,659 of 100k: ~90 ms). At the real history's size, always.
    scored_words: int = 20_000
    # Words as typed rank ahead of their stems while at most this many titles have all the
    # words (each such title is read and compared, a cost per title: bench/search.py).
    typed_titles: int = 200
    # Past `exact`, relevance ranks the newest this many matches (or the page's reach).
    pool: int = 1_000
    # Sorted within `exact`, matches of at least 1 in this many papers are found walking the
    # order's index (a page in ~this many x its length rows); fewer are sorted (top-N).
    sorted_walk: int = 20
    # Past `exact` with a filter to check per match: counted up to this many.
    filtered_count: int = 1_000
    # A top-N over at most this many digest days is driven from those days' rows.
    narrow_days: int = 62
    # /author: up to this many names containing the text are merged.
    merge_names: int = 100
    # /author, more names: up to this many of their papers are sorted, not walked.
    author_rows: int = 5_000


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: dt.date
    papers: int
    sources: tuple[str, ...] = ()  # the files it came from, the one whose order it follows first


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


def _range(since: dt.date | None, until: dt.date | None) -> tuple[str, str]:
    return (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()


class PaperStore(Reads):
    """Papers, days and search over a Database; the author queries are `authors`. Open
    with `await PaperStore.open(path)` (it owns that Database then), or build one over a
    Database; close when done."""

    def __init__(self, database: Database, limits: Limits | None = None) -> None:
        super().__init__(database, limits or Limits())
        self.authors = Authors(database, self.limits)

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

    @remembered
    async def search(
        self,
        query: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        min_votes: int | None = None,
        sort: Sort = Sort.RELEVANCE,
        limit: int = 10,
        offset: int = 0,
    ) -> Page:
        """Full-text search over titles, authors and summaries (Korean-aware, bm25)."""
        expr = match_query(query)
        if expr is None:
            return Page((), 0)
        lo, hi = await self._id_bounds(since, until)
        filters: list[str] = []
        filter_params: list[object] = []
        if min_votes is not None:
            filters.append("p.votes >= ?")
            filter_params.append(min_votes)
        if since or until:
            filters.append(
                "EXISTS (SELECT 1 FROM appearances a "
                "WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?)"
            )
            filter_params.extend(_range(since, until))
        matched = (
            "FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid "
            "WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ?"
            + "".join(f" AND {f}" for f in filters)
        )
        params = [expr, lo, hi, *filter_params]
        exact = self.limits.exact
        if sort == "relevance":
            # bm25 reads each phrase's matches over the whole index, whatever the date range,
            # and costs per match: past `scored` matches in the whole store, the matches in
            # the range are ranked by tiers (the newest `pool` of them past `exact`).
            # A prefix (one Korean syllable) makes bm25 read every word it starts.
            scored = self.limits.pool if has_prefix(expr) else self.limits.scored
            if not filters:
                return await self._relevance(query, expr, scored, limit, offset)
            if not await self._more_than(expr, scored):
                return await self._ranked(query, matched, params, limit, offset)
            dense = await self._more_than(expr, exact, lo, hi)
            pool = max(self.limits.pool, offset + limit) if dense else exact + 1
            return await self._tiered(expr, matched, params, pool, bool(filters), limit, offset)
        if not filters:
            found = await self._budgeted(expr, self._sorted_pages(sort), limit, offset)
            dense = found is None
            if found is not None:
                return found
        else:
            dense = await self._more_than(expr, exact, lo, hi)
        if not dense:
            return await self._counted(
                f"SELECT p.id, count(*) OVER () {matched} ORDER BY {_ORDER[sort]}",
                params,
                limit,
                offset,
                base=matched,
            )
        if has_prefix(expr):  # checking a prefix row by row expands it every time: sort a pool
            pool = max(self.limits.pool, offset + limit)
            rows = await self._rows(
                f"SELECT id FROM (SELECT p.id, p.votes, p.last_day {matched} "
                "ORDER BY papers_fts.rowid DESC LIMIT ?) p "
                f"ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
                [*params, pool, limit, offset],
            )
            total, more = await self._past_exact(matched, params, bool(filters))
            return Page(tuple(await self._by_ids([r[0] for r in rows])), total, more)
        checks = [
            *filters,
            "EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? "
            "AND papers_fts.rowid = p.id)",
        ]
        rows = await self._rows(
            f"SELECT p.id FROM papers p INDEXED BY {_INDEX[sort]} WHERE {' AND '.join(checks)} "
            f"ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
            [*filter_params, expr, limit, offset],
        )
        total, more = await self._past_exact(matched, params, bool(filters))
        return Page(tuple(await self._by_ids([r[0] for r in rows])), total, more)

    async def _relevance(self, query: str, expr: str, scored: int, limit: int, offset: int) -> Page:
        """Relevance without a filter: one pass over the matches' rowids counts them (up to
        `exact` + 1) and, past `scored` and within `exact`, lists the page ranked by tiers in
        the same statement (`_budgeted`); up to `scored`, bm25 (`_ranked`) unless a word is
        in more than `scored_words` papers (then by tiers); past `exact`, the newest `pool`
        (or the page's reach) by tiers (`_tiered`)."""
        params = [expr, *_ALL_IDS]
        matched = f"{_FTS_MATCHED} "
        # The title tier, then the rest, each newest first. Titles are indexed as in
        # papers_fts, so every title match is one of `m`.
        tiers = (
            "WITH t AS MATERIALIZED (SELECT rowid AS id FROM titles_fts WHERE titles_fts "
            "MATCH ?) SELECT id FROM (SELECT id FROM t ORDER BY id DESC) UNION ALL "
            "SELECT id FROM (SELECT id FROM m WHERE id NOT IN t ORDER BY id DESC)"
        )
        arm: _Arm = (tiers, [expr], "1", [])
        found = await self._budgeted(expr, [arm], limit, offset, scored)
        if found is None:
            pool = max(self.limits.pool, offset + limit)
            return await self._tiered(expr, matched, params, pool, False, limit, offset)
        if found.total > scored:
            return found
        if not await self._has_common_word(expr):
            return await self._ranked(query, matched, params, limit, offset)
        return await self._budgeted(expr, [arm], limit, offset) or found

    async def _has_common_word(self, expr: str) -> bool:
        """Whether a word of the query is in more than `Limits.scored_words` papers: bm25
        counts every paper with each word, whatever the matches (~1 us a paper)."""
        terms = sorted(query_terms(expr), key=lambda t: not is_one_token(t))  # cheap first
        for term in terms:
            if await self._more_than(term, self.limits.scored_words):
                return True
        return False

    def _sorted_pages(self, sort: Sort) -> list[_Arm]:
        """A page of matches (`m` of `_budgeted`) by votes or newest: when they are a good
        share of the store (at least 1 in `Limits.sorted_walk` papers), the order's index is
        walked and stops at the page's LIMIT; else the matches are sorted (top-N, no window)."""
        walk = (
            f"SELECT p.id FROM papers p INDEXED BY {_INDEX[sort]} WHERE p.id IN "
            f"(SELECT id FROM m) ORDER BY {_ORDER[sort]}"
        )
        ordered = f"SELECT p.id FROM m CROSS JOIN papers p ON p.id = m.id ORDER BY {_ORDER[sort]}"
        share = "(SELECT n FROM c) * ? {} (SELECT max(id) FROM papers)"
        ratio = [self.limits.sorted_walk]
        return [(walk, [], share.format(">="), ratio), (ordered, [], share.format("<"), ratio)]

    async def _budgeted(
        self,
        expr: str,
        pages: Sequence[_Arm],
        limit: int,
        offset: int,
        floor: int = -1,
    ) -> Page | None:
        """One pass over the FTS rowids of the matches (no summary, no row of papers): up to
        `exact` + 1 of them into `m`, their count into `c`, and
        when floor < count <= `exact`, the page in the same statement: each of `pages` (a
        SELECT of ids from `m` and its parameters, a condition and its parameters) where its
        condition holds.
        Elsewhere an arm's LIMIT is 0, so it reads nothing (a WHERE would be checked per
        row). None past `exact`; at or below `floor`, a Page of the exact count, no papers.

        Keeping the rowids costs ~0.25 us each: more than counting a single token's (read
        straight from its doclist), so a one-token query past `exact` is told by a count
        first; less than a second pass over a phrase's or several words' matches, whose
        positions are compared (~1-3 us a match)."""
        exact = self.limits.exact
        if is_one_token(expr) and await self._more_than(expr, exact):
            return None  # counting one token's rowids costs less than keeping them
        budget = "(SELECT n FROM c) > ? AND (SELECT n FROM c) <= ?"
        arms = " UNION ALL ".join(
            f"SELECT NULL, id FROM ({sql} LIMIT CASE WHEN {budget} AND {condition} "
            "THEN ? ELSE 0 END OFFSET ?)"
            for sql, _, condition, _ in pages
        )
        rows = await self._rows(
            "WITH m AS MATERIALIZED (SELECT rowid AS id FROM papers_fts "
            "WHERE papers_fts MATCH ? LIMIT ?), "
            "c AS MATERIALIZED (SELECT count(*) AS n FROM m) "
            f"SELECT n, NULL FROM c UNION ALL {arms}",
            [
                expr,
                exact + 1,
                *(
                    v
                    for _, sql_params, _, condition_params in pages
                    for v in (*sql_params, floor, exact, *condition_params, limit, offset)
                ),
            ],
        )
        total = int(rows[0][0])
        if total > exact:
            return None
        if total <= floor:
            return Page((), total)
        return Page(tuple(await self._by_ids([int(r[1]) for r in rows[1:]])), total)

    async def _ranked(
        self, query: str, matched: str, params: Sequence[object], limit: int, offset: int
    ) -> Page:
        """Every match, in three tiers, each by bm25 (title 10, authors 5, summaries 1), then
        the most recently added: papers with every word in the title first (those with more
        of the words as typed, not only their stems, ahead, while at most
        `Limits.typed_titles` titles have the words; then those with the words near each
        other there), then the rest.

        Without a filter, only the FTS index is read (no row of papers per match)."""
        near = near_query(query, _NEAR)
        in_titles = "papers_fts.rowid IN (SELECT rowid FROM titles_fts WHERE titles_fts MATCH ?)"
        expr = params[0]
        rows = await self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM titles_fts WHERE titles_fts MATCH ? LIMIT ?)",
            (expr, self.limits.typed_titles + 1),
        )
        typed = int(rows[0][0]) <= self.limits.typed_titles
        fts_only = len(params) == 3  # the expression and its id bounds: no filter
        source = (
            "FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ?"
            if fts_only
            else matched
        )
        title = "papers_fts.title" if fts_only else "p.title"
        select = (
            "SELECT id, count(*) OVER () FROM (SELECT papers_fts.rowid AS id, "
            f"{title if typed else 'NULL'} AS title, "
            f"bm25(papers_fts, 10.0, 5.0, 1.0) AS score, {in_titles} AS t, "
            f"{in_titles if near else '0'} AS n {source}) ORDER BY t DESC, "
            f"{'CASE WHEN t THEN exact_words(title, ?) ELSE 0 END DESC, ' if typed else ''}"
            "n DESC, score, id DESC"
        )
        head = [expr, *([near] if near else [])]
        return await self._counted(
            select,
            [*head, *params, *([query_words(query)] if typed else [])],
            limit,
            offset,
            base=source,
            base_params=params,
        )

    async def _tiered(
        self,
        expr: str,
        matched: str,
        params: Sequence[object],
        size: int,
        filtered: bool,
        limit: int,
        offset: int,
    ) -> Page:
        """Relevance where bm25 is too dear: the newest `size` matches, those with the words
        in the title first, newest first, sorted inside SQLite.

        bm25 needs each phrase's document frequency, which FTS5 counts by reading the
        phrase's whole doclist on every query (a cost in proportion to the word's matches
        in the whole store, whatever the range; bench/search.py), and it costs per match; the
        title lookup reads only the pool's id range of the titles index.
        """
        if not filtered:  # the FTS index alone: no row of papers per match
            matched = (
                "FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ?"
            )
        rows = await self._rows(
            "WITH pool AS MATERIALIZED (SELECT papers_fts.rowid AS id "
            f"{matched} ORDER BY papers_fts.rowid DESC LIMIT ?) "
            "SELECT id, count(*) OVER () FROM pool ORDER BY id IN (SELECT rowid FROM "
            "titles_fts WHERE titles_fts MATCH ? AND rowid BETWEEN (SELECT min(id) FROM pool) "
            "AND (SELECT max(id) FROM pool)) DESC, id DESC LIMIT ? OFFSET ?",
            [*params, size, expr, limit, offset],
        )
        if rows:
            pooled = int(rows[0][1])
        elif offset:
            counted = await self._rows(
                f"SELECT count(*) FROM (SELECT 1 {matched} LIMIT ?)", [*params, size]
            )
            pooled = int(counted[0][0])
        else:
            return Page((), 0)
        if pooled < size:
            total, more = pooled, False
        else:
            total, more = await self._past_exact(matched, params, filtered)
        return Page(tuple(await self._by_ids([int(r[0]) for r in rows])), total, more)

    async def _id_bounds(self, since: dt.date | None, until: dt.date | None) -> tuple[int, int]:
        """Lowest and highest paper id featured in the range (all ids if it is long or open).

        Ids grow as papers are added, so a recent range is a narrow slice of the FTS index.
        A range with no digest day gives an empty slice (every appearance has its day row).
        """
        if since is None and until is None:
            return _ALL_IDS
        row = (
            await self._rows(
                "SELECT count(*), min((SELECT min(paper_id) FROM appearances a "
                "WHERE a.day = d.day)), max((SELECT max(paper_id) FROM appearances a "
                "WHERE a.day = d.day)) FROM (SELECT day FROM days WHERE day BETWEEN ? AND ? "
                "LIMIT ?) d",
                (*_range(since, until), _BOUND_DAYS + 1),
            )
        )[0]
        if int(row[0]) > _BOUND_DAYS:
            return _ALL_IDS
        if row[1] is None:
            return 1, 0
        return int(row[1]), int(row[2])

    async def _more_than(
        self,
        expr: str,
        count: int,
        lo: int = _ALL_IDS[0],
        hi: int = _ALL_IDS[1],
    ) -> bool:
        """Whether more than `count` papers (with ids in lo..hi) match the FTS expression."""
        rows = await self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? "
            "AND rowid BETWEEN ? AND ? LIMIT ?)",
            (expr, lo, hi, count + 1),
        )
        return int(rows[0][0]) > count

    async def _past_exact(
        self, matched: str, params: Sequence[object], filtered: bool
    ) -> tuple[int, bool]:
        """The count of a search with more than `exact` matches in the range searched:
        "more than `exact`", or with a filter checked per match, counted up to
        `filtered_count` (past that, counting would cost in proportion to the matches)."""
        if not filtered:
            return self.limits.exact, True
        return await self._count(matched, params, self.limits.filtered_count)

    async def _page(
        self, select: str, count: str, params: Sequence[object], limit: int, offset: int
    ) -> Page:
        rows = await self._rows(f"{select} LIMIT ? OFFSET ?", [*params, limit, offset])
        total, more = await self._count(f"FROM ({count})", params, self.limits.exact)
        papers = await self._by_ids([r[0] for r in rows])
        return Page(tuple(papers), total, more)

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
        lo, hi = _range(since, until)
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
                f"SELECT p.id {base} ORDER BY {_ORDER['votes']}",
                f"SELECT 1 {base}",
                (lo, hi),
                limit,
                offset,
            )
        # A long range: the most-voted papers first, until a page of them is in the range.
        rows = await self._rows(
            "SELECT p.id FROM papers p INDEXED BY papers_most_voted WHERE EXISTS (SELECT 1 "
            "FROM appearances a WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?) "
            f"ORDER BY {_ORDER['votes']} LIMIT ? OFFSET ?",
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

    @remembered
    async def days(self, *, limit: int | None = None, prefix: str = "") -> list[DayInfo]:
        """Digest days, newest first, optionally those starting with `prefix` (e.g. "2024-06")."""
        rows = await self._rows(
            "SELECT day, papers, sources FROM days WHERE day LIKE ? ESCAPE '\\' "
            "ORDER BY day DESC LIMIT ?",
            (_like_prefix(prefix), -1 if limit is None else limit),
        )
        return [DayInfo(dt.date.fromisoformat(d), n, tuple(json.loads(s))) for d, n, s in rows]

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
