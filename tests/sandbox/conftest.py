"""Fixtures: plain discord.py clients on the `sandbox` server (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import discord
import pytest

from papers_sandbox import SandboxServer

from .client import ClientHarness


@pytest.fixture
async def make_harness(
    sandbox: SandboxServer,
) -> AsyncIterator[Callable[..., ClientHarness]]:
    """Build harnesses (e.g. with other intents); all are closed and checked afterwards."""
    made: list[ClientHarness] = []

    def make(intents: discord.Intents | None = None) -> ClientHarness:
        made.append(ClientHarness(sandbox, intents=intents))
        return made[-1]

    try:
        yield make
    finally:
        for client in made:
            await client.close()
    errors = [e for client in made for e in client.errors]
    assert not errors, f"unexpected command errors: {errors!r}"


@pytest.fixture
def harness(make_harness: Callable[..., ClientHarness]) -> ClientHarness:
    return make_harness()
