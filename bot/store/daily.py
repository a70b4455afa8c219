"""Daily-post data: subscriptions, the post ledger, and polled-source state."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from bot.models import Origin, PostStatus, PostStyle
from bot.store.database import Database


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


_SUB_COLS = (
    "channel_id, guild_id, post_time, timezone, style, min_votes, max_papers, origin, "
    "created_by, paused_reason, failures, last_error"
)


_SELECT_SUB = f"SELECT {_SUB_COLS}, created_at FROM subscriptions"


def _subscription(row: Any) -> Subscription:
    sub = Subscription(*row[:-1])
    created = dt.datetime.fromisoformat(row[-1])
    return replace(sub, style=PostStyle(sub.style), origin=Origin(sub.origin), created_at=created)


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


def _iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat()


class DailyStore:
    """All SQL of daily posting, on the papers Database's writer (its reads see its own
    writes at once: the ledger is read back right after it is written)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._conn = database.writer

    async def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        async with self._db.write_lock, self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)

    async def _write_in_tx(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)

    # --- subscriptions -------------------------------------------------------------------

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
                _iso(now),
                _iso(now),
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

    # --- the ledger ----------------------------------------------------------------------

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
            return await self._with_plan(channel_id, day.isoformat(), claim, plan, planned)

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
                (channel_id, day, owner, _iso(until), _iso(now)),
            )
            return Claim(0, {}, started_at=now)
        status, generation, holder, lease_until, started = rows[0]
        leased = holder not in (None, owner) and lease_until and lease_until > _iso(now)
        if leased or (status != PostStatus.POSTING and not force):
            return None
        resumed = status == PostStatus.POSTING
        if not resumed:
            generation += 1
            started = _iso(now)
            await self._drop_plan(channel_id, day)  # a forced post plans afresh
        await self._write_in_tx(
            "UPDATE posts SET status = 'posting', generation = ?, owner = ?, lease_until = ?, "
            "started_at = ?, reason = NULL, finished_at = NULL WHERE channel_id = ? AND day = ?",
            (generation, owner, _iso(until), started, channel_id, day),
        )
        sent = await self._rows(
            "SELECT seq, message_id, target_id FROM post_messages "
            "WHERE channel_id = ? AND day = ? AND generation = ?",
            (channel_id, day, generation),
        )
        started_at = dt.datetime.fromisoformat(started)
        return Claim(generation, {s: (m, t) for s, m, t in sent}, resumed, started_at)

    async def _with_plan(
        self, channel_id: int, day: str, claim: Claim, plan: bytes, planned: int
    ) -> Claim:
        """The claim with the plan it must follow: the stored one, else `plan`, now stored.
        (A post left unfinished before plans were stored has none and adopts `plan`.)"""
        rows = await self._rows(
            "SELECT b.body FROM posts p JOIN post_plans b ON b.id = p.plan_id "
            "WHERE p.channel_id = ? AND p.day = ?",
            (channel_id, day),
        )
        if rows:
            return replace(claim, plan=bytes(rows[0][0]))
        key = hashlib.blake2b(plan, digest_size=16).digest()
        await self._write_in_tx(
            "INSERT INTO post_plans (key, body) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, plan),
        )
        await self._write_in_tx(
            "UPDATE posts SET plan_id = (SELECT id FROM post_plans WHERE key = ?), planned = ? "
            "WHERE channel_id = ? AND day = ?",
            (key, planned, channel_id, day),
        )
        return replace(claim, plan=plan)

    async def _drop_plan(self, channel_id: int, day: str) -> None:
        """Detach a post's plan, deleting it unless another unfinished post shares it."""
        rows = await self._rows(
            "SELECT plan_id FROM posts WHERE channel_id = ? AND day = ? AND plan_id IS NOT NULL",
            (channel_id, day),
        )
        if not rows:
            return
        await self._write_in_tx(
            "UPDATE posts SET plan_id = NULL WHERE channel_id = ? AND day = ?", (channel_id, day)
        )
        await self._write_in_tx(
            "DELETE FROM post_plans WHERE id = ?1 "
            "AND NOT EXISTS (SELECT 1 FROM posts WHERE plan_id = ?1)",
            (rows[0][0],),
        )

    async def renew(self, channel_id: int, day: dt.date, *, owner: str, until: dt.datetime) -> bool:
        """Extend `owner`'s lease (the heartbeat of a running post); False if it is not
        the owner any more (another process took over after the lease ran out)."""
        return (
            await self._write(
                "UPDATE posts SET lease_until = ? WHERE channel_id = ? AND day = ? "
                "AND owner = ? AND status = 'posting'",
                (_iso(until), channel_id, day.isoformat(), owner),
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
                (planned, _iso(now), channel_id, day.isoformat()),
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
            (channel_id, day.isoformat(), reason, _iso(now), _iso(now)),
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

    # --- polled sources --------------------------------------------------------------------

    async def source_state(self, url: str) -> tuple[str | None, str | None]:
        rows = await self._rows(
            "SELECT etag, last_modified FROM source_state WHERE url = ?", (url,)
        )
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    async def save_source_state(
        self, url: str, etag: str | None, last_modified: str | None, status: int, now: dt.datetime
    ) -> None:
        await self._write(
            "INSERT OR REPLACE INTO source_state VALUES (?, ?, ?, ?, ?)",
            (url, etag, last_modified, _iso(now), status),
        )


def _same_settings(a: Subscription, b: Subscription) -> bool:
    keys = ("guild_id", "post_time", "timezone", "style", "min_votes", "max_papers", "origin")
    return all(getattr(a, k) == getattr(b, k) for k in keys)
