"""PapersBot: the config and one Database (it builds the stores over it), loads the features by
name, syncs its commands."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import secrets
import socket
import sys
from collections.abc import Callable, Sequence

import discord
from discord.ext import commands

from bot.config import Config
from bot.errors import PapersTree
from bot.huggingface import RateLimiter
from bot.pacer import Pacer
from bot.store import Database, PaperStore
from bot.store.daily import DailyStore
from bot.translator import Translator

log = logging.getLogger(__name__)
# The features, each a package loaded as a discord.py extension (its `setup(bot)` adds its
# cogs). A new feature is a package under bot/features/ and a name here.
FEATURES = (
    "bot.features.lookup",
    "bot.features.daily",
    "bot.features.enrich",
    "bot.features.follows",
    "bot.features.saved",
    "bot.features.privacy",
)


# The bot has no voice features: no warnings about voice libraries it does not need.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def intents() -> discord.Intents:
    """Only what the bot uses: guild and channel events. No message content."""
    return discord.Intents(guilds=True)


def keep_startup_objects() -> None:
    """Exempt everything start-up built (modules, classes, the command tree) from full
    garbage collections: it lives as long as the process, and a full collection stops every
    command in flight for as long as it takes to traverse the objects it covers
    (bench/interactions.py times them)."""
    gc.collect()
    gc.freeze()


class PapersBot(commands.Bot):
    """The bot, over the Database it is given (its owner closes it): `store` (papers) and
    `daily_store` (daily posts) are built here over it. Each feature's `setup` hands its cogs
    the stores and the slice of config they need, not the bot. `features` names the
    extensions to load (by default all of them)."""

    def __init__(
        self,
        config: Config,
        db: Database,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        features: Sequence[str] = FEATURES,
        **options: object,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            help_command=None,
            tree_cls=PapersTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,  # type: ignore[arg-type]
        )
        self.config = config
        self.db = db
        self.store = PaperStore(db)
        self.daily_store = DailyStore(db)  # the daily posts' ledger, same Database
        # Discord's global rate limit is the bot's: every feature that sends goes through it.
        self.pacer = Pacer(config.daily.global_rate_per_second)
        self.clock = clock or discord.utils.utcnow
        self.instance_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.features = tuple(features)
        # Hugging Face limits requests per address: every client of this process shares one
        # window (built days, enrichment).
        self.hf_limiter = RateLimiter()

    async def setup_hook(self) -> None:
        await self.tree.set_translator(Translator())
        for name in self.features:
            await self.load_extension(name)
        if self.config.discord.sync_on_start:
            await self.sync_commands()

    async def close(self) -> None:
        """Unloads the features (their cogs stop), then disconnects.

        discord.py also drops an unloaded extension's modules from `sys.modules`, so that a
        later load imports them afresh (for reloading). Closing is not reloading: a bot
        started later in this process (a restart in tests, the sandbox scene) keeps the
        modules, and the classes and settings in them, that everything else imported."""
        modules = {
            name: module
            for name, module in sys.modules.items()
            if any(name == f or name.startswith(f + ".") for f in self.extensions)
        }
        await super().close()
        sys.modules.update(modules)

    async def sync_commands(self) -> list[str]:
        """Sync to the configured guilds (instant), or globally when none are configured."""
        guild_ids = self.config.discord.sync_guilds
        synced: list[str] = []
        if not guild_ids:
            commands_ = await self.tree.sync()
            synced.append(f"{len(commands_)} commands globally")
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            commands_ = await self.tree.sync(guild=guild)
            synced.append(f"{len(commands_)} commands to guild {guild_id}")
        for line in synced:
            log.info("synced %s", line)
        return synced

    async def lookup_channel(
        self, channel_id: int
    ) -> discord.abc.GuildChannel | discord.Thread | None:
        """A channel from the cache, else from the API; None when it no longer exists."""
        channel = self.get_channel(channel_id)
        if channel is not None:
            return channel  # type: ignore[return-value]
        try:
            fetched = await self.fetch_channel(channel_id)
        except discord.NotFound:
            return None
        return fetched if not isinstance(fetched, discord.abc.PrivateChannel) else None

    async def on_ready(self) -> None:
        user = self.user
        log.info("ready as %s (%s) in %d guilds", user, user.id if user else "?", len(self.guilds))
