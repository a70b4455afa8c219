"""Daily posts survive a crash: a new process resumes a partial post, every message once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.features.daily.poster import LEASE
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, load_digest, posted

AFTER_LEASE = LEASE + dt.timedelta(minutes=1)


async def test_killed_after_k_of_n_messages_a_new_process_posts_the_rest_once(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 32)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    first = await DailyBot(sandbox, db, clock).start()
    await first.subscribe("papers", style="embeds")
    plan = await first.plan("papers")
    n, k = len(plan), 2
    assert n >= 4 and all(p.embeds for p in plan[1:])
    papers = sandbox.channel("papers").id
    held = sandbox.hold(f"POST /channels/{papers}/messages", skip=k)

    clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
    first.run_due()
    await held.wait_held()  # message k+1 is on the wire when the process dies
    await first.kill()

    assert posted(sandbox, papers) == expected(plan)[:k]
    second = DailyBot(sandbox, db, clock)
    try:
        await second.start()
        # Within the dead process's lease nobody else posts.
        results, _ = await second.runner.run_due(clock())
        assert results[papers].outcome == "busy"
        assert len(sandbox.messages("papers")) == k

        clock.now += AFTER_LEASE
        await second.runner.run_due(clock())
        await second.wait_settled("papers")
        assert posted(sandbox, papers) == expected(plan)
        state = await second.ledger.post_state(papers, DAILY_DAY)
        assert state is not None
        assert (state.status, state.sent, state.planned) == ("done", n, n)
        # The tick after that finds nothing to do.
        again, _ = await second.runner.run_due(clock())
        assert papers not in again and len(sandbox.messages("papers")) == n
    finally:
        await second.close()
