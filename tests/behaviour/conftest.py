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

import discord
import pytest
import simcord.interactions as simcord_interactions
from simcord import Env
from simcord.backend import serializers

from bot.app import PapersBot
from bot.digest.ingest import load_files
from bot.store import PaperStore

from .support import SAMPLE_DIR, BotClock, DailyWorld, World, daily_config, lookup_bot, make_config


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "daily(**settings): `daily:` config settings for the daily_bot fixture"
    )


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
    return lookup_bot(make_config(), paper_store)


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


# --- daily posts (test_daily*.py override simcord_bot with daily_bot) -----------------------


@pytest.fixture
async def daily_papers(tmp_path: Path) -> AsyncIterator[PaperStore]:
    """An empty store: each daily test publishes the digests of the days it simulates."""
    store = await PaperStore.open(tmp_path / "daily.db")
    yield store
    await store.close()


@pytest.fixture
def daily_bot(request: pytest.FixtureRequest, daily_papers: PaperStore) -> PapersBot:
    """The whole bot, lookups and daily posts; `@pytest.mark.daily(...)` sets `daily:` config."""
    marker = request.node.get_closest_marker("daily")
    config = daily_config(**(marker.kwargs if marker else {}))
    return PapersBot(config, daily_papers.db, clock=BotClock())


@pytest.fixture
def daily(simcord_env: Env, daily_bot: PapersBot, daily_papers: PaperStore) -> DailyWorld:
    guild = simcord_env.create_guild("Papers Lab")
    channel = guild.create_text_channel("papers")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("alice"), roles=[admins])
    member = guild.add_member(simcord_env.create_user("bob"))
    assert isinstance(daily_bot.clock, BotClock)
    return DailyWorld(
        simcord_env, daily_bot, daily_bot.clock, daily_papers, guild, channel, admin, member
    )


@pytest.fixture
def forged_channels(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """channel id -> the channel a crafted interaction names in its place (simcord, like
    Discord's client, only offers a server's own channels as options).

    The bot checks in code that /daily only manages the server's own channels; to reach that
    check, this swaps a channel option's id and its `resolved` entry for another channel's in
    the INTERACTION_CREATE payload simcord builds (`simcord.interactions.base_payload`).
    """
    swaps: dict[int, int] = {}
    original = simcord_interactions.base_payload

    def swap_values(options: list[dict[str, Any]], real: str, forged: str) -> None:
        for option in options:
            if option.get("value") == real:
                option["value"] = forged
            swap_values(option.get("options", []), real, forged)

    def base_payload(backend: Any, **kwargs: Any) -> Any:
        record, payload = original(backend, **kwargs)
        data = payload.get("data") or {}
        channels = data.get("resolved", {}).get("channels", {})
        for real, forged in swaps.items():
            if str(real) in channels:
                entry = dict(serializers.channel_payload(backend, backend.get_channel(forged)))
                entry["permissions"] = channels.pop(str(real))["permissions"]
                channels[str(forged)] = entry
                swap_values(data.get("options", []), str(real), str(forged))
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", base_payload)
    return swaps
