"""Sending planned alerts by direct message, each exactly once, one member's trouble their own.

Workers take alerts one at a time from the ledger (bot/store/follows.py) with a short lease;
one heartbeat renews every lease this process holds. For each alert: the member must still
share a server with the bot (a member lookup), the DM channel is opened once and remembered,
and every message is recorded as soon as Discord took it. Every request goes through the
bot's one Pacer, which the daily posts share, so together they stay under Discord's global
limit. A closed DM (403, code 50007) or a member gone from every server settles the alert and
marks the member, so later days are not tried until the member uses /follow again; a 429 or
5xx that outlasted discord.py's retries gives the alert back for a later tick.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

import discord

from bot.features.follows.plan import AlertMessage, decode, nonce
from bot.models import AlertStatus
from bot.pacer import Pacer
from bot.render.embeds import signature
from bot.store.follows import AlertClaim, FollowStore

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
NONE = discord.AllowedMentions.none()
# A lease is short and renewed by the heartbeat while this process runs: a process that
# died stops renewing, and another (or the restarted one) takes its alerts over once the
# lease ran out, i.e. within LEASE + one tick of the crash.
LEASE = dt.timedelta(seconds=20)
HEARTBEAT = 5.0  # seconds between renewals
MARGIN = dt.timedelta(seconds=5)  # stop sending with less than this left of the lease
RETRY_AFTER = dt.timedelta(minutes=1)  # an alert given back after Discord's trouble waits this
# Alerts in flight at once: enough to keep the Pacer busy (<= 50 requests/s) while each DM
# waits on Discord's round trip; bench/alerts.py shows whether the fan-out keeps its pace.
CONCURRENCY = 64
HISTORY_SCAN = 50
DMS_CLOSED = 50007  # "Cannot send messages to this user"
UNKNOWN_MEMBER = 10007


class LeaseLost(Exception):
    """The heartbeat could not renew the leases in time: stop before another may take over."""


@dataclass(slots=True)
class Counts:
    """What one run of the workers did."""

    outcomes: dict[str, int] = field(default_factory=dict)
    messages: int = 0

    def add(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class Deliverer:
    """Sends pending alerts through `client`; the ledger makes each message go out once."""

    def __init__(
        self,
        store: FollowStore,
        client: discord.Client,
        pacer: Pacer,
        *,
        owner: str,
        clock: Clock,
        lease: dt.timedelta = LEASE,
        heartbeat: float = HEARTBEAT,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.store, self.client, self.pacer = store, client, pacer
        self.owner, self.clock, self.lease = owner, clock, lease
        self.heartbeat, self.concurrency = heartbeat, concurrency
        self._until: dict[tuple[int, dt.date], dt.datetime] = {}
        self._running = asyncio.Lock()

    async def run(self, since: dt.date) -> Counts:
        """Send every pending alert of `since` or later that nobody else holds."""
        counts = Counts()
        async with self._running:
            beat = asyncio.create_task(self._beat())
            try:
                workers = [self._work(since, counts) for _ in range(self.concurrency)]
                await asyncio.gather(*workers)
            finally:
                beat.cancel()
        return counts

    async def stop(self) -> None:
        """Give back every lease held (the process is stopping)."""
        await self.store.release_all(self.owner)

    async def _work(self, since: dt.date, counts: Counts) -> None:
        while True:
            now = self.clock()
            try:
                claim = await self.store.claim(
                    owner=self.owner, now=now, lease=self.lease, since=since
                )
            except sqlite3.Error as exc:
                # e.g. "database is locked" by another process past the busy timeout: this
                # worker stops for this run (nothing was claimed); the others and the next
                # tick go on. Raising here would end the run while the other workers still
                # send, with their leases no longer renewed.
                log.warning("could not claim an alert (%s); trying again next tick", exc)
                return
            if claim is None:
                return
            key = (claim.member_id, claim.day)
            self._until[key] = now + self.lease
            try:
                outcome = await self._deliver(claim, counts)
            except Exception as exc:  # e.g. "database is locked": given back, tried later
                log.exception("alert of %s to member %s broke off", claim.day, claim.member_id)
                await self._give_back(claim, f"unexpected error: {exc!r}"[:200])
                outcome = "failed"
            finally:
                self._until.pop(key, None)
            counts.add(outcome)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            until = self.clock() + self.lease
            held = list(self._until)
            try:
                await self.store.renew(self.owner, until)
            except Exception:
                log.warning("could not renew the alerts' leases", exc_info=True)
                continue
            for key in held:
                if key in self._until:
                    self._until[key] = until

    async def _give_back(self, claim: AlertClaim, reason: str) -> None:
        try:
            await self.store.release(
                claim.member_id, claim.day, reason, retry_at=self.clock() + RETRY_AFTER
            )
        except Exception:
            log.warning("could not give back alert of %s", claim.day, exc_info=True)

    async def _deliver(self, claim: AlertClaim, counts: Counts) -> str:
        member = await self.store.member(claim.member_id)
        now = self.clock()
        if member is not None and member.problem is not None:
            reason = f"not tried: {member.problem} since {member.problem_day}"
            await self.store.settle(claim.member_id, claim.day, member.problem, now, reason)
            return str(member.problem)
        try:
            if not await self._shares_server(claim.member_id):
                await self.store.settle(
                    claim.member_id, claim.day, AlertStatus.GONE, now, "shares no server"
                )
                await self.store.set_problem(claim.member_id, AlertStatus.GONE, claim.day)
                return str(AlertStatus.GONE)
            channel = await self._channel(claim.member_id, member.dm_channel_id if member else None)
            counts.messages += await self._send_all(claim, channel)
        except discord.HTTPException as exc:
            return await self._refused(claim, exc)
        except LeaseLost:
            log.warning("alert of %s to member %s stopped: lease lost", claim.day, claim.member_id)
            return "lease lost"
        await self.store.settle(claim.member_id, claim.day, AlertStatus.DONE, self.clock())
        return str(AlertStatus.DONE)

    async def _refused(self, claim: AlertClaim, exc: discord.HTTPException) -> str:
        now = self.clock()
        if exc.status == 429 or exc.status >= 500:
            await self._give_back(claim, f"Discord error HTTP {exc.status}")
            return "retry"
        if isinstance(exc, discord.Forbidden) and exc.code == DMS_CLOSED:
            await self.store.settle(
                claim.member_id, claim.day, AlertStatus.CLOSED, now, "direct messages closed"
            )
            await self.store.set_problem(claim.member_id, AlertStatus.CLOSED, claim.day)
            log.info("member %s has closed direct messages", claim.member_id)
            return str(AlertStatus.CLOSED)
        reason = f"HTTP {exc.status}, code {exc.code}: {exc.text[:150]}"
        await self.store.settle(claim.member_id, claim.day, AlertStatus.FAILED, now, reason)
        return str(AlertStatus.FAILED)

    async def _shares_server(self, member_id: int) -> bool:
        """Whether a server the member used /follow in still has both them and the bot."""
        for guild_id in await self.store.guilds(member_id):
            guild = self.client.get_guild(guild_id)
            if guild is None:
                continue  # the bot is not in it (any more)
            await self.pacer.acquire()
            try:
                await guild.fetch_member(member_id)
            except discord.NotFound:
                await self.store.forget_guild(member_id, guild_id)
                continue
            return True
        return False

    async def _channel(self, member_id: int, known: int | None) -> discord.abc.Messageable:
        if known is not None:
            return self.client.get_partial_messageable(known, type=discord.ChannelType.private)
        await self.pacer.acquire()  # opening a DM channel is a request like any other
        channel = await self.client.create_dm(discord.Object(id=member_id))
        await self.store.set_dm_channel(member_id, channel.id)
        return channel

    async def _send_all(self, claim: AlertClaim, channel: discord.abc.Messageable) -> int:
        plan = decode(claim.plan)
        done = dict(claim.sent)
        if claim.resumed:
            for seq, message_id in (await self._found(claim, channel, plan, done)).items():
                await self.store.record_message(claim.member_id, claim.day, seq, message_id)
                done[seq] = message_id
        sent = 0
        key = (claim.member_id, claim.day)
        for item in plan:
            if item.seq in done:
                continue
            await self.pacer.acquire()
            if self.clock() >= self._until[key] - MARGIN:
                raise LeaseLost
            message = await channel.send(
                content=item.content,
                embeds=list(item.embeds),
                view=item.view() or discord.utils.MISSING,  # Save (bot/cards.py)
                nonce=nonce(claim.member_id, claim.day, item.seq),
                allowed_mentions=NONE,
            )
            await self.store.record_message(claim.member_id, claim.day, item.seq, message.id)
            sent += 1
        return sent

    async def _found(
        self,
        claim: AlertClaim,
        channel: discord.abc.Messageable,
        plan: list[AlertMessage],
        done: dict[int, int],
    ) -> dict[int, int]:
        """Messages Discord stored that the ledger missed (a crash between send and record)."""
        pending = {m.signature(): m.seq for m in plan if m.seq not in done}
        if not pending:
            return {}
        since = claim.started_at - dt.timedelta(minutes=1)
        after = max(done.values(), default=discord.utils.time_snowflake(since))
        me = self.client.user.id if self.client.user else None
        found: dict[int, int] = {}
        await self.pacer.acquire()
        history = channel.history(
            limit=HISTORY_SCAN, after=discord.Object(id=after), oldest_first=True
        )
        async for message in history:
            seq = pending.get(signature(message.content, message.embeds))
            if message.author.id == me and seq is not None and seq not in found:
                found[seq] = message.id
                log.info("found message %s of a resumed alert in the DM's history", message.id)
        return found
