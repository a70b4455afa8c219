"""/follow keyword, author, list, remove, status (every answer only for the member), and the
loop that notices new digest days and sends their alerts."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from bot import render
from bot.errors import UserFacingError
from bot.features.follows.service import FollowService
from bot.i18n_text import locale_of, text
from bot.inputs import clean_query, shown
from bot.models import AlertStatus, FollowKind
from bot.store.follows import AddOutcome, Follow, MemberState
from bot.store.text import match_query, name_key

log = logging.getLogger(__name__)
MAX_FOLLOW = 100  # characters of a follow's text
TICK_SECONDS = 30.0  # a new digest day is noticed within this (and a claim's lease) of loading


def describe(follow: Follow, locale: str) -> str:
    return text(locale, f"follow_{follow.kind}", query=shown(follow.query))


def problem_notice(state: MemberState | None, locale: str) -> str:
    """What went wrong delivering the member's alerts, and how to fix it ("" if nothing)."""
    if state is None or state.problem is None:
        return ""
    key = "follow_problem_closed" if state.problem == AlertStatus.CLOSED else "follow_problem_gone"
    day = state.problem_day.isoformat() if state.problem_day else "?"
    return text(locale, key, day=day) + "\n\n"


def checked(kind: FollowKind, value: str, locale: str) -> Follow:
    """A member's follow text, cleaned and checked as /search and /author read it."""
    query = clean_query(value)
    if len(query) > MAX_FOLLOW:
        raise UserFacingError(text(locale, "follow_too_long", length=len(query), most=MAX_FOLLOW))
    if kind == FollowKind.KEYWORD and match_query(query) is None:
        raise UserFacingError(text(locale, "follow_no_words", query=shown(value)))
    if kind == FollowKind.AUTHOR and not any(c.isalnum() for c in name_key(query)):
        raise UserFacingError(text(locale, "follow_no_name", query=shown(value)))
    return Follow(kind, query)


class Follows(commands.Cog):
    """Members' follows, and their alerts by direct message."""

    follow = app_commands.Group(
        name=_("follow"),
        description=_("Alerts by direct message when new papers match"),
        guild_only=True,
    )

    def __init__(self, service: FollowService, *, tick_seconds: float = TICK_SECONDS) -> None:
        self.service = service
        self.tick = tasks.loop(seconds=tick_seconds)(self._tick)

    async def cog_load(self) -> None:
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()
        try:
            await self.service.stop()
        except Exception:
            log.warning("could not give back the alerts' leases", exc_info=True)

    async def _tick(self) -> None:
        try:
            counts = await self.service.tick()
        except Exception:
            log.exception("alerts tick failed; will retry on the next tick")
            return
        if counts is not None and counts.outcomes:
            log.info("alerts: %s, %d messages", counts.outcomes, counts.messages)

    async def _notice(self, interaction: discord.Interaction) -> str:
        locale = locale_of(interaction)
        before = await self.service.seen(interaction.user.id, interaction.guild_id, locale)
        return problem_notice(before, locale)

    async def _answer(self, interaction: discord.Interaction, notice: str, message: str) -> None:
        await interaction.response.send_message(
            render.shorten(notice + message, render.CONTENT_LIMIT), ephemeral=True
        )

    async def _add(self, interaction: discord.Interaction, kind: FollowKind, value: str) -> None:
        locale = locale_of(interaction)
        notice = await self._notice(interaction)
        try:
            follow = checked(kind, value, locale)
        except UserFacingError as exc:
            raise UserFacingError(notice + str(exc)) from None
        outcome, count = await self.service.add(interaction.user.id, follow)
        most = self.service.most
        if outcome == AddOutcome.FULL:
            raise UserFacingError(notice + text(locale, "follow_full", most=most))
        if outcome == AddOutcome.EXISTS:
            raise UserFacingError(notice + text(locale, "follow_exists", query=shown(value)))
        key = f"follow_added_{kind}"
        await self._answer(
            interaction,
            notice,
            text(locale, key, query=shown(follow.query), count=count, most=most),
        )

    @follow.command(
        name=_("keyword"), description=_('Follow words or a "phrase", as /search finds them')
    )
    async def keyword(self, interaction: discord.Interaction, words: str) -> None:
        """Follow words or a "phrase", as /search finds them

        Parameters
        ----------
        words: str
            Words in Korean or English; "quotes" for an exact phrase (at most 100 characters)
        """
        await self._add(interaction, FollowKind.KEYWORD, words)

    @follow.command(name=_("author"), description=_("Follow an author, as /author finds them"))
    async def author(self, interaction: discord.Interaction, name: str) -> None:
        """Follow an author, as /author finds them

        Parameters
        ----------
        name: str
            All or part of the author's name
        """
        await self._add(interaction, FollowKind.AUTHOR, name)

    @author.autocomplete("name")
    async def author_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        names = await self.service.author_suggestions(clean_query(current))
        return [Choice(name=render.shorten(n, 100), value=n[:100]) for n in names]

    @follow.command(name=_("list"), description=_("Your follows"))
    async def list_(self, interaction: discord.Interaction) -> None:
        """Your follows"""
        locale = locale_of(interaction)
        notice = await self._notice(interaction)
        follows = await self.service.follows(interaction.user.id)
        if not follows:
            await self._answer(interaction, notice, text(locale, "follow_none"))
            return
        lines = [f"{i}. {describe(f, locale)}" for i, f in enumerate(follows, start=1)]
        embed = discord.Embed(
            title=text(locale, "follow_list_title", count=len(follows), most=self.service.most),
            description=render.shorten("\n".join(lines), render.DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(
            content=notice.strip() or None, embed=embed, ephemeral=True
        )

    @follow.command(name=_("remove"), description=_("Stop following something"))
    async def remove(self, interaction: discord.Interaction, follow: str) -> None:
        """Stop following something

        Parameters
        ----------
        follow: str
            One of your follows
        """
        locale = locale_of(interaction)
        notice = await self._notice(interaction)
        found = await self._own(interaction.user.id, follow)
        if found is None or not await self.service.remove(interaction.user.id, found):
            named = found or Follow.from_key(follow.strip())
            query = named.query if named else follow
            raise UserFacingError(notice + text(locale, "follow_not_found", query=shown(query)))
        await self._answer(
            interaction, notice, text(locale, "follow_removed", follow=describe(found, locale))
        )

    async def _own(self, member_id: int, value: str) -> Follow | None:
        """The member's follow an autocomplete value (`keyword:…`) or its typed text names."""
        follows = await self.service.follows(member_id)
        by_key = Follow.from_key(value.strip())
        if by_key in follows:
            return by_key
        typed = clean_query(value)
        return next((f for f in follows if f.query == typed), None)

    @remove.autocomplete("follow")
    async def remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        locale = locale_of(interaction)
        typed = clean_query(current).casefold()
        follows = await self.service.follows(interaction.user.id)
        return [
            Choice(
                name=render.shorten(describe(f, locale).replace("`", ""), 100), value=f.key[:100]
            )
            for f in follows
            if typed in f.query.casefold()
        ][:25]

    @follow.command(
        name=_("status"), description=_("Where your alerts go, the last one, any problem")
    )
    async def status(self, interaction: discord.Interaction) -> None:
        """Where your alerts go, the last one, any problem"""
        locale = locale_of(interaction)
        notice = await self._notice(interaction)
        status = await self.service.status(interaction.user.id)
        lines = [text(locale, "follow_status_where", count=status.follows)]
        last = status.last
        if last is None:
            lines.append(text(locale, "follow_status_never"))
        else:
            lines.append(
                text(
                    locale,
                    "follow_status_last",
                    day=last.day.isoformat(),
                    papers=last.papers,
                    sent=last.sent,
                    planned=last.planned,
                    status=last.status,
                )
            )
            if last.status == AlertStatus.DONE and last.finished_at is not None:
                when = discord.utils.format_dt(last.finished_at, "R")
                lines.append(text(locale, "follow_status_sent_at", when=when))
            elif not notice and last.status in (AlertStatus.CLOSED, AlertStatus.GONE):
                problem = MemberState(interaction.user.id, locale, None, last.status, last.day)
                lines.append(problem_notice(problem, locale).strip())
        embed = discord.Embed(
            title=text(locale, "follow_status_title"),
            description=render.shorten("\n".join(lines), render.DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(
            content=notice.strip() or None, embed=embed, ephemeral=True
        )
