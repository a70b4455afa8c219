"""What a member saw after an interaction: the callback, the reply and any followups."""

# Waiting helpers take ``timeout=`` like discord.py's own ``wait_for``.
# ruff: noqa: ASYNC109

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from papers_sandbox.interaction_state import InteractionRecord, InteractionRegistry
from papers_sandbox.messages import EPHEMERAL
from papers_sandbox.models import Json
from papers_sandbox.world import World


class InteractionNotAnswered(TimeoutError):
    """The bot did not acknowledge the interaction in time (or Discord rejected its answer)."""


@dataclass
class InteractionResult:
    """A live view: message properties read the world's current state."""

    record: InteractionRecord
    world: World
    registry: InteractionRegistry

    @property
    def answered(self) -> bool:
        return self.record.acknowledged

    @property
    def callback_type(self) -> int | None:
        return self.record.callback_type

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE dispatch to the callback arriving."""
        if self.record.callback_at is None:
            return None
        return self.record.callback_at - self.record.dispatched_at

    @property
    def rejections(self) -> list[Json]:
        """Error bodies of callbacks Discord refused (e.g. 50035 for limits)."""
        return list(self.record.rejections)

    @property
    def original(self) -> Json | None:
        rid = self.record.original_id
        return None if rid is None else self.world.find_message(rid)

    @property
    def followups(self) -> list[Json]:
        ids = [i for i in self.record.followup_ids if i != self.record.original_id]
        return [m for i in ids if (m := self.world.find_message(i)) is not None]

    @property
    def messages(self) -> list[Json]:
        """The original response (if any) then the followups, as currently stored."""
        first = [self.original] if self.original is not None else []
        return first + self.followups

    @property
    def message(self) -> Json | None:
        messages = self.messages
        return messages[0] if messages else None

    @property
    def content(self) -> str | None:
        message = self.message
        return None if message is None else str(message.get("content", ""))

    @property
    def embeds(self) -> list[Json]:
        message = self.message
        return [] if message is None else list(message.get("embeds", []))

    @property
    def components(self) -> list[Json]:
        message = self.message
        return [] if message is None else list(message.get("components", []))

    @property
    def flags(self) -> int:
        message = self.message
        return 0 if message is None else int(message.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def choices(self) -> list[Json] | None:
        return self.record.choices

    @property
    def modal(self) -> Json | None:
        return self.record.modal

    def contents(self) -> list[str]:
        return [str(m.get("content", "")) for m in self.messages]

    async def wait_answered(self, timeout: float = 3.0) -> InteractionResult:
        if not await self.registry.wait(lambda: self.record.acknowledged, timeout):
            raise InteractionNotAnswered(self.describe())
        return self

    async def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[Json]:
        """Wait until at least ``count`` non-loading messages exist; returns them."""

        def ready() -> bool:
            return len([m for m in self.messages if not int(m.get("flags", 0)) & 128]) >= count

        if not await self.registry.wait(ready, timeout):
            raise InteractionNotAnswered(f"fewer than {count} messages: {self.describe()}")
        return self.messages

    def describe(self) -> str:
        record = self.record
        parts: dict[str, Any] = {
            "interaction": record.id,
            "command": record.command_name,
            "callback_type": record.callback_type,
            "messages": self.contents(),
            "rejections": record.rejections,
        }
        return " ".join(f"{k}={v!r}" for k, v in parts.items())

    def __repr__(self) -> str:
        return f"<InteractionResult {self.describe()}>"
