"""The post ledger: one owner at a time, short leases a live holder renews, resume where it
stopped with the plan it started with, force makes a new generation."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.models import Origin, PostStyle
from bot.store import PaperStore
from bot.store.daily import DailyStore
from bot.store.ledger import Claim
from bot.store.subscriptions import Subscription

DAY = dt.date(2025, 5, 9)
NOW = dt.datetime(2025, 5, 9, 0, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=20)
PLAN = b"the plan"
SECOND = dt.timedelta(seconds=1)


async def take(
    daily: DailyStore,
    owner: str,
    now: dt.datetime = NOW,
    *,
    plan: bytes = PLAN,
    planned: int = 3,
    force: bool = False,
    channel: int = 1,
) -> Claim | None:
    return await daily.claim(
        channel, DAY, owner=owner, now=now, lease=LEASE, plan=plan, planned=planned, force=force
    )


async def test_two_processes_never_both_own_a_post(tmp_path: Path) -> None:
    a_store = await PaperStore.open(tmp_path / "p.db")
    b_store = await PaperStore.open(tmp_path / "p.db")  # a second process on the same file
    a, b = DailyStore(a_store.db), DailyStore(b_store.db)
    try:
        first = await take(a, "a")
        second = await take(b, "b")
        assert first is not None and second is None
        # After a's lease runs out (a crashed), b takes over and sees what a recorded.
        await a.record_message(1, DAY, 0, 0, 111, 1)
        later = NOW + LEASE + dt.timedelta(seconds=1)
        taken = await take(b, "b", later)
        assert taken is not None and taken.resumed and taken.sent == {0: (111, 1)}
    finally:
        await a_store.close()
        await b_store.close()


async def test_done_is_final_unless_forced(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    claim = await take(daily, "a")
    assert claim is not None and claim.generation == 0 and not claim.resumed
    await daily.record_message(1, DAY, 0, 0, 111, 1)
    await daily.finish(1, DAY, NOW, planned=1)
    assert await take(daily, "a") is None
    forced = await take(daily, "a", force=True)
    assert forced is not None and forced.generation == 1 and forced.sent == {}
    state = await daily.post_state(1, DAY)
    assert state is not None and (state.status, state.generation, state.sent) == ("posting", 1, 0)


async def test_released_post_resumes_for_the_same_owner(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    await take(daily, "a")
    await daily.record_message(1, DAY, 0, 0, 111, 1)
    await daily.release(1, DAY, "HTTP 500")
    again = await take(daily, "b")
    assert again is not None and again.resumed and set(again.sent) == {0}


async def test_a_live_holder_renews_its_short_lease_and_a_gone_one_is_taken_over(
    store: PaperStore,
) -> None:
    daily = DailyStore(store.db)
    assert await take(daily, "a") is not None
    # a is alive: its heartbeat renews the lease before it runs out, so b never gets in.
    for beat in range(1, 6):
        now = NOW + beat * 5 * SECOND
        assert await daily.renew(1, DAY, owner="a", until=now + LEASE)
        assert await take(daily, "b", now) is None
        state = await daily.post_state(1, DAY)
        assert state is not None and not state.stalled(now)
    # a dies at +25 s: nothing renews its lease, which ends at +45 s.
    dead_at = NOW + 25 * SECOND
    assert await take(daily, "b", dead_at + LEASE - SECOND) is None
    state = await daily.post_state(1, DAY)
    assert state is not None and state.stalled(dead_at + LEASE)
    taken = await take(daily, "b", dead_at + LEASE)
    assert taken is not None and taken.resumed
    # A holder that was only slow learns it lost the post instead of posting beside b.
    assert not await daily.renew(1, DAY, owner="a", until=dead_at + 2 * LEASE)
    assert await daily.renew(1, DAY, owner="b", until=dead_at + 2 * LEASE)


async def test_a_resumed_post_follows_the_plan_it_started_with(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    first = await take(daily, "a", plan=b"plan of 40 papers", planned=6)
    assert first is not None and first.plan == b"plan of 40 papers"
    await daily.record_message(1, DAY, 0, 0, 111, 1)
    state = await daily.post_state(1, DAY)
    assert state is not None and (state.sent, state.planned) == (1, 6)  # known from the start

    # The digest changed before the restart: the new process would plan differently.
    resumed = await take(daily, "b", NOW + LEASE, plan=b"plan of 41 papers", planned=7)
    assert resumed is not None and resumed.plan == b"plan of 40 papers"
    state = await daily.post_state(1, DAY)
    assert state is not None and state.planned == 6

    await daily.finish(1, DAY, NOW + LEASE, planned=6)
    forced = await take(daily, "b", NOW + LEASE, plan=b"plan of 41 papers", planned=7, force=True)
    assert forced is not None and forced.plan == b"plan of 41 papers"  # forced: planned anew


async def test_a_plan_is_stored_once_for_many_channels_and_dropped_when_they_finish(
    store: PaperStore,
) -> None:
    daily = DailyStore(store.db)

    async def stored_plans() -> int:
        async with store.db.writer.execute("SELECT count(*) FROM post_plans") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else -1

    for channel in (1, 2, 3):
        assert await take(daily, "a", channel=channel) is not None
    assert await stored_plans() == 1
    await daily.finish(1, DAY, NOW, planned=3)
    await daily.finish(2, DAY, NOW, planned=3)
    assert await stored_plans() == 1  # channel 3 is still posting it
    await daily.finish(3, DAY, NOW, planned=3)
    assert await stored_plans() == 0


async def test_a_post_given_up_after_a_failure_is_stalled_with_its_reason(
    store: PaperStore,
) -> None:
    daily = DailyStore(store.db)
    await take(daily, "a", planned=31)
    await daily.release(1, DAY, "Missing permissions")
    state = await daily.post_state(1, DAY)
    assert state is not None and state.stalled(NOW)
    assert (state.status, state.sent, state.planned, state.reason) == (
        "posting",
        0,
        31,
        "Missing permissions",
    )


async def test_an_unfinished_post_from_before_stored_plans_adopts_the_next_plan(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    store = await PaperStore.open(path)
    daily = DailyStore(store.db)
    await take(daily, "a")
    await daily.record_message(1, DAY, 0, 0, 111, 1)
    await store.close()
    with sqlite3.connect(path) as conn:  # as a database before migration 009 left it
        conn.execute("ALTER TABLE digest_files DROP COLUMN built")  # 011
        conn.execute("DROP INDEX appearances_day")  # 010
        conn.execute("DROP INDEX posts_plan")
        conn.execute("ALTER TABLE posts DROP COLUMN plan_id")
        conn.execute("DROP TABLE post_plans")
        conn.execute("PRAGMA user_version = 8")
    conn.close()

    reopened = await PaperStore.open(path)
    try:
        daily = DailyStore(reopened.db)
        resumed = await take(daily, "b", NOW + LEASE, plan=b"plan made on resume", planned=4)
        assert resumed is not None and resumed.resumed and set(resumed.sent) == {0}
        assert resumed.plan == b"plan made on resume"
        again = await take(daily, "c", NOW + 2 * LEASE, plan=b"yet another", planned=5)
        assert again is not None and again.plan == b"plan made on resume"
    finally:
        await reopened.close()


async def test_skipped_days_are_settled(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    await daily.skip(1, DAY, "not out", NOW)
    assert await daily.settled_days(1, DAY - dt.timedelta(days=3)) == {DAY}
    assert await take(daily, "a") is None


async def test_failures_pause_after_the_limit_and_saving_unpauses(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    sub = Subscription(1, 10, "09:00", "Asia/Seoul", PostStyle.EMBEDS)
    await daily.save_subscription(sub, NOW)
    assert not await daily.record_failure(1, "403", pause_after=3)
    assert not await daily.record_failure(1, "403", pause_after=3)
    assert await daily.record_failure(1, "403", pause_after=3)
    paused = await daily.subscription(1)
    assert paused is not None and paused.paused_reason == "403" and paused.failures == 3
    await daily.save_subscription(sub, NOW + dt.timedelta(hours=5))
    fresh = await daily.subscription(1)
    assert fresh is not None and fresh.paused_reason is None and fresh.failures == 0
    assert fresh.created_at == NOW  # saving again keeps when it was made


async def test_config_subscriptions_follow_the_config(store: PaperStore) -> None:
    daily = DailyStore(store.db)
    mine = Subscription(2, 10, "08:00", "Asia/Seoul", PostStyle.COMPACT, origin=Origin.COMMAND)
    await daily.save_subscription(mine, NOW)
    cfg = Subscription(3, 10, "09:00", "Europe/Berlin", PostStyle.THREAD, origin=Origin.CONFIG)
    await daily.sync_config([cfg], NOW)
    assert {s.channel_id for s in await daily.subscriptions()} == {2, 3}
    await daily.sync_config([], NOW)
    assert {s.channel_id for s in await daily.subscriptions(guild_id=10)} == {2}
