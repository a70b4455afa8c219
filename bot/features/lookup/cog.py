"""Looking papers up: /paper, /search, /digest, /top, /author, /random, /help."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import partial

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot import render
from bot.answer import Answer
from bot.errors import UserFacingError
from bot.features.lookup.views import (
    COG,
    PAGE_SIZE,
    PageFetcher,
    ResultList,
    ResultLists,
    paper_links,
)
from bot.i18n_text import locale_of, text
from bot.inputs import clean_query, shown
from bot.models import Paper, Sort
from bot.store import Page, PaperStore
from bot.store.enrichment import EnrichmentStore


class Period(StrEnum):
    """The days /top and /random pick from, ending at the newest digest day."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    ALL = "all"

    @classmethod
    def of(cls, value: str) -> Period:
        return cls(value) if value in list(cls) else cls.ALL


_PERIOD_DAYS = {Period.DAY: 0, Period.WEEK: 6, Period.MONTH: 29, Period.YEAR: 364}
PERIODS = [
    Choice(name=_("Newest day"), value=Period.DAY.value),
    Choice(name=_("Last 7 days"), value=Period.WEEK.value),
    Choice(name=_("Last 30 days"), value=Period.MONTH.value),
    Choice(name=_("Last 365 days"), value=Period.YEAR.value),
    Choice(name=_("All time"), value=Period.ALL.value),
]
SORTS = [
    Choice(name=_("Relevance"), value=Sort.RELEVANCE.value),
    Choice(name=_("Votes"), value=Sort.VOTES.value),
    Choice(name=_("Newest"), value=Sort.NEWEST.value),
]


def parse_day(value: str, locale: str) -> dt.date:
    """A YYYY-MM-DD option value, or a UserFacingError that says how to write one."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserFacingError(text(locale, "err_date", value=shown(value, 40))) from None


def choice_name(title: str, arxiv_id: str) -> str:
    """`Title (2505.03011)` within Discord's 100 characters: the title is cut, never the id."""
    suffix = f" ({arxiv_id})"
    return (render.shorten(" ".join(title.split()), 100 - len(suffix)) + suffix).strip()


def paper_count(locale: str, count: int) -> str:
    """`1 paper`, `5 papers` (`논문 5편`)."""
    if count == 1:
        return text(locale, "paper_count_one")
    return text(locale, "paper_count", count=count)


class Lookup(commands.Cog, name=COG):
    """Slash commands that read the paper store."""

    def __init__(
        self,
        store: PaperStore,
        lists: ResultLists,
        *,
        page_size: int = PAGE_SIZE,
        enrichments: EnrichmentStore | None = None,
    ) -> None:
        self.store = store
        self.lists = lists  # found again by the lists' buttons (views.lists_of)
        self.page_size = page_size
        self.enrichments = enrichments

    async def _card(
        self, interaction: discord.Interaction, paper: Paper, *, ephemeral: bool
    ) -> None:
        """One paper's card, with what Hugging Face adds to it where it was enriched."""
        locale = locale_of(interaction)
        found = self.enrichments
        enrichment = await found.enrichment_of(paper.arxiv_id) if found is not None else None
        await Answer(interaction, ephemeral=ephemeral).send(
            embeds=[render.paper_embed(paper, locale=locale, enrichment=enrichment)],
            view=paper_links(paper, locale, enrichment),
        )

    async def cog_unload(self) -> None:
        self.lists.close()

    async def _send_page(
        self,
        interaction: discord.Interaction,
        fetch: PageFetcher,
        *,
        title: str,
        ephemeral: bool,
        empty: str,
        heading: bool = False,
    ) -> None:
        first = await fetch(offset=0, limit=self.page_size)
        if not first.papers:
            raise UserFacingError(empty)
        results = ResultList(
            fetch,
            owner=interaction.user.id,
            title=title,
            locale=locale_of(interaction),
            page_size=self.page_size,
            heading=heading,
        )
        embeds = results.show(first)
        key = self.lists.add(results)
        try:
            message_id = await Answer(interaction, ephemeral=ephemeral).send(
                embeds=embeds, view=results.components(key, first)
            )
        except BaseException:
            self.lists.discard(key)
            raise
        self.lists.answered(key, interaction, message_id)

    async def _period(self, period: Period) -> tuple[dt.date | None, dt.date | None]:
        """A period ends at the newest digest day, so a quiet week still shows something."""
        if period not in _PERIOD_DAYS:
            return None, None
        newest = await self.store.days(limit=1)
        if not newest:
            return None, None
        end = newest[0].day
        return end - dt.timedelta(days=_PERIOD_DAYS[period]), end

    @app_commands.command(name=_("paper"), description=_("Show one paper"))
    async def paper(
        self, interaction: discord.Interaction, query: str, ephemeral: bool = False
    ) -> None:
        """Show one paper

        Parameters
        ----------
        query: str
            An arXiv id, an arXiv or Hugging Face link, or words from the title
        ephemeral: bool
            Only you see the answer
        """
        locale = locale_of(interaction)
        found = await self._find(clean_query(query))
        if found is None:
            raise UserFacingError(text(locale, "err_no_paper", query=shown(query)))
        await self._card(interaction, found, ephemeral=ephemeral)

    async def _find(self, cleaned: str) -> Paper | None:
        """A paper by id or link, else by title words, else the best search match."""
        if not cleaned:
            return None
        found = await self.store.get(cleaned) or await self.store.by_title(cleaned)
        if found is None:
            best = await self.store.search(cleaned, limit=1)  # bm25 ranks title words first
            found = best.papers[0] if best.papers else None
        return found

    @paper.autocomplete("query")
    async def paper_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        suggestions = await self.store.title_suggestions(clean_query(current), limit=25)
        return [
            Choice(name=choice_name(title, arxiv_id), value=arxiv_id)
            for arxiv_id, title in suggestions
        ]

    @app_commands.command(name=_("search"), description=_("Search papers by keyword"))
    @app_commands.choices(sort=SORTS)
    async def search(
        self,
        interaction: discord.Interaction,
        query: str,
        since: str | None = None,
        until: str | None = None,
        sort: str = Sort.RELEVANCE.value,
        ephemeral: bool = False,
        has_code: bool = False,
    ) -> None:
        """Search papers by keyword

        Parameters
        ----------
        query: str
            Words in Korean or English; "quotes" for an exact phrase
        since: str
            First day, YYYY-MM-DD
        until: str
            Last day, YYYY-MM-DD
        sort: str
            Order of results
        ephemeral: bool
            Only you see the answer
        has_code: bool
            Only papers with code on GitHub
        """
        locale = locale_of(interaction)
        start = parse_day(since, locale) if since else None
        end = parse_day(until, locale) if until else None
        cleaned = clean_query(query)
        order = Sort(sort) if sort in list(Sort) else Sort.RELEVANCE

        fetch = partial(
            self.store.search, cleaned, since=start, until=end, sort=order, has_code=has_code
        )
        empty = text(locale, "err_no_results", query=shown(query))
        await self._send_page(interaction, fetch, title=cleaned, ephemeral=ephemeral, empty=empty)

    @app_commands.command(name=_("digest"), description=_("One day's digest as published"))
    async def digest(
        self, interaction: discord.Interaction, date: str | None = None, ephemeral: bool = False
    ) -> None:
        """One day's digest as published

        Parameters
        ----------
        date: str
            The day, YYYY-MM-DD (default: the newest)
        ephemeral: bool
            Only you see the answer
        """
        locale = locale_of(interaction)
        day = parse_day(date, locale) if date else None
        digest = await self.store.digest(day)
        if digest is None:
            key = "err_no_digest_day" if day else "err_no_digests"
            raise UserFacingError(text(locale, key, day=day.isoformat() if day else ""))
        title = text(locale, "daily_title", day=digest.day.isoformat())
        fetch = partial(self._digest_page, digest.day)
        await self._send_page(
            interaction, fetch, title=title, ephemeral=ephemeral, empty=title, heading=True
        )

    async def _digest_page(self, day: dt.date, *, offset: int, limit: int) -> Page:
        digest = await self.store.digest(day)
        papers = digest.papers if digest else ()
        return Page(tuple(papers[offset : offset + limit]), len(papers))

    @digest.autocomplete("date")
    async def digest_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        days = await self.store.days(limit=25, prefix=clean_query(current)[:10])
        locale = locale_of(interaction)
        return [
            Choice(
                name=f"{d.day.isoformat()} · {paper_count(locale, d.papers)}",
                value=d.day.isoformat(),
            )
            for d in days
        ]

    @app_commands.command(name=_("top"), description=_("Most-voted papers"))
    @app_commands.choices(period=PERIODS)
    async def top(
        self,
        interaction: discord.Interaction,
        period: str = Period.WEEK.value,
        ephemeral: bool = False,
    ) -> None:
        """Most-voted papers

        Parameters
        ----------
        period: str
            How far back to look, up to the newest digest
        ephemeral: bool
            Only you see the answer
        """
        locale = locale_of(interaction)
        title = text(locale, f"period_{Period.of(period)}")
        empty = text(locale, "err_no_digests")
        fetch = partial(self._top_page, Period.of(period))
        await self._send_page(
            interaction, fetch, title=title, ephemeral=ephemeral, empty=empty, heading=True
        )

    async def _top_page(self, period: Period, *, offset: int, limit: int) -> Page:
        since, until = await self._period(period)
        return await self.store.top(since=since, until=until, limit=limit, offset=offset)

    @app_commands.command(name=_("author"), description=_("Papers by an author"))
    async def author(
        self, interaction: discord.Interaction, name: str, ephemeral: bool = False
    ) -> None:
        """Papers by an author

        Parameters
        ----------
        name: str
            All or part of the author's name
        ephemeral: bool
            Only you see the answer
        """
        cleaned = clean_query(name)
        empty = text(locale_of(interaction), "err_no_author", name=shown(name))
        fetch = partial(self.store.by_author, cleaned)
        await self._send_page(interaction, fetch, title=cleaned, ephemeral=ephemeral, empty=empty)

    @author.autocomplete("name")
    async def author_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        names = await self.store.author_suggestions(clean_query(current), limit=25)
        return [Choice(name=render.shorten(n, 100), value=n[:100]) for n in names]

    @app_commands.command(name=_("random"), description=_("A random paper"))
    @app_commands.choices(period=PERIODS)
    async def random(
        self,
        interaction: discord.Interaction,
        period: str = Period.ALL.value,
        ephemeral: bool = False,
    ) -> None:
        """A random paper

        Parameters
        ----------
        period: str
            Pick from this period only, up to the newest digest
        ephemeral: bool
            Only you see the answer
        """
        locale = locale_of(interaction)
        paper = await self._random(Period.of(period))
        if paper is None:
            raise UserFacingError(text(locale, "err_no_digests"))
        await self._card(interaction, paper, ephemeral=ephemeral)

    async def _random(self, period: Period) -> Paper | None:
        since, until = await self._period(period)
        return await self.store.random_paper(since=since, until=until)

    @app_commands.command(name=_("help"), description=_("What this bot does"))
    async def help(self, interaction: discord.Interaction) -> None:
        """What this bot does"""
        locale = locale_of(interaction)
        embed = discord.Embed(
            title=text(locale, "help_title"), description=text(locale, "help_body")
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)
