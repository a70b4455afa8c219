"""The real bot enriching its papers from the fake Hugging Face API by itself, on the loopback
Discord: members are answered at once while Hugging Face hangs, and /paper shows what came."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import PapersBot
from bot.config import Config
from bot.digest.ingest import find_files, load_files
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from papers_sandbox.endpoints import restore_endpoints
from papers_sandbox.huggingface import FakeHuggingFace, fake_item
from papers_sandbox.scene import SEOUL, TOKEN, SceneClock, sample_folder
from papers_sandbox.server import SandboxServer
from tests.polling import eventually

FEATURES = ("bot.features.lookup", "bot.features.enrich")
TINY = "2505.03011"
REPO = "https://github.com/hana-seo/tiny-planners"


class HeldHuggingFace(FakeHuggingFace):
    """The fake API, every answer held until the test lets it go (a hung Hugging Face)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.waiting = 0

    async def _answer(self, request: Any, handler: Any) -> Any:
        self.waiting += 1
        await self.gate.wait()
        return await super()._answer(request, handler)


async def seeded(store: PaperStore, hf: FakeHuggingFace) -> int:
    """The fake API lists each sample day's papers; one has code and stars."""
    papers = 0
    for info in await store.days():
        digest = await store.digest(info.day)
        assert digest is not None
        items = [
            fake_item(
                p.arxiv_id,
                day=info.day,
                title=p.title,
                abstract=f"English abstract of {p.arxiv_id}.",
                upvotes=300,
                github_repo=REPO if p.arxiv_id == TINY else None,
                github_stars=1234 if p.arxiv_id == TINY else None,
            )
            for p in digest.papers
        ]
        hf.add_day(info.day, items)
        papers += len(items)
    return papers


def config(server: SandboxServer, db: Path, hf_api: str) -> Config:
    base = Config()
    huggingface = dataclasses.replace(base.sources.huggingface, enabled=True, api_base=hf_api)
    return dataclasses.replace(
        base,
        database=str(db),
        discord=dataclasses.replace(
            base.discord, api_base=server.api_base, gateway_url=server.gateway_url
        ),
        sources=dataclasses.replace(
            base.sources, folders=(), url_template=None, huggingface=huggingface
        ),
    )


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[SandboxServer, HeldHuggingFace, PaperStore]]:
    server = SandboxServer()
    await server.start()
    snapshot = server.point_discord_py()
    hf = HeldHuggingFace()
    await hf.start()
    store = await PaperStore.open(tmp_path / "papers.db")
    files, _ = find_files([str(sample_folder())])
    await load_files(store, files)
    await seeded(store, hf)
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    bot = PapersBot(
        config(server, tmp_path / "papers.db", hf.base),
        store.db,
        clock=clock,
        features=FEATURES,
        guild_ready_timeout=0.2,
    )
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 15)
        yield server, hf, store
    finally:
        hf.gate.set()
        await bot.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        await store.close()
        await hf.stop()
        await server.stop()
        restore_endpoints(snapshot)


async def test_members_are_answered_while_hugging_face_hangs_then_the_bot_enriches(
    world: tuple[SandboxServer, HeldHuggingFace, PaperStore],
) -> None:
    server, hf, store = world
    await eventually(lambda: hf.waiting >= 1, 10, "the bot never asked Hugging Face")
    hung = await server.invoke_command("paper", {"query": TINY}, user="minji")
    assert hung.callback_type == 4 and hung.rejections == [], hung.describe()
    searched = await server.invoke_command("search", {"query": "모델"}, user="alex")
    assert searched.callback_type == 4 and searched.rejections == [], searched.describe()

    hf.gate.set()
    enrichment = EnrichmentStore(store.db)
    for _ in range(500):
        if (await enrichment.coverage()).enriched == 12:
            break
        await asyncio.sleep(0.02)
    assert (await enrichment.coverage()).enriched == 12
    assert hf.count("/api/daily_papers") == 3  # one request per day, none per paper
    got = await enrichment.enrichment_of(TINY)
    assert got is not None and (got.github_repo, got.github_stars, got.upvotes) == (REPO, 1234, 300)
