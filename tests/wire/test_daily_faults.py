"""Discord trouble on the wire during a daily post: 429s and 5xx that discord.py retries are
waited out and each message still arrives once; 429s past its retries do not pause a channel.
(A refusing channel paused after three failures, and 5xx across ticks: the behaviour tests,
tests/behaviour/test_daily_status.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.features.daily.plan import nonce
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, load_digest, posted

TICK = dt.timedelta(seconds=30)


@pytest.fixture
async def bot(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[DailyBot]:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 32)
    running = DailyBot(sandbox, db, SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5)))
    await running.start()
    try:
        yield running
    finally:
        await running.close()


@pytest.mark.parametrize(
    ("fault", "status"), [("429", 429), ("global 429", 429), ("500", 500), ("502", 502)]
)
async def test_throttled_or_failing_request_mid_post_arrives_once(
    sandbox: SandboxServer, bot: DailyBot, fault: str, status: int
) -> None:
    sub = await bot.subscribe("papers")
    plan = await bot.plan("papers")
    papers = sandbox.channel("papers").id
    route = f"POST /channels/{papers}/messages"
    if fault.endswith("429"):
        sandbox.rate_limit(route, retry_after=0.25, global_=fault.startswith("global"), after=2)
    else:
        sandbox.fail_next(route, status=status, after=2)

    result = await bot.post(sub)

    assert result.outcome == "posted" and result.sent == len(plan) >= 4
    assert posted(sandbox, papers) == expected(plan)
    attempts = sandbox.requests("POST", "/channels/*/messages")
    assert [r.status for r in attempts] == [200, 200, status] + [200] * (len(plan) - 2)
    third = nonce(papers, DAILY_DAY, 0, 2)
    assert [r.json["nonce"] for r in attempts[2:4]] == [third, third]
    state = await bot.ledger.post_state(papers, DAILY_DAY)
    assert state is not None and (state.status, state.sent) == ("done", len(plan))


async def test_rate_limited_past_discord_py_retries_for_three_ticks_does_not_pause_the_channel(
    sandbox: SandboxServer, bot: DailyBot
) -> None:
    """429s past the tries discord.py makes are Discord's trouble, not the channel's (5xx the
    same: tests/behaviour/test_daily_status.py)."""
    sub = await bot.subscribe("papers")
    plan = await bot.plan("papers")
    route = f"POST /channels/{sub.channel_id}/messages"
    sandbox.rate_limit(route, retry_after=0.01, count=3 * 5, after=1)  # discord.py tries 5 times

    for _ in range(3):
        results, _ = await bot.runner.run_due(bot.clock())
        failed = results[sub.channel_id]
        assert failed.outcome == "failed" and failed.transient, failed
        bot.clock.now += TICK
    saved = await bot.ledger.subscription(sub.channel_id)
    assert saved is not None and (saved.paused_reason, saved.failures) == (None, 0)

    results, _ = await bot.runner.run_due(bot.clock())  # Discord is back
    assert results[sub.channel_id].outcome == "posted"
    assert posted(sandbox, sub.channel_id) == expected(plan)
