"""Behaviour tests: the real PapersBot against simcord's offline Discord.

Every test drives the bot the way a member would (slash commands, autocomplete, buttons,
selects, the clock) and asserts on what that member would see. simcord's default of failing
a test on any error the bot swallowed stays on; expected refusals are acknowledged with
`support.user_errors`, which still fails on anything but a UserFacingError.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import simcord.interactions as simcord_interactions
from simcord import Env

from bot.app import PapersBot
from bot.digest.ingest import load_files
from bot.store import PaperStore

from .support import SAMPLE_DIR, LookupBot, World, make_config


@pytest.fixture
async def paper_store(tmp_path: Path) -> AsyncIterator[PaperStore]:
    """The three bundled sample digests (2025-05-07..09, 13 entries, 12 papers)."""
    store = await PaperStore.open(tmp_path / "papers.db")
    report = await load_files(store, sorted(SAMPLE_DIR.glob("*.md")))
    assert report.ok and report.files == 3 and report.entries == 13, report.summary_line()
    yield store
    await store.close()


@pytest.fixture
def simcord_bot(paper_store: PaperStore) -> PapersBot:
    return LookupBot(make_config(), paper_store)


@pytest.fixture
def world(simcord_env: Env) -> World:
    guild = simcord_env.create_guild("Papers Lab")
    channel = guild.create_text_channel("papers")
    alice = guild.add_member(simcord_env.create_user("alice"))
    bob = guild.add_member(simcord_env.create_user("bob"))
    return World(simcord_env, guild, channel, alice, bob)


@pytest.fixture
def locales(monkeypatch: pytest.MonkeyPatch) -> dict[int, str]:
    """user id -> the client locale their interactions carry (simcord always sends en-US).

    simcord 3.2.1 has no public knob for the interaction locale, so this wraps the payload
    builder its actors call (`simcord.interactions.base_payload`).
    """
    chosen: dict[int, str] = {}
    original = simcord_interactions.base_payload

    def base_payload(backend: Any, *, user_id: int, **kwargs: Any) -> Any:
        record, payload = original(backend, user_id=user_id, **kwargs)
        if user_id in chosen:
            payload["locale"] = chosen[user_id]
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", base_payload)
    return chosen
