"""Exact answers at the scale members meet (bot/store/limits.py `Limits.exact`).

A store of 34,000 papers, as large as the published history will be for years: a word in
4,936 of them (as 모델 is in the history) is ranked, counted and listed in full by every
sort; a word in 25,000 of them is past the budget and says "more than 20,000"; and a page as
long as the whole store comes back whole.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.models import Entry, ParseResult, Section, Sort
from bot.store import Limits, PaperStore
from tests.test_cli import cli

PAPERS, PER_DAY = 34_000, 50
COMMON, EVERYWHERE, BY_KIM = 4_936, 25_000, 1_500
FIRST = dt.date(2024, 1, 1)


def _entry(n: int) -> Entry:
    words = ["모델을" if n % 6 == 0 and n // 6 < COMMON else "방법을"]
    if n < EVERYWHERE:
        words.append("planning")
    arxiv_id = f"{2400 + n // 100_000}.{n % 100_000:05d}"
    return Entry(
        arxiv_id=arxiv_id,
        title=f"Study {n} of {'agents' if n % 2 else 'robots'}",
        url=f"https://arxiv.org/abs/{arxiv_id}",
        line=3 + n % PER_DAY,
        votes=n % 401,
        summary=f"- {' '.join(words)} 제안합니다.",
        authors=("Kim Seon",) if n % 22 == 0 and n // 22 < BY_KIM else ("Ada Lovelace",),
        thumbnail=None,
    )


def _corpus() -> list[tuple[str, ParseResult]]:
    files = []
    for d in range(PAPERS // PER_DAY):
        entries = tuple(_entry(d * PER_DAY + i) for i in range(PER_DAY))
        day = FIRST + dt.timedelta(days=d)
        files.append((f"{day}.md", ParseResult((Section(day, 1, entries),))))
    return files


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exact") / "papers.db"


async def _open_loaded(db_path: Path) -> PaperStore:
    """The store at `db_path`, holding the corpus (loaded once for the module)."""
    s = await PaperStore.open(db_path, cache_entries=0)
    if (await s.stats()).papers == 0:
        await s.ingest_many(_corpus())
    return s


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[PaperStore]:
    s = await _open_loaded(db_path)
    yield s
    await s.close()


@pytest.mark.parametrize("sort", ["relevance", "votes", "newest"])
async def test_every_match_of_a_word_in_4936_papers_is_listed_and_counted(
    store: PaperStore, sort: str
) -> None:
    page = await store.search("모델", sort=sort, limit=100_000)  # type: ignore[arg-type]

    assert (page.total, page.more) == (COMMON, False)
    assert len(page.papers) == COMMON
    assert len({p.arxiv_id for p in page.papers}) == COMMON
    assert all("모델" in p.summary for p in page.papers)
    tail = await store.search("모델", sort=sort, limit=50, offset=COMMON - 30)  # type: ignore[arg-type]
    assert [p.arxiv_id for p in tail.papers] == [p.arxiv_id for p in page.papers[-30:]]


@pytest.mark.parametrize("sort", ["relevance", "votes", "newest"])
async def test_a_word_in_25000_papers_says_more_than_the_budget_and_lists_them_all(
    store: PaperStore, sort: str
) -> None:
    first = await store.search("planning", sort=sort)  # type: ignore[arg-type]
    assert (first.total, first.more) == (store.limits.exact, True)  # "more than 20,000"
    page = await store.search("planning", sort=sort, limit=30_000)  # type: ignore[arg-type]
    assert len({p.arxiv_id for p in page.papers}) == EVERYWHERE


async def test_author_and_top_list_every_paper_asked_for(store: PaperStore) -> None:
    kim = await store.by_author("kim seon", limit=100_000)
    assert (kim.total, kim.more, len(kim.papers)) == (BY_KIM, False, BY_KIM)
    week = await store.top(since=FIRST, until=FIRST + dt.timedelta(days=29), limit=5_000)
    assert (week.total, week.more, len(week.papers)) == (30 * PER_DAY, False, 30 * PER_DAY)
    everything = await store.top(limit=PAPERS)
    assert (everything.total, everything.more) == (store.limits.exact, True)
    assert len(everything.papers) == PAPERS
    assert [p.votes for p in everything.papers] == sorted(
        (p.votes or 0 for p in everything.papers), reverse=True
    )


async def test_a_page_as_long_as_the_store_needs_no_statement_variable_per_paper(
    store: PaperStore,
) -> None:
    """SQLite builds differ in how many variables one statement may have (999 before 3.32,
    32,766 since, 250,000 in some distributions); under the lowest a whole store still
    comes back in one page."""
    for conn in store.db.connections:
        raw = conn._conn  # aiosqlite's sqlite3 connection, used in its own thread
        limit = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        await conn._execute(raw.setlimit, limit, 999)  # type: ignore[no-untyped-call]
    everything = await store.top(limit=PAPERS)
    planning = await store.search("planning", sort=Sort.VOTES, limit=PAPERS)

    assert len(everything.papers) == PAPERS
    assert len(planning.papers) == EVERYWHERE


def test_the_command_line_lists_a_whole_large_store(db_path: Path) -> None:
    async def load() -> None:
        await (await _open_loaded(db_path)).close()  # the command line opens the file itself

    asyncio.run(load())
    done = cli("top", "--limit", "100000", "--json", "--db", str(db_path), cwd=db_path.parent)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == PAPERS
    table = cli("search", "모델", "--limit", "5", "--db", str(db_path), cwd=db_path.parent)
    assert "1–5 of 4936 matches" in table.stdout
    past = cli("search", "planning", "--limit", "5", "--db", str(db_path), cwd=db_path.parent)
    assert "1–5 of more than 20,000 matches" in past.stdout


async def test_past_the_bm25_budget_every_match_is_still_ranked_and_counted(
    store: PaperStore, db_path: Path
) -> None:
    tiered = await PaperStore.open(db_path, cache_entries=0, limits=Limits(scored=100))
    try:
        page = await tiered.search("모델", limit=100_000)
    finally:
        await tiered.close()

    assert (page.total, page.more, len({p.arxiv_id for p in page.papers})) == (
        COMMON,
        False,
        COMMON,
    )
