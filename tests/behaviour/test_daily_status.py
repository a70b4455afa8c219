"""/daily status, and what happens when Discord refuses a channel's post."""

from __future__ import annotations

import datetime as dt

import discord
import pytest
import simcord

from bot.app import PapersBot
from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import write_day

from .support import DailyWorld, bot_posts, posted_days, publish, response, utc

JAN_2 = dt.date(2026, 1, 2)
NINE = utc(2026, 1, 2, 0, 0)  # 09:00 on Jan 2 in Seoul
MINUTE = dt.timedelta(minutes=1)
FORBIDDEN = "Missing permissions in this channel (HTTP 403, code 50013)"


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


def ts(when: dt.datetime) -> str:
    return f"<t:{int(when.timestamp())}:F>"


async def status_of(daily: DailyWorld) -> dict[str, str]:
    """/daily status as the admin reads it: channel mention -> its lines."""
    result = await daily.admin.slash(daily.channel, "daily status")
    assert result.ephemeral
    (embed,) = response(result).embeds
    assert embed.title == "Daily digest posts"
    blocks = (embed.description or "").split("\n\n")
    return {b.split("\n", 1)[0]: b.split("\n", 1)[1] for b in blocks}


def attempts(env: simcord.Env, channel: simcord.ChannelHandle) -> int:
    path = f"/channels/{channel.id}/messages"
    return sum(1 for r in env.http_requests if r.method == "POST" and r.path == path)


async def test_status_lists_each_subscription_its_next_post_and_last_digest(
    daily: DailyWorld,
) -> None:
    env, channel, guild = daily.env, daily.channel, daily.guild
    news = guild.create_text_channel("news")
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    await daily.admin.slash(
        channel,
        "daily subscribe",
        channel=news,
        time="18:30",
        timezone="America/New_York",
        style="compact",
    )
    elsewhere = env.create_guild("Elsewhere")  # another server's subscription is not listed
    admins = elsewhere.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    carol = elsewhere.add_member(env.create_user("carol"), roles=[admins])
    general = elsewhere.create_text_channel("general")
    await carol.slash(general, "daily subscribe", channel=general)

    await publish(daily.papers, JAN_2)
    await daily.jump_to(NINE)

    assert await status_of(daily) == {
        channel.mention: "\n".join(
            [
                "Every day at 09:00 (Asia/Seoul), style embeds",
                f"Next post: {ts(NINE + dt.timedelta(days=1))}",
                "Last digest: 2026-01-02 (done, 2/2 messages)",
            ]
        ),
        news.mention: "\n".join(
            [
                "Every day at 18:30 (America/New_York), style compact",
                f"Next post: {ts(utc(2026, 1, 2, 23, 30))}",  # Jan 2, 18:30 EST
            ]
        ),
        "**Recent days**": "2026-01-02: Korean digest, 3 papers",
    }


async def test_a_refusing_channel_is_paused_after_three_failures_and_others_still_post(
    daily: DailyWorld,
) -> None:
    env, channel, guild = daily.env, daily.channel, daily.guild
    news = guild.create_text_channel("news")
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    for target in (channel, news):
        await daily.admin.slash(channel, "daily subscribe", channel=target)
    await publish(daily.papers, JAN_2)
    # Someone takes the bot's Send Messages away in #papers: Discord answers 403 (3 times).
    env.inject_error(
        "POST",
        f"/channels/{channel.id}/messages",
        status=403,
        code=50013,
        message="Missing Permissions",
        times=3,
    )

    await daily.jump_to(NINE)

    assert posted_days(bot_posts(env, news)) == ["2026-01-02"]
    assert bot_posts(env, channel) == []
    status = await status_of(daily)
    assert status[channel.mention].endswith(f"\n⚠️ Last error (1×): {FORBIDDEN}")
    assert status[news.mention].endswith("\nLast digest: 2026-01-02 (done, 2/2 messages)")

    await daily.run_until(NINE + 3 * MINUTE)  # retried on the next ticks; the third 403 pauses
    assert attempts(env, channel) == 3
    status = await status_of(daily)
    assert status[channel.mention].endswith(
        f"\n⏸️ Paused: {FORBIDDEN}. Fix the channel permissions, then subscribe again."
    )
    assert len(bot_posts(env, news)) == 2

    # Permissions fixed, the admin subscribes again: the day's post goes out, once.
    await daily.admin.slash(channel, "daily subscribe", channel=channel)
    await daily.run_until(daily.now() + MINUTE)
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02"]
    assert (await status_of(daily))[channel.mention].endswith(
        "\nLast digest: 2026-01-02 (done, 2/2 messages)"
    )
    assert len(bot_posts(env, news)) == 2


async def test_discord_server_errors_are_retried_without_pausing(daily: DailyWorld) -> None:
    """Discord itself failing for a few minutes (5xx) says nothing about the channel."""
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel)
    await publish(daily.papers, JAN_2)
    env.inject_error("POST", f"/channels/{channel.id}/messages", status=503, times=4)

    await daily.jump_to(NINE)
    await daily.run_until(NINE + 2 * MINUTE + dt.timedelta(seconds=1))  # 5 ticks: 4 failures

    assert attempts(env, channel) == 4 + 2
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02"]
    status = (await status_of(daily))[channel.mention]
    assert "Paused" not in status and status.endswith("(done, 2/2 messages)"), status


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (403, 50013, FORBIDDEN),
        (503, 0, "Discord error HTTP 503: "),
    ],
)
async def test_a_refused_post_now_shows_as_stalled_with_its_size_and_reason(
    daily: DailyWorld, status: int, code: int, reason: str
) -> None:
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 2, 1, 0))  # today's post time has passed
    await daily.admin.slash(channel, "daily subscribe", channel=channel)
    await publish(daily.papers, JAN_2)
    env.inject_error("POST", f"/channels/{channel.id}/messages", status=status, code=code, times=1)

    await daily.admin.slash(channel, "daily post-now", channel=channel)

    lines = (await status_of(daily))[channel.mention].split("\n")
    assert lines[2] == "Last digest: 2026-01-02 (stalled, 0/2 messages)", lines
    assert any(line.startswith("⚠️") and reason in line for line in lines[3:]), lines


async def test_status_says_a_post_came_from_a_day_built_from_hugging_face(
    daily: DailyWorld,
) -> None:
    channel = daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    papers = [HfPaper("2601.00001", "Built one", "An abstract.", upvotes=3),
              HfPaper("2601.00002", "Built two", "Another.", upvotes=9)]  # fmt: skip
    built = write_day(JAN_2, papers, complete=True)
    await daily.papers.ingest("built/2026/01/02.md", parse(built))
    await daily.jump_to(NINE)
    assert len(bot_posts(daily.env, channel)) == 2  # no Korean digest: the built day went out

    status = await status_of(daily)
    assert status[channel.mention].endswith(
        "Last digest: 2026-01-02 (done, 2/2 messages)\n"
        "Built from Hugging Face: the Korean digest of 2026-01-02 was not out by "
        f"<t:{int(NINE.timestamp())}:t>."
    )
    assert status["**Recent days**"] == "2026-01-02: built from Hugging Face, 2 papers"

    await publish(daily.papers, JAN_2)  # the Korean digest comes after all
    await daily.jump_to(NINE + 5 * MINUTE)
    assert len(bot_posts(daily.env, channel)) == 2  # not posted again
    status = await status_of(daily)
    assert "Built from Hugging Face" not in status[channel.mention]
    assert status["**Recent days**"] == "2026-01-02: Korean digest and Hugging Face, 5 papers"


def built_papers(count: int) -> list[HfPaper]:
    return [HfPaper(f"2601.{n:05d}", f"Built {n}", "An abstract.", upvotes=n) for n in range(count)]


async def test_a_day_built_before_hugging_face_completed_it_waits_and_status_says_until_when(
    daily: DailyWorld,
) -> None:
    channel = daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    early = write_day(JAN_2, built_papers(2))  # fetched at post time: the day's first papers
    await daily.papers.ingest("built/2026/01/02.md", parse(early))
    await daily.jump_to(NINE)
    assert bot_posts(daily.env, channel) == []  # not the day's first two papers
    found = await daily.papers.search("Built")  # its papers are in the store all the same
    assert sorted(p.arxiv_id for p in found.papers) == ["2601.00000", "2601.00001"]

    status = await status_of(daily)
    completes = utc(2026, 1, 2, 23, 0)  # sources.huggingface.day_complete_utc
    assert status[channel.mention].endswith(
        f"Waiting for Hugging Face's list of 2026-01-02 to complete: posted after {ts(completes)}"
        ", once built again then."
    )

    await daily.jump_to(completes - MINUTE)  # still incomplete: still waiting
    assert bot_posts(daily.env, channel) == []
    complete = write_day(JAN_2, built_papers(30), complete=True)
    await daily.papers.ingest("built/2026/01/02.md", parse(complete))
    await daily.jump_to(completes + MINUTE)
    (header, *_) = bot_posts(daily.env, channel)
    assert "30 papers" in header.content
    assert "Waiting for Hugging Face" not in (await status_of(daily))[channel.mention]


async def test_a_korean_digest_makes_a_day_built_early_available_at_once(
    daily: DailyWorld,
) -> None:
    channel = daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="Asia/Seoul")
    early = write_day(JAN_2, built_papers(2))
    await daily.papers.ingest("built/2026/01/02.md", parse(early))
    await publish(daily.papers, JAN_2)
    await daily.jump_to(NINE)
    (header, *_) = bot_posts(daily.env, channel)
    assert "5 papers" in header.content  # the Korean digest's 3 and the two built ones
