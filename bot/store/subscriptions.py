"""Subscriptions: the channels that get the daily digest, and their failure counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.models import Origin, PostStyle
from bot.store.writes import OnWriter, iso


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel that gets the daily digest."""

    channel_id: int
    guild_id: int
    post_time: str  # HH:MM
    timezone: str
    style: PostStyle
    min_votes: int | None = None
    max_papers: int | None = None
    origin: Origin = Origin.COMMAND
    created_by: int | None = None
    paused_reason: str | None = None
    failures: int = 0
    last_error: str | None = None
    created_at: dt.datetime | None = None  # when it was first saved (None: not saved yet)


_SUB_COLS = (
    "channel_id, guild_id, post_time, timezone, style, min_votes, max_papers, origin, "
    "created_by, paused_reason, failures, last_error"
)


_SELECT_SUB = f"SELECT {_SUB_COLS}, created_at FROM subscriptions"


def _subscription(row: Any) -> Subscription:
    sub = Subscription(*row[:-1])
    created = dt.datetime.fromisoformat(row[-1])
    return replace(sub, style=PostStyle(sub.style), origin=Origin(sub.origin), created_at=created)


class Subscriptions(OnWriter):
    """Subscription rows: saved by /daily and the config file, counted down by failures."""

    async def save_subscription(self, sub: Subscription, now: dt.datetime) -> None:
        """Create or replace a subscription; saving clears its errors and any pause."""
        await self._write(
            f"INSERT INTO subscriptions ({_SUB_COLS}, updated_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL, ?, ?) "
            "ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, "
            "post_time = excluded.post_time, timezone = excluded.timezone, "
            "style = excluded.style, min_votes = excluded.min_votes, "
            "max_papers = excluded.max_papers, origin = excluded.origin, "
            "created_by = excluded.created_by, paused_reason = NULL, failures = 0, "
            "last_error = NULL, updated_at = excluded.updated_at",
            (
                sub.channel_id,
                sub.guild_id,
                sub.post_time,
                sub.timezone,
                sub.style,
                sub.min_votes,
                sub.max_papers,
                sub.origin,
                sub.created_by,
                iso(now),
                iso(now),
            ),
        )

    async def remove_subscription(self, channel_id: int, guild_id: int | None = None) -> bool:
        if guild_id is None:
            return (
                await self._write("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
                > 0
            )
        return (
            await self._write(
                "DELETE FROM subscriptions WHERE channel_id = ? AND guild_id = ?",
                (channel_id, guild_id),
            )
            > 0
        )

    async def subscriptions(self, *, guild_id: int | None = None) -> list[Subscription]:
        if guild_id is None:
            rows = await self._rows(f"{_SELECT_SUB} ORDER BY channel_id")
        else:
            rows = await self._rows(
                f"{_SELECT_SUB} WHERE guild_id = ? ORDER BY channel_id",
                (guild_id,),
            )
        return [_subscription(r) for r in rows]

    async def subscription(self, channel_id: int) -> Subscription | None:
        rows = await self._rows(f"{_SELECT_SUB} WHERE channel_id = ?", (channel_id,))
        return _subscription(rows[0]) if rows else None

    async def sync_config(self, subs: list[Subscription], now: dt.datetime) -> None:
        """Make config-file subscriptions match the config; command ones are left alone."""
        keep = {s.channel_id for s in subs}
        for sub in await self.subscriptions():
            if sub.origin == Origin.CONFIG and sub.channel_id not in keep:
                await self.remove_subscription(sub.channel_id)
        for sub in subs:
            current = await self.subscription(sub.channel_id)
            unchanged = current is not None and _same_settings(current, sub)
            if not unchanged:
                await self.save_subscription(sub, now)

    async def record_failure(self, channel_id: int, error: str, pause_after: int) -> bool:
        """Count a failed post; returns True when this failure paused the subscription."""
        await self._write(
            "UPDATE subscriptions SET failures = failures + 1, last_error = ? WHERE channel_id = ?",
            (error, channel_id),
        )
        paused = await self._write(
            "UPDATE subscriptions SET paused_reason = ? "
            "WHERE channel_id = ? AND failures >= ? AND paused_reason IS NULL",
            (error, channel_id, pause_after),
        )
        return paused > 0

    async def record_success(self, channel_id: int) -> None:
        await self._write(
            "UPDATE subscriptions SET failures = 0, last_error = NULL WHERE channel_id = ?",
            (channel_id,),
        )


def _same_settings(a: Subscription, b: Subscription) -> bool:
    keys = ("guild_id", "post_time", "timezone", "style", "min_votes", "max_papers", "origin")
    return all(getattr(a, k) == getattr(b, k) for k in keys)
