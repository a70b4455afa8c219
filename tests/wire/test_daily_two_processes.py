"""Two bot processes on one database post the same day at the same time: the ledger's lease
lets exactly one of them post each channel, and every message goes out once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, load_digest, posted

NAMES = ("papers", "general", "announcements")


@pytest.fixture
async def pair(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[tuple[DailyBot, DailyBot]]:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 25)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    a, b = DailyBot(sandbox, db, clock), DailyBot(sandbox, db, clock)
    try:
        await asyncio.gather(a.start(), b.start())
        assert a.owner != b.owner
        clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
        yield a, b
    finally:
        await asyncio.gather(a.close(), b.close())


async def test_both_processes_post_one_channel_at_once(
    sandbox: SandboxServer, pair: tuple[DailyBot, DailyBot]
) -> None:
    a, b = pair
    sub = await a.subscribe("papers")
    plan = await b.plan("papers")

    # Both processes post #papers at once, and an admin's post-now lands in one of them too.
    results = await asyncio.gather(
        a.runner.post(sub, DAILY_DAY), b.runner.post(sub, DAILY_DAY), a.runner.post(sub, DAILY_DAY)
    )

    assert sorted(r.outcome for r in results) == ["busy", "busy", "posted"]
    assert posted(sandbox, sub.channel_id) == expected(plan)
    assert len(sandbox.requests("POST", "/channels/*/messages")) == len(plan)  # no resends
    state = await a.ledger.post_state(sub.channel_id, DAILY_DAY)
    assert state is not None and (state.status, state.sent) == ("done", len(plan))
    again = await asyncio.gather(a.runner.post(sub, DAILY_DAY), b.runner.post(sub, DAILY_DAY))
    assert [r.outcome for r in again] == ["already", "already"]


async def test_both_schedulers_wake_at_once_each_channel_is_posted_once(
    sandbox: SandboxServer, pair: tuple[DailyBot, DailyBot]
) -> None:
    a, b = pair
    subs = [await a.subscribe(name) for name in NAMES]
    plan = await b.plan("papers")
    outcomes: dict[int, list[str]] = {sub.channel_id: [] for sub in subs}

    for _ in range(3):  # ticks of both processes, 30 s apart, until nothing is due
        ticks = await asyncio.gather(a.runner.run_due(a.clock()), b.runner.run_due(b.clock()))
        for results, _waiting in ticks:
            for channel_id, result in results.items():
                outcomes[channel_id].append(result.outcome)
        a.clock.now += dt.timedelta(seconds=30)

    for sub in subs:
        assert outcomes[sub.channel_id].count("posted") == 1, outcomes
        assert posted(sandbox, sub.channel_id) == expected(plan)
        state = await b.ledger.post_state(sub.channel_id, DAILY_DAY)
        assert state is not None and (state.status, state.sent) == ("done", len(plan))
    assert not any(ticks[0][0] or ticks[1][0])  # the last tick found nothing left to do
    sends = sandbox.requests("POST", "/channels/*/messages")
    assert len({r.json["nonce"] for r in sends}) == len(NAMES) * len(plan)
