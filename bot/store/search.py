"""SearchPlanner: full-text search over titles, authors and summaries, and its query plans.

Query plans (thresholds in `Limits`; bench/search.py measures them at 100k and 1M papers).
Up to `Limits.exact` matches everything is exact: every match is ranked or sorted and the
count is exact. That covers every query on a store the size of the published history (about
5,500 papers, some 4,000 more a year). Past it, a word like 모델 matches most papers, so
nothing may cost in proportion to the number of matches:

- without a filter, one statement counts up to `exact` + 1 matches' rowids from papers_fts
  and, within `exact`, lists the page (`_budgeted`): the matches are read once. Relevance
  by tiers reads its page from the newest end of titles_fts and papers_fts, only as far as
  the page reaches; a sorted page keeps the rowids to walk or sort them.
- relevance, up to `Limits.scored` matches in the whole store, each word in at most
  `Limits.scored_words` papers (bm25 reads every paper with each word): bm25 orders the matches
  within tiers: every word in the title, the words as typed there (not only their stems),
  near each other there, in the order typed, the shorter title (`_ranked`). Past it bm25
  is too dear (it counts each phrase over the whole index, even when a date range holds
  few matches, and costs per match): the matches in the range, or past `exact` the newest
  `Limits.pool` of them (or as many as the page reaches), are ranked title first, then
  newest (`_tiered`).
- votes / newest / author / top: up to `exact` matches are sorted (or, at least 1 in
  `Limits.sorted_walk` papers, found walking the order's index); beyond that a page is
  read in order from an index (`papers_most_voted`, `papers_newest`, migration 003), each
  paper checked against the query, stopping at the page's LIMIT.
- a date range bounds the FTS rowids searched (min and max paper id of its days), so
  "last 30 days" reads that range of the index, not every match.
- counts are exact up to `exact`; past it a page says "more than N" (`Page.more`): N is
  `exact`, or `Limits.filtered_count` when a vote or date filter must be checked per match.
- has_code (enrichment, migration 012) is a filter checked per match; with no paper with code
  the answer is empty at once, and with at most `exact` of them every match is within
  `exact`, so it is planned as below the threshold: all sorted, counted exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.models import Sort
from bot.store.reads import ORDER, Page, Reads, day_range, remembered
from bot.store.text import (
    has_prefix,
    is_one_token,
    match_query,
    near_query,
    query_terms,
    query_words,
)

_NEAR = 3  # words at most this many words apart are "near each other" (relevance tier)
_BOUND_DAYS = 2000  # a date range of up to this many digest days bounds the paper ids searched
_ALL_IDS = (-(2**63), 2**63 - 1)
# A page's SELECT, its parameters, the condition it is read under, its parameters.
_Arm = tuple[str, Sequence[object], str, Sequence[object]]
_FTS_MATCHED = "FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ?"
_INDEX = {"votes": "papers_most_voted", "newest": "papers_newest"}
# /search has_code (bot/store/enrichment.py): a lookup by the paper's id per candidate. Its
# parameter (found = 1) keeps it a filter with a parameter, as the plans count filters by them.
_HAS_CODE = (
    "EXISTS (SELECT 1 FROM enrichment e WHERE e.paper_id = p.id AND e.found = ? "
    "AND e.github_repo IS NOT NULL)"
)


# The order of `_ranked` among papers with every word in the title, while their titles are
# read (at most `Limits.typed_titles` of them): more of the words as typed, then near each
# other, then in the order typed, then the shorter title (fewer distinct words; a member's
# two words are a bigger share of a short title, so it is the likelier one meant:
# bench/relevance.py prints the ceiling that ranking by that likelihood reaches). Without
# the titles read, nearness alone.
_TYPED_ORDER = (
    "CASE WHEN t THEN exact_words(title, ?) ELSE 0 END DESC, n DESC, "
    "CASE WHEN t THEN in_typed_order(title, ?) ELSE 0 END DESC, "
    "CASE WHEN t THEN title_length(title) ELSE 0 END, "
)


class SearchPlanner(Reads):
    """`search` and the plans it picks between (module docstring), under `Limits`."""

    @remembered
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
        """Full-text search over titles, authors and summaries (Korean-aware, bm25);
        `has_code`: only papers whose enrichment names a GitHub repository."""
        expr = match_query(query)
        if expr is None:
            return Page((), 0)
        lo, hi = await self._id_bounds(since, until)
        filters: list[str] = []
        filter_params: list[object] = []
        narrow = False  # the filters alone leave at most `exact` papers: all exact, not dense
        if has_code:
            with_code = await self._with_code()
            if with_code == 0:
                return Page((), 0)
            narrow = with_code <= self.limits.exact
            filters.append(_HAS_CODE)
            filter_params.append(1)
        if min_votes is not None:
            filters.append("p.votes >= ?")
            filter_params.append(min_votes)
        if since or until:
            filters.append(
                "EXISTS (SELECT 1 FROM appearances a "
                "WHERE a.paper_id = p.id AND a.day BETWEEN ? AND ?)"
            )
            filter_params.extend(day_range(since, until))
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
            dense = not narrow and await self._more_than(expr, exact, lo, hi)
            pool = max(self.limits.pool, offset + limit) if dense else exact + 1
            return await self._tiered(expr, matched, params, pool, bool(filters), limit, offset)
        if not filters:
            found = await self._budgeted(expr, self._sorted_pages(sort), limit, offset)
            dense = found is None
            if found is not None:
                return found
        else:
            dense = not narrow and await self._more_than(expr, exact, lo, hi)
        if not dense:
            return await self._counted(
                f"SELECT p.id, count(*) OVER () {matched} ORDER BY {ORDER[sort]}",
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
                f"ORDER BY {ORDER[sort]} LIMIT ? OFFSET ?",
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
            f"ORDER BY {ORDER[sort]} LIMIT ? OFFSET ?",
            [*filter_params, expr, limit, offset],
        )
        total, more = await self._past_exact(matched, params, bool(filters))
        return Page(tuple(await self._by_ids([r[0] for r in rows])), total, more)

    async def _with_code(self) -> int:
        """Papers with a GitHub repository, counted up to `exact` + 1 (the partial index
        enrichment_code of migration 012: no row is read)."""
        rows = await self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM enrichment WHERE github_repo IS NOT NULL LIMIT ?)",
            (self.limits.exact + 1,),
        )
        return int(rows[0][0])

    async def _relevance(self, query: str, expr: str, scored: int, limit: int, offset: int) -> Page:
        """Relevance without a filter: one pass over the matches' rowids counts them (up to
        `exact` + 1) and, past `scored` and within `exact`, lists the page ranked by tiers in
        the same statement (`_budgeted`); up to `scored`, bm25 (`_ranked`) unless a word is
        in more than `scored_words` papers (then by tiers); past `exact`, the newest `pool`
        (or the page's reach) by tiers (`_tiered`)."""
        params = [expr, *_ALL_IDS]
        matched = f"{_FTS_MATCHED} "
        # The title tier, then the rest, each newest first, read from the newest end of the
        # two indexes (FTS5 walks a doclist backwards): only as far as the page reaches, so
        # no match is kept or sorted. Titles are indexed as in papers_fts, so every title
        # match is a match.
        tiers = (
            "SELECT id FROM (SELECT rowid AS id FROM titles_fts WHERE titles_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ?) UNION ALL SELECT id FROM (SELECT rowid AS id "
            "FROM papers_fts WHERE papers_fts MATCH ? AND rowid NOT IN (SELECT rowid FROM "
            "titles_fts WHERE titles_fts MATCH ?) ORDER BY rowid DESC)"
        )
        arm: _Arm = (tiers, [expr, offset + limit, expr, expr], "1", [])
        found = await self._budgeted(expr, [arm], limit, offset, scored, keep=False)
        if found is None:
            pool = max(self.limits.pool, offset + limit)
            return await self._tiered(expr, matched, params, pool, False, limit, offset)
        if found.total > scored:
            return found
        if not await self._has_common_word(expr):
            return await self._ranked(query, matched, params, limit, offset)
        return await self._budgeted(expr, [arm], limit, offset, keep=False) or found

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
            f"(SELECT id FROM m) ORDER BY {ORDER[sort]}"
        )
        ordered = f"SELECT p.id FROM m CROSS JOIN papers p ON p.id = m.id ORDER BY {ORDER[sort]}"
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
        *,
        keep: bool = True,
    ) -> Page | None:
        """One pass over the FTS rowids of the matches (no summary, no row of papers): up to
        `exact` + 1 of them counted into `c` (and with `keep`, kept in `m`), and
        when floor < count <= `exact`, the page in the same statement: each of `pages` (a
        SELECT of ids, from `m` if kept, and its parameters, a condition and its
        parameters) where its condition holds.
        Elsewhere an arm's LIMIT is 0, so it reads nothing (a WHERE would be checked per
        row). None past `exact`; at or below `floor`, a Page of the exact count, no papers.

        Keeping the rowids costs ~0.25 us each, and sorting them as much again: more than
        counting a single token's (read straight from its doclist), so a one-token query
        past `exact` is told by a count first; less than a second pass over a phrase's or
        several words' matches, whose positions are compared (~1-3 us a match). Pages that
        read the indexes from their newest end need no `m` (`keep=False`): the count is
        the only pass over every match."""
        exact = self.limits.exact
        if keep and is_one_token(expr) and await self._more_than(expr, exact):
            return None  # counting one token's rowids costs less than keeping them
        budget = "(SELECT n FROM c) > ? AND (SELECT n FROM c) <= ?"
        arms = " UNION ALL ".join(
            f"SELECT NULL, id FROM ({sql} LIMIT CASE WHEN {budget} AND {condition} "
            "THEN ? ELSE 0 END OFFSET ?)"
            for sql, _, condition, _ in pages
        )
        matches = "SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?"
        counted = (
            f"m AS MATERIALIZED ({matches}), c AS MATERIALIZED (SELECT count(*) AS n FROM m)"
            if keep
            else f"c AS MATERIALIZED (SELECT count(*) AS n FROM ({matches}))"
        )
        rows = await self._rows(
            f"WITH {counted} SELECT n, NULL FROM c UNION ALL {arms}",
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
        """Every match, in tiers, each by bm25 (title 10, authors 5, summaries 1), then the
        most recently added: papers with every word in the title first, and among them,
        while at most `Limits.typed_titles` titles have the words (each is read and
        compared), those with more of the words as typed (not only their stems) ahead; then
        those with the words near each other there; then, among titles read, those with the
        words in the order typed, then the shorter (fewer distinct words) (`_TYPED_ORDER`);
        then the rest.

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
            + (_TYPED_ORDER if typed else "n DESC, ")
            + "score, id DESC"
        )
        head = [expr, *([near] if near else [])]
        return await self._counted(
            select,
            [*head, *params, *([query_words(query)] * 2 if typed else [])],
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
                (*day_range(since, until), _BOUND_DAYS + 1),
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
