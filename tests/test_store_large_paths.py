"""The store's paths for large match sets answer as a plain sort of every match would.

On a big store, a common word (모델), a prolific author or a long date range is answered by
walking an index in order, probing candidates, or ranking a pool, instead of sorting every
match (bot/store/search.py, listing.py, authors.py). Those paths only start beyond
thresholds of thousands of rows (`Limits`); here a second store on the same small generated
database is opened with lower ones so that every path runs, and each answer is compared
with the plain path's answer.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.models import Entry, Paper, ParseResult, Section, Sort
from bot.store import Limits, PaperStore
from bot.store import papers as papers_module
from bot.store.reads import Page
from bot.store.search import SearchPlanner
from bot.store.text import fold, match_query

FIRST = dt.date(2025, 1, 1)
DAYS, PER_DAY = 90, 6
WORDS = ["diffusion", "model", "models", "transformer", "video", "agent", "reasoning", "scaling"]
KOREAN = ["모델을", "모델은", "확산", "강화 학습", "언어 모델", "에이전트", "추론", "비디오 생성"]
NAMES = [
    "Hana Seo",
    "Seo-yeon Kim",
    "Jose Seoane",
    "Ada Lovelace",
    "Alan Turing",
    "Börje Karlsson",
    "Min-jun Park",
    "Grace Hopper",
    "Kim Seon",
    "Oskar Lind",  # "kar" inside a word, while Karlsson starts with it
]


def _corpus() -> list[ParseResult]:
    rng = random.Random(7)
    results = []
    n = 0
    for d in range(DAYS):
        day = FIRST + dt.timedelta(days=d)
        entries = []
        for position in range(PER_DAY):
            n += 1
            again = n > 30 and rng.random() < 0.1  # a paper featured again on a later day
            n_id = rng.randrange(1, n - 20) if again else n
            title = " ".join(rng.sample(WORDS, 3)).title() + f" {n_id}"
            summary = "\n".join(
                f"- {' '.join(rng.sample(KOREAN, 2))} {rng.choice(WORDS)} 제안합니다."
                for _ in range(3)
            )
            entries.append(
                Entry(
                    arxiv_id=f"2501.{n_id:05d}",
                    title=title,
                    url=f"https://arxiv.org/abs/2501.{n_id:05d}",
                    line=3 + position * 6,
                    votes=None if rng.random() < 0.1 else rng.randrange(0, 60),
                    summary=summary,
                    authors=tuple(rng.sample(NAMES, rng.randrange(1, 4))),
                    thumbnail=None,
                )
            )
        unique = {e.arxiv_id: e for e in entries}  # one appearance per paper and day
        results.append(ParseResult((Section(day, 1, tuple(unique.values())),)))
    return results


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("large") / "papers.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[PaperStore]:
    s = await PaperStore.open(db_path, cache_entries=0)  # each test asks twice, paths differing
    if (await s.stats()).papers == 0:
        await s.ingest_many([(f"day-{i}.md", r) for i, r in enumerate(_corpus())])
    yield s
    await s.close()


@pytest.fixture
async def limited(store: PaperStore, db_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """Opens the same database with other `Limits` (each store closed after the test)."""
    opened: list[PaperStore] = []

    async def open_with(**limits: int) -> PaperStore:
        s = await PaperStore.open(db_path, cache_entries=0, limits=Limits(**limits))
        opened.append(s)
        return s

    yield open_with
    for s in opened:
        await s.close()


# Every large-store path on this small store; filtered counts stay exact at its size.
SMALL = {"exact": 5, "scored": 5, "narrow_days": 3, "filtered_count": 10_000}


def _key(sort: str, paper: Paper) -> tuple[object, ...]:
    newest = max(paper.dates)
    votes = -1 if paper.votes is None else paper.votes
    return (votes, newest) if sort == "votes" else (newest, votes)


Query = Callable[[PaperStore], Awaitable[Page]]


def _search(
    word: str,
    sort: Sort,
    *,
    offset: int = 0,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_votes: int | None = None,
) -> Query:
    return lambda s: s.search(
        word, sort=sort, offset=offset, since=since, until=until, min_votes=min_votes
    )


def _top(since: dt.date | None, until: dt.date | None) -> Query:
    return lambda s: s.top(since=since, until=until, limit=10)


def _cases() -> list[tuple[str, str, Query]]:
    month = (FIRST + dt.timedelta(days=60), FIRST + dt.timedelta(days=89))
    cases: list[tuple[str, str, Query]] = []
    sorts = (Sort.VOTES, Sort.NEWEST)
    for word in ["모델", "확산", "강화 학습", "diffusion", "model", "transformer video", "mod"]:
        for sort in sorts:
            for offset in (0, 10, 200):
                cases.append((sort, f"{word} {sort} @{offset}", _search(word, sort, offset=offset)))
            cases.append(
                (
                    sort,
                    f"{word} {sort} last month",
                    _search(word, sort, since=month[0], until=month[1]),
                )
            )
            cases.append((sort, f"{word} {sort} min 40", _search(word, sort, min_votes=40)))
    for since, until in [(None, None), month, (FIRST, FIRST + dt.timedelta(days=1))]:
        cases.append(("votes", f"top {since}..{until}", _top(since, until)))
    return cases


CASES = _cases()


@pytest.mark.parametrize(
    ("sort", "query"), [(c[0], c[2]) for c in CASES], ids=[c[1] for c in CASES]
)
async def test_large_store_paths_answer_like_a_plain_sort(
    store: PaperStore, limited: Callable[..., Any], sort: str, query: Query
) -> None:
    plain = await query(store)
    fast = await query(await limited(**SMALL))

    assert not plain.more
    if fast.more:  # past `exact` unfiltered: "more than 5"
        assert fast.total == 5 < plain.total
    else:
        assert fast.total == plain.total
    # Ties (same votes and day) may list different papers; the sequence of keys may not differ.
    assert [_key(sort, p) for p in fast.papers] == [_key(sort, p) for p in plain.papers]
    tied_keys = {_key(sort, p) for p in plain.papers}
    assert all(_key(sort, p) in tied_keys for p in fast.papers)


AUTHOR_PATHS = {
    "merged": {},
    "sorted": {"merge_names": 0},
    "walked": {"merge_names": 0, "author_rows": 0},
}


@pytest.mark.parametrize("path", AUTHOR_PATHS)
@pytest.mark.parametrize("offset", [0, 10, 150])
@pytest.mark.parametrize(
    "text", ["seo", "Hana Seo", "kim", "ada", "oane", "kar", "börje", "BORJE", "n", "nobody"]
)
async def test_by_author_is_every_paper_listing_a_name_containing_the_text_newest_first(
    store: PaperStore, limited: Callable[..., Any], path: str, offset: int, text: str
) -> None:
    page = await (await limited(exact=100, **AUTHOR_PATHS[path])).by_author(text, offset=offset)

    async with store.db.writer.execute(
        "SELECT arxiv_id, authors, last_day, coalesce(votes, -1) FROM papers"
    ) as cursor:
        rows = list(await cursor.fetchall())
    folded = fold(text)
    listing = [r for r in rows if any(folded in fold(n) for n in json.loads(r[1]))]
    expected = sorted(((r[2], r[3]) for r in listing), reverse=True)[offset : offset + 10]
    by_id = {r[0]: r for r in listing}

    assert (page.total, page.more) == (min(len(listing), 100), len(listing) > 100)
    assert {p.arxiv_id for p in page.papers} <= by_id.keys()
    assert [(by_id[p.arxiv_id][2], by_id[p.arxiv_id][3]) for p in page.papers] == expected
    assert len({p.arxiv_id for p in page.papers}) == len(page.papers)


@pytest.mark.parametrize("text", ["dif", "mo", "model", "tr", "video sc", "zz", "d"])
async def test_title_suggestions_are_the_newest_featured_of_the_newest_added_matches(
    store: PaperStore, text: str
) -> None:
    limit = 10
    found = await store.title_suggestions(text, limit=limit)

    async with store.db.writer.execute(
        "SELECT arxiv_id, title, last_day, coalesce(votes, -1) FROM papers ORDER BY id DESC"
    ) as cursor:
        rows = list(await cursor.fetchall())
    words = text.lower().split()
    matching = [
        r for r in rows if all(any(t.startswith(w) for t in r[1].lower().split()) for w in words)
    ]
    pool = matching[: limit * papers_module._TITLE_POOL]
    expected = sorted(pool, key=lambda r: (r[2], r[3]), reverse=True)[:limit]
    by_id = {r[0]: r for r in rows}

    assert len(found) == len(expected)
    assert [(by_id[a][2], by_id[a][3]) for a, _ in found] == [(r[2], r[3]) for r in expected]
    assert {a for a, _ in found} <= {r[0] for r in pool}
    assert all(title == by_id[a][1] for a, title in found)


async def test_past_the_exact_budget_relevance_ranks_the_newest_pool_or_the_pages_reach(
    store: PaperStore, limited: Callable[..., Any]
) -> None:
    everything = await store.search("diffusion", limit=1000)
    small = await limited(exact=10, scored=10, pool=20)
    pooled = await small.search("diffusion", limit=20)
    reached = await small.search("diffusion", limit=50, offset=10)

    assert not everything.more and everything.total > 60
    assert (pooled.total, pooled.more) == (10, True)  # "more than 10"
    async with store.db.writer.execute("SELECT arxiv_id FROM papers ORDER BY id") as cursor:
        added = {row[0]: n for n, row in enumerate(await cursor.fetchall())}
    by_age = sorted(everything.papers, key=lambda p: added[p.arxiv_id], reverse=True)
    assert {p.arxiv_id for p in pooled.papers} == {p.arxiv_id for p in by_age[:20]}
    assert len(reached.papers) == 50  # a page past the pool: the newest 60 ranked
    assert {p.arxiv_id for p in reached.papers} < {p.arxiv_id for p in by_age[:60]}


async def test_a_dense_word_is_ranked_by_tiers_within_a_short_range_too(
    store: PaperStore, limited: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """bm25's cost is the word's matches in the whole store, not in the range searched."""
    since = FIRST + dt.timedelta(days=DAYS - 5)
    everything = await store.search("video", since=since, limit=1000)
    lo, hi = await store.planner._id_bounds(since, None)  # the slice of the index the range reads
    in_slice = len(await store._rows(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'video' AND rowid BETWEEN ? AND ?",
        (lo, hi),
    ))  # fmt: skip
    assert (await store.search("video")).total > in_slice >= everything.total > 5
    small = await limited(exact=in_slice, scored=in_slice)  # the range is not dense
    tiered_calls: list[str] = []
    tiered = SearchPlanner._tiered

    async def spy(self: SearchPlanner, expr: str, *args: Any) -> Page:
        tiered_calls.append(expr)
        return await tiered(self, expr, *args)

    monkeypatch.setattr(SearchPlanner, "_tiered", spy)
    ranked = await small.search("video", since=since, limit=1000)

    assert tiered_calls  # ranked by tiers: the store holds more than `exact` matches
    assert ranked.total == everything.total
    assert {p.arxiv_id for p in ranked.papers} == {p.arxiv_id for p in everything.papers}
    in_title = ["video" in p.title.lower() for p in ranked.papers]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True)
    assert all(any(since <= d for d in p.dates) for p in ranked.papers)


async def test_relevance_over_a_dense_match_puts_title_matches_first(
    store: PaperStore, limited: Callable[..., Any]
) -> None:
    everything = await store.search("video", limit=1000)
    small = await limited(exact=5, scored=5)
    tiered = await small.search("video", limit=1000)

    assert tiered.total == everything.total
    assert {p.arxiv_id for p in tiered.papers} == {p.arxiv_id for p in everything.papers}
    in_title = ["video" in p.title.lower() for p in tiered.papers]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True)  # every title match before the others
    second = await small.search("video", limit=10, offset=10)
    assert [p.arxiv_id for p in second.papers] == [p.arxiv_id for p in tiered.papers[10:20]]


async def _matching(store: PaperStore, words: str) -> list[tuple[int, str, int, str]]:
    """(id, arxiv id, votes or -1, newest day) of every paper the words match, by plain SQL."""
    expr = match_query(words)
    async with store.db.writer.execute(
        "SELECT p.id, p.arxiv_id, coalesce(p.votes, -1), p.last_day FROM papers_fts "
        "JOIN papers p ON p.id = papers_fts.rowid WHERE papers_fts MATCH ?",
        (expr,),
    ) as cursor:
        return [(int(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in await cursor.fetchall()]


# Within the exact budget, sorted matches are found walking the order's index (a share of 1 in
# a million: every query) or sorted (1 in 1: none).
@pytest.mark.parametrize("walk", [1_000_000, 1])
@pytest.mark.parametrize("sort", [Sort.VOTES, Sort.NEWEST])
@pytest.mark.parametrize("offset", [0, 10, 150, 10_000])
@pytest.mark.parametrize(
    "words", ["모델", "transformer video", "강화 학습", "Lovelace", "mod", "zz"]
)
async def test_a_sorted_search_within_the_budget_lists_and_counts_every_match(
    store: PaperStore, limited: Callable[..., Any], walk: int, sort: Sort, offset: int, words: str
) -> None:
    page = await (await limited(sorted_walk=walk)).search(words, sort=sort, offset=offset)

    rows = await _matching(store, words)
    keys = sorted(((r[2], r[3]) if sort == "votes" else (r[3], r[2]) for r in rows), reverse=True)
    by_id = {r[1]: r for r in rows}
    found = [by_id[p.arxiv_id] for p in page.papers]
    assert (page.total, page.more) == (len(rows), False)
    assert [((r[2], r[3]) if sort == "votes" else (r[3], r[2])) for r in found] == keys[
        offset : offset + 10
    ]
    assert len({p.arxiv_id for p in page.papers}) == len(page.papers)


# Past bm25's budget: more than `scored` matches, or a word in more than `scored_words` papers.
@pytest.mark.parametrize("past", [{"scored": 5}, {"scored_words": 5}], ids=["matches", "word"])
@pytest.mark.parametrize("offset", [0, 7, 40, 10_000])
@pytest.mark.parametrize("words", ["video", "transformer video", "강화 학습", "model"])
async def test_relevance_within_the_budget_past_bm25s_ranks_every_match_by_tiers(
    store: PaperStore, limited: Callable[..., Any], offset: int, words: str, past: dict[str, int]
) -> None:
    page = await (await limited(**past)).search(words, limit=15, offset=offset)

    rows = await _matching(store, words)
    async with store.db.writer.execute(
        "SELECT rowid FROM titles_fts WHERE titles_fts MATCH ?", (match_query(words),)
    ) as cursor:
        in_title = {int(r[0]) for r in await cursor.fetchall()}
    expected = sorted(rows, key=lambda r: (r[0] not in in_title, -r[0]))[offset : offset + 15]
    assert len(rows) > 5 and (page.total, page.more) == (len(rows), False)
    assert [p.arxiv_id for p in page.papers] == [r[1] for r in expected]


# Relevance by tiers as it was listed before its page was read from the newest end of the
# indexes: every match kept (m), the title tier and the rest each sorted newest first.
_KEPT_AND_SORTED = (
    "WITH m AS MATERIALIZED (SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH ?), "
    "t AS MATERIALIZED (SELECT rowid AS id FROM titles_fts WHERE titles_fts MATCH ?) "
    "SELECT id FROM (SELECT id FROM t ORDER BY id DESC) UNION ALL "
    "SELECT id FROM (SELECT id FROM m WHERE id NOT IN t ORDER BY id DESC) LIMIT ? OFFSET ?"
)


@pytest.mark.parametrize("offset", [0, 4, 9, 60])
@pytest.mark.parametrize("words", ["video", "transformer video", "강화 학습", "model", "확산"])
async def test_relevance_by_tiers_reads_the_page_from_the_newest_end_in_the_same_order(
    store: PaperStore, db_path: Path, words: str, offset: int
) -> None:
    """Within the budget and past bm25's, a page is read from the newest end of titles_fts
    and papers_fts (no match is kept or sorted: at 1M papers that cost `음성 언어 모델` a
    third of its time, bench/search.py), and lists what keeping and sorting every match
    listed, with the same exact count."""
    reading = await PaperStore.open(db_path, read_only=True, limits=Limits(scored=5))
    statements: list[str] = []
    try:
        await reading.db.writer.set_trace_callback(statements.append)
        page = await reading.search(words, limit=5, offset=offset)
    finally:
        await reading.close()

    expr = match_query(words)
    async with store.db.writer.execute(_KEPT_AND_SORTED, (expr, expr, 5, offset)) as cursor:
        kept = [int(r[0]) for r in await cursor.fetchall()]
    async with store.db.writer.execute(
        "SELECT id, arxiv_id FROM papers WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(kept),),
    ) as cursor:
        arxiv = {int(r[0]): str(r[1]) for r in await cursor.fetchall()}
    assert page.total == len(await _matching(store, words)) > 5 and not page.more
    assert [p.arxiv_id for p in page.papers] == [arxiv[i] for i in kept]
    plans = []
    with sqlite3.connect(db_path) as conn:
        for sql in statements:
            if "papers_fts MATCH" in sql:
                plans += [str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    conn.close()
    assert plans and not [p for p in plans if "TEMP B-TREE" in p or "MATERIALIZE m" in p]


@pytest.mark.parametrize(
    ("words", "sort", "reads"),
    [
        ("강화 학습", Sort.RELEVANCE, 1),  # two Korean words: their positions are compared
        ("transformer video", Sort.VOTES, 1),
        ("transformer video", Sort.NEWEST, 1),
        ("video", Sort.RELEVANCE, 1),  # counted; the page read from the newest end
    ],
)
async def test_a_search_within_the_budget_reads_its_matches_once(
    store: PaperStore, db_path: Path, words: str, sort: Sort, reads: int
) -> None:
    reading = await PaperStore.open(db_path, read_only=True, limits=Limits(scored=5))
    statements: list[str] = []
    try:
        await reading.db.writer.set_trace_callback(statements.append)
        page = await reading.search(words, sort=sort)
    finally:
        await reading.close()

    assert page.total == len(await _matching(store, words)) > 5
    assert sum("papers_fts MATCH" in s for s in statements) == reads


async def test_top_over_a_long_range_reads_no_appearance_row_by_its_days(
    store: PaperStore, db_path: Path, limited: Callable[..., Any]
) -> None:
    """A day's appearance rows hold its summaries: counting a year's papers from them read
    every summary of the year. Migration 010 indexes (day, paper_id) alone."""
    since, until = FIRST + dt.timedelta(days=10), FIRST + dt.timedelta(days=80)
    reading = await PaperStore.open(db_path, read_only=True, limits=Limits(narrow_days=3))
    statements: list[str] = []
    try:
        await reading.db.writer.set_trace_callback(statements.append)
        page = await reading.top(since=since, until=until)
    finally:
        await reading.close()

    async with store.db.writer.execute(
        "SELECT count(DISTINCT paper_id) FROM appearances WHERE day BETWEEN ? AND ?",
        (since.isoformat(), until.isoformat()),
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None and page.total == row[0] > 10
    plans = []
    with sqlite3.connect(db_path) as conn:
        for sql in statements:
            plans += [str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    conn.close()
    on_days = [p for p in plans if "appearances" in p and "(day>" in p]
    assert on_days and all("COVERING INDEX appearances_day" in p for p in on_days)


async def test_a_quoted_phrase_holding_and_is_one_word_of_the_query(
    store: PaperStore, limited: Callable[..., Any]
) -> None:
    query = '"video AND model"'
    page = await (await limited(scored_words=5)).search(query)

    assert (page.total, page.papers) == (len(await _matching(store, query)), ())
