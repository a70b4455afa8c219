"""The post ledger: which daily post of a channel and day is done, skipped or under way,
who holds its lease, and which of its messages went out (exactly-once posting)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.models import PostStatus
from bot.store.post_plans import PostPlans
from bot.store.writes import iso


@dataclass(frozen=True, slots=True)
class PostState:
    channel_id: int
    day: dt.date
    generation: int
    status: PostStatus
    planned: int
    sent: int
    reason: str | None
    finished_at: str | None
    owner: str | None = None  # the process holding the lease of an unfinished post
    lease_until: dt.datetime | None = None

    def stalled(self, now: dt.datetime) -> bool:
        """Unfinished and nobody posting it: given up after a failure (`reason` says why),
        or its holder stopped renewing the lease (the process died or hangs)."""
        if self.status != PostStatus.POSTING:
            return False
        return self.owner is None or self.lease_until is None or self.lease_until <= now


@dataclass(frozen=True, slots=True)
class Claim:
    """The right to post (channel, day) now, and which of its messages already went out."""

    generation: int
    sent: dict[int, tuple[int, int]]  # seq -> (message id, channel or thread id)
    resumed: bool = False  # an unfinished post of this generation existed
    started_at: dt.datetime | None = None
    plan: bytes = b""  # the plan to follow (bot/features/daily/plan.py decode_plan)


def _post_state(row: Any) -> PostState:
    channel_id, day, generation, status, planned, sent, reason, finished, owner, until = row
    return PostState(
        channel_id,
        dt.date.fromisoformat(day),
        generation,
        PostStatus(status),
        planned,
        sent,
        reason,
        finished,
        owner,
        dt.datetime.fromisoformat(until) if until else None,
    )


class Ledger(PostPlans):
    """posts and post_messages rows: claims under a lease, sent messages, outcomes."""

    async def claim(
        self,
        channel_id: int,
        day: dt.date,
        *,
        owner: str,
        now: dt.datetime,
        lease: dt.timedelta,
        plan: bytes,
        planned: int,
        force: bool = False,
    ) -> Claim | None:
        """Take (or resume) the post of `day` to a channel; None if done or another owns it.
        A new post stores `plan` (of `planned` messages); a resumed one returns the plan it
        started with, so it finishes that whatever the digest became meanwhile."""
        async with self._db.transaction():
            claim = await self._claim(channel_id, day.isoformat(), owner, now, now + lease, force)
            if claim is None:
                return None
            return replace(
                claim, plan=await self._plan_to_follow(channel_id, day.isoformat(), plan, planned)
            )

    async def _claim(
        self,
        channel_id: int,
        day: str,
        owner: str,
        now: dt.datetime,
        until: dt.datetime,
        force: bool,
    ) -> Claim | None:
        rows = await self._rows(
            "SELECT status, generation, owner, lease_until, started_at FROM posts "
            "WHERE channel_id = ? AND day = ?",
            (channel_id, day),
        )
        if not rows:
            await self._write_in_tx(
                "INSERT INTO posts (channel_id, day, status, owner, lease_until, started_at) "
                "VALUES (?, ?, 'posting', ?, ?, ?)",
                (channel_id, day, owner, iso(until), iso(now)),
            )
            return Claim(0, {}, started_at=now)
        status, generation, holder, lease_until, started = rows[0]
        leased = holder not in (None, owner) and lease_until and lease_until > iso(now)
        if leased or (status != PostStatus.POSTING and not force):
            return None
        resumed = status == PostStatus.POSTING
        if not resumed:
            generation += 1
            started = iso(now)
            await self._drop_plan(channel_id, day)  # a forced post plans afresh
        await self._write_in_tx(
            "UPDATE posts SET status = 'posting', generation = ?, owner = ?, lease_until = ?, "
            "started_at = ?, reason = NULL, finished_at = NULL WHERE channel_id = ? AND day = ?",
            (generation, owner, iso(until), started, channel_id, day),
        )
        sent = await self._rows(
            "SELECT seq, message_id, target_id FROM post_messages "
            "WHERE channel_id = ? AND day = ? AND generation = ?",
            (channel_id, day, generation),
        )
        started_at = dt.datetime.fromisoformat(started)
        return Claim(generation, {s: (m, t) for s, m, t in sent}, resumed, started_at)

    async def renew(self, channel_id: int, day: dt.date, *, owner: str, until: dt.datetime) -> bool:
        """Extend `owner`'s lease (the heartbeat of a running post); False if it is not
        the owner any more (another process took over after the lease ran out)."""
        return (
            await self._write(
                "UPDATE posts SET lease_until = ? WHERE channel_id = ? AND day = ? "
                "AND owner = ? AND status = 'posting'",
                (iso(until), channel_id, day.isoformat(), owner),
            )
            > 0
        )

    async def record_message(
        self,
        channel_id: int,
        day: dt.date,
        generation: int,
        seq: int,
        message_id: int,
        target_id: int,
    ) -> None:
        """Record a sent message at once so a restart never resends it."""
        await self._write(
            "INSERT OR REPLACE INTO post_messages VALUES (?, ?, ?, ?, ?, ?)",
            (channel_id, day.isoformat(), generation, seq, message_id, target_id),
        )

    async def finish(self, channel_id: int, day: dt.date, now: dt.datetime, planned: int) -> None:
        """Mark the post done; its stored plan is no longer needed."""
        async with self._db.transaction():
            await self._write_in_tx(
                "UPDATE posts SET status = 'done', owner = NULL, lease_until = NULL, "
                "planned = ?, finished_at = ? WHERE channel_id = ? AND day = ?",
                (planned, iso(now), channel_id, day.isoformat()),
            )
            await self._drop_plan(channel_id, day.isoformat())

    async def release(self, channel_id: int, day: dt.date, reason: str) -> None:
        """Give up the lease after a failure; the post stays unfinished and resumable."""
        await self._write(
            "UPDATE posts SET owner = NULL, lease_until = NULL, reason = ? "
            "WHERE channel_id = ? AND day = ?",
            (reason, channel_id, day.isoformat()),
        )

    async def skip(self, channel_id: int, day: dt.date, reason: str, now: dt.datetime) -> None:
        await self._write(
            "INSERT INTO posts (channel_id, day, status, reason, started_at, finished_at) "
            "VALUES (?, ?, 'skipped', ?, ?, ?) ON CONFLICT (channel_id, day) DO NOTHING",
            (channel_id, day.isoformat(), reason, iso(now), iso(now)),
        )

    async def post_state(self, channel_id: int, day: dt.date) -> PostState | None:
        found = await self._post_states(
            "WHERE p.channel_id = ? AND p.day = ?", (channel_id, day.isoformat())
        )
        return found[0] if found else None

    async def last_post(self, channel_id: int) -> PostState | None:
        found = await self._post_states(
            "WHERE p.channel_id = ? ORDER BY p.day DESC LIMIT 1", (channel_id,)
        )
        return found[0] if found else None

    async def settled_days(self, channel_id: int, since: dt.date) -> set[dt.date]:
        """Days done or skipped for a channel from `since` on."""
        rows = await self._rows(
            "SELECT day FROM posts WHERE channel_id = ? AND day >= ? AND status != 'posting'",
            (channel_id, since.isoformat()),
        )
        return {dt.date.fromisoformat(r[0]) for r in rows}

    async def _post_states(self, where: str, params: tuple[Any, ...]) -> list[PostState]:
        rows = await self._rows(
            "SELECT p.channel_id, p.day, p.generation, p.status, p.planned, "
            "(SELECT count(*) FROM post_messages m WHERE m.channel_id = p.channel_id "
            " AND m.day = p.day AND m.generation = p.generation), p.reason, p.finished_at, "
            f"p.owner, p.lease_until FROM posts p {where}",
            params,
        )
        return [_post_state(r) for r in rows]
