"""Follows and alerts: what members follow, where their alerts go, and the alert ledger.

The ledger sends each member's alert of a day exactly once, as the daily posts' ledger does
(bot/store/daily.py): a day's alerts are planned once, in one transaction, by whichever
process sees the day first (`plan_day`); each alert is then taken with a short lease that its
holder renews (`claim`, `renew`), every message is recorded as soon as Discord took it
(`record_message`), and an alert whose holder died is taken over once its lease ran out,
resuming after the messages recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import AlertStatus, FollowKind
from bot.store.database import Database
from bot.store.follow_match import MemberMatches, match_day

__all__ = ["AlertClaim", "AlertState", "Follow", "FollowStore", "MemberMatches", "MemberState"]


@dataclass(frozen=True, slots=True)
class Follow:
    kind: FollowKind
    query: str

    @property
    def key(self) -> str:
        """The follow as one string (an autocomplete value): `keyword:diffusion`."""
        return f"{self.kind}:{self.query}"

    @classmethod
    def from_key(cls, key: str) -> Follow | None:
        kind, sep, query = key.partition(":")
        if not sep or kind not in list(FollowKind) or not query:
            return None
        return cls(FollowKind(kind), query)


@dataclass(frozen=True, slots=True)
class MemberState:
    member_id: int
    locale: str
    dm_channel_id: int | None = None
    problem: AlertStatus | None = None  # CLOSED or GONE: alerts are not tried until cleared
    problem_day: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AlertState:
    member_id: int
    day: dt.date
    status: AlertStatus
    planned: int
    papers: int
    sent: int
    reason: str | None
    finished_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AlertClaim:
    """The right to send a member's alert of a day now, and what of it went out already."""

    member_id: int
    day: dt.date
    plan: bytes
    sent: dict[int, int]  # seq -> message id
    started_at: dt.datetime
    resumed: bool  # an earlier holder started it


class AddOutcome:
    ADDED = "added"
    EXISTS = "exists"
    FULL = "full"


def _iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class FollowStore:
    """All SQL of follows and alerts, on the Database's writer (the ledger is read back
    right after it is written) and, for matching, its readers."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._conn = database.writer

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        # One call on the connection's thread: a SELECT stepped by execute() holds a read
        # snapshot until fetched, and a write queued between the two (another task's) would
        # then meet another process's commit as "database is locked" at once.
        return list(await self._conn.execute_fetchall(sql, params))

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self.db.write_lock, self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)

    async def _in_tx(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)

    # --- follows -----------------------------------------------------------------------

    async def add(self, member_id: int, follow: Follow, now: dt.datetime, *, most: int) -> str:
        """Add a follow: AddOutcome.ADDED, EXISTS (already followed) or FULL (`most` already)."""
        async with self.db.transaction():
            rows = await self._rows(
                "SELECT count(*), sum(kind = ? AND query = ?) FROM follows WHERE member_id = ?",
                (follow.kind.value, follow.query, member_id),
            )
            count, same = int(rows[0][0]), int(rows[0][1] or 0)
            if same:
                return AddOutcome.EXISTS
            if count >= most:
                return AddOutcome.FULL
            await self._in_tx(
                "INSERT INTO follows (member_id, kind, query, created_at) VALUES (?, ?, ?, ?)",
                (member_id, follow.kind.value, follow.query, _iso(now)),
            )
        return AddOutcome.ADDED

    async def follows(self, member_id: int) -> list[Follow]:
        """A member's follows, oldest first."""
        rows = await self._rows(
            "SELECT kind, query FROM follows WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        return [Follow(FollowKind(k), str(q)) for k, q in rows]

    async def remove(self, member_id: int, follow: Follow) -> bool:
        return (
            await self._write(
                "DELETE FROM follows WHERE member_id = ? AND kind = ? AND query = ?",
                (member_id, follow.kind.value, follow.query),
            )
            > 0
        )

    async def matches(self, day: dt.date) -> list[MemberMatches]:
        """follow_match.match_day."""
        return await match_day(self.db, day)

    # --- members -----------------------------------------------------------------------

    async def member(self, member_id: int) -> MemberState | None:
        rows = await self._rows(
            "SELECT member_id, locale, dm_channel_id, problem, problem_day FROM follow_members "
            "WHERE member_id = ?",
            (member_id,),
        )
        if not rows:
            return None
        m, locale, channel, problem, day = rows[0]
        return MemberState(
            m, locale, channel, AlertStatus(problem) if problem else None, _date(day)
        )

    async def seen(
        self, member_id: int, guild_id: int | None, locale: str, now: dt.datetime
    ) -> MemberState | None:
        """A member used /follow (in `guild_id`): remember the server and their language and
        clear any delivery problem (the next alert is tried again). Returns the state before."""
        before = await self.member(member_id)
        async with self.db.transaction():
            await self._in_tx(
                "INSERT INTO follow_members (member_id, locale, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (member_id) DO UPDATE SET locale = excluded.locale, "
                "problem = NULL, problem_day = NULL, updated_at = excluded.updated_at",
                (member_id, locale, _iso(now)),
            )
            if guild_id is not None:
                await self._in_tx(
                    "INSERT OR IGNORE INTO follow_guilds (member_id, guild_id) VALUES (?, ?)",
                    (member_id, guild_id),
                )
        return before

    async def locales(self, member_ids: Sequence[int]) -> dict[int, str]:
        """The language of each member's alerts (their last /follow command's)."""
        rows = await self._rows(
            "SELECT member_id, locale FROM follow_members "
            "WHERE member_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(member_ids)),),
        )
        return {int(m): str(loc) for m, loc in rows}

    async def guilds(self, member_id: int) -> list[int]:
        rows = await self._rows(
            "SELECT guild_id FROM follow_guilds WHERE member_id = ? ORDER BY guild_id",
            (member_id,),
        )
        return [int(r[0]) for r in rows]

    async def forget_guild(self, member_id: int, guild_id: int) -> None:
        """The member is not in that server any more."""
        await self._write(
            "DELETE FROM follow_guilds WHERE member_id = ? AND guild_id = ?", (member_id, guild_id)
        )

    async def set_dm_channel(self, member_id: int, channel_id: int) -> None:
        await self._write(
            "UPDATE follow_members SET dm_channel_id = ? WHERE member_id = ?",
            (channel_id, member_id),
        )

    async def set_problem(self, member_id: int, problem: AlertStatus, day: dt.date) -> None:
        await self._write(
            "UPDATE follow_members SET problem = ?, problem_day = ? WHERE member_id = ?",
            (problem.value, day.isoformat(), member_id),
        )

    # --- the ledger ----------------------------------------------------------------------

    async def planned_days(self, since: dt.date) -> set[dt.date]:
        rows = await self._rows("SELECT day FROM alert_days WHERE day >= ?", (since.isoformat(),))
        return {dt.date.fromisoformat(r[0]) for r in rows}

    async def plan_day(
        self,
        day: dt.date,
        alerts: Sequence[tuple[int, int, int, bytes]],
        now: dt.datetime,
    ) -> bool:
        """Plan a day's alerts: (member id, messages, papers, plan) each; False (and nothing
        written) when the day was planned already, by this process or another."""
        async with self.db.transaction():
            rows = await self._rows("SELECT 1 FROM alert_days WHERE day = ?", (day.isoformat(),))
            if rows:
                return False
            await self._conn.executemany(
                "INSERT INTO alerts (member_id, day, status, planned, papers, plan) "
                "VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING",
                [(m, day.isoformat(), n, p, plan) for m, n, p, plan in alerts],
            )
            await self._in_tx(
                "INSERT INTO alert_days (day, planned_at, members) VALUES (?, ?, ?)",
                (day.isoformat(), _iso(now), len(alerts)),
            )
        return True

    async def expire(self, before: dt.date, now: dt.datetime) -> int:
        """Alerts of days before `before` nobody holds are not sent any more."""
        return await self._write(
            "UPDATE alerts SET status = 'expired', plan = NULL, finished_at = ?, "
            "reason = 'past the catch-up window' WHERE status = 'pending' AND day < ? "
            "AND (lease_until IS NULL OR lease_until <= ?)",
            (_iso(now), before.isoformat(), _iso(now)),
        )

    async def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, since: dt.date
    ) -> AlertClaim | None:
        """Take the next pending alert (of `since` or later) that nobody holds (no lease, or
        one that ran out), oldest day first; None when there is none."""
        async with self.db.transaction():
            rows = await self._rows(
                "SELECT member_id, day, plan, started_at FROM alerts "
                "WHERE status = 'pending' AND day >= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) "
                "ORDER BY day, member_id LIMIT 1",
                (since.isoformat(), _iso(now)),
            )
            if not rows:
                return None
            member_id, day, plan, started = rows[0]
            await self._in_tx(
                "UPDATE alerts SET owner = ?, lease_until = ?, started_at = ? "
                "WHERE member_id = ? AND day = ?",
                (owner, _iso(now + lease), started or _iso(now), member_id, day),
            )
            sent = await self._rows(
                "SELECT seq, message_id FROM alert_messages WHERE member_id = ? AND day = ?",
                (member_id, day),
            )
        return AlertClaim(
            int(member_id),
            dt.date.fromisoformat(day),
            bytes(plan or b""),
            {int(s): int(m) for s, m in sent},
            dt.datetime.fromisoformat(started) if started else now,
            resumed=started is not None,
        )

    async def renew(self, owner: str, until: dt.datetime) -> int:
        """Extend every lease `owner` holds (its heartbeat); how many it still holds."""
        return await self._write(
            "UPDATE alerts SET lease_until = ? WHERE owner = ? AND status = 'pending'",
            (_iso(until), owner),
        )

    async def record_message(self, member_id: int, day: dt.date, seq: int, message_id: int) -> None:
        """Record a sent message at once so a restart never resends it."""
        await self._write(
            "INSERT OR REPLACE INTO alert_messages VALUES (?, ?, ?, ?)",
            (member_id, day.isoformat(), seq, message_id),
        )

    async def settle(
        self,
        member_id: int,
        day: dt.date,
        status: AlertStatus,
        now: dt.datetime,
        reason: str | None = None,
    ) -> None:
        """The alert is done (or will never be sent: `status` says why); its plan goes."""
        await self._write(
            "UPDATE alerts SET status = ?, plan = NULL, owner = NULL, lease_until = NULL, "
            "finished_at = ?, reason = ? WHERE member_id = ? AND day = ?",
            (status.value, _iso(now), reason, member_id, day.isoformat()),
        )

    async def release(
        self, member_id: int, day: dt.date, reason: str, *, retry_at: dt.datetime
    ) -> None:
        """Give the alert back after a failure that is Discord's: any process may resume it
        from `retry_at` on."""
        await self._write(
            "UPDATE alerts SET owner = NULL, lease_until = ?, reason = ? "
            "WHERE member_id = ? AND day = ? AND status = 'pending'",
            (_iso(retry_at), reason, member_id, day.isoformat()),
        )

    async def release_all(self, owner: str) -> None:
        """Give up every lease `owner` holds (it is stopping)."""
        await self._write(
            "UPDATE alerts SET owner = NULL, lease_until = NULL WHERE owner = ? "
            "AND status = 'pending'",
            (owner,),
        )

    async def alert(self, member_id: int, day: dt.date) -> AlertState | None:
        found = await self._states(
            "WHERE a.member_id = ? AND a.day = ?", (member_id, day.isoformat())
        )
        return found[0] if found else None

    async def last_alert(self, member_id: int) -> AlertState | None:
        """The member's newest alert (any status)."""
        found = await self._states(
            "WHERE a.member_id = ? ORDER BY a.day DESC LIMIT 1", (member_id,)
        )
        return found[0] if found else None

    async def _states(self, where: str, params: Sequence[Any]) -> list[AlertState]:
        rows = await self._rows(
            "SELECT a.member_id, a.day, a.status, a.planned, a.papers, (SELECT count(*) FROM "
            "alert_messages m WHERE m.member_id = a.member_id AND m.day = a.day), a.reason, "
            f"a.finished_at FROM alerts a {where}",
            params,
        )
        return [
            AlertState(
                int(m),
                dt.date.fromisoformat(d),
                AlertStatus(s),
                int(n),
                int(p),
                int(sent),
                reason,
                dt.datetime.fromisoformat(f) if f else None,
            )
            for m, d, s, n, p, sent, reason, f in rows
        ]
