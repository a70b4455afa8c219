"""A plain discord.py client (HTTP + gateway, no PapersBot) wired to a SandboxServer."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands

from papers_sandbox import SandboxServer

TOKEN = "sandbox.bot.token"


class ClientHarness:
    """A plain discord.Client + CommandTree connected to the sandbox with the real stack."""

    def __init__(self, server: SandboxServer, *, intents: discord.Intents | None = None) -> None:
        self.server = server
        self.client = discord.Client(
            intents=intents or discord.Intents.default(), guild_ready_timeout=0.1
        )
        self.tree = app_commands.CommandTree(self.client)
        self.errors: list[BaseException] = []
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self._task: asyncio.Task[None] | None = None

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        self.errors.append(error)

    async def start(self, *, sync: bool = True) -> discord.Client:
        await self.client.login(TOKEN)
        if sync:
            await self.tree.sync()
        self._task = asyncio.create_task(self.client.connect())
        await asyncio.wait_for(self.client.wait_until_ready(), timeout=5)
        return self.client

    async def close(self) -> None:
        await self.client.close()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=5)

    def channel(self, name: str) -> discord.TextChannel:
        channel = self.client.get_channel(self.server.channel(name).id)
        assert isinstance(channel, discord.TextChannel)
        return channel

    async def user(self, name: str) -> discord.User:
        """A world user as this client fetches it (``await harness.user("minji").send(...)``
        opens a DM the way discord.py does)."""
        return await self.client.fetch_user(self.server.world.user(name).id)
