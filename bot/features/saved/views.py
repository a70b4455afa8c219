"""Presses on Save buttons and "Save one of these…" menus, wherever a card shows them, and
the Undo on the answer. They are dynamic items: the custom id carries the paper (see
bot/cards.py), so a message sent before a restart still saves."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable
from typing import Any

import discord
from discord.ext import commands

from bot import render
from bot.answer import in_time
from bot.arxiv import ARXIV_ID
from bot.cards import PICK_TEMPLATE, SAVE_TEMPLATE
from bot.errors import answer_error, describe
from bot.features.saved.service import Saved, SavedService
from bot.i18n_text import text
from bot.store.saved import Saving

log = logging.getLogger(__name__)
COG = "Saved"  # the cog holding the service (cog.py imports this module, not the reverse)
UNDO_TEMPLATE = rf"saved:undo:(?P<id>{ARXIV_ID})"
_TITLE = 200  # characters of a title quoted in an answer


def papers_text(locale: str, count: int) -> str:
    """`1 paper`, `12 papers` (`논문 12편`)."""
    if count == 1:
        return text(locale, "paper_count_one")
    return text(locale, "paper_count", count=f"{count:,}")


def service_of(client: discord.Client) -> SavedService | None:
    cog = client.get_cog(COG) if isinstance(client, commands.Bot) else None
    found = getattr(cog, "service", None)
    return found if isinstance(found, SavedService) else None


async def answering(
    interaction: discord.Interaction, work: Awaitable[None], *, update: bool
) -> None:
    """A press answered in time, a failure answered as a failing command is (never silence:
    discord.py only logs what a dynamic item's callback raises)."""
    async with in_time(interaction, ephemeral=lambda: True, update=update):
        try:
            await work
        except Exception as error:
            await answer_error(interaction, describe(interaction, error))


def undo_button(arxiv_id: str, locale: str, *, key: str = "saved_undo") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            custom_id=f"saved:undo:{arxiv_id}",
            label=text(locale, key),
            emoji="↩️",
            style=discord.ButtonStyle.secondary,
        )
    )
    view.stop()  # only rendered: presses come back through UndoSave
    return view


def _title(saved: Saved) -> str:
    title = saved.paper.title if saved.paper else f"arXiv:{saved.arxiv_id}"
    return f"**{render.shorten(render.sanitize(title), _TITLE)}** · arXiv:{saved.arxiv_id}"


async def save_pressed(interaction: discord.Interaction, arxiv_id: str) -> None:
    """Save the paper for the member who pressed; answer only them, with Undo."""
    locale = str(interaction.locale)
    service = service_of(interaction.client)
    if service is None:
        raise RuntimeError("the saved-papers feature is not loaded")
    saved = await service.save(interaction.user.id, arxiv_id)
    result = saved.result
    if result is None:
        await interaction.response.send_message(
            text(locale, "saved_gone", id=arxiv_id), ephemeral=True
        )
        return
    if result.outcome is Saving.FULL:
        message = text(locale, "saved_full", limit=f"{service.limit:,}")
        await interaction.response.send_message(message, ephemeral=True)
        return
    key = "saved_added" if result.outcome is Saving.ADDED else "saved_already"
    await interaction.response.send_message(
        text(locale, key, papers=papers_text(locale, result.count), title=_title(saved)),
        view=undo_button(saved.arxiv_id, locale),
        ephemeral=True,
    )


class SaveButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SAVE_TEMPLATE):
    """🔖 Save on a paper card."""

    def __init__(self, item: discord.ui.Button[Any], arxiv_id: str) -> None:
        super().__init__(item)
        self.arxiv_id = arxiv_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SaveButton:
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{item.custom_id!r} is not a button")  # type: ignore[attr-defined]
        return cls(item, match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await answering(interaction, save_pressed(interaction, self.arxiv_id), update=False)


class SavePick(discord.ui.DynamicItem[discord.ui.Select[Any]], template=PICK_TEMPLATE):
    """ "Save one of these…" under a message of several cards (the daily post)."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SavePick:
        if not isinstance(item, discord.ui.Select):
            raise TypeError(f"{item.custom_id!r} is not a menu")  # type: ignore[attr-defined]
        return cls(item)

    async def callback(self, interaction: discord.Interaction) -> None:
        chosen = self.item.values[0] if self.item.values else ""
        await answering(interaction, save_pressed(interaction, chosen), update=False)


class UndoSave(discord.ui.DynamicItem[discord.ui.Button[Any]], template=UNDO_TEMPLATE):
    """↩️ Undo on a Save answer: the paper leaves the list, the answer says so."""

    def __init__(self, item: discord.ui.Button[Any], arxiv_id: str) -> None:
        super().__init__(item)
        self.arxiv_id = arxiv_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> UndoSave:
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{item.custom_id!r} is not a button")  # type: ignore[attr-defined]
        return cls(item, match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await answering(interaction, self._undo(interaction), update=True)

    async def _undo(self, interaction: discord.Interaction) -> None:
        locale = str(interaction.locale)
        service = service_of(interaction.client)
        if service is None:
            raise RuntimeError("the saved-papers feature is not loaded")
        _, left, title = await service.remove(interaction.user.id, self.arxiv_id)
        shown = f"**{render.shorten(render.sanitize(title), _TITLE)}** · arXiv:{self.arxiv_id}"
        await interaction.response.edit_message(
            content=text(locale, "saved_undone", papers=papers_text(locale, left), title=shown),
            view=None,
        )


SAVE_ITEMS = (SaveButton, SavePick, UndoSave)
