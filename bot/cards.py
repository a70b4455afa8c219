"""Save on paper cards: the buttons and menus any feature puts on the cards it shows.

The custom ids carry the arXiv id (`save:2505.03011`), so a press works on a message sent
by an earlier run of the bot; a menu's choices carry theirs (`save:pick`). The saved-papers
feature (bot/features/saved/) owns the dynamic items that match `SAVE_TEMPLATE` and
`PICK_TEMPLATE`; this module only renders, so every feature can use it without importing
another feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.arxiv import ARXIV_ID
from bot.i18n_text import text

SAVE_TEMPLATE = rf"save:(?P<id>{ARXIV_ID})"  # a Save button: the paper is in the id
PICK_ID = "save:pick"  # a "Save one of these…" menu: the papers are its options
PICK_TEMPLATE = PICK_ID
MENU_OPTIONS = 25  # Discord's limit of options in a select menu
_LABEL = 100  # characters of an option's label
CUSTOM_ID = 100  # characters of a custom id, and of an option's value (Discord refuses more)
_LONGEST_PREFIX = len("saved:undo:")  # the Undo on a Save's answer carries the id too


def savable(arxiv_id: str) -> bool:
    """Whether a paper's id fits in Discord's custom ids (real arXiv ids always do; a store
    may hold an odd one, and one custom id too long makes Discord refuse the message)."""
    return len(arxiv_id) + _LONGEST_PREFIX <= CUSTOM_ID


def save_id(arxiv_id: str) -> str:
    """The custom id of the Save button of a paper (within Discord's 100 characters)."""
    return f"save:{arxiv_id}"


def save_button(
    arxiv_id: str, locale: str, *, label: str | None = None, row: int | None = None
) -> discord.ui.Button[Any]:
    """🔖 Save (저장), for the card of `arxiv_id`; `label` replaces the word (`Save 2`)."""
    return discord.ui.Button(
        custom_id=save_id(arxiv_id),
        label=label or text(locale, "save"),
        emoji="🔖",
        style=discord.ButtonStyle.secondary,
        row=row,
    )


def with_save(view: discord.ui.View, arxiv_id: str, locale: str) -> discord.ui.View:
    """`view` with the paper's Save button added (after its link buttons), if it can be."""
    if savable(arxiv_id):
        view.add_item(save_button(arxiv_id, locale))
    return view


@dataclass(frozen=True, slots=True)
class SaveOffer:
    """What a message offers to save: one paper (a button) or several (a menu). Plain data,
    so a daily post's plan can store it and send it again after a restart."""

    papers: tuple[tuple[str, str], ...]  # (arXiv id, title), in card order
    locale: str
    numbered_from: int = 1  # the number of the first card (menu labels are `3. Title`)

    def view(self) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        if len(self.papers) == 1 and savable(self.papers[0][0]):
            view.add_item(save_button(self.papers[0][0], self.locale))
        elif len(self.papers) > 1 and any(savable(i) for i, _ in self.papers):
            view.add_item(pick_menu(self.papers, self.locale, start=self.numbered_from))
        view.stop()  # only rendered: presses come back through the saved feature's items
        return view

    def to_json(self) -> dict[str, Any]:
        return {"papers": [list(p) for p in self.papers], "locale": self.locale,
                "from": self.numbered_from}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SaveOffer:
        papers = tuple((str(i), str(t)) for i, t in data["papers"])
        return cls(papers, str(data["locale"]), int(data.get("from", 1)))


def pick_menu(
    papers: Sequence[tuple[str, str]], locale: str, *, start: int = 1
) -> discord.ui.Select[Any]:
    """ "Save one of these…": a menu of the message's cards (at most 25), numbered as they are."""
    return discord.ui.Select(
        custom_id=PICK_ID,
        placeholder=text(locale, "save_pick"),
        options=[
            discord.SelectOption(
                label=_label(f"{start + i}. {' '.join(title.split())}"),
                value=arxiv_id,
                description=f"arXiv:{arxiv_id}",
                emoji="🔖",
            )
            for i, (arxiv_id, title) in enumerate(papers[:MENU_OPTIONS])
            if savable(arxiv_id)
        ],
    )


def _label(value: str) -> str:
    return value if len(value) <= _LABEL else value[: _LABEL - 1].rstrip() + "…"
