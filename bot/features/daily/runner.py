"""Turning due decisions into posts: one task per channel, failures kept per channel."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

import discord

from bot.config import DailyConfig, parse_hhmm
from bot.features.daily.discord_errors import describe_http, transient
from bot.features.daily.plan import Planned, plan_post, select
from bot.features.daily.poster import Poster, Result
from bot.features.daily.schedule import Decision, Rules, due
from bot.models import Digest, OnMissing, PostStyle
from bot.store import PaperStore
from bot.store.daily import DailyStore
from bot.store.subscriptions import Subscription

log = logging.getLogger(__name__)
PAUSE_AFTER = 3  # consecutive failures before a subscription is paused
# Posts in flight at once. The Pacer sets the pace (daily.global_rate_per_second, <= 50/s);
# the slots must keep it busy while each channel waits on its own bucket (5 messages / 5 s: a
# thread post sends ~1 a second once it binds) and on Discord's round trip, so slots >= rate x
# ~1 s, with room to spare. `bench/fanout.py --style thread` shows whether a fan-out keeps the
# pacer at its rate (bench/RESULTS.md, Daily fan-out).
CONCURRENCY = 64
ChannelLookup = Callable[[int], Awaitable[discord.abc.GuildChannel | discord.Thread | None]]


def rules_for(sub: Subscription, config: DailyConfig, day_complete: dt.time | None = None) -> Rules:
    """The subscription's schedule; `day_complete` (UTC) when days are built from Hugging
    Face (sources.huggingface on), so a day no Korean digest holds posts at `built_at`."""
    return Rules(
        post_time=parse_hhmm(sub.post_time),
        tz=ZoneInfo(sub.timezone),
        wait=dt.timedelta(minutes=config.wait_for_digest_minutes),
        catch_up=dt.timedelta(hours=config.catch_up_hours),
        skip_missing=config.on_missing == OnMissing.SKIP,
        day_complete=day_complete,
    )


class Runner:
    """Runs every subscription's due posts; a failing channel never delays the others."""

    def __init__(
        self,
        papers: PaperStore,
        daily: DailyStore,
        poster: Poster,
        config: DailyConfig,
        lookup: ChannelLookup,
        *,
        source_url: Callable[[dt.date], str | None],
        built_url: Callable[[dt.date], str | None] = lambda day: None,
        day_complete: dt.time | None = None,
        empty: Callable[[dt.date], bool] = lambda day: False,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.papers, self.daily, self.poster, self.config = papers, daily, poster, config
        self.lookup, self.source_url, self.built_url = lookup, source_url, built_url
        self.day_complete = day_complete  # UTC; None: no days are built from Hugging Face
        self.empty = empty  # a day Hugging Face lists no papers for (BuiltDaySource.empty)
        self._slots = asyncio.Semaphore(concurrency)
        self._busy: set[int] = set()

    def rules(self, sub: Subscription) -> Rules:
        return rules_for(sub, self.config, self.day_complete)

    async def run_due(self, now: dt.datetime) -> tuple[dict[int, Result], bool]:
        """Post what is due now. Returns results per channel and whether a digest is awaited
        closely enough to check the sources every minute (Decision.poll)."""
        available, only_built = await self.available_days()
        jobs: dict[int, Awaitable[Result]] = {}
        waiting = False
        for sub in await self.daily.subscriptions():
            if sub.paused_reason or sub.channel_id in self._busy:
                continue
            for decision in await self.decisions(sub, now, available, only_built):
                if decision.action == "skip":
                    log.info(
                        "skipping %s for channel %s: %s",
                        decision.day,
                        sub.channel_id,
                        decision.reason,
                    )
                    await self.daily.skip(sub.channel_id, decision.day, decision.reason, now)
                elif decision.action == "wait":
                    waiting = waiting or decision.poll
                elif sub.channel_id not in jobs:
                    jobs[sub.channel_id] = self._guarded(sub, decision.day)
        results = await asyncio.gather(*jobs.values())
        return dict(zip(jobs, results, strict=True)), waiting

    async def decisions(
        self,
        sub: Subscription,
        now: dt.datetime,
        available: set[dt.date],
        only_built: set[dt.date],
    ) -> list[Decision]:
        """What is due for `sub` now (schedule.due over its ledger's settled days)."""
        since = now.date() - dt.timedelta(days=14)
        settled = await self.daily.settled_days(sub.channel_id, since)
        recent = (since + dt.timedelta(days=n) for n in range(16))
        return due(
            now,
            self.rules(sub),
            available,
            settled,
            not_before=sub.created_at,
            only_built=only_built,
            empty={day for day in recent if self.empty(day)},
        )

    async def available_days(self) -> tuple[set[dt.date], set[dt.date]]:
        """The recent days a post may carry, and those of them no Korean digest holds (built
        from Hugging Face only). Every day in the store but one that only built files hold,
        each fetched before Hugging Face's day was complete (DayInfo.incomplete): its post
        waits for it as for a missing digest, until it is built again complete."""
        days = [d for d in await self.papers.days(limit=14) if not d.incomplete]
        return {d.day for d in days}, {d.day for d in days if d.only_built}

    async def _guarded(self, sub: Subscription, day: dt.date) -> Result:
        async with self._slots:
            try:
                return await self.post(sub, day)
            except Exception as exc:  # e.g. sqlite "database is locked": retried next tick
                log.exception("post of %s to channel %s broke off", day, sub.channel_id)
                return Result("failed", reason=f"unexpected error: {exc!r}"[:200], transient=True)

    async def post(
        self,
        sub: Subscription,
        day: dt.date,
        *,
        force: bool = False,
        wait_for_holder: bool = False,
    ) -> Result:
        """Post `day` to the subscription's channel now; failures are recorded, not raised.
        `wait_for_holder`: see Poster.post (for /daily post-now, which may wait).
        One post per channel at a time in this process: the ledger's lease keeps other
        processes out, but lets its own owner back in (to resume), so a `/daily post-now`
        during the scheduler's post of that channel would otherwise post alongside it."""
        if sub.channel_id in self._busy:
            return Result("busy")
        self._busy.add(sub.channel_id)
        try:
            return await self._post(sub, day, force=force, wait=wait_for_holder)
        finally:
            self._busy.discard(sub.channel_id)

    async def _post(self, sub: Subscription, day: dt.date, *, force: bool, wait: bool) -> Result:
        digest = await self.papers.digest(day)
        if digest is None:
            return Result("failed", reason=f"no digest for {day}")
        try:
            channel = await self.lookup(sub.channel_id)
        except discord.HTTPException as exc:
            if transient(exc):
                return Result("failed", reason=describe_http(exc), transient=True)
            return await self._failed(sub, describe_http(exc))
        if not isinstance(channel, discord.TextChannel):
            return await self._failed(sub, "The channel is gone or is not a text channel")
        if channel.guild.unavailable or channel.guild.me is None:
            # Before READY (or in an outage) the guild is a stub: no permissions, no locale.
            # A plan made from it would be the post's stored plan (a thread post turned into
            # embeds), so wait for the next tick instead.
            return Result("busy", reason="the server is not loaded yet")
        plan = self.plan(sub, digest, channel, built=await self.only_built(day))
        result = await self.poster.post(channel, day, plan, force=force, wait_for_holder=wait)
        if result.outcome == "failed" and not result.transient:
            return await self._failed(sub, result.reason)
        if result.outcome == "posted":
            await self.daily.record_success(sub.channel_id)
            log.info("posted %s to channel %s (%d messages)", day, sub.channel_id, result.sent)
        return result

    async def only_built(self, day: dt.date) -> bool:
        """Whether no Korean digest holds `day`: every file of it was built from Hugging Face."""
        found = await self.papers.days(prefix=day.isoformat(), limit=1)
        return bool(found) and found[0].day == day and found[0].only_built

    def plan(
        self,
        sub: Subscription,
        digest: Digest,
        channel: discord.TextChannel | None,
        *,
        built: bool = False,
    ) -> list[Planned]:
        """The post of `digest` in `channel`; a `built` day links to where it was built from
        rather than to the Korean digest's page, which does not exist."""
        style = sub.style
        if style == PostStyle.THREAD and channel is not None and not _can_thread(channel):
            style = PostStyle.EMBEDS
        papers = select(
            digest.papers,
            order=self.config.order,
            min_votes=sub.min_votes,
            max_papers=sub.max_papers,
        )
        locale = str(channel.guild.preferred_locale) if channel is not None else "ko"
        source = (self.built_url if built else self.source_url)(digest.day)
        return plan_post(digest, style, papers=papers, source_url=source, locale=locale)

    async def _failed(self, sub: Subscription, reason: str) -> Result:
        paused = await self.daily.record_failure(sub.channel_id, reason, PAUSE_AFTER)
        if paused:
            log.warning("paused daily posts to channel %s: %s", sub.channel_id, reason)
        return Result("failed", reason=reason)


def _can_thread(channel: discord.TextChannel) -> bool:
    me = channel.guild.me
    if me is None:
        return False
    perms = channel.permissions_for(me)
    return perms.create_public_threads and perms.send_messages_in_threads
