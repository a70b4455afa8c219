"""Discord trouble during a daily post: 429s and 5xx are waited out, a 403 is one channel's
problem (recorded, paused after three) and never the others'."""

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


async def test_forbidden_channel_is_recorded_then_paused_and_others_get_the_post(
    sandbox: SandboxServer, bot: DailyBot
) -> None:
    names = ("papers", "general", "announcements")
    for name in names:
        await bot.subscribe(name)
    plan = await bot.plan("papers")
    ids = {name: sandbox.channel(name).id for name in names}
    forbidden = ids["announcements"]
    sandbox.forbid_channel(forbidden)

    results, _ = await bot.runner.run_due(bot.clock())

    assert {name: results[i].outcome for name, i in ids.items()} == {
        "papers": "posted", "general": "posted", "announcements": "failed",
    }  # fmt: skip
    for name in ("papers", "general"):
        assert posted(sandbox, ids[name]) == expected(plan)
    assert sandbox.messages("announcements") == []
    reason = "Missing permissions in this channel (HTTP 403, code 50013)"
    sub = await bot.ledger.subscription(forbidden)
    assert sub is not None and (sub.failures, sub.last_error, sub.paused_reason) == (
        1,
        reason,
        None,
    )

    for tick in (2, 3):  # the next ticks retry only the failing channel
        bot.clock.now += TICK
        results, _ = await bot.runner.run_due(bot.clock())
        assert {i: r.outcome for i, r in results.items()} == {forbidden: "failed"}
        sub = await bot.ledger.subscription(forbidden)
        assert sub is not None and sub.failures == tick
    assert sub.paused_reason == reason

    bot.clock.now += TICK
    results, _ = await bot.runner.run_due(bot.clock())
    assert results == {}  # paused: not even tried
    for name in ("papers", "general"):
        assert posted(sandbox, ids[name]) == expected(plan)  # once, never again
    state = await bot.ledger.post_state(forbidden, DAILY_DAY)
    assert state is not None and state.status == "posting" and state.reason == reason

    await bot.bot.tree.sync()
    status = await sandbox.invoke_command("daily", subcommand="status", user="sandbox-owner")
    (embed,) = status.embeds
    assert reason in embed["description"] and "paused" in embed["description"].lower()


@pytest.mark.parametrize("fault", ["503", "429 past retries"])
async def test_discord_trouble_for_three_ticks_does_not_pause_the_channel(
    sandbox: SandboxServer, bot: DailyBot, fault: str
) -> None:
    sub = await bot.subscribe("papers")
    plan = await bot.plan("papers")
    route = f"POST /channels/{sub.channel_id}/messages"
    if fault == "503":  # discord.py does not retry a 503
        sandbox.fail_next(route, n=3, status=503, after=1)
    else:  # discord.py gives up after 5 tries
        sandbox.rate_limit(route, retry_after=0.01, count=3 * 5, after=1)

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
