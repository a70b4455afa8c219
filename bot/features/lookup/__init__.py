"""Lookups: slash commands that find papers, and the paged lists they answer with.

cog.py     the slash commands (/paper, /search, /author, /digest, /top) and autocomplete
views.py   result lists: a small record per message, owner-only page buttons, open-a-paper
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.lookup.cog import Lookup
from bot.features.lookup.views import RESULT_ITEMS, ResultLists
from bot.store.enrichment import EnrichmentStore

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    """The lookup commands, and the buttons and menus of the result lists they send."""
    bot.add_dynamic_items(*RESULT_ITEMS)
    enrichments = EnrichmentStore(bot.db)
    lists = ResultLists(open_paper=bot.store.get, enrichment_of=enrichments.enrichment_of)
    await bot.add_cog(Lookup(bot.store, lists, enrichments=enrichments))


async def teardown(bot: PapersBot) -> None:
    bot.remove_dynamic_items(*RESULT_ITEMS)
