"""The bot's own enrichment pass: the newest digest days only; Hugging Face failing is logged
and the next pass resumes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import PapersBot
from bot.digest.ingest import load_files
from bot.features.enrich.cog import Enricher
from bot.features.enrich.job import EnrichJob
from bot.huggingface import HfClient
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from papers_sandbox.huggingface import FakeHuggingFace
from tests.behaviour.support import make_config
from tests.enrich_support import corpus, seed, write_digests

T0 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


@pytest.fixture
async def hf() -> AsyncIterator[FakeHuggingFace]:
    fake = FakeHuggingFace()
    await fake.start()
    yield fake
    await fake.stop()


def job(store: PaperStore, hf: FakeHuggingFace, *, retries: int = 4) -> EnrichJob:
    client = HfClient(api_base=hf.base, retries=retries, backoff=0.01)
    return EnrichJob(EnrichmentStore(store.db), client, days=2, max_age=WEEK, clock=lambda: T0)


async def test_a_pass_enriches_the_newest_days_only(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(6, 2)
    seed(hf, papers)
    await load_files(store, write_digests(tmp_path / "logs", papers))
    enricher = job(store, hf)
    try:
        report = await enricher.run_once()
        assert report is not None and (report.enriched, report.listings) == (6, 3)
        asked = sorted(r.query["date"] for r in hf.requests)
        assert asked == [p.day.isoformat() for p in papers[6:] if p.arxiv_id.endswith("0")]
        again = await enricher.run_once()
        assert again is not None and again.due == 0 and len(hf.requests) == 3
    finally:
        await enricher.hf.close()


async def test_hugging_face_down_is_logged_and_the_next_pass_resumes(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace, caplog: pytest.LogCaptureFixture
) -> None:
    papers = corpus(3, 2)
    seed(hf, papers)
    await load_files(store, write_digests(tmp_path / "logs", papers))
    enricher = job(store, hf, retries=1)
    hf.faults.down = True
    try:
        with caplog.at_level(logging.WARNING):
            report = await enricher.run_once()
        assert report is not None and report.left == 6
        assert enricher.problem and "HTTP 503" in enricher.problem
        assert "enrichment: Hugging Face failed" in caplog.text
        hf.faults.down = False
        resumed = await enricher.run_once()
        assert resumed is not None and (resumed.enriched, resumed.left) == (6, 0)
        assert enricher.problem is None
    finally:
        await enricher.hf.close()


async def test_an_empty_store_is_no_pass(store: PaperStore, hf: FakeHuggingFace) -> None:
    enricher = job(store, hf)
    try:
        assert await enricher.run_once() is None and hf.requests == []
    finally:
        await enricher.hf.close()


@pytest.mark.parametrize(
    ("enrich_on", "source_on", "loaded"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
async def test_the_loop_runs_only_with_enrichment_and_the_hugging_face_source_on(
    store: PaperStore, hf: FakeHuggingFace, enrich_on: bool, source_on: bool, loaded: bool
) -> None:
    base = make_config(sync_on_start=False)
    huggingface = dataclasses.replace(base.sources.huggingface, enabled=source_on, api_base=hf.base)
    config = dataclasses.replace(
        base,
        sources=dataclasses.replace(base.sources, huggingface=huggingface),
        enrich=dataclasses.replace(base.enrich, enabled=enrich_on),
    )
    async with PapersBot(config, store.db, features=("bot.features.enrich",)) as bot:
        await bot.setup_hook()  # what logging in runs: the features load
        cog = bot.get_cog("Enricher")
        assert (cog is not None) == loaded
        if isinstance(cog, Enricher):
            assert cog.job.hf.api_base == hf.base and cog.loop.is_running()
            assert cog.job.hf.limiter is bot.hf_limiter  # one window for the whole process


async def test_each_pass_that_asks_is_kept_for_daily_status_with_its_failure(
    store: PaperStore, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    papers = corpus(3, 2)
    seed(hf, papers)
    await load_files(store, write_digests(tmp_path / "logs", papers))
    enricher = job(store, hf, retries=0)
    enrichment = EnrichmentStore(store.db)
    hf.faults.rate_limited, hf.faults.retry_after = 100, 3600
    try:
        await enricher.run_once()
        failed = await enrichment.last_run()
        assert failed is not None and failed.at == T0
        assert failed.problem is not None and "rate limited" in failed.problem
        hf.faults.rate_limited = 0
        await enricher.run_once()
        assert await enrichment.last_run() == dataclasses.replace(failed, problem=None)
        await enricher.run_once()  # nothing due: nothing asked, nothing written
        assert len(await store.db.read("SELECT * FROM enrich_runs")) == 1
    finally:
        await enricher.hf.close()
