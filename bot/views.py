"""Paginated result lists: owner-only Previous/Next buttons, a menu to open one paper."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

import discord

from bot import render
from bot.errors import answer_error, describe
from bot.i18n_text import text
from bot.models import Paper
from bot.store import COUNT_CAP, Page

log = logging.getLogger(__name__)
PageFetcher = Callable[[int, int], Awaitable[Page]]  # (offset, limit) -> Page
PaperOpener = Callable[[str], Awaitable[Paper | None]]  # arXiv id -> the paper, if still there
PAGE_SIZE = 5
VIEW_TIMEOUT = 180.0


class ResultsView(discord.ui.View):
    """Pages through `fetch` results; only `owner` may press; disables itself on timeout."""

    def __init__(
        self,
        fetch: PageFetcher,
        *,
        open_paper: PaperOpener,
        owner: int,
        title: str,
        locale: str,
        page_size: int = PAGE_SIZE,
        timeout: float = VIEW_TIMEOUT,
        heading: bool = False,
    ) -> None:
        super().__init__(timeout=timeout)
        self.heading = heading
        self.fetch, self.open_paper, self.owner = fetch, open_paper, owner
        self.title, self.locale, self.page_size = title, locale, page_size
        self.index = 0
        self.total = 0
        # The command's interaction: its original response is this view's message. Kept
        # instead of the message object, which would hold every embed for the view's life.
        self.interaction: discord.Interaction | None = None
        self.previous.label = text(locale, "previous")
        self.next.label = text(locale, "next")
        self.choose.placeholder = text(locale, "open_paper")

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def show(self, page: Page) -> list[discord.Embed]:
        """`page` (the `index`th) as embeds, with the buttons and the menu set for it.

        The papers themselves are not kept: a view lives for minutes, thousands at once on a
        busy bot, and every object it holds lengthens each full garbage collection.
        """
        self.total = page.total
        self.previous.disabled = self.index == 0
        self.next.disabled = (self.index + 1) * self.page_size >= page.total
        self.choose.options = [
            discord.SelectOption(
                label=render.shorten(p.title, 100),
                value=p.arxiv_id,
                description=f"arXiv:{p.arxiv_id}",
            )
            for p in page.papers
        ] or [discord.SelectOption(label="-", value="-")]
        self.choose.disabled = not page.papers
        return render.result_page(
            page.papers,
            page=self.index + 1,
            per_page=self.page_size,
            total=f"{COUNT_CAP}+" if page.capped else page.total,
            title=self.title,
            locale=self.locale,
            heading=self.heading,
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Anyone may open a paper from the menu (ephemeral); only the owner turns pages."""
        data: Mapping[str, object] = interaction.data or {}
        if interaction.user.id == self.owner or data.get("custom_id") == self.choose.custom_id:
            return True
        await interaction.response.send_message(
            text(str(interaction.locale), "not_your_buttons"), ephemeral=True
        )
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        index = max(0, self.index + step)
        page = await self.fetch(index * self.page_size, self.page_size)
        if page.papers or index == 0:
            self.index = index
        else:  # the results shrank since: stay, and show what this page holds now
            page = await self.fetch(self.index * self.page_size, self.page_size)
        await interaction.response.edit_message(embeds=self.show(page), view=self)

    @discord.ui.button(
        style=discord.ButtonStyle.secondary, emoji="◀️", row=1, custom_id="results:previous"
    )
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[ResultsView]
    ) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(
        style=discord.ButtonStyle.primary, emoji="▶️", row=1, custom_id="results:next"
    )
    async def next(
        self, interaction: discord.Interaction, _: discord.ui.Button[ResultsView]
    ) -> None:
        await self._turn(interaction, +1)

    @discord.ui.select(
        cls=discord.ui.Select["ResultsView"],
        row=0,
        custom_id="results:open",
        options=[discord.SelectOption(label="-")],
    )
    async def choose(
        self, interaction: discord.Interaction, select: discord.ui.Select[ResultsView]
    ) -> None:
        chosen = await self.open_paper(select.values[0])
        if chosen is None:
            gone = text(str(interaction.locale), "gone")
            await interaction.response.send_message(gone, ephemeral=True)
            return
        await interaction.response.send_message(
            embed=render.paper_embed(chosen, locale=str(interaction.locale)),
            view=paper_links(chosen, str(interaction.locale)),
            ephemeral=True,
        )

    async def on_error(
        self,
        interaction: discord.Interaction,
        error: Exception,
        item: discord.ui.Item[ResultsView],
    ) -> None:
        """The same answer as a failing command: a short ephemeral note, never a silent fail."""
        await answer_error(interaction, describe(interaction, error))

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.interaction is not None:
            try:
                await self.interaction.edit_original_response(view=self)
            except discord.HTTPException:
                log.debug("could not disable an expired results view")


def paper_links(paper: Paper, locale: str) -> discord.ui.View:
    """Link buttons to the arXiv page, the PDF and the Hugging Face page."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="arXiv", url=paper.abs_url))
    view.add_item(discord.ui.Button(label="PDF", url=paper.pdf_url))
    view.add_item(discord.ui.Button(label=text(locale, "hf"), url=paper.hf_url))
    return view
