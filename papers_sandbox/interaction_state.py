"""Server-side bookkeeping of dispatched interactions and how the bot answered them."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from papers_sandbox.models import Json

# Interaction types
PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Callback types
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    APPLICATION_COMMAND: frozenset({CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL}),
    MESSAGE_COMPONENT: frozenset(
        {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE, MODAL}
    ),
    AUTOCOMPLETE: frozenset({AUTOCOMPLETE_RESULT}),
    MODAL_SUBMIT: frozenset(
        {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE}
    ),
}


@dataclass
class InteractionRecord:
    """One INTERACTION_CREATE and everything the bot did with its token."""

    id: int
    token: str
    type: int
    payload: Json
    channel_id: int
    guild_id: int | None
    user_id: int
    dispatched_at: float = field(default_factory=time.monotonic)
    callback_type: int | None = None
    callback_data: Json | None = None
    callback_at: float | None = None
    original_id: int | None = None
    original_loading: bool = False
    ephemeral: bool = False
    followup_ids: list[int] = field(default_factory=list)
    deleted_ids: list[int] = field(default_factory=list)
    choices: list[Json] | None = None
    modal: Json | None = None
    edits: int = 0
    rejections: list[Json] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    @property
    def component_message_id(self) -> int | None:
        message = self.payload.get("message")
        return int(message["id"]) if isinstance(message, dict) else None

    @property
    def command_name(self) -> str | None:
        data = self.payload.get("data") or {}
        name = data.get("name")
        return name if isinstance(name, str) else None

    @property
    def command_type(self) -> int:
        """1 slash command, 2 user or 3 message context menu (``data.type``)."""
        data = self.payload.get("data") or {}
        return int(data.get("type") or 1)

    def message_ids(self) -> list[int]:
        ids = [] if self.original_id is None else [self.original_id]
        return [*ids, *(i for i in self.followup_ids if i not in ids)]

    def settled(self) -> bool:
        """Answered in a way that needs no further message (deferrals need an edit/followup)."""
        if self.callback_type is None:
            return False
        if self.callback_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE):
            return self.edits > 0 or bool(self.followup_ids) or bool(self.deleted_ids)
        return True


class InteractionRegistry:
    def __init__(self) -> None:
        self.by_id: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self._changed = asyncio.Event()

    def create(
        self,
        *,
        interaction_id: int,
        type: int,
        payload: Json,
        channel_id: int,
        guild_id: int | None,
        user_id: int,
    ) -> InteractionRecord:
        token = payload.get("token") or f"aW50ZXJhY3Rpb24{secrets.token_urlsafe(48)}"
        payload["token"] = token
        record = InteractionRecord(
            interaction_id, token, type, payload, channel_id, guild_id, user_id
        )
        self.by_id[interaction_id] = record
        self.by_token[token] = record
        return record

    def touch(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def all(self) -> list[InteractionRecord]:
        return list(self.by_id.values())

    async def wait(self, check: Callable[[], bool], seconds: float) -> bool:
        """Wait up to ``seconds`` until ``check()`` holds; False if it never did."""
        deadline = time.monotonic() + seconds
        while not check():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))
            except TimeoutError:
                continue
        return True
