"""Saved papers: Save on every card, /saved list, remove and export, and Find papers.

cog.py      /saved list (pages as results do), /saved remove, /saved export; Find papers
views.py    the Save button, the "Save one of these…" menu and Undo (dynamic items)
service.py  what a Save press and /saved do with the stores
export.py   the list as BibTeX, Markdown or CSV (pure)
find.py     the papers a message mentions, and the answer listing them (pure)

The Save buttons themselves are rendered by bot/cards.py, so that every feature's cards can
carry them; the SQL is in bot/store/saved.py. /saved list pages through the lookup feature's
result lists, so both features are loaded together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.saved.cog import Saved
from bot.features.saved.service import SavedService
from bot.features.saved.views import SAVE_ITEMS
from bot.store.saved import SavedStore

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    """The /saved commands, Find papers, and the Save presses on any card."""
    bot.add_dynamic_items(*SAVE_ITEMS)
    service = SavedService(SavedStore(bot.db), bot.store, clock=bot.clock)
    await bot.add_cog(Saved(service, bot.tree))


async def teardown(bot: PapersBot) -> None:
    bot.remove_dynamic_items(*SAVE_ITEMS)
