"""Fixtures: a SandboxServer, discord.py pointed at it, and a real client harness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import discord
import pytest

from papers_sandbox import SandboxServer, restore_endpoints

from .harness import BotHarness


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


@pytest.fixture
async def make_harness(
    sandbox: SandboxServer,
) -> AsyncIterator[Callable[..., BotHarness]]:
    """Build harnesses (e.g. with other intents); all are closed and checked afterwards."""
    made: list[BotHarness] = []

    def make(intents: discord.Intents | None = None) -> BotHarness:
        made.append(BotHarness(sandbox, intents=intents))
        return made[-1]

    try:
        yield make
    finally:
        for bot in made:
            await bot.close()
    errors = [e for bot in made for e in bot.errors]
    assert not errors, f"unexpected command errors: {errors!r}"


@pytest.fixture
def harness(make_harness: Callable[..., BotHarness]) -> BotHarness:
    return make_harness()
