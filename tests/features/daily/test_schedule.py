"""When posts happen: local times, DST days, waiting for late digests, catch-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.features.daily.schedule import Rules, built_at, due, next_post, post_at

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


# --- days built from Hugging Face: posted at the first post time after the day completes ---

COMPLETE = dt.time(23, 0)  # sources.huggingface.day_complete_utc's default
HOUR = dt.timedelta(hours=1)


def hf_rules(
    hhmm: str = "09:00",
    tz: ZoneInfo = SEOUL,
    *,
    wait: int = 240,
    catch_up: int = 24,
    skip: bool = False,
) -> Rules:
    plain = rules(hhmm, tz, wait=wait, catch_up=catch_up, skip=skip)
    return dataclasses.replace(plain, day_complete=COMPLETE)


@pytest.mark.parametrize(
    ("hhmm", "tz", "day", "posted"),
    [
        # 09:00 Seoul: Hugging Face's day completes at 08:00 the next morning, posted at 09:00
        ("09:00", "Asia/Seoul", dt.date(2025, 5, 9), utc(2025, 5, 10, 0, 0)),
        # a post time after the completion instant: the same day
        ("23:30", "UTC", dt.date(2025, 5, 9), utc(2025, 5, 9, 23, 30)),
        ("23:00", "UTC", dt.date(2025, 5, 9), utc(2025, 5, 9, 23, 0)),  # at it counts
        ("09:00", "America/Los_Angeles", dt.date(2025, 5, 9), utc(2025, 5, 10, 16, 0)),
        ("18:00", "Pacific/Honolulu", dt.date(2025, 5, 9), utc(2025, 5, 10, 4, 0)),  # same day
        ("09:00", "Pacific/Pago_Pago", dt.date(2025, 5, 9), utc(2025, 5, 10, 20, 0)),
        # UTC+14: the 10th's 09:00 is 19:00 UTC on the 9th, before completion: the 11th's
        ("09:00", "Pacific/Kiritimati", dt.date(2025, 5, 9), utc(2025, 5, 10, 19, 0)),
        # the spring-forward day's 02:30 is 03:30 EDT; Berlin's repeated 02:30 is the first
        ("02:30", "America/New_York", dt.date(2025, 3, 8), utc(2025, 3, 9, 7, 30)),
        ("02:30", "Europe/Berlin", dt.date(2025, 10, 25), utc(2025, 10, 26, 0, 30)),
    ],
)
def test_a_built_day_posts_at_the_first_post_time_after_hugging_face_completes_it(
    hhmm: str, tz: str, day: dt.date, posted: dt.datetime
) -> None:
    r = hf_rules(hhmm, ZoneInfo(tz))
    assert built_at(day, r) == posted
    # no post time comes between the completion instant and that post
    complete = dt.datetime.combine(day, COMPLETE, dt.UTC)
    after = max(complete, post_at(day, r)) - dt.timedelta(seconds=1)
    assert next_post(after, r).astimezone(dt.UTC) == posted
    now = due(posted, r, {day}, set(), only_built={day})
    assert [(d.day, d.action) for d in now if d.day == day] == [(day, "post")]
    before = due(posted - dt.timedelta(seconds=1), r, {day}, set(), only_built={day})
    waits = [(day, "wait", posted)] if posted > post_at(day, r) else []  # else not due yet
    assert [(d.day, d.action, d.built_at) for d in before if d.day == day] == waits


def test_without_hugging_face_a_built_day_posts_at_its_own_post_time() -> None:
    day = dt.date(2025, 5, 9)
    assert built_at(day, rules()) == post_at(day, rules())
    assert [d.action for d in due(utc(2025, 5, 9, 0, 1), rules(), {day}, set())] == ["post"]


def test_a_day_without_its_korean_digest_waits_for_its_built_post_rather_than_skipping() -> None:
    r = hf_rules(wait=60, skip=True)
    day = dt.date(2025, 5, 9)  # posted 09:00 KST = 00:00 UTC; built post 09:00 on the 10th
    nine_next = utc(2025, 5, 10, 0, 0)
    for now in (utc(2025, 5, 9, 1, 0), utc(2025, 5, 9, 15, 0), nine_next - dt.timedelta(seconds=1)):
        (decision,) = [d for d in due(now, r, set(), set()) if d.day == day]
        assert (decision.action, decision.built_at) == ("wait", nine_next), now
        assert decision.reason == "2025-05-09 is posted from Hugging Face at 2025-05-10 09:00 KST"
    # within the late-digest wait the sources are checked every minute, then at each poll
    assert [d.poll for d in due(utc(2025, 5, 9, 0, 30), r, set(), set()) if d.day == day] == [True]
    assert [d.poll for d in due(utc(2025, 5, 9, 1, 0), r, set(), set()) if d.day == day] == [False]
    # an early build of the day (not complete: not available) waits on through the morning
    (posting,) = [d for d in due(nine_next, r, {day}, set(), only_built={day}) if d.day == day]
    assert posting.action == "post"
    # the wait and on_missing run from the built post: skipped only when nothing came by then
    late = [d for d in due(nine_next + dt.timedelta(minutes=59), r, set(), set()) if d.day == day]
    assert [(d.action, d.poll) for d in late] == [("wait", True)]
    (skipped,) = [
        d for d in due(nine_next + dt.timedelta(minutes=60), r, set(), set()) if d.day == day
    ]
    assert skipped.action == "skip"
    assert skipped.reason == (
        "neither the Korean digest nor Hugging Face's complete list of 2025-05-09 was out "
        "60 min after 09:00 KST"
    )
    # a day Hugging Face, asked once complete, lists no papers for (a weekend): the skip says so
    (empty,) = [d for d in due(nine_next + HOUR, r, set(), set(), empty={day}) if d.day == day]
    assert (empty.action, empty.reason) == (
        "skip",
        "Hugging Face lists no papers for 2025-05-09, and no Korean digest holds it",
    )
    # without Hugging Face the same day is skipped an hour after its own post time
    assert [
        d.action for d in due(utc(2025, 5, 9, 1, 0), rules(wait=60, skip=True), set(), set())
    ] == ["skip"]


def test_a_korean_digest_arriving_before_the_built_post_is_posted_at_once() -> None:
    r = hf_rules(wait=0, catch_up=6)  # a 6-hour window after the post time
    day = dt.date(2025, 5, 9)
    for now in (utc(2025, 5, 9, 7, 0), utc(2025, 5, 9, 23, 59)):  # past 6 h, before the 10th
        decisions = due(now, r, {day}, set())
        assert [(d.day, d.action) for d in decisions] == [(day, "post")], now
        assert due(now, rules(wait=0, catch_up=6), {day}, set()) == []  # without: too late
    # the built post's own window: 6 h after 09:00 on the 10th, then nothing is flooded in
    assert [d.action for d in due(utc(2025, 5, 10, 6, 0), r, {day}, set()) if d.day == day] == [
        "post"
    ]
    assert [d for d in due(utc(2025, 5, 10, 6, 1), r, {day}, set()) if d.day == day] == []
    assert [
        d for d in due(utc(2025, 5, 10, 6, 1), r, {day}, set(), only_built={day}) if d.day == day
    ] == []


def test_a_subscription_made_after_post_time_starts_with_the_next_mornings_post() -> None:
    r = hf_rules()
    day, next_day = dt.date(2025, 5, 9), dt.date(2025, 5, 10)
    made = utc(2025, 5, 9, 3, 0)  # noon in Seoul on the 9th
    nine_next = utc(2025, 5, 10, 0, 0)
    # no Korean digest of the 9th: the 10th's 09:00 post carries Hugging Face's 9th
    decisions = due(nine_next, r, {day}, set(), not_before=made, only_built={day})
    assert [(d.day, d.action) for d in decisions] == [(day, "post"), (next_day, "wait")]
    # the Korean digest of the 9th was out: its post came before the subscription
    decisions = due(nine_next, r, {day, next_day}, set(), not_before=made)
    assert [(d.day, d.action) for d in decisions] == [(next_day, "post")]


@pytest.mark.parametrize(
    ("hhmm", "tz"),
    [
        ("09:00", "Asia/Seoul"),
        ("02:30", "America/New_York"),
        ("02:30", "Europe/Berlin"),
        ("23:30", "UTC"),
        ("09:00", "Pacific/Kiritimati"),
        ("09:00", "Pacific/Pago_Pago"),
        ("07:45", "Pacific/Chatham"),
    ],
)
def test_with_no_korean_digest_every_day_of_a_year_is_posted_once_whole(hhmm: str, tz: str) -> None:
    """Hugging Face alone, every day built complete at its completion instant and not before:
    ticking every 20 minutes through a year (both DST changes), with `skip`, each day posts
    once, at the first post time after it completed, and none is skipped."""
    r = hf_rules(hhmm, ZoneInfo(tz), wait=0, catch_up=1, skip=True)
    step = dt.timedelta(minutes=20)
    posted: dict[dt.date, dt.datetime] = {}
    now = utc(2025, 1, 1)
    complete = {dt.date(2024, 12, 28) + dt.timedelta(days=i) for i in range(4)}
    while now < utc(2026, 1, 1):
        if dt.datetime.combine(max(complete), COMPLETE, dt.UTC) + dt.timedelta(days=1) <= now:
            complete.add(max(complete) + dt.timedelta(days=1))  # Hugging Face completes a day
        for d in due(now, r, complete, posted.keys(), only_built=complete):
            assert d.action != "skip", (d, now)
            if d.action == "post":
                assert d.day not in posted
                posted[d.day] = now
        now += step
    days = [d for d in posted if dt.date(2025, 1, 3) <= d <= dt.date(2025, 12, 28)]
    assert len(days) == 360
    for day in days:
        assert built_at(day, r) <= posted[day] < built_at(day, r) + step
        assert built_at(day, r) >= dt.datetime.combine(day, COMPLETE, dt.UTC)
