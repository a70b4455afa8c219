"""The enrichment store on a real SQLite file: beside the digests' fields, never over them;
what is due; not-found papers; gone with their paper; migration 012 on an older database."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.models import Enrichment, Sort
from bot.store import Limits, PaperStore
from bot.store.enrichment import Due, EnrichmentStore
from tests.test_store import D1, D2, D3, day, entry

NOW = dt.datetime(2025, 5, 9, 12, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


def found(arxiv_id: str, at: dt.datetime = NOW, **fields: object) -> Enrichment:
    values: dict[str, object] = {
        "abstract": f"The abstract of {arxiv_id}.",
        "github_repo": f"https://github.com/lab/{arxiv_id}",
        "github_stars": 12,
        "project_page": None,
        "upvotes": 40,
    }
    values.update(fields)
    return Enrichment(arxiv_id, at, True, **values)  # type: ignore[arg-type]


async def three_days(store: PaperStore) -> None:
    await store.ingest("a.md", day(D1, entry("2406.00001", "One", 5), entry("2406.00002", "Two")))
    await store.ingest("b.md", day(D2, entry("2406.00003", "Three"), entry("2406.00001", "One")))
    await store.ingest("c.md", day(D3, entry("2407.00004", "Four", 9, "- 요약")))


async def test_enrichment_sits_beside_the_digest_fields(store: PaperStore) -> None:
    await three_days(store)
    enrich = EnrichmentStore(store.db)
    written = await enrich.record([found("2407.00004", upvotes=120), found("9999.99999")])
    assert written == 1  # a paper the store does not hold is left out
    got = await enrich.enrichment_of("2407.00004")
    assert got == found("2407.00004", upvotes=120)
    paper = await store.get("2407.00004")
    assert paper is not None and (paper.votes, paper.summary) == (9, "- 요약")
    assert await enrich.enrichment_of("2406.00001") is None
    assert await enrich.enrichment_of("9999.99999") is None


async def test_due_skips_papers_enriched_within_the_age_newest_day_first(
    store: PaperStore,
) -> None:
    await three_days(store)
    enrich = EnrichmentStore(store.db)
    assert await enrich.due(stale_before=NOW) == [
        Due("2407.00004", D3),
        Due("2406.00001", D2),  # featured on D1 and D2: once, at its newest day
        Due("2406.00003", D2),
        Due("2406.00002", D1),
    ]
    await enrich.record([found("2406.00001"), found("2407.00004", at=NOW - 2 * WEEK)])
    due = await enrich.due(stale_before=NOW - WEEK)
    assert [d.arxiv_id for d in due] == ["2407.00004", "2406.00003", "2406.00002"]
    assert [d.arxiv_id for d in await enrich.due(since=D1, until=D1, stale_before=NOW - WEEK)] == [
        "2406.00002"
    ]


async def test_not_found_is_recorded_and_keeps_what_was_found_before(store: PaperStore) -> None:
    await three_days(store)
    enrich = EnrichmentStore(store.db)
    await enrich.record([Enrichment("2406.00002", NOW, found=False), found("2406.00003")])
    assert "2406.00002" not in {d.arxiv_id for d in await enrich.due(stale_before=NOW)}
    later = NOW + dt.timedelta(days=1)
    await enrich.record([Enrichment("2406.00003", later, found=False)])
    kept = await enrich.enrichment_of("2406.00003")
    assert kept == found("2406.00003", at=later)
    missing = await enrich.enrichment_of("2406.00002")
    assert missing == Enrichment("2406.00002", NOW, found=False)
    coverage = await enrich.coverage()
    assert (coverage.papers, coverage.enriched, coverage.found, coverage.with_code) == (4, 2, 1, 1)


async def test_a_removed_paper_takes_its_enrichment_with_it(store: PaperStore) -> None:
    await three_days(store)
    enrich = EnrichmentStore(store.db)
    await enrich.record([found("2407.00004"), found("2406.00002")])
    # c.md loaded again without its paper: 2407.00004 has no appearance left and leaves
    await store.ingest("c.md", day(D3, entry("2407.00005", "Five")))
    assert await store.get("2407.00004") is None
    assert await enrich.enrichment_of("2407.00004") is None
    rows = await store.db.read(
        "SELECT count(*) FROM enrichment e LEFT JOIN papers p "
        "ON p.id = e.paper_id WHERE p.id IS NULL"
    )
    assert rows[0][0] == 0
    # the new paper (which may take the freed id) has no enrichment; the other kept its own
    assert await enrich.enrichment_of("2407.00005") is None
    assert await enrich.enrichment_of("2406.00002") == found("2406.00002")


async def test_migration_012_upgrades_a_database_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with await PaperStore.open(path) as store:
        await three_days(store)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE enrichment")
        conn.execute("PRAGMA user_version = 11")  # as before 012
    conn.close()
    async with await PaperStore.open(path) as store:
        enrich = EnrichmentStore(store.db)
        assert len(await enrich.due(stale_before=NOW)) == 4
        await enrich.record([found("2406.00001")])
        assert await enrich.enrichment_of("2406.00001") == found("2406.00001")


async def _with_code(tmp_path: Path, coded: int, limits: Limits) -> PaperStore:
    """12 papers whose titles share `Graph`, the first `coded` with a GitHub repository."""
    store = await PaperStore.open(tmp_path / "code.db", limits=limits)
    entries = [entry(f"2406.{10 + i:05d}", f"Graph study {i}", votes=i) for i in range(12)]
    await store.ingest("g.md", day(D1, *entries))
    rows = [found(e.arxiv_id) for e in entries[:coded]]
    rows += [found(e.arxiv_id, github_repo=None) for e in entries[coded:]]
    await EnrichmentStore(store.db).record(rows)
    return store


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("coded", [2, 5])
async def test_search_has_code_is_exact_whichever_plan_runs(
    tmp_path: Path, sort: Sort, coded: int
) -> None:
    # exact=3: 12 matches are past it; 2 papers with code are within it (one plan), 5 not
    limits = Limits(exact=3, scored=3, pool=4, filtered_count=10, sorted_walk=2)
    store = await _with_code(tmp_path, coded, limits)
    try:
        page = await store.search("graph", has_code=True, sort=sort, limit=10)
        assert {p.arxiv_id for p in page.papers} == {f"2406.{10 + i:05d}" for i in range(coded)}
        assert (page.total, page.more) == (coded, False)
        everything = await store.search("graph", sort=sort, limit=10)
        assert everything.more and len(everything.papers) == 10
    finally:
        await store.close()


async def test_search_has_code_with_no_paper_with_code_finds_nothing(store: PaperStore) -> None:
    await three_days(store)
    assert (await store.search("One", has_code=True)).total == 0
    await EnrichmentStore(store.db).record([found("2406.00001", github_repo=None)])
    assert (await store.search("One", has_code=True)).total == 0
    await EnrichmentStore(store.db).record([found("2406.00001")])
    page = await store.search("One", has_code=True)
    assert [p.arxiv_id for p in page.papers] == ["2406.00001"] and page.total == 1
