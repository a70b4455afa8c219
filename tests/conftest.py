"""Shared fixtures: a fresh store per test, the path of the real shared digests, and a loopback
Discord server with discord.py pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import PaperStore
from papers_sandbox import SandboxServer, restore_endpoints

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = ROOT.parent / "shared" / "digests"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[PaperStore]:
    s = await PaperStore.open(tmp_path / "papers.db")
    yield s
    await s.close()


@pytest.fixture
def shared_digests() -> Path:
    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"{SHARED_DIGESTS} not present: the real digests live beside the repo")
    return SHARED_DIGESTS


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer()
    await server.start()
    snapshot = server.point_discord_py()
    try:
        yield server
    finally:
        await server.stop()
        restore_endpoints(snapshot)
