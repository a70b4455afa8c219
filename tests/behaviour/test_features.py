"""The bot is its features, loaded by name: the commands members get are those of the
features it was given, and a bot started after another closed runs the same feature code."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import discord
import simcord

from bot.app import FEATURES, PapersBot
from bot.features.daily.cog import Daily
from bot.features.follows.cog import Follows
from bot.features.lookup.cog import Lookup
from bot.store import PaperStore
from bot.store.daily import DailyStore

from .support import daily_config, lookup_bot

LOOKUP_COMMANDS = {"paper", "search", "digest", "top", "author", "random", "help"}
DAILY_COMMANDS = {f"daily {c}" for c in ("subscribe", "unsubscribe", "status", "preview")}
FOLLOW_COMMANDS = {f"follow {c}" for c in ("keyword", "author", "list", "remove", "status")}
SAVED_COMMANDS = {"saved list", "saved remove", "saved export"}  # and Find papers: a menu
PRIVACY_COMMANDS = {"privacy show", "privacy forget-me"}


async def commands_of(bot: PapersBot) -> set[str]:
    """What a server admin is offered in a channel."""
    async with simcord.run(bot) as env:
        guild = env.create_guild("Papers Lab")
        channel = guild.create_text_channel("papers")
        admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        admin = guild.add_member(env.create_user("alice"), roles=[admins])
        return set(admin.available_commands(channel))


async def test_the_bot_offers_the_commands_of_the_features_it_loads(
    paper_store: PaperStore,
) -> None:
    assert FEATURES == (
        "bot.features.lookup",
        "bot.features.daily",
        "bot.features.enrich",
        "bot.features.follows",
        "bot.features.saved",
        "bot.features.privacy",
    )
    everything = await commands_of(PapersBot(daily_config(), paper_store.db))
    member_commands = FOLLOW_COMMANDS | SAVED_COMMANDS | PRIVACY_COMMANDS
    assert LOOKUP_COMMANDS | DAILY_COMMANDS | {"daily post-now"} | member_commands == everything

    lookups = await commands_of(lookup_bot(daily_config(), paper_store))
    assert lookups == LOOKUP_COMMANDS

    daily_only = PapersBot(daily_config(), paper_store.db, features=("bot.features.daily",))
    assert await commands_of(daily_only) == DAILY_COMMANDS | {"daily post-now"}

    follows_only = PapersBot(daily_config(), paper_store.db, features=("bot.features.follows",))
    assert await commands_of(follows_only) == FOLLOW_COMMANDS


async def test_the_bot_answers_from_and_saves_to_the_one_database_it_is_given(
    paper_store: PaperStore,
) -> None:
    """PapersBot takes the Database and builds its stores over it: /paper finds what was
    loaded into that database, and /daily subscribe saves where another store on it reads."""
    async with simcord.run(PapersBot(daily_config(), paper_store.db)) as env:
        guild = env.create_guild("Papers Lab")
        channel = guild.create_text_channel("papers")
        admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        admin = guild.add_member(env.create_user("alice"), roles=[admins])

        found = await admin.slash(channel, "paper", query="2505.03011")
        subscribed = await admin.slash(channel, "daily subscribe", channel=channel)

        assert found.response is not None and found.response.embeds
        assert found.response.embeds[0].footer.text == "arXiv:2505.03011"
        assert subscribed.ephemeral and env.errors == []
    saved = await DailyStore(paper_store.db).subscription(channel.id)
    assert saved is not None and saved.guild_id == guild.id


async def test_a_bot_started_after_another_closed_runs_the_same_feature_code(
    paper_store: PaperStore,
) -> None:
    config = daily_config()
    config = dataclasses.replace(
        config, discord=dataclasses.replace(config.discord, sync_on_start=False)
    )
    for _ in range(2):  # as the restart tests do, and the sandbox scene
        async with PapersBot(config, paper_store.db) as bot:
            await bot.setup_hook()  # what logging in runs: the features load
            assert isinstance(bot.get_cog("Lookup"), Lookup)
            assert isinstance(bot.get_cog("Daily"), Daily)
        assert bot.get_cog("Lookup") is None and bot.get_cog("Daily") is None  # unloaded


async def test_daily_posts_and_alert_dms_share_the_bots_one_pacer(
    paper_store: PaperStore,
) -> None:
    """Discord's global limit is the bot's: both features that send go through one Pacer."""
    config = daily_config()
    config = dataclasses.replace(
        config, discord=dataclasses.replace(config.discord, sync_on_start=False)
    )
    async with PapersBot(config, paper_store.db) as bot:
        await bot.setup_hook()
        daily, follows = bot.get_cog("Daily"), bot.get_cog("Follows")
        assert isinstance(daily, Daily) and isinstance(follows, Follows)
        assert daily.service.runner.poster.pacer is bot.pacer
        assert follows.service.deliverer.pacer is bot.pacer


def test_the_app_imports_no_feature() -> None:
    """Features are loaded by name: importing the bot loads none of them (and none can
    import the bot back into a cycle)."""
    code = (
        "import json, sys, bot.app; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bot.features'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
