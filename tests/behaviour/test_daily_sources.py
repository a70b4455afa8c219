"""A daily post whose digest the URL source brings in, and what /daily status says about it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.app import PapersBot
from bot.store import PaperStore

from ..http_site import Site, serving
from .support import BotClock, DailyWorld, bot_posts, daily_config, digest_text, posted_days, utc
from .test_daily_status import status_of

JAN_2 = dt.date(2026, 1, 2)
ELSEWHERE = dt.date(2025, 12, 1)  # a day the URL for Jan 2 has no business changing
NINE = utc(2026, 1, 2, 0, 0)  # 09:00 on Jan 2 in Seoul


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serving() as s:
        yield s


@pytest.fixture
def daily_bot(daily_papers: PaperStore, site: Site) -> PapersBot:
    config = daily_config()
    sources = dataclasses.replace(
        config.sources, url_template=site.base + "/{yyyy}/{mm}/{dd}.md", lookback_days=0
    )
    config = dataclasses.replace(config, sources=sources)
    return PapersBot(config, daily_papers.db, clock=BotClock())


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


async def test_the_url_for_a_day_posts_that_day_and_status_reports_what_it_ignored(
    daily: DailyWorld, site: Site
) -> None:
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    body = digest_text(JAN_2) + "\n\n" + digest_text(ELSEWHERE, (99,))
    site.body("/2026/01/02.md", body.encode())

    await daily.jump_to(NINE)  # not loaded at post time: the bot polls its sources
    for _ in range(120):  # the fetch is real network I/O; the post goes out at a next tick
        if posted_days(bot_posts(env, channel)):
            break
        await env.advance_time(1)

    assert posted_days(bot_posts(env, channel)) == ["2026-01-02"]
    assert await daily.papers.digest(ELSEWHERE) is None
    status = await status_of(daily)
    assert status["**Digest sources**"] == (
        f"⚠️ digest URL source: {site.base}/2026/01/02.md: ignored sections for 2025-12-01; "
        "the URL for 2026-01-02 changes only 2026-01-02"
    )
