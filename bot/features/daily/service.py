"""What /daily does, apart from Discord's commands: subscriptions, status, preview, post-now,
and the scheduler's tick and poll. The cog parses and answers; this decides and stores."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import discord

from bot.config import DailyConfig, SubscriptionConfig, parse_hhmm, parse_timezone
from bot.features.daily.built import needed_days
from bot.features.daily.plan import Planned
from bot.features.daily.poster import Result
from bot.features.daily.runner import Runner
from bot.features.daily.schedule import due, next_post, post_at
from bot.features.daily.sources import Sources
from bot.huggingface.build import DAY_COMPLETE, complete_at
from bot.models import Origin, PostStyle
from bot.store import DayInfo, PaperStore
from bot.store.daily import DailyStore
from bot.store.ledger import PostState
from bot.store.subscriptions import Subscription

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
POLL_WHEN_WAITING = dt.timedelta(minutes=1)  # how often an awaited digest is polled for
RECENT_DAYS = 4  # days /daily status says the origin of


@dataclass(frozen=True, slots=True)
class BuiltPost:
    """A subscription's next post of a day built from Hugging Face, for /daily status."""

    day: dt.date
    at: dt.datetime  # when it is posted (schedule.built_at), in the subscription's timezone
    deadline: dt.datetime  # when the day's Korean digest had to be out
    late: bool  # `at` has passed: the day waits for Hugging Face to give it complete


class DailyService:
    """Daily posts for the cog: every write to subscriptions, and every post, goes here."""

    def __init__(
        self,
        papers: PaperStore,
        ledger: DailyStore,
        runner: Runner,
        sources: Sources,
        config: DailyConfig,
        *,
        clock: Clock,
        korean_deadline: dt.timedelta = dt.timedelta(0),
        day_complete: dt.time = DAY_COMPLETE,
    ) -> None:
        self.papers, self.ledger, self.runner, self.sources = papers, ledger, runner, sources
        self.config, self.clock = config, clock
        self.korean_deadline = korean_deadline  # how long before a post its digest is due
        self.day_complete = day_complete  # UTC: when a day built from Hugging Face is complete
        self._last_poll: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return self.clock()

    # --- subscriptions ---------------------------------------------------------------------

    async def sync_config(self, subs: Sequence[SubscriptionConfig]) -> None:
        """Make the config file's subscriptions the stored ones; command ones stay."""
        await self.ledger.sync_config([self._from_config(s) for s in subs], self.clock())

    async def subscribe(
        self,
        channel_id: int,
        guild_id: int,
        *,
        post_time: str | None,
        tz: ZoneInfo | None,
        style: PostStyle | None,
        min_votes: int | None,
        max_papers: int | None,
        created_by: int,
    ) -> Subscription:
        """Save a channel's subscription (what is not given is the config's default)."""
        sub = Subscription(
            channel_id=channel_id,
            guild_id=guild_id,
            post_time=post_time or parse_hhmm(self.config.time).strftime("%H:%M"),
            timezone=(tz or parse_timezone(self.config.timezone)).key,
            style=style or self.config.style,
            min_votes=min_votes,
            max_papers=max_papers,
            origin=Origin.COMMAND,
            created_by=created_by,
        )
        await self.ledger.save_subscription(sub, self.clock())
        return sub

    async def unsubscribe(self, channel_id: int, guild_id: int) -> bool:
        return await self.ledger.remove_subscription(channel_id, guild_id)

    async def subscriptions(self, guild_id: int | None) -> list[Subscription]:
        return await self.ledger.subscriptions(guild_id=guild_id)

    async def last_post(self, channel_id: int) -> PostState | None:
        return await self.ledger.last_post(channel_id)

    def next_post(self, sub: Subscription) -> dt.datetime:
        return next_post(self.clock(), self.runner.rules(sub))

    async def recent_days(self, count: int = RECENT_DAYS) -> list[DayInfo]:
        """The newest days in the store and where each came from, for /daily status."""
        return await self.papers.days(limit=count)

    def korean_due(self, sub: Subscription, day: dt.date) -> dt.datetime:
        """When the Korean digest of `day` had to be out for this subscription's post."""
        rules = self.runner.rules(sub)
        return (post_at(day, rules) - self.korean_deadline).astimezone(rules.tz)

    async def built_post(self, sub: Subscription) -> BuiltPost | None:
        """The next day this subscription posts from Hugging Face because no Korean digest
        of it was out by its deadline, and when (None when no such post waits)."""
        now = self.clock()
        available, only_built = await self.runner.available_days()
        for decision in await self.runner.decisions(sub, now, available, only_built):
            if decision.action != "wait" or decision.built_at is None:
                continue
            if not self.runner.empty(decision.day):  # a day with nothing to post: none
                at = decision.built_at.astimezone(ZoneInfo(sub.timezone))
                deadline = self.korean_due(sub, decision.day)
                return BuiltPost(decision.day, at, deadline, late=at <= now)
        return None

    async def awaiting_completion(self, sub: Subscription) -> tuple[dt.date, dt.datetime] | None:
        """The day this subscription's post waits on because only a built day fetched before
        Hugging Face's day was complete holds it, and when that completes; else None. (With
        the Hugging Face source on, `built_post` says when such a day posts instead.)"""
        now, rules = self.clock(), self.runner.rules(sub)
        if rules.day_complete is not None:
            return None
        infos = {d.day: d for d in await self.papers.days(limit=14)}
        available = {day for day, info in infos.items() if not info.incomplete}
        settled = await self.ledger.settled_days(sub.channel_id, now.date() - dt.timedelta(14))
        for decision in due(now, rules, available, settled, not_before=sub.created_at):
            info = infos.get(decision.day)
            if decision.action == "wait" and info is not None and info.incomplete:
                return decision.day, complete_at(decision.day, self.day_complete)
        return None

    def source_problems(self) -> list[str]:
        """What the digest sources could not load or ignored at their last polls."""
        return self.sources.problems()

    # --- preview and post-now ----------------------------------------------------------------

    async def preview(
        self, guild_id: int, channel: discord.TextChannel | None
    ) -> list[Planned] | None:
        """Exactly what the newest digest would post in `channel` (its subscription's
        settings, else the defaults); None when there is no digest yet."""
        sub = (await self.ledger.subscription(channel.id)) if channel else None
        sub = sub or self._default(guild_id, channel.id if channel else 0)
        digest = await self.papers.digest()
        if digest is None:
            return None
        return self.runner.plan(
            sub, digest, channel, built=await self.runner.only_built(digest.day)
        )

    async def newest_day(self) -> dt.date | None:
        digest = await self.papers.digest()
        return digest.day if digest is not None else None

    async def post_now(
        self, guild_id: int, channel_id: int, day: dt.date, *, force: bool
    ) -> Result:
        """Post `day` in the channel now (waiting on another process's unfinished post)."""
        sub = await self.ledger.subscription(channel_id) or self._default(guild_id, channel_id)
        return await self.runner.post(sub, day, force=force, wait_for_holder=True)

    # --- the scheduler ---------------------------------------------------------------------

    async def tick(self) -> None:
        """Post what is due; while a due day's digest is awaited closely (Decision.poll),
        poll for it each minute. A day that has become due for building (built.py) is
        started at once, in the background, rather than at the next poll."""
        if self.sources.built:
            now = self.clock()
            today = now.astimezone(parse_timezone(self.config.timezone)).date()
            if days := await self._built_days(now, today):
                self.sources.built.start(days, now)
        _, waiting = await self.runner.run_due(self.clock())
        if waiting and (
            self._last_poll is None or self.clock() - self._last_poll > POLL_WHEN_WAITING
        ):
            await self.poll(refresh=False)

    async def poll(self, *, refresh: bool = True) -> None:
        """Check the digest sources for new days; failures are logged and shown in status.
        `refresh` (the regular poll; not the minute polls of a waiting post): build again the
        days built complete as well (BuiltDaySource.unbuilt)."""
        now = self.clock()
        self._last_poll = now
        try:
            today = now.astimezone(parse_timezone(self.config.timezone)).date()
            days = await self._built_days(now, today, refresh=refresh)
            changed = await self.sources.poll(now, today, days)
            if changed:
                log.info("digest sources: %d new or updated papers", changed)
        except Exception:
            log.exception("polling digest sources failed")

    async def _built_days(
        self, now: dt.datetime, today: dt.date, *, refresh: bool = False
    ) -> list[dt.date]:
        """The needed days (built.py) not built yet, or due to be built again: a day built
        early is asked again only once Hugging Face's day is complete."""
        if self.sources.built is None:
            return []
        subs = [s for s in await self.ledger.subscriptions() if not s.paused_reason]
        needed = needed_days(
            now,
            [self.runner.rules(s) for s in subs],
            today=today,
            lookback=self.sources.lookback,
            before_post=self.korean_deadline,
        )
        return self.sources.built.unbuilt(needed, now, refresh=refresh)

    async def close(self) -> None:
        """Stop building days and close the connections the sources hold."""
        await self.sources.close()

    def _default(self, guild_id: int, channel_id: int) -> Subscription:
        return Subscription(
            channel_id=channel_id,
            guild_id=guild_id,
            post_time=self.config.time,
            timezone=self.config.timezone,
            style=self.config.style,
        )

    def _from_config(self, sub: SubscriptionConfig) -> Subscription:
        return Subscription(
            channel_id=sub.channel,
            guild_id=sub.guild,
            post_time=sub.time or self.config.time,
            timezone=sub.timezone or self.config.timezone,
            style=sub.style or self.config.style,
            min_votes=sub.min_votes,
            max_papers=sub.max_papers,
            origin=Origin.CONFIG,
        )
