"""/daily status with days built from Hugging Face (the source on, as by default): which day
the next post carries from Hugging Face and when it is posted, in English and Korean.

The bot's Hugging Face source points at a closed port here: the days it would build are
loaded into the store by the test, as the builder loads them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.app import PapersBot
from bot.config import EnrichConfig
from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import write_day
from bot.store import PaperStore

from .support import BotClock, DailyWorld, bot_posts, daily_config, posted_days, response, utc

JAN_1, JAN_2, JAN_3 = (dt.date(2026, 1, d) for d in (1, 2, 3))
NINE = utc(2026, 1, 2, 0, 0)  # 09:00 on Jan 2 in Seoul
NEXT_NINE = NINE + dt.timedelta(days=1)
COMPLETES = utc(2026, 1, 2, 23, 0)  # Hugging Face's Jan 2 is complete: 08:00 on Jan 3 in Seoul
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def daily_bot(daily_papers: PaperStore) -> PapersBot:
    config = daily_config()
    huggingface = dataclasses.replace(
        config.sources.huggingface, enabled=True, api_base="http://127.0.0.1:9"
    )
    sources = dataclasses.replace(config.sources, huggingface=huggingface)
    config = dataclasses.replace(config, sources=sources, enrich=EnrichConfig(enabled=False))
    return PapersBot(config, daily_papers.db, clock=BotClock())


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


def ts(when: dt.datetime, style: str = "F") -> str:
    return f"<t:{int(when.timestamp())}:{style}>"


async def channel_status(daily: DailyWorld) -> list[str]:
    """The lines of /daily status about #papers, as the admin reads them."""
    result = await daily.admin.slash(daily.channel, "daily status")
    (embed,) = response(result).embeds
    blocks = (embed.description or "").split("\n\n")
    (block,) = [b for b in blocks if b.startswith(daily.channel.mention)]
    return block.split("\n")[1:]


def built(day: dt.date, count: int, *, complete: bool) -> str:
    papers = [
        HfPaper(f"2601.{n:05d}", f"Built {n}", "An abstract.", upvotes=n) for n in range(count)
    ]
    return write_day(day, papers, complete=complete)


async def test_status_names_the_day_the_next_post_carries_from_hugging_face_and_when(
    daily: DailyWorld, locales: dict[int, str]
) -> None:
    channel = daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))  # 05:00 on Jan 2 in Seoul
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    await daily.papers.ingest("built/2026/01/01.md", parse(built(JAN_1, 2, complete=True)))
    # built at the deadline: Jan 2's first papers, fetched before Hugging Face's day was over
    await daily.papers.ingest("built/2026/01/02.md", parse(built(JAN_2, 2, complete=False)))
    await daily.jump_to(NINE)
    assert posted_days(bot_posts(daily.env, channel)) == [
        "2026-01-01"
    ]  # Hugging Face's whole Jan 1

    lines = await channel_status(daily)
    assert lines[1:5] == [
        f"Next post: {ts(NEXT_NINE)}",
        "Last digest: 2026-01-01 (done, 2/2 messages)",
        "Built from Hugging Face: the Korean digest of 2026-01-01 was not out by "
        f"{ts(NINE - dt.timedelta(days=1), 't')}.",
        "🤗 2026-01-02 comes from Hugging Face (its Korean digest was not out by "
        f"{ts(NINE, 'f')}): the whole day as Hugging Face lists it is posted at "
        f"2026-01-03 09:00 (Asia/Seoul), {ts(NEXT_NINE, 'R')}.",
    ]
    locales[daily.admin.id] = "ko"
    korean = await channel_status(daily)
    assert korean[4] == (
        f"🤗 2026-01-02은 Hugging Face에서 가져옵니다({ts(NINE, 'f')}까지 한국어 "
        "다이제스트가 나오지 않았습니다): Hugging Face에 올라온 그날 전체를 "
        f"2026-01-03 09:00 (Asia/Seoul), {ts(NEXT_NINE, 'R')}에 게시합니다."
    )
    del locales[daily.admin.id]

    # Hugging Face's Jan 2 completes at 08:00; the bot builds it again then: posted at 09:00
    await daily.jump_to(COMPLETES + MINUTE)
    await daily.papers.ingest("built/2026/01/02.md", parse(built(JAN_2, 30, complete=True)))
    await daily.jump_to(NEXT_NINE - MINUTE)
    assert posted_days(bot_posts(daily.env, channel)) == ["2026-01-01"]
    await daily.run_until(NEXT_NINE + dt.timedelta(seconds=1))
    posts = bot_posts(daily.env, channel)
    assert posted_days(posts) == ["2026-01-01", "2026-01-02"]
    header = next(p for p in posts if "2026-01-02" in p.content)
    assert "30 papers" in header.content and daily.clock.at(header) == NEXT_NINE

    lines = await channel_status(daily)
    assert lines[2:4] == [
        "Last digest: 2026-01-02 (done, 4/4 messages)",
        f"Built from Hugging Face: the Korean digest of 2026-01-02 was not out by {ts(NINE, 't')}.",
    ]
    assert lines[4].startswith("🤗 2026-01-03 comes from Hugging Face")  # the next one


async def test_status_says_a_built_post_past_due_waits_for_hugging_face(
    daily: DailyWorld,
) -> None:
    channel = daily.channel
    await daily.jump_to(utc(2026, 1, 2, 1, 0))  # 10:00 on Jan 2 in Seoul
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    await daily.papers.ingest("built/2026/01/02.md", parse(built(JAN_2, 2, complete=False)))
    await daily.jump_to(NEXT_NINE + MINUTE)  # Hugging Face gave no complete Jan 2 (down)
    assert bot_posts(daily.env, channel) == []
    lines = await channel_status(daily)
    assert (
        f"⏳ 2026-01-02 from Hugging Face was due at 2026-01-03 09:00 (Asia/Seoul), "
        f"{ts(NEXT_NINE, 'R')}: it is posted as soon as Hugging Face's complete list of it is "
        "built." in lines
    )
    await daily.papers.ingest("built/2026/01/02.md", parse(built(JAN_2, 30, complete=True)))
    await daily.run_until(daily.now() + MINUTE)
    assert posted_days(bot_posts(daily.env, channel)) == ["2026-01-02"]
