"""Daily posts on the clock: local post times, DST days, late digests, catch-up after downtime.

Each test publishes the digests of the days it simulates and moves the bot's clock to just
before the moment it looks at (see `DailyWorld.jump_to` in support.py), then lets the 30 s
scheduler tick through it, and looks at the channel the way a member would.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.app import PapersBot

from .support import (
    DailyWorld,
    bot_posts,
    daily_config,
    embeds,
    numbered_titles,
    posted_days,
    publish,
    response,
    utc,
)

JAN_1, JAN_2, JAN_3, JAN_4 = (dt.date(2026, 1, d) for d in (1, 2, 3, 4))
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


async def subscribe(daily: DailyWorld, **options: object) -> str:
    result = await daily.admin.slash(
        daily.channel, "daily subscribe", channel=daily.channel, **options
    )
    assert result.ephemeral
    return response(result).content


async def test_seoul_nine_oclock_posts_each_days_digest_once_at_nine(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_2)
    await daily.jump_to(utc(2026, 1, 1, 20, 0))  # 05:00 on Jan 2 in Seoul

    answer = await subscribe(daily, time="09:00", timezone="Asia/Seoul")
    nine = utc(2026, 1, 2, 0, 0)  # 09:00 KST
    assert answer == (
        f"Subscribed {channel.mention}: the digest is posted every day at 09:00 (Asia/Seoul). "
        f"Next post: <t:{int(nine.timestamp())}:F>."
    )

    await daily.jump_to(nine - 2 * MINUTE)
    await daily.run_until(nine - dt.timedelta(seconds=1))  # ticks up to 08:59:30
    assert bot_posts(env, channel) == []

    await daily.run_until(nine + dt.timedelta(seconds=1))
    header, cards = bot_posts(env, channel)
    assert header.content == "## 📚 Daily Papers — 2026-01-02\n3 papers" and not header.embeds
    assert [e.title for e in cards.embeds] == numbered_titles(JAN_2) and not cards.content
    assert daily.clock.at(header) == nine

    await daily.run_until(nine + 5 * MINUTE)  # 10 more ticks: nothing more
    assert len(bot_posts(env, channel)) == 2

    # The next day's digest arrives overnight and goes out at 09:00 the next morning, once.
    await publish(daily.papers, JAN_3)
    next_nine = nine + dt.timedelta(days=1)
    await daily.jump_to(next_nine - MINUTE)
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02"]
    await daily.run_until(next_nine + 3 * MINUTE)
    posts = bot_posts(env, channel)
    assert posted_days(posts) == ["2026-01-02", "2026-01-03"]
    assert len(posts) == 4 and daily.clock.at(posts[2]) == next_nine
    assert [e.title for e in posts[3].embeds] == numbered_titles(JAN_3)


# (timezone, HH:MM, [(local day, the UTC instant its post must go out)])
ZONES = {
    # 02:30 does not exist on 2026-03-08 in New York: 03:30 EDT, the same UTC instant as the
    # day before (02:30 EST); the day after, 02:30 EDT is an hour earlier in UTC.
    "new-york-spring-forward": (
        "America/New_York",
        "02:30",
        [
            (dt.date(2026, 3, 7), utc(2026, 3, 7, 7, 30)),
            (dt.date(2026, 3, 8), utc(2026, 3, 8, 7, 30)),
            (dt.date(2026, 3, 9), utc(2026, 3, 9, 6, 30)),
        ],
    ),
    # 01:30 happens twice on 2026-11-01 in New York: the post goes out once, at the first.
    "new-york-fall-back": (
        "America/New_York",
        "01:30",
        [(dt.date(2026, 11, 1), utc(2026, 11, 1, 5, 30))],
    ),
    # Berlin moves to CEST on 2026-03-29: 09:00 is 08:00 UTC the day before, 07:00 UTC that day.
    "berlin-spring-forward": (
        "Europe/Berlin",
        "09:00",
        [(dt.date(2026, 3, 28), utc(2026, 3, 28, 8)), (dt.date(2026, 3, 29), utc(2026, 3, 29, 7))],
    ),
    # The local date, not the UTC date, picks the digest.
    "los-angeles-evening": (
        "America/Los_Angeles",
        "20:00",
        [(dt.date(2026, 1, 1), utc(2026, 1, 2, 4))],
    ),
    "auckland-morning": ("Pacific/Auckland", "07:00", [(dt.date(2026, 1, 2), utc(2026, 1, 1, 18))]),
}


@pytest.mark.daily(catch_up_hours=1, wait_for_digest_minutes=30)
@pytest.mark.parametrize("zone", ZONES)
async def test_each_timezone_posts_once_at_the_right_instant(daily: DailyWorld, zone: str) -> None:
    env, channel = daily.env, daily.channel
    tz_name, hhmm, days = ZONES[zone]
    tz = ZoneInfo(tz_name)
    # The neighbouring days' digests are there too, so posting a wrong day would show.
    for d in sorted({day + dt.timedelta(days=k) for day, _ in days for k in (-1, 0, 1)}):
        await publish(daily.papers, d)
    expected_days: list[str] = []

    for day, at in days:
        await daily.jump_to(at - 2 * MINUTE)
        if not expected_days:
            await subscribe(daily, time=hhmm, timezone=tz_name)
        await daily.run_until(at - dt.timedelta(seconds=1))
        assert posted_days(bot_posts(env, channel)) == expected_days, f"early, before {at}"

        await daily.run_until(at + dt.timedelta(seconds=31))
        posts = bot_posts(env, channel)
        expected_days.append(day.isoformat())
        assert posted_days(posts) == expected_days
        assert daily.clock.at(posts[-2]) == at, f"{day} went out at {daily.clock.at(posts[-2])}"
        assert at.astimezone(tz).date() == day

        repeated = at + dt.timedelta(hours=1)
        if repeated.astimezone(tz).strftime("%H:%M") == hhmm:  # the clock shows HH:MM again
            await daily.jump_to(repeated - MINUTE)
            await daily.run_until(repeated + MINUTE)
            assert posted_days(bot_posts(env, channel)) == expected_days


# --- late digests -------------------------------------------------------------------------


@pytest.mark.daily(wait_for_digest_minutes=60, on_missing="wait")
async def test_a_late_digest_is_posted_when_it_arrives(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await subscribe(daily, time="09:00", timezone="Asia/Seoul")
    nine = utc(2026, 1, 2, 0, 0)

    await daily.jump_to(nine - MINUTE)
    await daily.run_until(nine + 2 * MINUTE)
    assert bot_posts(env, channel) == []  # 09:00 came, the digest had not

    await daily.jump_to(nine + 30 * MINUTE)  # it is published at 09:30
    await publish(daily.papers, JAN_2)
    await daily.run_until(nine + 30 * MINUTE + dt.timedelta(seconds=31))  # the next tick
    posts = bot_posts(env, channel)
    assert posted_days(posts) == ["2026-01-02"]
    assert daily.clock.at(posts[0]) == nine + 30 * MINUTE + dt.timedelta(seconds=30)

    # With on_missing=wait the bot keeps waiting past wait_for_digest_minutes (here 60).
    await daily.jump_to(nine + dt.timedelta(days=1, hours=3))  # 12:00 on Jan 3, no digest yet
    assert len(bot_posts(env, channel)) == 2
    await publish(daily.papers, JAN_3)
    await daily.run_until(daily.now() + MINUTE)
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02", "2026-01-03"]


@pytest.mark.daily(wait_for_digest_minutes=60, on_missing="skip")
async def test_a_digest_later_than_the_wait_is_skipped_and_status_says_why(
    daily: DailyWorld,
) -> None:
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await subscribe(daily, time="09:00", timezone="Asia/Seoul")
    nine = utc(2026, 1, 2, 0, 0)

    await daily.jump_to(nine + 59 * MINUTE)  # still within the wait
    await daily.run_until(nine + 61 * MINUTE)  # past it: the day is skipped
    await publish(daily.papers, JAN_2)  # ... so the digest arriving now is not posted
    await daily.run_until(nine + 63 * MINUTE)
    assert bot_posts(env, channel) == []

    status = embeds(await daily.admin.slash(channel, "daily status"))[0].description or ""
    assert "Last digest: 2026-01-02 (skipped" in status, status
    assert "the digest for 2026-01-02 was not out 60 min after 09:00 KST" in status, status

    # The next day is on time and posted as usual.
    await publish(daily.papers, JAN_3)
    await daily.jump_to(nine + dt.timedelta(days=1) - MINUTE)
    await daily.run_until(nine + dt.timedelta(days=1, minutes=1))
    assert posted_days(bot_posts(env, channel)) == ["2026-01-03"]


# --- downtime -----------------------------------------------------------------------------


async def test_after_downtime_only_a_day_within_catch_up_hours_is_posted(
    daily: DailyWorld,
) -> None:
    """The bot process stops before 09:00 and starts again later (catch_up_hours: 24)."""
    env, channel = daily.env, daily.channel
    await daily.jump_to(utc(2026, 1, 1, 20, 0))
    await subscribe(daily, time="09:00", timezone="Asia/Seoul")
    await publish(daily.papers, JAN_2)

    async def down_until(when: dt.datetime) -> None:
        """Stop the process, let the clock run to `when`, start a new process on the same db."""
        daily.cog().tick.cancel()
        daily.cog().poll.cancel()
        await env.advance_time(30)
        daily.clock.offset += when - daily.now()
        daily.bot = PapersBot(daily_config(), daily.papers.db, clock=daily.clock)
        await env.restart_bot(daily.bot)  # the new process ticks at once

    # Down across 09:00 on Jan 2, back at 14:00: the missed day is posted, once.
    await down_until(utc(2026, 1, 2, 5, 0))
    posts = bot_posts(env, channel)
    assert posted_days(posts) == ["2026-01-02"]
    assert daily.clock.at(posts[0]) == utc(2026, 1, 2, 5, 0)
    await daily.run_until(daily.now() + 2 * MINUTE)
    assert len(bot_posts(env, channel)) == 2

    # Down from Jan 2 until 10:00 on Jan 4: Jan 3 (25 h ago) is not flooded in, Jan 4 is posted.
    await publish(daily.papers, JAN_3)
    await publish(daily.papers, JAN_4)
    await down_until(utc(2026, 1, 4, 1, 0))
    await daily.run_until(daily.now() + 2 * MINUTE)
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02", "2026-01-04"]


async def test_a_new_subscription_waits_for_its_first_post_time(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1)  # posted at 09:00 KST today, before anyone subscribed
    await daily.jump_to(utc(2026, 1, 1, 3, 0))  # 12:00 in Seoul

    answer = await subscribe(daily, time="09:00", timezone="Asia/Seoul")
    assert f"Next post: <t:{int(utc(2026, 1, 2).timestamp())}:F>" in answer
    await daily.run_until(daily.now() + 2 * MINUTE)

    assert bot_posts(env, channel) == []
