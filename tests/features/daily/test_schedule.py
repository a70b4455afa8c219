"""When posts happen: local times, DST days, waiting for late digests, catch-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.features.daily.schedule import Rules, due, next_post, post_at

SEOUL, NEW_YORK, BERLIN = (
    ZoneInfo("Asia/Seoul"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/Berlin"),
)


def rules(
    hhmm: str = "09:00",
    tz: ZoneInfo = SEOUL,
    *,
    wait: int = 240,
    catch_up: int = 24,
    skip: bool = False,
) -> Rules:
    h, m = map(int, hhmm.split(":"))
    return Rules(dt.time(h, m), tz, dt.timedelta(minutes=wait), dt.timedelta(hours=catch_up), skip)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def test_seoul_nine_is_midnight_utc() -> None:
    assert post_at(dt.date(2025, 5, 9), rules()) == utc(2025, 5, 9, 0, 0)


def test_spring_forward_gap_posts_when_the_clock_reaches_it() -> None:
    # 2025-03-09 02:30 does not exist in New York: the post goes out at 03:30 EDT (07:30 UTC).
    at = post_at(dt.date(2025, 3, 9), rules("02:30", NEW_YORK))
    assert at == utc(2025, 3, 9, 7, 30)
    # The day before and after, 02:30 is an ordinary time.
    assert post_at(dt.date(2025, 3, 8), rules("02:30", NEW_YORK)) == utc(2025, 3, 8, 7, 30)
    assert post_at(dt.date(2025, 3, 10), rules("02:30", NEW_YORK)) == utc(2025, 3, 10, 6, 30)


def test_fall_back_posts_once_at_the_first_occurrence() -> None:
    # 2025-10-26 02:30 happens twice in Berlin; the first is 00:30 UTC.
    r = rules("02:30", BERLIN)
    assert post_at(dt.date(2025, 10, 26), r) == utc(2025, 10, 26, 0, 30)
    day = dt.date(2025, 10, 26)
    # An hour later (the second 02:30) the day is due once, not twice.
    assert [d.day for d in due(utc(2025, 10, 26, 1, 31), r, {day}, set())] == [day]


def test_local_day_across_utc_midnight() -> None:
    # 09:00 in Seoul on the 9th is 00:00 UTC on the 9th; at 23:59 UTC on the 8th nothing is due.
    r = rules()
    day = dt.date(2025, 5, 9)
    assert [d.day for d in due(utc(2025, 5, 8, 23, 59), r, {day}, set())] == [day - dt.timedelta(1)]
    assert [
        (d.day, d.action) for d in due(utc(2025, 5, 9, 0, 1), r, {day}, {day - dt.timedelta(1)})
    ] == [(day, "post")]


def test_next_post_is_in_local_time() -> None:
    nxt = next_post(utc(2025, 5, 9, 0, 1), rules())
    assert nxt.isoformat() == "2025-05-10T09:00:00+09:00"


def test_late_digest_waits_then_posts_when_it_arrives() -> None:
    r = rules(wait=60)
    day = dt.date(2025, 5, 9)
    assert [d.action for d in due(utc(2025, 5, 9, 0, 30), r, set(), set())] == ["wait"]
    assert [d.action for d in due(utc(2025, 5, 9, 0, 45), r, {day}, set())] == ["post"]


def test_late_digest_is_skipped_after_the_deadline_when_configured() -> None:
    r = rules(wait=60, skip=True)
    decisions = due(utc(2025, 5, 9, 1, 0), r, set(), set())
    assert [d.action for d in decisions] == ["skip"]
    assert "not out 60 min after 09:00 KST" in decisions[0].reason


def test_catch_up_after_downtime_posts_the_missed_day_only_within_the_window() -> None:
    r = rules(wait=0, catch_up=6)
    days = {dt.date(2025, 5, 7), dt.date(2025, 5, 8), dt.date(2025, 5, 9)}
    # Down from the 7th; back at 05:00 UTC on the 9th (14:00 KST): only the 9th is in the window.
    assert [(d.day, d.action) for d in due(utc(2025, 5, 9, 5, 0), r, days, set())] == [
        (dt.date(2025, 5, 9), "post")
    ]
    # Back 7 hours after post time: too late for the 9th too, nothing is flooded in.
    assert due(utc(2025, 5, 9, 7, 0), r, days, set()) == []


def test_a_day_whose_post_time_came_before_the_subscription_is_not_due() -> None:
    day = dt.date(2025, 5, 9)
    made = utc(2025, 5, 9, 3, 0)  # 12:00 in Seoul, three hours after that day's 09:00
    assert due(utc(2025, 5, 9, 3, 1), rules(), {day}, set(), not_before=made) == []
    made_earlier = utc(2025, 5, 8, 23, 0)  # 08:00 in Seoul: the 09:00 post is its first
    assert [
        d.day for d in due(utc(2025, 5, 9, 3, 1), rules(), {day}, set(), not_before=made_earlier)
    ] == [day]


def test_settled_days_are_not_posted_again() -> None:
    day = dt.date(2025, 5, 9)
    assert due(utc(2025, 5, 9, 0, 5), rules(), {day}, {day}) == []


@pytest.mark.parametrize(
    "tz", ["Asia/Seoul", "America/New_York", "Europe/Berlin", "Pacific/Chatham", "Asia/Kolkata"]
)
def test_every_day_of_a_year_is_due_exactly_once(tz: str) -> None:
    """Ticking every 10 minutes through a year (both DST changes), each day posts once."""
    r = rules("02:30", ZoneInfo(tz), wait=0, catch_up=1)
    posted: set[dt.date] = set()
    now = utc(2025, 1, 1)
    available = {dt.date(2024, 12, 31) + dt.timedelta(days=i) for i in range(367)}
    while now < utc(2026, 1, 1):
        for d in due(now, r, available, posted):
            assert d.action == "post" and d.day not in posted
            posted.add(d.day)
        now += dt.timedelta(minutes=10)
    local = [d for d in posted if dt.date(2025, 1, 2) <= d <= dt.date(2025, 12, 30)]
    assert len(local) == 363
