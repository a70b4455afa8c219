"""PapersBot: owns the config and the store, loads the cogs, syncs its commands."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import secrets
import socket
from collections.abc import Callable

import discord
from discord.ext import commands

from bot.config import Config
from bot.errors import PapersTree
from bot.features.lookup.cog import Lookup
from bot.features.lookup.views import OldResults, OpenPaper, PageTurn, ResultLists
from bot.store import PaperStore
from bot.translator import Translator

log = logging.getLogger(__name__)


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
    """The bot. Cogs receive the store and their slice of config, not the bot."""

    def __init__(
        self,
        config: Config,
        store: PaperStore,
        *,
        clock: Callable[[], dt.datetime] | None = None,
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
        self.store = store
        self.clock = clock or discord.utils.utcnow
        self.instance_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.result_lists = ResultLists(open_paper=store.get)  # found by the results' buttons

    async def setup_hook(self) -> None:
        await self.tree.set_translator(Translator())
        self.add_dynamic_items(PageTurn, OpenPaper, OldResults)
        await self.add_cog(Lookup(self.store, self.result_lists))
        await self.add_extra_cogs()
        if self.config.discord.sync_on_start:
            await self.sync_commands()

    async def close(self) -> None:
        self.result_lists.close()
        await super().close()

    async def add_extra_cogs(self) -> None:
        """Cogs beyond lookups (daily posts); a seam for tests that want fewer."""
        from bot.features.daily.cog import setup_daily

        await setup_daily(self, clock=self.clock)

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
