"""Which days the daily posts need built from Hugging Face, and the built-day source running
beside the others: in its own task, its failure kept for /daily status, with backoff."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import DailyConfig
from bot.features.daily.built import BUILD_LEAD, BuiltDaySource, needed_days
from bot.features.daily.poster import Poster
from bot.features.daily.runner import Runner
from bot.features.daily.schedule import Rules
from bot.features.daily.service import DailyService
from bot.features.daily.sources import Backoff, FolderSource, Sources
from bot.huggingface.build import DayBuilder
from bot.models import OnMissing, PostStyle
from bot.pacer import Pacer
from bot.store import PaperStore
from bot.store.daily import DailyStore
from bot.store.subscriptions import Subscription
from papers_sandbox.huggingface import fake_item
from tests.huggingface.support import VirtualTime, client_and_fake
from tests.polling import eventually

SEOUL = ZoneInfo("Asia/Seoul")
TODAY = dt.date(2025, 5, 12)
MINUTE = dt.timedelta(minutes=1)


async def no_channel(channel_id: int) -> None:
    return None  # every channel is gone


def rules(hhmm: str, tz: ZoneInfo = SEOUL) -> Rules:
    return Rules(
        post_time=dt.time.fromisoformat(hhmm),
        tz=tz,
        wait=dt.timedelta(hours=4),
        catch_up=dt.timedelta(hours=24),
        skip_missing=False,
    )


def seoul(hhmm: str, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), SEOUL)


def test_the_post_day_is_needed_from_its_deadline_the_lookback_days_always() -> None:
    days = [TODAY - dt.timedelta(days=i) for i in (2, 1)]
    zero = dt.timedelta(0)
    before = needed_days(
        seoul("08:57"), [rules("09:00")], today=TODAY, lookback=2, before_post=zero
    )
    assert before == days
    lead = needed_days(seoul("08:58"), [rules("09:00")], today=TODAY, lookback=2, before_post=zero)
    assert lead == [*days, TODAY]  # BUILD_LEAD ahead: loaded by the time the post is due
    early = needed_days(
        seoul("07:58"), [rules("09:00")], today=TODAY, lookback=2, before_post=60 * MINUTE
    )
    assert early == [*days, TODAY]
    assert BUILD_LEAD == 2 * MINUTE


def test_each_subscription_needs_its_own_local_day() -> None:
    utc = ZoneInfo("UTC")
    now = seoul("09:30")  # 00:30 UTC: still the 12th in UTC as well
    days = needed_days(
        now, [rules("09:00"), rules("00:15", utc)], today=TODAY, lookback=0, before_post=MINUTE * 0
    )
    assert days == [TODAY]
    la = ZoneInfo("America/Los_Angeles")  # 17:30 on the 11th there
    days = needed_days(now, [rules("17:00", la)], today=TODAY, lookback=0, before_post=MINUTE * 0)
    assert days == [TODAY - dt.timedelta(days=1)]


def test_without_subscriptions_today_is_built() -> None:
    days = needed_days(seoul("03:00"), [], today=TODAY, lookback=1, before_post=MINUTE * 0)
    assert days == [TODAY - dt.timedelta(days=1), TODAY]


async def test_a_down_api_is_kept_for_status_backs_off_and_delays_no_other_source(
    store: PaperStore, tmp_path: Path
) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt, retries=1) as (hf, fake):
        fake.faults.down = True
        fake.faults.delay = 0.3  # slow as well as down
        built = BuiltDaySource(DayBuilder(hf, store, tmp_path / "built"), Backoff(MINUTE))
        (tmp_path / "korean").mkdir()
        (tmp_path / "korean" / "12.md").write_text(
            "## Daily Papers (2025-05-12)\n\n### [K](https://arxiv.org/abs/2505.00009)\n"
        )
        sources = Sources(FolderSource((str(tmp_path / "korean"),), store), None, 0, built)
        now = seoul("09:00")
        assert await sources.poll(now, TODAY, [TODAY]) == 1  # the folder loaded at once
        assert built.running  # while the API is still being asked
        await eventually(lambda: not built.running, within=10)
        (problem,) = sources.problems()
        assert problem.startswith("Hugging Face days not built (")
        assert "HTTP 503 (after 2 tries)" in problem and "next try after" in problem
        asked = fake.count("/api/daily_papers")
        assert built.start([TODAY], now + 30 * dt.timedelta(seconds=1)) is None  # backing off
        fake.faults.down, fake.faults.delay = False, 0.0
        fake.add_day(TODAY, [fake_item("2505.00001", day=TODAY)])
        task = built.start([TODAY], now + 2 * MINUTE)
        assert task is not None and fake.count("/api/daily_papers") == asked
        await task
        assert sources.problems() == []
        await sources.close()
    digest = await store.digest(TODAY)
    assert digest is not None
    assert [p.arxiv_id for p in digest.papers] == ["2505.00009", "2505.00001"]


async def test_one_run_at_a_time(store: PaperStore, tmp_path: Path) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.faults.delay = 0.2
        built = BuiltDaySource(DayBuilder(hf, store, tmp_path), Backoff(MINUTE))
        first = built.start([TODAY], seoul("09:00"))
        assert first is not None
        assert built.start([TODAY], seoul("09:00")) is None
        await first
        await built.close()
        assert fake.count("/api/daily_papers") == 1


async def test_a_tick_builds_the_post_day_ahead_of_its_post_without_waiting_for_a_poll(
    store: PaperStore, tmp_path: Path
) -> None:
    clock = [seoul("08:57")]
    config = DailyConfig(on_missing=OnMissing.SKIP, wait_for_digest_minutes=0)
    ledger = DailyStore(store.db)
    poster = Poster(
        ledger, owner="t", pacer=Pacer(45), clock=lambda: clock[0], bot_user_id=lambda: 1
    )
    runner = Runner(store, ledger, poster, config, no_channel, source_url=lambda d: None)
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(TODAY, [fake_item("2505.00001", day=TODAY)])
        built = BuiltDaySource(DayBuilder(hf, store, tmp_path), Backoff(MINUTE))
        sources = Sources(None, None, 0, built)
        service = DailyService(store, ledger, runner, sources, config, clock=lambda: clock[0])
        sub = Subscription(10, 1, "09:00", "Asia/Seoul", PostStyle.EMBEDS)
        await ledger.save_subscription(sub, seoul("08:00") - dt.timedelta(days=1))
        await service.tick()
        assert not built.running and await store.digest(TODAY) is None  # not yet
        clock[0] = seoul("08:58")
        await service.tick()
        assert built.running
        await eventually(lambda: TODAY in built.built, within=10)
        clock[0] = seoul("09:00")
        results, waiting = await runner.run_due(clock[0])
        await sources.close()
    assert 10 in results and not waiting  # posted (to a channel that is gone), not skipped
    state = await ledger.post_state(10, TODAY)
    assert state is None or state.status != "skipped"


def test_a_waiting_post_day_is_needed_at_its_completion_instant_whatever_the_lookback() -> None:
    completes = dt.datetime.combine(TODAY, dt.time(23, 0), dt.UTC)  # 08:00 on the 13th in Seoul
    days = needed_days(completes, [rules("09:00")], today=TODAY, lookback=0, before_post=MINUTE * 0)
    assert days == [TODAY]  # the post of the 12th (09:00) is still in its 24-hour window
    closed = completes + dt.timedelta(hours=2)  # 10:00 on the 13th: the window has closed
    days = needed_days(closed, [rules("09:00")], today=TODAY, lookback=0, before_post=MINUTE * 0)
    assert days == [TODAY + dt.timedelta(days=1)]


async def test_a_day_built_early_is_built_again_at_its_completion_instant(
    store: PaperStore, tmp_path: Path
) -> None:
    completes = dt.datetime.combine(TODAY, dt.time(23, 0), dt.UTC)
    now = seoul("09:00")
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(TODAY, [fake_item("2505.00001", day=TODAY)])
        builder = DayBuilder(hf, store, tmp_path, clock=lambda: now)
        built = BuiltDaySource(builder, Backoff(MINUTE))
        task = built.start([TODAY], now)
        assert task is not None
        await task
        assert built.unbuilt([TODAY], completes - MINUTE) == []  # built, and not complete yet
        fake.add_day(TODAY, [fake_item(f"2505.{n:05d}", day=TODAY) for n in range(1, 31)])
        now = completes
        assert built.unbuilt([TODAY], completes) == [TODAY]
        task = built.start([TODAY], now)
        assert task is not None
        await task
        assert built.unbuilt([TODAY], completes + MINUTE) == []
        await built.close()
    (info,) = await store.days()
    assert (info.papers, info.incomplete) == (30, False)


def hf_rules(hhmm: str, tz: ZoneInfo = SEOUL, *, catch_up: int = 24) -> Rules:
    """With the Hugging Face source on: built days post at `schedule.built_at`."""
    plain = dataclasses.replace(rules(hhmm, tz), catch_up=dt.timedelta(hours=catch_up))
    return dataclasses.replace(plain, day_complete=dt.time(23, 0))


def test_the_post_day_is_needed_until_its_built_post_even_past_a_short_window() -> None:
    """A 1-hour catch-up and a 4-hour wait: the 12th's own window closes at 13:00, but its
    built post is the 13th's 09:00, so the day is still wanted at completion (08:00)."""
    r = hf_rules("09:00", catch_up=1)
    completes = dt.datetime.combine(TODAY, dt.time(23, 0), dt.UTC)
    zero = MINUTE * 0
    assert needed_days(completes, [r], today=TODAY, lookback=0, before_post=zero) == [TODAY]
    nine_next = seoul("09:00", TODAY + dt.timedelta(days=1))
    closes = nine_next + dt.timedelta(hours=4)
    assert TODAY in needed_days(closes, [r], today=TODAY, lookback=0, before_post=zero)
    later = needed_days(closes + MINUTE, [r], today=TODAY, lookback=0, before_post=zero)
    assert TODAY not in later


async def test_a_day_waiting_for_hugging_face_is_not_asked_for_again_until_it_completes(
    store: PaperStore, tmp_path: Path
) -> None:
    """09:00 Seoul, `on_missing: skip`, no Korean digest: the day is built once before its
    deadline, then Hugging Face is not asked for it again through an hour of waiting (ticks
    every 30 s, polls every minute within the late-digest wait, the 30-minute polls), nor
    until the day completes at 08:00 the next morning; it is posted at 09:00 that morning."""
    clock = [seoul("08:58")]
    config = DailyConfig(on_missing=OnMissing.SKIP, wait_for_digest_minutes=240)
    ledger = DailyStore(store.db)
    poster = Poster(
        ledger, owner="t", pacer=Pacer(45), clock=lambda: clock[0], bot_user_id=lambda: 1
    )
    runner = Runner(
        store, ledger, poster, config, no_channel, source_url=lambda d: None,
        day_complete=dt.time(23, 0),
    )  # fmt: skip
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        for back in range(4):
            day = TODAY - dt.timedelta(days=back)
            fake.add_day(day, [fake_item(f"2505.{back:03d}01", day=day)])
        builder = DayBuilder(hf, store, tmp_path, clock=lambda: clock[0])
        built = BuiltDaySource(builder, Backoff(MINUTE))
        sources = Sources(None, None, 3, built)
        service = DailyService(store, ledger, runner, sources, config, clock=lambda: clock[0])
        sub = Subscription(10, 1, "09:00", "Asia/Seoul", PostStyle.EMBEDS)
        await ledger.save_subscription(sub, seoul("08:00") - dt.timedelta(days=1))
        for back in (1, 2, 3):  # the days before went out (their built posts are this morning)
            await ledger.skip(10, TODAY - dt.timedelta(days=back), "posted", clock[0])

        def asked(day: dt.date | None = None) -> int:
            dates = [r.query["date"] for r in fake.requests if r.path == "/api/daily_papers"]
            return len(dates) if day is None else dates.count(day.isoformat())

        async def tick_through(until: dt.datetime) -> dict[int, object]:
            results: dict[int, object] = {}
            while clock[0] <= until:
                await service.tick()
                await eventually(lambda: not built.running, within=10)
                if clock[0].minute % 30 == 0 and clock[0].second == 0:
                    await service.poll()  # the regular poll loop
                    await eventually(lambda: not built.running, within=10)
                results.update((await runner.run_due(clock[0]))[0])
                clock[0] += dt.timedelta(seconds=30)
            return results

        await tick_through(seoul("08:58"))  # built ahead of the deadline: the post day and
        assert (asked(), asked(TODAY)) == (4, 1)  # the three lookback days, once each
        assert not built.built[TODAY].complete

        clock[0] = seoul("09:00")
        assert await tick_through(seoul("10:00")) == {}  # an hour of waiting
        assert asked(TODAY) == 1  # not once for the waiting day
        # the polls at 09:00, 09:30 and 10:00 refresh the three lookback days, built complete
        assert asked() == 4 + 3 * 3
        assert await ledger.post_state(10, TODAY) is None  # waiting, not skipped

        completes = dt.datetime.combine(TODAY, dt.time(23, 0), dt.UTC)  # 08:00 on the 13th
        clock[0] = completes - 2 * MINUTE
        assert await tick_through(completes - dt.timedelta(seconds=30)) == {}
        assert asked(TODAY) == 1
        fake.add_day(TODAY, [fake_item(f"2505.1{n:04d}", day=TODAY) for n in range(30)])
        assert await tick_through(completes) == {}  # built again at once, now complete
        assert asked(TODAY) >= 2 and built.built[TODAY].complete
        clock[0] = seoul("08:59:30", TODAY + dt.timedelta(days=1))
        assert await tick_through(clock[0]) == {}  # complete and loaded: posted at 09:00
        results = await tick_through(seoul("09:00", TODAY + dt.timedelta(days=1)))
        await sources.close()
    assert list(results) == [10]  # the post was made (to a channel that is gone)
    digest = await store.digest(TODAY)
    assert digest is not None and len(digest.papers) == 30
