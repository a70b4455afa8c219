"""Enriching papers against the fake Hugging Face API over loopback HTTP, with the real client:
requests per day rather than per paper, papers asked alone, 404s recorded, age, 429, the API
going down mid-run and a cancelled run, each resumed by the next."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.digest.ingest import load_files
from bot.enrich import EnrichReport, enrich, web_url
from bot.huggingface import HfClient, HfUnavailable
from bot.models import Enrichment
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from papers_sandbox.huggingface import FakeHuggingFace
from tests.enrich_support import Listed, abstract_of, corpus, seed, write_digests

T0 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


@pytest.fixture
async def hf() -> AsyncIterator[FakeHuggingFace]:
    fake = FakeHuggingFace()
    await fake.start()
    yield fake
    await fake.stop()


async def loaded(store: PaperStore, tmp_path: Path, papers: list[Listed]) -> EnrichmentStore:
    await load_files(store, write_digests(tmp_path / "digests", papers))
    return EnrichmentStore(store.db)


def client(hf: FakeHuggingFace) -> HfClient:
    return HfClient(api_base=hf.base, backoff=0.01)


async def test_one_request_per_day_enriches_every_paper(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(3, 4)
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)
    async with client(hf) as api:
        report = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
    assert (report.due, report.enriched, report.with_code, report.left) == (12, 12, 6, 0)
    assert hf.count("/api/daily_papers") == 3 and report.listings == 3
    assert sum(r.path.startswith("/api/papers/") for r in hf.requests) == 0
    got = await enrichment.enrichment_of(papers[0].arxiv_id)
    assert got == Enrichment(
        papers[0].arxiv_id,
        T0,
        abstract=abstract_of(papers[0].arxiv_id),
        github_repo=papers[0].github_repo,
        github_stars=7,
        project_page=f"https://{papers[0].arxiv_id.replace('.', '-')}.github.io/",
        upvotes=100,
    )
    paper = await store.get(papers[0].arxiv_id)
    assert paper is not None and paper.votes == 1  # the digest's votes stay as published


async def test_papers_not_listed_are_asked_alone_and_404s_are_not_asked_again(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    base = corpus(2, 3)
    unlisted = Listed(base[1].arxiv_id, base[1].day, listed=False)
    unknown = Listed(base[4].arxiv_id, base[4].day, known=False)
    papers = [unlisted if p == base[1] else unknown if p == base[4] else p for p in base]
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)
    async with client(hf) as api:
        report = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
        assert (report.enriched, report.not_found, report.alone, report.left) == (5, 1, 2, 0)
        alone = sorted(r.path for r in hf.requests if r.path.startswith("/api/papers/"))
        assert alone == sorted(f"/api/papers/{p.arxiv_id}" for p in (unlisted, unknown))
        assert (await enrichment.enrichment_of(unknown.arxiv_id)) == Enrichment(
            unknown.arxiv_id, T0, found=False
        )
        found = await enrichment.enrichment_of(unlisted.arxiv_id)
        assert found is not None and found.abstract == abstract_of(unlisted.arxiv_id)
        asked = len(hf.requests)
        again = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0 + dt.timedelta(1))
    assert (again.due, again.fresh) == (0, 6)
    assert len(hf.requests) == asked  # nothing due: not one request


async def test_a_paper_listed_the_day_before_its_digest_needs_no_request_of_its_own(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(2, 2)
    enrichment = await loaded(store, tmp_path, papers)
    late = papers[2]  # in the second digest day, but Hugging Face lists it on the first
    seed(hf, [Listed(p.arxiv_id, papers[0].day) if p == late else p for p in papers])
    async with client(hf) as api:
        report = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
    assert (report.enriched, report.alone, report.listings) == (4, 0, 2)


async def test_papers_enriched_within_the_age_are_skipped_older_ones_refreshed(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(2, 2)
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)
    async with client(hf) as api:
        await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
        hf.update(papers[0].arxiv_id, upvotes=250, githubStars=99)
        soon = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0 + WEEK / 2)
        assert (soon.due, soon.fresh, soon.listings) == (0, 4, 0)
        later = T0 + WEEK + dt.timedelta(hours=1)
        stale = await enrich(enrichment, api, max_age=WEEK, clock=lambda: later)
    assert (stale.due, stale.enriched, stale.listings) == (4, 4, 2)
    got = await enrichment.enrichment_of(papers[0].arxiv_id)
    assert got is not None and (got.upvotes, got.github_stars, got.enriched_at) == (250, 99, later)


async def test_429_is_waited_out_and_the_run_completes(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(3, 2)
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)
    hf.faults.rate_limited, hf.faults.retry_after = 2, 0.05
    async with client(hf) as api:
        report = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
        assert api.stats.rate_limited == 2
    assert (report.enriched, report.left) == (6, 0)
    assert [r.status for r in hf.requests[:2]] == [429, 429]


async def test_hugging_face_going_down_keeps_what_was_fetched_and_the_next_run_resumes(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(4, 3)
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)

    def going_down(done: int, total: int, doing: str) -> None:
        if done >= 6:
            hf.faults.down = True

    report = EnrichReport()
    async with HfClient(api_base=hf.base, retries=1, backoff=0.01) as api:
        with pytest.raises(HfUnavailable):
            await enrich(
                enrichment, api, max_age=WEEK, clock=lambda: T0, progress=going_down, report=report
            )
    assert (report.enriched, report.left) == (6, 6)
    assert (await enrichment.coverage()).enriched == 6
    hf.faults.down = False
    before = hf.count("/api/daily_papers")
    async with client(hf) as api:
        again = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
    assert (again.due, again.enriched, again.left) == (6, 6, 0)
    assert hf.count("/api/daily_papers") - before == 2  # only the two days not done


async def test_a_cancelled_run_keeps_each_day_written_and_the_next_run_continues(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(5, 2)
    seed(hf, papers)
    enrichment = await loaded(store, tmp_path, papers)
    report = EnrichReport()
    async with client(hf) as api:
        task: asyncio.Task[EnrichReport] | None = None

        def stop_after_two_days(done: int, total: int, doing: str) -> None:
            if done >= 4 and task is not None:
                task.cancel()

        task = asyncio.create_task(
            enrich(
                enrichment,
                api,
                max_age=WEEK,
                clock=lambda: T0,
                progress=stop_after_two_days,
                report=report,
            )
        )
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await enrichment.coverage()).enriched == report.enriched == 4
        again = await enrich(enrichment, api, max_age=WEEK, clock=lambda: T0)
    assert (again.due, again.enriched, again.listings) == (6, 6, 3)


def test_only_http_urls_are_kept() -> None:
    assert web_url(" https://github.com/a/b ") == "https://github.com/a/b"
    for bad in ("javascript:alert(1)", "github.com/a/b", "https://a b", "", None, "x" * 3000):
        assert web_url(bad) is None
