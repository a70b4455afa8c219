"""Paginated result lists: owner-only Previous/Next buttons, a menu to open one paper.

A results message's components carry a key in their custom ids (`results:KEY:next`); the
list behind it is a small `ResultList` record in `ResultLists`, found again from the key
when a button is pressed (discord.py's dynamic items). No live `discord.ui.View` waits per
message: a busy bot has thousands of lists open at once, and every object they hold would
lengthen each full garbage collection. A list expires `VIEW_TIMEOUT` seconds after its last
use; one sweeper then disables its message's buttons.

That edit needs a live interaction token (each lasts 15 minutes), so every press that keeps
a list alive also hands over its token: page turns edit the message, and opening a paper
first acknowledges the press as an update of the message. A refused press (someone else's
page turn) does not keep the list alive, and no list outlives the newest token it holds.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import discord
from discord.ext import commands

from bot import render
from bot.answer import TimelyResponse, in_time
from bot.cards import with_save
from bot.errors import answer_error, describe
from bot.i18n_text import text
from bot.models import Enrichment, Paper
from bot.store import Page

log = logging.getLogger(__name__)
PaperOpener = Callable[[str], Awaitable[Paper | None]]  # arXiv id -> the paper, if still there
EnrichmentOpener = Callable[[str], Awaitable[Enrichment | None]]  # arXiv id -> its enrichment
PAGE_SIZE = 5
VIEW_TIMEOUT = 180.0
TOKEN_LIFETIME = 15 * 60.0  # seconds an interaction token can edit its messages (Discord)
TOKEN_MARGIN = 60.0  # the sweeper's edit may come a little after a list's expiry
_KEY = r"(?P<key>[0-9a-f]{16})"
COG = "Lookup"  # the cog keeping the lists (cog.py imports this module, not the reverse)


class PageFetcher(Protocol):
    """A page of the list: `fetch(offset=..., limit=...)`."""

    def __call__(self, *, offset: int, limit: int) -> Awaitable[Page]: ...


@dataclass(slots=True)
class ResultList:
    """What one results message pages through: the query (`fetch`), whose it is, where it
    is. No papers and no discord.py objects: it lives for minutes, thousands at once."""

    fetch: PageFetcher
    owner: int
    title: str
    locale: str
    page_size: int = PAGE_SIZE
    heading: bool = False
    index: int = 0
    expires: float = 0.0
    # The list's message, and the latest interaction answered with it (the command, then
    # each press that kept it alive): its token, valid 15 minutes from `issued` (loop time),
    # edits the message to disable the buttons.
    message_id: int | None = None
    application_id: int = 0
    token: str = ""
    issued: float = 0.0

    def show(self, page: Page) -> list[discord.Embed]:
        """`page` (the `index`th) as embeds."""
        return render.result_page(
            page.papers,
            page=self.index + 1,
            per_page=self.page_size,
            total=f"{page.total:,}+" if page.more else page.total,
            title=self.title,
            locale=self.locale,
            heading=self.heading,
        )

    def components(self, key: str, page: Page | None) -> discord.ui.View:
        """The message's buttons and menu for `page`; all disabled when `page` is None."""
        view = discord.ui.View(timeout=None)
        view.add_item(
            discord.ui.Select(
                custom_id=f"results:{key}:open",
                placeholder=text(self.locale, "open_paper"),
                options=[
                    discord.SelectOption(
                        label=render.shorten(p.title, 100),
                        value=p.arxiv_id,
                        description=f"arXiv:{p.arxiv_id}",
                    )
                    for p in (page.papers if page else ())
                ]
                or [discord.SelectOption(label="-", value="-")],
                disabled=page is None or not page.papers,
                row=0,
            )
        )
        last = page is None or (self.index + 1) * self.page_size >= page.total
        for step, emoji, style, disabled in (
            ("previous", "◀️", discord.ButtonStyle.secondary, page is None or self.index == 0),
            ("next", "▶️", discord.ButtonStyle.primary, last),
        ):
            view.add_item(
                discord.ui.Button(
                    custom_id=f"results:{key}:{step}",
                    label=text(self.locale, step),
                    emoji=emoji,
                    style=style,
                    disabled=disabled,
                    row=1,
                )
            )
        view.stop()  # only rendered: presses come back through PageTurn and OpenPaper
        return view


class ResultLists:
    """The open result lists by key, each expiring `timeout` seconds after its last use."""

    def __init__(
        self,
        *,
        open_paper: PaperOpener,
        enrichment_of: EnrichmentOpener | None = None,
        timeout: float = VIEW_TIMEOUT,
        token_lifetime: float = TOKEN_LIFETIME,
    ) -> None:
        self.open_paper = open_paper
        self.enrichment_of = enrichment_of
        self.timeout = timeout
        self.token_lifetime = token_lifetime
        self._lists: OrderedDict[str, ResultList] = OrderedDict()  # least recently used first
        self._client: discord.Client | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._edits: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._lists)

    def add(self, results: ResultList) -> str:
        key = secrets.token_hex(8)  # a restarted bot never mistakes an old button for a new list
        self._lists[key] = results
        self._touch(key, results)
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(self._sweep(), name="results-expiry")
        return key

    def answered(self, key: str, interaction: discord.Interaction, message_id: int | None) -> None:
        """`interaction` answered with the list's message, or acknowledged a press on it as
        an update of that message: its token is how to disable the buttons later, and the
        list may live as long as that token."""
        results = self._lists.get(key)
        if results is not None:
            self._client = interaction.client
            results.message_id = message_id or results.message_id
            results.application_id = interaction.application_id
            results.token = interaction.token
            response = interaction.response
            results.issued = (
                response.arrived
                if isinstance(response, TimelyResponse)
                else asyncio.get_running_loop().time()
            )
            self._touch(key, results)

    def discard(self, key: str) -> None:
        self._lists.pop(key, None)

    def get(self, key: str) -> ResultList | None:
        """The list, if it has not expired; its clock keeps running."""
        return self._lists.get(key)

    def use(self, key: str) -> ResultList | None:
        """The list, its clock restarted; None once it has expired (or was never here)."""
        results = self._lists.get(key)
        if results is not None:
            self._touch(key, results)
        return results

    def _touch(self, key: str, results: ResultList) -> None:
        """Restart the list's clock, unless its token would be dead when it runs out: a
        list is never kept past the token that can still disable its buttons."""
        expires = asyncio.get_running_loop().time() + self.timeout
        if results.token and expires > results.issued + self.token_lifetime - TOKEN_MARGIN:
            return  # expires where it did; the order of `_lists` stays that of expiry
        results.expires = expires
        self._lists.move_to_end(key)

    async def _sweep(self) -> None:
        loop = asyncio.get_running_loop()
        while self._lists:
            key, oldest = next(iter(self._lists.items()))
            if oldest.expires > loop.time():
                await asyncio.sleep(max(oldest.expires - loop.time(), 1.0))
                continue
            del self._lists[key]
            task = asyncio.create_task(self._disable(key, oldest))
            self._edits.add(task)
            task.add_done_callback(self._edits.discard)

    async def _disable(self, key: str, results: ResultList) -> None:
        if self._client is None or results.message_id is None or not results.token:
            return
        hook = discord.Webhook.partial(results.application_id, results.token, client=self._client)
        try:
            await hook.edit_message(results.message_id, view=results.components(key, None))
        except Exception:  # an expired token, a network error: the buttons just stay
            log.debug("could not disable an expired results message", exc_info=True)

    def close(self) -> None:
        for task in (self._sweeper, *self._edits):
            if task is not None:
                task.cancel()
        self._lists.clear()


def lists_of(client: discord.Client) -> ResultLists | None:
    """The open result lists of a bot, kept by its lookup cog (`Lookup.lists`)."""
    cog = client.get_cog(COG) if isinstance(client, commands.Bot) else None
    found = getattr(cog, "lists", None)
    return found if isinstance(found, ResultLists) else None


def _lists_of(interaction: discord.Interaction) -> ResultLists | None:
    return lists_of(interaction.client)


async def _answering(interaction: discord.Interaction, work: Awaitable[None]) -> None:
    """Run a press in time (deferred as an update of its message when slow, see bot.answer);
    a failure gets the same answer as a failing command, never silence (discord.py only logs
    what a dynamic item's callback raises)."""
    async with in_time(interaction, ephemeral=lambda: True, update=True):
        try:
            await work
        except Exception as error:
            await answer_error(interaction, describe(interaction, error))


async def _expired(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(
        text(str(interaction.locale), "results_expired"), ephemeral=True
    )


class PageTurn(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"results:{_KEY}:(?P<step>previous|next)",
):
    """Previous / Next on a results message: only the member who ran the command."""

    def __init__(self, item: discord.ui.Button[Any], key: str, step: int) -> None:
        super().__init__(item)
        self.key, self.step = key, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageTurn:
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{item.custom_id!r} is not a button")  # type: ignore[attr-defined]
        return cls(item, match["key"], -1 if match["step"] == "previous" else 1)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _answering(interaction, self._turn(interaction))

    async def _turn(self, interaction: discord.Interaction) -> None:
        lists = _lists_of(interaction)
        results = lists.get(self.key) if lists else None
        if lists is None or results is None:
            await _expired(interaction)
            return
        if interaction.user.id != results.owner:  # refused: the list's clock keeps running
            await interaction.response.send_message(
                text(str(interaction.locale), "not_your_buttons"), ephemeral=True
            )
            return
        lists.use(self.key)
        index = max(0, results.index + self.step)
        size = results.page_size
        page = await results.fetch(offset=index * size, limit=size)
        if page.papers or index == 0:
            results.index = index
        else:  # the results shrank since: stay, and show what this page holds now
            page = await results.fetch(offset=results.index * size, limit=size)
        await interaction.response.edit_message(
            embeds=results.show(page), view=results.components(self.key, page)
        )
        lists.answered(self.key, interaction, _message_id(interaction))


def _message_id(interaction: discord.Interaction) -> int | None:
    return interaction.message.id if interaction.message else None


class OpenPaper(discord.ui.DynamicItem[discord.ui.Select[Any]], template=rf"results:{_KEY}:open"):
    """The menu on a results message: anyone may open a paper (an ephemeral card)."""

    def __init__(self, item: discord.ui.Select[Any], key: str) -> None:
        super().__init__(item)
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OpenPaper:
        if not isinstance(item, discord.ui.Select):
            raise TypeError(f"{item.custom_id!r} is not a menu")  # type: ignore[attr-defined]
        return cls(item, match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _answering(interaction, self._open(interaction))

    async def _open(self, interaction: discord.Interaction) -> None:
        lists = _lists_of(interaction)
        if lists is None or lists.use(self.key) is None:
            await _expired(interaction)
            return
        # Acknowledged as an update of the list's message (which stays as it is): this
        # press's token can then disable the list's buttons, however long it is used.
        await interaction.response.defer()
        lists.answered(self.key, interaction, _message_id(interaction))
        locale = str(interaction.locale)
        chosen = await lists.open_paper(self.item.values[0])
        if chosen is None:
            await interaction.response.send_message(text(locale, "gone"), ephemeral=True)
            return
        found = lists.enrichment_of
        enrichment = await found(chosen.arxiv_id) if found is not None else None
        await interaction.response.send_message(
            embed=render.paper_embed(chosen, locale=locale, enrichment=enrichment),
            view=paper_links(chosen, locale, enrichment),
            ephemeral=True,
        )


class OldResults(
    discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"results:(previous|next|open)"
):
    """Buttons and menus of results sent before lists had keys: they have expired."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OldResults:
        return cls(item)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _answering(interaction, _expired(interaction))


RESULT_ITEMS = (PageTurn, OpenPaper, OldResults)  # what presses on result lists come back as


def paper_links(paper: Paper, locale: str, enrichment: Enrichment | None = None) -> discord.ui.View:
    """Link buttons to the arXiv page, the PDF and the Hugging Face page, then the code and
    the project page where enrichment knows them (https only), and Save."""
    view = discord.ui.View(timeout=None)
    links = [("arXiv", paper.abs_url), ("PDF", paper.pdf_url), (text(locale, "hf"), paper.hf_url)]
    links += render.enrichment_links(enrichment, locale=locale)
    for label, link in links:
        if url := render.embed_url(link, render.BUTTON_URL_LIMIT):  # else Discord refuses all
            view.add_item(discord.ui.Button(label=label, url=url))
    return with_save(view, paper.arxiv_id, locale)
