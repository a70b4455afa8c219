"""Killed mid-post and restarted at once (as systemd or a container runtime would): the new
process resumes within a minute of being ready, finishes the plan the post started with
(even when the digest changed meanwhile), and /daily post-now and /daily status tell a
stalled post from one another live process is posting."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.digest.parse import parse
from bot.features.daily.plan import Planned
from bot.features.daily.poster import LEASE
from bot.models import PostOrder
from bot.store import PaperStore
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock

from .harness import (
    DAILY_DAY,
    DAILY_POST_AT,
    DailyBot,
    daily_config,
    digest_markdown,
    expected,
    load_digest,
    posted,
)

PAPERS = 32
WITHIN = dt.timedelta(seconds=60)


async def killed_after(
    sandbox: SandboxServer, db: Path, clock: SceneClock, k: int, *, order: str = "published"
) -> tuple[DailyBot, list[Planned]]:
    """A bot posting the day's digest to #papers, killed while message k+1 is on the wire."""
    config = daily_config(sandbox, db)
    config = dataclasses.replace(
        config, daily=dataclasses.replace(config.daily, order=PostOrder(order))
    )
    first = await DailyBot(sandbox, db, clock, config).start()
    await first.subscribe("papers", style="embeds")
    plan = await first.plan("papers")
    assert len(plan) > k + 1
    papers = sandbox.channel("papers").id
    held = sandbox.hold(f"POST /channels/{papers}/messages", skip=k)
    clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
    first.run_due()
    await held.wait_held()
    await first.kill()
    assert posted(sandbox, papers) == expected(plan)[:k]
    return DailyBot(sandbox, db, clock, config), plan


async def tick_until_done(bot: DailyBot, channel_id: int, ready_at: dt.datetime) -> dt.timedelta:
    """The scheduler's ticks from the moment the bot is ready; how long until the post was done
    (at most a little past WITHIN: the caller checks)."""
    assert bot.cog.tick.seconds is not None
    tick = dt.timedelta(seconds=bot.cog.tick.seconds)
    bot.clock.now = ready_at
    while bot.clock() - ready_at <= WITHIN + tick:
        await bot.runner.run_due(bot.clock())
        state = await bot.ledger.post_state(channel_id, DAILY_DAY)
        if state is not None and state.status == "done":
            return bot.clock() - ready_at
        bot.clock.now += tick
    raise AssertionError("the post was not resumed")


async def republish(db: Path, markdown: str) -> None:
    store = await PaperStore.open(db)
    try:
        await store.ingest(f"{DAILY_DAY.isoformat()}.md", parse(markdown))
    finally:
        await store.close()


def changed_digest() -> str:
    """The day's digest re-published: a new paper with the most votes, and paper 5 fallen to
    the fewest, so under `order: votes` every message after the header would shift."""
    text = digest_markdown(DAILY_DAY, PAPERS).replace("Vote: 195\n", "Vote: 1\n")
    new = (
        "### [Paper 0: a late addition](https://arxiv.org/abs/2506.19999)\n\n"
        "Vote: 999\n\n- ***What's New***: " + "Added after the crash. " * 20 + "\n\n"
    )
    first = text.index("### ")
    return text[:first] + new + text[first:]


@pytest.mark.parametrize("k", [1, 3])
async def test_restarted_at_once_every_message_arrives_once_within_a_minute(
    sandbox: SandboxServer, tmp_path: Path, k: int
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    second, plan = await killed_after(sandbox, db, clock, k)
    papers = sandbox.channel("papers").id
    try:
        await second.start()  # at once: the scene clock has not moved since the kill
        took = await tick_until_done(second, papers, clock())
        assert took <= WITHIN
        assert posted(sandbox, papers) == expected(plan)
        again, _ = await second.runner.run_due(clock())
        assert papers not in again and len(sandbox.messages("papers")) == len(plan)
    finally:
        await second.close()


async def test_a_digest_changed_before_the_restart_does_not_change_the_post(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    second, plan = await killed_after(sandbox, db, clock, 2, order="votes")
    papers = sandbox.channel("papers").id
    await republish(db, changed_digest())
    try:
        await second.start()
        changed = await second.plan("papers")
        assert changed != plan and f"{PAPERS + 1}" in (changed[0].content or "")

        took = await tick_until_done(second, papers, clock())

        assert took <= WITHIN
        assert posted(sandbox, papers) == expected(plan)  # the plan it started with, once
        assert f"{PAPERS} papers" in (plan[0].content or "")
        # Done is done: the changed digest is not posted again unless forced.
        clock.now += dt.timedelta(minutes=5)
        again, _ = await second.runner.run_due(clock())
        assert papers not in again and posted(sandbox, papers) == expected(plan)
        sub = await second.ledger.subscription(papers)
        assert sub is not None
        forced = await second.runner.post(sub, DAILY_DAY, force=True)
        assert forced.outcome == "posted"
        assert posted(sandbox, papers) == expected(plan) + expected(changed)
    finally:
        await second.close()


async def test_post_now_resumes_a_post_whose_holder_is_gone(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    second, plan = await killed_after(sandbox, db, clock, 2)
    papers = sandbox.channel("papers").id
    try:
        await second.start()
        await second.bot.tree.sync()
        async with time_passing(clock, LEASE + dt.timedelta(seconds=5)):  # its lease runs out
            answer = await sandbox.invoke_command(
                "daily",
                {"channel": papers},
                subcommand="post-now",
                user="sandbox-owner",
                followup_timeout=30,
            )
        assert f"({len(plan) - 2} messages)" in " ".join(answer.contents()), answer
        assert posted(sandbox, papers) == expected(plan)
    finally:
        await second.close()


async def test_post_now_and_status_while_another_live_process_posts(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    a, b = DailyBot(sandbox, db, clock), DailyBot(sandbox, db, clock)
    await asyncio.gather(a.start(), b.start())
    try:
        a.runner.poster.heartbeat = 0.02  # real seconds: the test's scene time runs fast
        # Discord delivers an interaction to one connection: here, b's.
        assert a.bot.ws.session_id is not None
        sandbox.gateway.sessions[a.bot.ws.session_id].alive = False
        sub = await a.subscribe("papers")
        plan = await a.plan("papers")
        held = sandbox.hold(f"POST /channels/{sub.channel_id}/messages", skip=2)
        posting = a.post(sub)
        await held.wait_held()  # a is alive, its send waiting on Discord
        await b.bot.tree.sync()

        async with time_passing(clock, WITHIN):  # well past a lease: a's heartbeat keeps it
            answer = await sandbox.invoke_command(
                "daily",
                {"channel": sub.channel_id},
                subcommand="post-now",
                user="sandbox-owner",
                followup_timeout=30,
            )
            status = await sandbox.invoke_command(
                "daily", subcommand="status", user="sandbox-owner"
            )
        assert "Another bot process is posting" in " ".join(answer.contents()), answer
        (embed,) = status.embeds
        assert "(posting, 2/" in embed["description"] and "Stalled" not in embed["description"]

        held.release()
        assert (await posting).outcome == "posted"
        assert posted(sandbox, sub.channel_id) == expected(plan)
    finally:
        await asyncio.gather(a.close(), b.close())


async def test_status_says_a_post_is_stalled_once_its_holder_is_gone(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    second, plan = await killed_after(sandbox, db, clock, 3)
    try:
        await second.start()
        await second.bot.tree.sync()
        clock.now += WITHIN
        status = await sandbox.invoke_command("daily", subcommand="status", user="sandbox-owner")
        (embed,) = status.embeds
        description = embed["description"]
        assert f"(stalled, 3/{len(plan)} messages)" in description, description
        assert "the bot process posting it stopped" in description, description
    finally:
        await second.close()


@contextlib.asynccontextmanager
async def time_passing(
    clock: SceneClock, total: dt.timedelta, step: float = 0.2
) -> AsyncIterator[None]:
    """While the block waits on the bot, `total` of scene time passes (`step` seconds per
    10 ms of real time), then the clock stands still again."""

    async def run() -> None:
        end = clock() + total
        while clock() < end:
            await asyncio.sleep(0.01)
            clock.now = min(end, clock() + dt.timedelta(seconds=step))

    ticking = asyncio.create_task(run())
    try:
        yield
    finally:
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking


async def test_a_holder_that_stopped_renewing_yields_to_the_process_that_took_over(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Alive but hung past its lease (its renewals not getting through): another process
    takes the post over, and the first one, when it wakes, stops instead of posting too."""
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, PAPERS)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    a, b = DailyBot(sandbox, db, clock), DailyBot(sandbox, db, clock)
    await asyncio.gather(a.start(), b.start())
    try:
        a.runner.poster.heartbeat = 3600  # no renewal gets through in this test
        sub = await a.subscribe("papers")
        plan = await a.plan("papers")
        held = sandbox.hold(f"POST /channels/{sub.channel_id}/messages", skip=2)
        hung = a.post(sub)
        await held.wait_held()

        clock.now += WITHIN
        taken = await b.runner.post(sub, DAILY_DAY)
        assert taken.outcome == "posted"
        held.release()
        stopped = await hung
        assert stopped.outcome == "failed" and stopped.transient, stopped

        assert posted(sandbox, sub.channel_id) == expected(plan)
        # a sent nothing after it woke: only its one send in flight (deduplicated by its
        # nonce), beside b's.
        assert len(sandbox.requests("POST", "/channels/*/messages")) == len(plan) + 1
        state = await b.ledger.post_state(sub.channel_id, DAILY_DAY)
        assert state is not None and (state.status, state.sent) == ("done", len(plan))
    finally:
        await asyncio.gather(a.close(), b.close())
