"""Sending a planned post exactly once per channel and day, resumable after any crash."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import discord

from bot.features.daily.discord_errors import describe_http, transient
from bot.features.daily.plan import Planned, decode_plan, encode_plan, nonce
from bot.models import PostStatus
from bot.pacer import Pacer
from bot.render.embeds import signature
from bot.store.daily import DailyStore
from bot.store.ledger import Claim

log = logging.getLogger(__name__)
Outcome = Literal["posted", "already", "busy", "failed"]
# A post's lease is short and renewed by a heartbeat while the post runs: a process that dies
# mid-post stops renewing, and another (or the restarted one) takes over once the lease ran
# out, i.e. within LEASE + one scheduler tick (30 s) of the crash.
LEASE = dt.timedelta(seconds=20)
HEARTBEAT = 5.0  # seconds between renewals: a live holder renews well within LEASE
# Stop sending when the lease, as last renewed, has less than this left (renewals failing,
# e.g. the database locked): past its end another process may take the post over.
MARGIN = dt.timedelta(seconds=5)
HISTORY_SCAN = 50
NONE = discord.AllowedMentions.none()


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    sent: int = 0
    reason: str = ""
    transient: bool = False  # failed on Discord's side (see `transient`): not the channel's fault
    holder: str | None = None  # "busy": the other live process posting it


class LeaseLost(Exception):
    """The lease could not be renewed in time: stop before another process may take over."""


@dataclass(slots=True)
class _Lease:
    until: dt.datetime
    lost: bool = False


class Poster:
    """Posts plans into channels; the ledger in DailyStore makes every message go out once."""

    def __init__(
        self,
        store: DailyStore,
        *,
        owner: str,
        pacer: Pacer,
        clock: Callable[[], dt.datetime],
        bot_user_id: Callable[[], int | None],
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.store, self.owner, self.pacer, self.clock = store, owner, pacer, clock
        self.bot_user_id, self.heartbeat = bot_user_id, heartbeat

    async def post(
        self,
        channel: discord.TextChannel,
        day: dt.date,
        plan: Sequence[Planned],
        *,
        force: bool = False,
        wait_for_holder: bool = False,
    ) -> Result:
        """Post `plan`, or finish the plan an unfinished post of the day started with.
        With `wait_for_holder`, a post another process holds is waited on until its holder
        either renews the lease (alive: "busy") or lets it run out (gone: taken over)."""
        claimed = await self._claim(channel.id, day, plan, force, wait_for_holder)
        if isinstance(claimed, Result):
            return claimed
        claim, plan = claimed, decode_plan(claimed.plan)
        lease = _Lease(self.clock() + LEASE)
        beat = asyncio.create_task(self._beat(channel.id, day, lease))
        try:
            sent = await self._send_all(channel, day, plan, claim, lease)
        except discord.HTTPException as exc:
            reason = describe_http(exc)
            await self.store.release(channel.id, day, reason)
            log.warning("post of %s to channel %s stopped: %s", day, channel.id, reason)
            return Result("failed", reason=reason, transient=transient(exc))
        except LeaseLost:
            log.warning("post of %s to channel %s stopped: its lease ran out", day, channel.id)
            return Result("failed", reason="the post's lease could not be renewed", transient=True)
        finally:
            beat.cancel()
        await self.store.finish(channel.id, day, self.clock(), len(plan))
        return Result("posted", sent=sent)

    async def _claim(
        self,
        channel_id: int,
        day: dt.date,
        plan: Sequence[Planned],
        force: bool,
        wait: bool,
    ) -> Claim | Result:
        body = encode_plan(plan)
        seen: dt.datetime | None = None  # the holder's lease when we first saw it
        give_up = asyncio.get_running_loop().time() + (LEASE + MARGIN).total_seconds()
        while True:
            claim = await self.store.claim(
                channel_id,
                day,
                owner=self.owner,
                now=self.clock(),
                lease=LEASE,
                plan=body,
                planned=len(plan),
                force=force,
            )
            if claim is not None:
                return claim
            state = await self.store.post_state(channel_id, day)
            if state is None or state.status != PostStatus.POSTING:
                return Result("already")
            seen = seen or state.lease_until
            renewed = (
                state.lease_until is not None and seen is not None and state.lease_until > seen
            )
            if not wait or renewed or asyncio.get_running_loop().time() > give_up:
                return Result("busy", holder=state.owner)
            await asyncio.sleep(min(1.0, self.heartbeat))

    async def _beat(self, channel_id: int, day: dt.date, lease: _Lease) -> None:
        """Renew the lease every `heartbeat` seconds while the post runs (also while a send
        waits out a rate limit). A failed renewal is retried; the send loop stops in time."""
        while True:
            await asyncio.sleep(self.heartbeat)
            until = self.clock() + LEASE
            try:
                if not await self.store.renew(channel_id, day, owner=self.owner, until=until):
                    lease.lost = True
                    return
            except Exception:
                log.warning("could not renew the lease of %s in %s", day, channel_id, exc_info=True)
                continue
            lease.until = until

    async def _send_all(
        self,
        channel: discord.TextChannel,
        day: dt.date,
        plan: Sequence[Planned],
        claim: Claim,
        lease: _Lease,
    ) -> int:
        done = dict(claim.sent)
        if claim.resumed:
            found = await self._found_in_history(channel, plan, done, claim)
            for seq, (message_id, target_id) in sorted(found.items()):
                await self._record(channel, day, claim, seq, message_id, target_id)
            done |= found
        thread: discord.abc.Messageable | None = None
        sent = 0
        for item in plan:
            if item.seq in done:
                continue
            target: discord.abc.Messageable = channel
            if item.in_thread:
                thread = thread or await self._thread(channel, plan, done)
                target = thread
            await self.pacer.acquire()
            if lease.lost or self.clock() >= lease.until - MARGIN:
                raise LeaseLost
            message = await target.send(
                content=item.content,
                embeds=list(item.embeds),
                nonce=nonce(channel.id, day, claim.generation, item.seq),
                allowed_mentions=NONE,
                view=item.view() or discord.utils.MISSING,  # Save (bot/cards.py)
            )
            done[item.seq] = (message.id, message.channel.id)
            sent += 1
            await self._record(channel, day, claim, item.seq, message.id, message.channel.id)
        return sent

    async def _record(
        self,
        channel: discord.TextChannel,
        day: dt.date,
        claim: Claim,
        seq: int,
        message_id: int,
        target_id: int,
    ) -> None:
        await self.store.record_message(
            channel.id, day, claim.generation, seq, message_id, target_id
        )

    async def _thread(
        self,
        channel: discord.TextChannel,
        plan: Sequence[Planned],
        done: dict[int, tuple[int, int]],
    ) -> discord.Thread:
        """The thread started from the header message (created once; found again on resume)."""
        starter = next(p for p in plan if p.thread_name)
        message_id = done[starter.seq][0]
        existing = channel.guild.get_thread(message_id)
        if existing is not None:
            return existing
        await self.pacer.acquire()
        try:
            return await channel.get_partial_message(message_id).create_thread(
                name=starter.thread_name or "Daily Papers", auto_archive_duration=1440
            )
        except discord.HTTPException as exc:
            if exc.code != 160004:  # "A thread has already been created for this message"
                raise
            found = await channel.guild.fetch_channel(message_id)
            assert isinstance(found, discord.Thread)
            return found

    async def _found_in_history(
        self,
        channel: discord.TextChannel,
        plan: Sequence[Planned],
        done: dict[int, tuple[int, int]],
        claim: Claim,
    ) -> dict[int, tuple[int, int]]:
        """Messages Discord stored but the ledger missed (a crash between send and record),
        in the channel and, for a thread post, in the thread started from the header."""
        if any(p.seq in done for p in plan if not p.in_thread):
            after = max(m for m, t in done.values() if t == channel.id)
        else:
            since = claim.started_at or self.clock() - LEASE
            after = discord.utils.time_snowflake(since - dt.timedelta(minutes=1))
        found = await self._scan(channel, [p for p in plan if not p.in_thread], done, after)
        starter = next((p for p in plan if p.thread_name), None)
        known = done | found
        if starter is None or starter.seq not in known:
            return found
        thread = await self._started_thread(channel, known[starter.seq][0])
        if thread is not None:
            in_thread = [m for m, t in known.values() if t == thread.id]
            after = max(in_thread, default=thread.id)  # a thread's id is its starter's
            found |= await self._scan(thread, [p for p in plan if p.in_thread], done, after)
        return found

    async def _scan(
        self,
        target: discord.TextChannel | discord.Thread,
        items: Sequence[Planned],
        done: dict[int, tuple[int, int]],
        after: int,
    ) -> dict[int, tuple[int, int]]:
        pending = {p.signature(): p.seq for p in items if p.seq not in done}
        if not pending:
            return {}
        me = self.bot_user_id()
        found: dict[int, tuple[int, int]] = {}
        since = discord.Object(id=after)
        async for message in target.history(limit=HISTORY_SCAN, after=since, oldest_first=True):
            if message.author.id != me:
                continue
            seq = pending.get(signature(message.content or None, message.embeds))
            if seq is not None and seq not in found:
                found[seq] = (message.id, target.id)
                log.info("found message %s of a resumed post in history", message.id)
        return found

    async def _started_thread(
        self, channel: discord.TextChannel, message_id: int
    ) -> discord.Thread | None:
        """The thread started from a message, if there is one (it has the message's id)."""
        cached = channel.guild.get_thread(message_id)
        if cached is not None:
            return cached
        try:
            found = await channel.guild.fetch_channel(message_id)
        except discord.NotFound:
            return None
        return found if isinstance(found, discord.Thread) else None
