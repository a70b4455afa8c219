"""Daily posts: /daily commands, the scheduler and sending each day's digest exactly once.

cog.py       /daily subscribe, unsubscribe, status, preview, post-now; the tick and poll loops
runner.py    turns due decisions into posts, one task per channel, failures per channel
poster.py    sends a planned post exactly once per channel and day, resumable after a crash
plan.py      what a post contains (pure): messages, embeds, thread layout
schedule.py  when a post is due (pure): local time, DST, waiting, catching up
pacer.py     spaces messages under Discord's global rate limit
discord_errors.py  a Discord HTTP error: transient (not the channel's fault) or not, in words
sources.py   digest sources polled for new days: folders and a URL template
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.daily.cog import setup_daily

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    await setup_daily(bot, clock=bot.clock)
