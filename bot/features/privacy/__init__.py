"""/privacy: what papers-bot stores about a member, and deleting all of it.

cog.py     /privacy show, /privacy forget-me, and the confirmation's buttons (dynamic items)

What counts as a member's data is listed once, in bot/store/members.py `MEMBER_DATA`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.privacy.cog import PRIVACY_ITEMS, Privacy
from bot.store.members import MemberStore

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    bot.add_dynamic_items(*PRIVACY_ITEMS)
    await bot.add_cog(Privacy(MemberStore(bot.db)))


async def teardown(bot: PapersBot) -> None:
    bot.remove_dynamic_items(*PRIVACY_ITEMS)
