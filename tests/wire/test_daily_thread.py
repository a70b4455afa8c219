"""Thread style: a header, a thread from it, one message per paper; a restart reuses it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.features.daily.poster import LEASE
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock
from tests.polling import eventually

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, load_digest, posted

AFTER_LEASE = LEASE + dt.timedelta(minutes=1)


def threads_of(sandbox: SandboxServer, parent: int) -> list[int]:
    return [c.id for c in sandbox.world.channels.values() if c.is_thread and c.parent_id == parent]


async def test_killed_mid_thread_the_restarted_bot_reuses_the_thread(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 6)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    first = await DailyBot(sandbox, db, clock).start()
    await first.subscribe("papers", style="thread")
    plan = await first.plan("papers")
    assert plan[0].thread_name and all(p.in_thread for p in plan[1:]) and len(plan) == 7
    papers = sandbox.channel("papers").id
    held = sandbox.hold("POST /channels/*/messages", skip=1 + 3)  # header + 3 papers

    clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
    first.run_due()
    await held.wait_held()
    await first.kill()
    (thread,) = threads_of(sandbox, papers)
    assert len(posted(sandbox, thread)) == 3

    # A real restart: the new process's scheduler resumes the post on its own first tick.
    clock.now += AFTER_LEASE
    second = DailyBot(sandbox, db, clock)
    sandbox.gateway.ready_delay = 0.3  # as on Discord: work starts before the guilds arrive
    try:
        await second.start()
        # Its first tick ran before the guilds arrived: it must not post from a stub guild
        # (no permissions known -> the thread style would silently become embeds).
        await sandbox.wait_for_request("GET", f"/channels/{papers}")  # not cached yet
        await eventually(lambda: papers not in second.runner._busy)  # that tick's post ended
        assert len(posted(sandbox, thread)) == 3
        await second.runner.run_due(clock())  # the next tick
        await second.wait_settled("papers")
        assert threads_of(sandbox, papers) == [thread]
        assert len(sandbox.requests("POST", "/channels/*/messages/*/threads")) == 1
        assert posted(sandbox, papers) == expected(plan)
        assert posted(sandbox, thread) == expected(plan, in_thread=True)
        state = await second.ledger.post_state(papers, DAILY_DAY)
        assert state is not None and (state.status, state.sent) == ("done", len(plan))
    finally:
        await second.close()


async def test_thread_made_but_its_answer_lost_is_found_not_made_twice(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 3)
    bot = await DailyBot(sandbox, db, SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))).start()
    try:
        sub = await bot.subscribe("papers", style="thread")
        plan = await bot.plan("papers")
        # Discord creates the thread, the answer is a 500; discord.py's retry hits 160004.
        sandbox.fail_next("POST /channels/*/messages/*/threads", status=500, handled=True)

        result = await bot.post(sub)

        assert result.outcome == "posted" and result.sent == len(plan)
        attempts = sandbox.requests("POST", "/channels/*/messages/*/threads")
        assert [r.status for r in attempts] == [500, 400]
        assert attempts[1].response["code"] == 160004
        (thread,) = threads_of(sandbox, sub.channel_id)
        assert posted(sandbox, sub.channel_id) == expected(plan)
        assert posted(sandbox, thread) == expected(plan, in_thread=True)
    finally:
        await bot.close()
