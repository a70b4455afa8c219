"""/daily commands for server admins, and the loops that post and poll on schedule."""

from __future__ import annotations

import datetime as dt
import logging

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from bot import render
from bot.errors import UserFacingError
from bot.features.daily.plan import Planned
from bot.features.daily.service import BuiltPost, DailyService
from bot.features.daily.upkeep import Upkeep
from bot.i18n_text import locale_of, text
from bot.inputs import parse_time, parse_zone
from bot.models import PostStatus, PostStyle
from bot.store import DayInfo
from bot.store.ledger import PostState
from bot.store.subscriptions import Subscription

log = logging.getLogger(__name__)
STYLES = [
    Choice(name=_("Embeds (one card per paper)"), value=PostStyle.EMBEDS.value),
    Choice(name=_("Thread (one message per paper)"), value=PostStyle.THREAD.value),
    Choice(name=_("Compact (one list)"), value=PostStyle.COMPACT.value),
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


def _view(item: Planned) -> discord.ui.View:
    """A planned message's Save components, as send() takes them (MISSING: none)."""
    return item.view() or discord.utils.MISSING


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
        service: DailyService,
        *,
        poll_minutes: int,
        tick_seconds: float = 30.0,
        upkeep: Upkeep | None = None,
    ) -> None:
        self.service = service
        self.upkeep = upkeep  # enrichment and Korean summaries in /daily status
        self.tick = tasks.loop(seconds=tick_seconds)(self._tick)
        self.poll = tasks.loop(minutes=poll_minutes)(service.poll)

    async def cog_load(self) -> None:
        self.poll.start()
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()
        self.poll.cancel()
        await self.service.close()

    async def _tick(self) -> None:
        try:
            await self.service.tick()
        except Exception:
            log.exception("daily tick failed; will retry on the next tick")

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
        locale = locale_of(interaction)
        self._same_guild(interaction, channel)
        sub = await self.service.subscribe(
            channel.id,
            channel.guild.id,
            post_time=parse_time(time, locale) if time is not None else None,
            tz=parse_zone(timezone, locale) if timezone is not None else None,
            style=PostStyle(style) if style else None,
            min_votes=min_votes,
            max_papers=max_papers,
            created_by=interaction.user.id,
        )
        message = text(
            locale,
            "daily_subscribed",
            channel=channel.mention,
            time=sub.post_time,
            tz=sub.timezone,
            next=discord.utils.format_dt(self.service.next_post(sub), "F"),
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
        removed = await self.service.unsubscribe(channel.id, channel.guild.id)
        key = "daily_unsubscribed" if removed else "daily_not_subscribed"
        await interaction.response.send_message(
            text(locale_of(interaction), key, channel=channel.mention), ephemeral=True
        )

    @daily.command(name=_("status"), description=_("Show this server's daily posts"))
    @app_commands.check(_manage_guild)
    async def status(self, interaction: discord.Interaction) -> None:
        """Show this server's daily posts"""
        locale = locale_of(interaction)
        subs = await self.service.subscriptions(interaction.guild_id)
        if not subs:
            raise UserFacingError(text(locale, "daily_none"))
        days = await self.service.recent_days()
        origin = {d.day: d for d in days}
        blocks = [
            f"<#{sub.channel_id}>\n{await self._status_line(sub, locale, origin)}" for sub in subs
        ]
        if days:
            blocks.append(_days_block(days, locale))
        if problems := self.service.source_problems():  # what the sources could not load or ignored
            blocks.append(_source_problems(problems, locale))
        if self.upkeep is not None:  # enrichment and Korean summaries, for the operator
            blocks.extend(await self.upkeep.blocks(locale))
        embed = discord.Embed(
            title=text(locale, "daily_status_title"),
            description=render.shorten("\n\n".join(blocks), render.DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _status_line(
        self, sub: Subscription, locale: str, origin: dict[dt.date, DayInfo]
    ) -> str:
        when = self.service.next_post(sub)
        lines = [
            text(locale, "daily_schedule", time=sub.post_time, tz=sub.timezone, style=sub.style),
            text(locale, "daily_next", next=discord.utils.format_dt(when, "F")),
        ]
        last = await self.service.last_post(sub.channel_id)
        if last is not None:
            shown = {sub.paused_reason, sub.last_error}  # reasons the lines below give
            lines.append(self._last_line(last, locale, shown))
            info = origin.get(last.day)
            if info is not None and info.only_built:
                due = self.service.korean_due(sub, last.day)
                deadline = discord.utils.format_dt(due, "t")
                lines.append(text(locale, "daily_last_built", day=last.day, deadline=deadline))
        if built := await self.service.built_post(sub):
            lines.append(_built_post_line(built, sub, locale))
        if awaited := await self.service.awaiting_completion(sub):
            day, at = awaited
            at_text = discord.utils.format_dt(at, "F")
            lines.append(text(locale, "daily_waiting_complete", day=day, at=at_text))
        if sub.paused_reason:
            lines.append(text(locale, "daily_paused", reason=sub.paused_reason))
        elif sub.last_error:
            lines.append(text(locale, "daily_error", reason=sub.last_error, failures=sub.failures))
        return "\n".join(lines)

    def _last_line(self, last: PostState, locale: str, shown: set[str | None]) -> str:
        """The last digest's state; an unfinished post nobody is posting says why it stalled."""
        now = self.service.now()
        stalled = last.stalled(now)
        line = text(
            locale,
            "daily_last",
            day=last.day.isoformat(),
            status=PostStatus.STALLED if stalled else last.status,
            sent=last.sent,
            planned=last.planned,
        )
        if last.status == PostStatus.SKIPPED and last.reason:
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
        locale = locale_of(interaction)
        target = channel or (
            interaction.channel if isinstance(interaction.channel, discord.TextChannel) else None
        )
        plan = await self.service.preview(interaction.guild_id or 0, target)
        if plan is None:
            raise UserFacingError(text(locale, "err_no_digests"))
        first, rest = plan[0], plan[1:PREVIEW_MESSAGES]
        await interaction.response.send_message(
            content=first.content, embeds=list(first.embeds), ephemeral=True, view=_view(first)
        )
        for item in rest:
            await interaction.followup.send(
                content=item.content or "",
                embeds=list(item.embeds),
                ephemeral=True,
                view=_view(item),
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
        locale = locale_of(interaction)
        self._same_guild(interaction, channel)
        day = await self.service.newest_day()
        if day is None:
            raise UserFacingError(text(locale, "err_no_digests"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.service.post_now(
            interaction.guild_id or 0, channel.id, day, force=force
        )
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
                day=day.isoformat(),
                sent=result.sent,
                reason=result.reason,
            ),
            ephemeral=True,
        )

    def _same_guild(
        self, interaction: discord.Interaction, channel: discord.abc.GuildChannel
    ) -> None:
        if channel.guild.id != interaction.guild_id:
            raise UserFacingError(text(locale_of(interaction), "daily_other_guild"))


def _built_post_line(built: BuiltPost, sub: Subscription, locale: str) -> str:
    """The day the subscription next posts from Hugging Face, and when: at the post time
    after Hugging Face's day is complete (or, past that, as soon as it is built complete)."""
    return text(
        locale,
        "daily_built_late" if built.late else "daily_built_next",
        day=built.day.isoformat(),
        local=f"{built.at:%Y-%m-%d %H:%M} ({sub.timezone})",
        at=discord.utils.format_dt(built.at, "R"),
        deadline=discord.utils.format_dt(built.deadline, "f"),
    )


def _days_block(days: list[DayInfo], locale: str) -> str:
    """Where each recent day came from: the Korean digest, Hugging Face, or both."""
    lines = [text(locale, "daily_days")]
    for info in days:
        key = "daily_day_built" if info.only_built else "daily_day_korean"
        if info.built and not info.only_built:
            key = "daily_day_mixed"
        lines.append(text(locale, key, day=info.day.isoformat(), papers=info.papers))
    return "\n".join(lines)


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
