"""Follows and alerts: /follow commands, and one direct message per member and digest day.

cog.py       /follow keyword, author, list, remove, status; the tick loop
service.py   what the commands and the tick do: follows, status, planning each new day once
plan.py      an alert's messages (pure): the day, the matching papers as cards, split to fit
delivery.py  sends planned alerts exactly once per member and day, paced, failures per member

Its SQL is in bot/store/follows.py (follows, members, the alert ledger) and
bot/store/follow_match.py (a day's follows matched as /search and /author match them).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.config import parse_timezone
from bot.features.follows.cog import Follows
from bot.features.follows.delivery import Deliverer
from bot.features.follows.service import FollowService, Window
from bot.store.follows import FollowStore

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    """Follows from the bot's stores; alerts paced with the daily posts by the bot's Pacer."""
    store = FollowStore(bot.db)
    deliverer = Deliverer(store, bot, bot.pacer, owner=bot.instance_id, clock=bot.clock)
    daily = bot.config.daily
    window = Window(parse_timezone(daily.timezone), dt.timedelta(hours=daily.catch_up_hours))
    service = FollowService(
        bot.store, store, deliverer, window, clock=bot.clock, ready=bot.is_ready
    )
    await bot.add_cog(Follows(service))
