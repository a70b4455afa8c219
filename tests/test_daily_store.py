"""The post ledger: one owner at a time, resume where it stopped, force makes a new generation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.store import PaperStore
from bot.store.daily import DailyStore, Subscription

DAY = dt.date(2025, 5, 9)
NOW = dt.datetime(2025, 5, 9, 0, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=5)


async def test_two_processes_never_both_own_a_post(tmp_path: Path) -> None:
    a_store = await PaperStore.open(tmp_path / "p.db")
    b_store = await PaperStore.open(tmp_path / "p.db")  # a second process on the same file
    a, b = DailyStore(a_store.connection), DailyStore(b_store.connection)
    try:
        first = await a.claim(1, DAY, owner="a", now=NOW, lease=LEASE)
        second = await b.claim(1, DAY, owner="b", now=NOW, lease=LEASE)
        assert first is not None and second is None
        # After a's lease runs out (a crashed), b takes over and sees what a recorded.
        await a.record_message(1, DAY, 0, 0, 111, 1, planned=3, lease_until=NOW + LEASE)
        later = NOW + LEASE + dt.timedelta(seconds=1)
        taken = await b.claim(1, DAY, owner="b", now=later, lease=LEASE)
        assert taken is not None and taken.resumed and taken.sent == {0: (111, 1)}
    finally:
        await a_store.close()
        await b_store.close()


async def test_done_is_final_unless_forced(store: PaperStore) -> None:
    daily = DailyStore(store.connection)
    claim = await daily.claim(1, DAY, owner="a", now=NOW, lease=LEASE)
    assert claim is not None and claim.generation == 0 and not claim.resumed
    await daily.record_message(1, DAY, 0, 0, 111, 1, planned=1, lease_until=NOW + LEASE)
    await daily.finish(1, DAY, NOW, planned=1)
    assert await daily.claim(1, DAY, owner="a", now=NOW, lease=LEASE) is None
    forced = await daily.claim(1, DAY, owner="a", now=NOW, lease=LEASE, force=True)
    assert forced is not None and forced.generation == 1 and forced.sent == {}
    state = await daily.post_state(1, DAY)
    assert state is not None and (state.status, state.generation, state.sent) == ("posting", 1, 0)


async def test_released_post_resumes_for_the_same_owner(store: PaperStore) -> None:
    daily = DailyStore(store.connection)
    await daily.claim(1, DAY, owner="a", now=NOW, lease=LEASE)
    await daily.record_message(1, DAY, 0, 0, 111, 1, planned=2, lease_until=NOW + LEASE)
    await daily.release(1, DAY, "HTTP 500")
    again = await daily.claim(1, DAY, owner="b", now=NOW, lease=LEASE)
    assert again is not None and again.resumed and set(again.sent) == {0}


async def test_skipped_days_are_settled(store: PaperStore) -> None:
    daily = DailyStore(store.connection)
    await daily.skip(1, DAY, "not out", NOW)
    assert await daily.settled_days(1, DAY - dt.timedelta(days=3)) == {DAY}
    assert await daily.claim(1, DAY, owner="a", now=NOW, lease=LEASE) is None


async def test_failures_pause_after_the_limit_and_saving_unpauses(store: PaperStore) -> None:
    daily = DailyStore(store.connection)
    sub = Subscription(1, 10, "09:00", "Asia/Seoul", "embeds")
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
    daily = DailyStore(store.connection)
    mine = Subscription(2, 10, "08:00", "Asia/Seoul", "compact", origin="command")
    await daily.save_subscription(mine, NOW)
    cfg = Subscription(3, 10, "09:00", "Europe/Berlin", "thread", origin="config")
    await daily.sync_config([cfg], NOW)
    assert {s.channel_id for s in await daily.subscriptions()} == {2, 3}
    await daily.sync_config([], NOW)
    assert {s.channel_id for s in await daily.subscriptions(guild_id=10)} == {2}
