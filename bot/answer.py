"""Answering every interaction within Discord's 3 seconds, whatever the store is doing.

Discord drops an interaction that gets no response within 3 s ("This interaction failed").
Most answers take milliseconds, but a store call can wait: another process holding SQLite's
write lock (a long `papers-bot load`), a slow read on a big store. So every slash command
and component press runs under `in_time`: if it has not answered `DEFER_AFTER` seconds in,
the interaction is deferred for it (the member sees "thinking…", or a pressed message stays
as it is), and its answer, whenever it comes, goes out as the followup or edit that
completes the deferral (Discord accepts those for 15 minutes).

The deferral is the interaction's own `response` (`TimelyResponse`), so command bodies just
call `interaction.response.send_message` / `edit_message` / `defer` as usual: once the
interaction is deferred, by the timer or by the command, those become the followup or the
edit. One lock orders the timer's deferral and the command's answer, so the two never race
into a second acknowledgement. Autocomplete cannot be deferred and runs without this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord.utils import MISSING

log = logging.getLogger(__name__)
DEFER_AFTER = 1.5  # seconds before deferring; leaves room for Discord's round trip
_DEFERRED = (
    discord.InteractionResponseType.deferred_channel_message,
    discord.InteractionResponseType.deferred_message_update,
)
# What Interaction.edit_original_response takes of InteractionResponse.edit_message's fields.
_EDIT_FIELDS = ("content", "embed", "embeds", "attachments", "view", "allowed_mentions")


class TimelyResponse(discord.InteractionResponse[discord.Client]):
    """An interaction's response that may be deferred on its behalf, then completed by the
    same calls that would have answered it directly."""

    __slots__ = ("_deferral", "_turn", "arrived")

    def __init__(self, parent: discord.Interaction) -> None:
        super().__init__(parent)
        self.arrived = asyncio.get_running_loop().time()  # its token's 15 minutes run from here
        self._turn = asyncio.Lock()  # one acknowledgement in flight at a time
        self._deferral: discord.InteractionCallbackResponse[discord.Client] | None = None

    def deferred(self) -> bool:
        """Acknowledged with a deferral that a followup or an edit still has to complete."""
        return self._response_type in _DEFERRED

    async def defer(
        self, *, ephemeral: bool = False, thinking: bool = False
    ) -> discord.InteractionCallbackResponse[discord.Client] | None:
        async with self._turn:
            if not self.deferred():
                self._deferral = await super().defer(ephemeral=ephemeral, thinking=thinking)
            return self._deferral

    async def defer_if_unanswered(self, *, ephemeral: bool, update: bool) -> None:
        """The timer's deferral: none once the interaction is answered (or being answered)."""
        async with self._turn:
            if self.is_done():
                return
            if update:  # a pressed message stays as it is meanwhile
                self._deferral = await super().defer()
            else:
                self._deferral = await super().defer(ephemeral=ephemeral, thinking=True)

    async def send_message(  # type: ignore[override]
        self, content: Any | None = None, **fields: Any
    ) -> discord.InteractionCallbackResponse[discord.Client] | None:
        """The answer itself, or the followup completing a deferral (after a "thinking…"
        deferral it takes that message's place, so the answer's id is the deferral's)."""
        callback, _ = await self.reply(content, **fields)
        return callback

    async def reply(
        self, content: Any | None = None, **fields: Any
    ) -> tuple[discord.InteractionCallbackResponse[discord.Client] | None, int | None]:
        """`send_message`, and the id of the message it sent when Discord told it."""
        async with self._turn:
            if not self.deferred():
                callback = await super().send_message(content, **fields)
                return callback, _message_id(callback)
        fields.pop("delete_after", None)  # not a followup field; answers here are not timed
        if content is not None:
            fields["content"] = content
        sent = await self._parent.followup.send(wait=True, **fields)
        return self._deferral, sent.id

    async def edit_message(
        self, **fields: Any
    ) -> discord.InteractionCallbackResponse[discord.Client] | None:
        """A pressed message edited, at once or (after a deferral) through the token."""
        async with self._turn:
            if not self.deferred():
                return await super().edit_message(**fields)
        await self._parent.edit_original_response(
            **{k: v for k, v in fields.items() if k in _EDIT_FIELDS and v is not MISSING}
        )
        return self._deferral


def _message_id(callback: discord.InteractionCallbackResponse[discord.Client]) -> int | None:
    if callback.message_id is not None:
        return callback.message_id
    resource = callback.resource
    return resource.id if isinstance(resource, discord.InteractionMessage) else None


def timely(interaction: discord.Interaction) -> TimelyResponse:
    """The interaction's response as a TimelyResponse (installed on first use)."""
    response = interaction.response
    if isinstance(response, TimelyResponse):
        return response
    assert not response.is_done(), "install TimelyResponse before answering"
    timely_response = TimelyResponse(interaction)
    setattr(interaction, "_cs_response", timely_response)  # noqa: B010 (discord.py's cache slot)
    return timely_response


@asynccontextmanager
async def in_time(
    interaction: discord.Interaction, *, ephemeral: Callable[[], bool], update: bool = False
) -> AsyncIterator[TimelyResponse]:
    """Run an interaction's handler; deferred for it if unanswered after DEFER_AFTER.

    `ephemeral()` says, when the time comes, whether a slash command's answer is private
    (the deferral fixes that for the answer); `update`: a component press, whose deferral
    leaves the pressed message as it is."""
    response = timely(interaction)

    async def defer_when_late() -> None:
        await asyncio.sleep(DEFER_AFTER)
        try:
            await response.defer_if_unanswered(ephemeral=ephemeral(), update=update)
        except discord.HTTPException as exc:  # e.g. too late already: nothing more to do
            log.warning("could not defer interaction %s: %s", interaction.id, exc)

    timer = asyncio.create_task(defer_when_late(), name=f"defer-{interaction.id}")
    try:
        yield response
    finally:
        timer.cancel()


class Answer:
    """A lookup's answer, sent directly or completing the deferral `in_time` made."""

    def __init__(self, interaction: discord.Interaction, *, ephemeral: bool) -> None:
        self.interaction = interaction
        self.ephemeral = ephemeral

    async def send(
        self, *, embeds: list[discord.Embed], view: discord.ui.View | None = None
    ) -> int | None:
        """The answer; returns its message's id when Discord told it."""
        extra: dict[str, Any] = {} if view is None else {"view": view}
        _, message_id = await timely(self.interaction).reply(
            embeds=embeds, ephemeral=self.ephemeral, **extra
        )
        return message_id
