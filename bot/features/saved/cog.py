"""/saved list, remove and export, and the Find papers message menu."""

from __future__ import annotations

import io
from functools import partial

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot import render
from bot.answer import Answer, timely
from bot.arxiv import parse_arxiv_id
from bot.errors import UserFacingError
from bot.features.lookup.views import PAGE_SIZE, ResultList, lists_of
from bot.features.saved import find
from bot.features.saved.export import ExportFormat, export
from bot.features.saved.service import SavedService
from bot.features.saved.views import COG, papers_text
from bot.i18n_text import locale_of, text
from bot.inputs import shown

FORMATS = [Choice(name=f.label, value=f.value) for f in ExportFormat]


class Saved(commands.Cog, name=COG):
    """A member's own list of papers, and papers found in any message."""

    saved = app_commands.Group(name=_("saved"), description=_("Your saved papers"))

    def __init__(self, service: SavedService, tree: app_commands.CommandTree[discord.Client]):
        self.service = service  # found again by the Save buttons (views.service_of)
        self.tree = tree
        # Context menus cannot be declared in a cog: added to the tree while the cog is loaded.
        self.menu = app_commands.ContextMenu(name=_("Find papers"), callback=self.find_papers)

    async def cog_load(self) -> None:
        self.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.tree.remove_command(self.menu.name, type=self.menu.type)

    @saved.command(name=_("list"), description=_("List your saved papers, newest first"))
    async def list_(self, interaction: discord.Interaction) -> None:
        """List your saved papers, newest first"""
        locale = locale_of(interaction)
        lists = lists_of(interaction.client)
        if lists is None:
            raise RuntimeError("/saved list pages through the lookup feature's result lists")
        fetch = partial(self.service.saved.page, interaction.user.id)
        first = await fetch(offset=0, limit=PAGE_SIZE)
        if not first.papers:
            raise UserFacingError(text(locale, "saved_empty"))
        results = ResultList(
            fetch,
            owner=interaction.user.id,
            title=text(locale, "saved_list_title"),
            locale=locale,
            heading=True,
        )
        key = lists.add(results)
        try:
            message_id = await Answer(interaction, ephemeral=True).send(
                embeds=results.show(first), view=results.components(key, first)
            )
        except BaseException:
            lists.discard(key)
            raise
        lists.answered(key, interaction, message_id)

    @saved.command(name=_("remove"), description=_("Remove a paper from your saved papers"))
    async def remove(self, interaction: discord.Interaction, paper: str) -> None:
        """Remove a paper from your saved papers

        Parameters
        ----------
        paper: str
            A paper in your list
        """
        locale = locale_of(interaction)
        arxiv_id = parse_arxiv_id(paper)
        removed, left, title = (
            await self.service.remove(interaction.user.id, arxiv_id) if arxiv_id else (False, 0, "")
        )
        if not removed:
            raise UserFacingError(text(locale, "saved_not_in_list", query=shown(paper)))
        shown_title = f"**{render.shorten(render.sanitize(title), 200)}** · arXiv:{arxiv_id}"
        await interaction.response.send_message(
            text(locale, "saved_removed", papers=papers_text(locale, left), title=shown_title),
            ephemeral=True,
        )

    @remove.autocomplete("paper")
    async def remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        mine = await self.service.saved.suggestions(interaction.user.id, current.strip())
        return [Choice(name=choice_name(s.title, s.arxiv_id), value=s.arxiv_id) for s in mine[:25]]

    @saved.command(name=_("export"), description=_("Download your saved papers as a file"))
    @app_commands.choices(format=FORMATS)
    async def export_(self, interaction: discord.Interaction, format: str) -> None:
        """Download your saved papers as a file

        Parameters
        ----------
        format: str
            The file's format
        """
        locale = locale_of(interaction)
        fmt = ExportFormat(format) if format in list(ExportFormat) else ExportFormat.BIBTEX
        papers = await self.service.everything(interaction.user.id)
        if not papers:
            raise UserFacingError(text(locale, "saved_empty"))
        name = f"saved-papers-{self.service.clock():%Y-%m-%d}.{fmt.extension}"
        file = discord.File(io.BytesIO(export(papers, fmt)), filename=name)
        message = text(
            locale, "saved_exported", papers=papers_text(locale, len(papers)),
            format=fmt.label, file=name,
        )  # fmt: skip
        await timely(interaction).reply(message, file=file, ephemeral=True)

    async def find_papers(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Find papers: the papers a message mentions, as cards with Save, only for you."""
        locale = locale_of(interaction)
        ids = find.ids_in(message)
        if not ids:
            raise UserFacingError(text(locale, "find_none"))
        looked_up = ids[: find.MAX_IDS]
        papers = {}
        for arxiv_id in looked_up:
            paper = await self.service.papers.get(arxiv_id)
            if paper is not None:
                papers[arxiv_id] = paper
        messages = find.answer(looked_up, papers, locale)
        if len(ids) > len(looked_up):
            more = text(locale, "find_more", count=len(ids) - len(looked_up))
            last = messages[-1]
            content = f"{last.content}\n{more}" if last.content else more
            messages[-1] = find.FoundMessage(content, last.embeds, last.view)
        first, *rest = messages
        extra = {} if first.view is None else {"view": first.view}
        await timely(interaction).reply(first.content, embeds=first.embeds, ephemeral=True, **extra)
        for part in rest:  # each holds cards, so each has its Save buttons
            assert part.view is not None
            await interaction.followup.send(embeds=part.embeds, view=part.view, ephemeral=True)


def choice_name(title: str, arxiv_id: str) -> str:
    """`Title (2505.03011)` within Discord's 100 characters: the title is cut, never the id."""
    suffix = f" ({arxiv_id})"
    return (render.shorten(" ".join(title.split()), 100 - len(suffix)) + suffix).strip()
