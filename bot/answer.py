"""Answering a slash command within Discord's 3 seconds, however long the lookup takes.

Discord drops an interaction that gets no response within 3 s ("The application did not
respond"). Most lookups take milliseconds, but a busy bot on a big store can queue one for
longer; then the command is deferred (the member sees "thinking…") and its answer arrives
as the followup, which Discord accepts for 15 minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

T = TypeVar("T")
DEFER_AFTER = 1.5  # seconds of lookup before deferring; leaves room for Discord's round trip


class Answer:
    """One interaction's answer: `fetch` the data, then `send` it."""

    def __init__(
        self, interaction: discord.Interaction, *, ephemeral: bool, update: bool = False
    ) -> None:
        """`update`: the answer edits the message whose button was pressed (`edit`)."""
        self.interaction = interaction
        self.ephemeral = ephemeral
        self.update = update
        self._deadline = asyncio.get_running_loop().time() + DEFER_AFTER

    async def fetch(self, work: Awaitable[T]) -> T:
        """`work`'s result; past the deadline the interaction is deferred while it runs."""
        task = asyncio.ensure_future(work)
        if self.interaction.response.is_done():
            return await task
        remaining = self._deadline - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(asyncio.shield(task), max(remaining, 0.0))
        except TimeoutError:
            if self.update:
                await self.interaction.response.defer()  # the message stays as it is meanwhile
            else:
                await self.interaction.response.defer(ephemeral=self.ephemeral, thinking=True)
            return await task

    async def send(
        self,
        *,
        embeds: list[discord.Embed],
        view: discord.ui.View | None = None,
    ) -> int | None:
        """The answer: the response itself, or the followup of a deferred interaction (which
        takes the "thinking…" message's place, so either way it is the original response).
        Returns the message's id when Discord told it."""
        extra: dict[str, Any] = {} if view is None else {"view": view}
        if self.interaction.response.is_done():
            sent = await self.interaction.followup.send(  # wait: for the message's id
                embeds=embeds, ephemeral=self.ephemeral, wait=True, **extra
            )
            return sent.id
        callback = await self.interaction.response.send_message(
            embeds=embeds, ephemeral=self.ephemeral, **extra
        )
        if callback.message_id is not None:
            return callback.message_id
        resource = callback.resource
        return resource.id if isinstance(resource, discord.InteractionMessage) else None

    async def edit(self, *, embeds: list[discord.Embed], view: discord.ui.View) -> None:
        """A pressed button's answer: its message edited, at once or after a deferral."""
        if self.interaction.response.is_done():
            await self.interaction.edit_original_response(embeds=embeds, view=view)
        else:
            await self.interaction.response.edit_message(embeds=embeds, view=view)
