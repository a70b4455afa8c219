"""/daily commands for server admins, and the loops that post and poll on schedule."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from bot import render
from bot.config import DailyConfig, SubscriptionConfig, parse_hhmm, parse_timezone
from bot.errors import UserFacingError
from bot.features.daily.pacer import Pacer
from bot.features.daily.poster import Poster
from bot.features.daily.runner import Runner, rules_for
from bot.features.daily.schedule import next_post
from bot.features.daily.sources import Backoff, FolderSource, Sources, UrlSource, page_url
from bot.i18n_text import text
from bot.inputs import parse_time, parse_zone
from bot.store.daily import DailyStore, PostState, Subscription

if TYPE_CHECKING:
    from bot.app import PapersBot

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
STYLES = [
    Choice(name=_("Embeds (one card per paper)"), value="embeds"),
    Choice(name=_("Thread (one message per paper)"), value="thread"),
    Choice(name=_("Compact (one list)"), value="compact"),
]
PREVIEW_MESSAGES = 5


def _manage_guild(interaction: discord.Interaction) -> bool:
    """Checked in code too: admins can override a command's default permissions."""
    member = interaction.user
    if not isinstance(member, discord.Member) or interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not member.guild_permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


def _locale(interaction: discord.Interaction) -> str:
    return str(interaction.locale)


class Daily(commands.Cog):
    """Posts the newest digest to subscribed channels at their local time, once per day."""

    daily = app_commands.Group(
        name=_("daily"),
        description=_("Daily digest posts in this server"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(
        self,
        store: DailyStore,
        runner: Runner,
        sources: Sources,
        config: DailyConfig,
        *,
        clock: Clock,
        poll_minutes: int,
        tick_seconds: float = 30.0,
    ) -> None:
        self.store, self.runner, self.sources, self.config = store, runner, sources, config
        self.clock = clock
        self._last_poll: dt.datetime | None = None
        self.tick = tasks.loop(seconds=tick_seconds)(self._tick)
        self.poll = tasks.loop(minutes=poll_minutes)(self._poll)

    async def cog_load(self) -> None:
        self.poll.start()
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()
        self.poll.cancel()

    async def _tick(self) -> None:
        try:
            _, waiting = await self.runner.run_due(self.clock())
            if waiting and self._poll_due():
                await self._poll()
        except Exception:
            log.exception("daily tick failed; will retry on the next tick")

    def _poll_due(self) -> bool:
        return self._last_poll is None or self.clock() - self._last_poll > dt.timedelta(minutes=1)

    async def _poll(self) -> None:
        now = self.clock()
        self._last_poll = now
        try:
            today = now.astimezone(parse_timezone(self.config.timezone)).date()
            changed = await self.sources.poll(now, today)
            if changed:
                log.info("digest sources: %d new or updated papers", changed)
        except Exception:
            log.exception("polling digest sources failed")

    # --- commands --------------------------------------------------------------------------

    @daily.command(name=_("subscribe"), description=_("Post the daily digest in a channel"))
    @app_commands.check(_manage_guild)
    @app_commands.choices(style=STYLES)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str | None = None,
        timezone: str | None = None,
        style: str | None = None,
        min_votes: app_commands.Range[int, 0, 100000] | None = None,
        max_papers: app_commands.Range[int, 1, 100] | None = None,
    ) -> None:
        """Post the daily digest in a channel

        Parameters
        ----------
        channel: discord.TextChannel
            Channel to post in
        time: str
            Local time, HH:MM (24-hour)
        timezone: str
            IANA timezone, e.g. Asia/Seoul
        style: str
            How the digest is posted
        min_votes: int
            Only papers with at least this many votes
        max_papers: int
            At most this many papers
        """
        locale = _locale(interaction)
        self._same_guild(interaction, channel)
        post_time = (
            parse_time(time, locale)
            if time is not None
            else parse_hhmm(self.config.time).strftime("%H:%M")
        )
        tz = (
            parse_zone(timezone, locale)
            if timezone is not None
            else parse_timezone(self.config.timezone)
        )
        sub = Subscription(
            channel_id=channel.id,
            guild_id=channel.guild.id,
            post_time=post_time,
            timezone=tz.key,
            style=style or self.config.style,
            min_votes=min_votes,
            max_papers=max_papers,
            origin="command",
            created_by=interaction.user.id,
        )
        await self.store.save_subscription(sub, self.clock())
        when = next_post(self.clock(), rules_for(sub, self.config))
        message = text(
            locale,
            "daily_subscribed",
            channel=channel.mention,
            time=post_time,
            tz=tz.key,
            next=discord.utils.format_dt(when, "F"),
        )
        warning = _missing_permissions(channel, locale)
        await interaction.response.send_message(message + warning, ephemeral=True)

    @daily.command(name=_("unsubscribe"), description=_("Stop the daily digest in a channel"))
    @app_commands.check(_manage_guild)
    async def unsubscribe(
        self, interaction: discord.Interaction, channel: discord.TextChannel
    ) -> None:
        """Stop the daily digest in a channel

        Parameters
        ----------
        channel: discord.TextChannel
            Channel to post in
        """
        self._same_guild(interaction, channel)
        removed = await self.store.remove_subscription(channel.id, channel.guild.id)
        key = "daily_unsubscribed" if removed else "daily_not_subscribed"
        await interaction.response.send_message(
            text(_locale(interaction), key, channel=channel.mention), ephemeral=True
        )

    @daily.command(name=_("status"), description=_("Show this server's daily posts"))
    @app_commands.check(_manage_guild)
    async def status(self, interaction: discord.Interaction) -> None:
        """Show this server's daily posts"""
        locale = _locale(interaction)
        subs = await self.store.subscriptions(guild_id=interaction.guild_id)
        if not subs:
            raise UserFacingError(text(locale, "daily_none"))
        blocks = [f"<#{sub.channel_id}>\n{await self._status_line(sub, locale)}" for sub in subs]
        if problems := self.sources.problems():  # what the sources could not load or ignored
            blocks.append(_source_problems(problems, locale))
        embed = discord.Embed(
            title=text(locale, "daily_status_title"),
            description=render.shorten("\n\n".join(blocks), render.DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _status_line(self, sub: Subscription, locale: str) -> str:
        when = next_post(self.clock(), rules_for(sub, self.config))
        lines = [
            text(locale, "daily_schedule", time=sub.post_time, tz=sub.timezone, style=sub.style),
            text(locale, "daily_next", next=discord.utils.format_dt(when, "F")),
        ]
        last = await self.store.last_post(sub.channel_id)
        if last is not None:
            shown = {sub.paused_reason, sub.last_error}  # reasons the lines below give
            lines.append(self._last_line(last, locale, shown))
        if sub.paused_reason:
            lines.append(text(locale, "daily_paused", reason=sub.paused_reason))
        elif sub.last_error:
            lines.append(text(locale, "daily_error", reason=sub.last_error, failures=sub.failures))
        return "\n".join(lines)

    def _last_line(self, last: PostState, locale: str, shown: set[str | None]) -> str:
        """The last digest's state; an unfinished post nobody is posting says why it stalled."""
        now = self.clock()
        stalled = last.stalled(now)
        line = text(
            locale,
            "daily_last",
            day=last.day.isoformat(),
            status="stalled" if stalled else last.status,
            sent=last.sent,
            planned=last.planned,
        )
        if last.status == "skipped" and last.reason:
            line += f" — {last.reason}"  # why: e.g. the digest was not out in time
        elif stalled and last.owner is None:
            if last.reason not in shown:  # e.g. a 5xx: not the channel's fault, not counted
                line += "\n" + text(locale, "daily_stalled_failed", reason=last.reason)
        elif stalled:
            since = discord.utils.format_dt(last.lease_until or now, "R")
            line += "\n" + text(locale, "daily_stalled_gone", since=since)
        return line

    @daily.command(name=_("preview"), description=_("See exactly what would be posted"))
    @app_commands.check(_manage_guild)
    async def preview(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """See exactly what would be posted

        Parameters
        ----------
        channel: discord.TextChannel
            Channel to post in
        """
        locale = _locale(interaction)
        target = channel or (
            interaction.channel if isinstance(interaction.channel, discord.TextChannel) else None
        )
        sub = (await self.store.subscription(target.id)) if target else None
        sub = sub or self._default_sub(interaction, target)
        digest = await self.runner.papers.digest()
        if digest is None:
            raise UserFacingError(text(locale, "err_no_digests"))
        plan = self.runner.plan(sub, digest, target)
        first, rest = plan[0], plan[1:PREVIEW_MESSAGES]
        await interaction.response.send_message(
            content=first.content, embeds=list(first.embeds), ephemeral=True
        )
        for item in rest:
            await interaction.followup.send(
                content=item.content or "", embeds=list(item.embeds), ephemeral=True
            )
        if len(plan) > PREVIEW_MESSAGES:
            await interaction.followup.send(
                text(locale, "daily_preview_more", count=len(plan) - PREVIEW_MESSAGES),
                ephemeral=True,
            )

    @daily.command(name=_("post-now"), description=_("Post the newest digest now"))
    @app_commands.check(_manage_guild)
    async def post_now(
        self, interaction: discord.Interaction, channel: discord.TextChannel, force: bool = False
    ) -> None:
        """Post the newest digest now

        Parameters
        ----------
        channel: discord.TextChannel
            Channel to post in
        force: bool
            Post again even if it was already posted
        """
        locale = _locale(interaction)
        self._same_guild(interaction, channel)
        digest = await self.runner.papers.digest()
        if digest is None:
            raise UserFacingError(text(locale, "err_no_digests"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        sub = await self.store.subscription(channel.id) or self._default_sub(interaction, channel)
        result = await self.runner.post(sub, digest.day, force=force, wait_for_holder=True)
        key = {"posted": "daily_posted", "already": "daily_already", "busy": "daily_busy"}.get(
            result.outcome, "daily_failed"
        )
        if result.outcome == "busy" and result.holder is not None:
            key = "daily_busy_elsewhere"
        await interaction.followup.send(
            text(
                locale,
                key,
                channel=channel.mention,
                day=digest.day.isoformat(),
                sent=result.sent,
                reason=result.reason,
            ),
            ephemeral=True,
        )

    def _default_sub(
        self, interaction: discord.Interaction, channel: discord.abc.GuildChannel | None
    ) -> Subscription:
        return Subscription(
            channel_id=channel.id if channel else 0,
            guild_id=interaction.guild_id or 0,
            post_time=self.config.time,
            timezone=self.config.timezone,
            style=self.config.style,
        )

    def _same_guild(
        self, interaction: discord.Interaction, channel: discord.abc.GuildChannel
    ) -> None:
        if channel.guild.id != interaction.guild_id:
            raise UserFacingError(text(_locale(interaction), "daily_other_guild"))


def _source_problems(problems: list[str], locale: str, shown: int = 5) -> str:
    lines = [f"⚠️ {render.shorten(render.sanitize(p), 300)}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(text(locale, "daily_sources_more", count=len(problems) - shown))
    return "\n".join([text(locale, "daily_sources"), *lines])


def _missing_permissions(channel: discord.TextChannel, locale: str) -> str:
    me = channel.guild.me
    if me is None:
        return ""
    perms = channel.permissions_for(me)
    if perms.send_messages and perms.embed_links:
        return ""
    return "\n" + text(locale, "daily_missing_perms", channel=channel.mention)


async def setup_daily(bot: PapersBot, *, clock: Clock | None = None) -> Daily:
    """Wire the daily cog from the bot's config and stores; config subscriptions are synced."""
    config = bot.config
    now = clock or discord.utils.utcnow
    store = bot.daily_store
    await store.sync_config(
        [_from_config(s, config.daily) for s in config.daily.subscriptions], now()
    )
    poster = Poster(
        store,
        owner=bot.instance_id,
        pacer=Pacer(config.daily.global_rate_per_second),
        clock=now,
        bot_user_id=lambda: bot.user.id if bot.user else None,
    )
    template = config.sources.url_template
    runner = Runner(
        bot.store,
        store,
        poster,
        config.daily,
        bot.lookup_channel,
        source_url=partial(page_url, template),
    )
    folder = FolderSource(config.sources.folders, bot.store) if config.sources.folders else None
    url = None
    if template:
        backoff = Backoff(dt.timedelta(minutes=1))
        url = UrlSource(template, bot.store, store, config.sources.request_timeout_seconds, backoff)
    sources = Sources(folder, url, config.sources.lookback_days)
    cog = Daily(
        store,
        runner,
        sources,
        config.daily,
        clock=now,
        poll_minutes=config.sources.poll_interval_minutes,
    )
    await bot.add_cog(cog)
    return cog


def _from_config(sub: SubscriptionConfig, daily: DailyConfig) -> Subscription:
    return Subscription(
        channel_id=sub.channel,
        guild_id=sub.guild,
        post_time=sub.time or daily.time,
        timezone=sub.timezone or daily.timezone,
        style=sub.style or daily.style,
        min_votes=sub.min_votes,
        max_papers=sub.max_papers,
        origin="config",
    )
