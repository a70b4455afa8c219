"""The real PapersBot with the fake Hugging Face API: a day whose Korean digest never comes is
built and posted once, a Korean digest arriving later replaces the summaries without a
second post, and Hugging Face down or slow delays nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.features.daily.built import BuiltDaySource
from bot.features.daily.service import BuiltPost
from bot.models import OnMissing
from papers_sandbox import SandboxServer
from papers_sandbox.huggingface import FakeHuggingFace, fake_item
from papers_sandbox.scene import SceneClock
from tests.polling import eventually

from .harness import DAILY_DAY, DAILY_POST_AT, SEOUL, DailyBot, daily_config, expected, posted

IDS = [f"2506.{20000 + i:05d}" for i in range(1, 7)]


def korean_digest(*arxiv_ids: str) -> str:
    lines = [f"## Daily Papers ({DAILY_DAY.isoformat()})", ""]
    for n, arxiv_id in enumerate(arxiv_ids):
        lines += [
            f"### [Korean title {n}](https://arxiv.org/abs/{arxiv_id})",
            "",
            f"Vote: {50 - n}",
            "",
            "Authors: Ada Lovelace",
            "",
            f"- ***What's New***: 한국어 요약 {n}입니다.",
            "",
        ]
    return "\n".join(lines)


@pytest.fixture
async def hf(request: pytest.FixtureRequest) -> AsyncIterator[FakeHuggingFace]:
    """The fake API with the day's papers; `"down and slow"` (indirect) from the start."""
    fake = FakeHuggingFace()
    if getattr(request, "param", "") == "down and slow":
        fake.faults.down, fake.faults.delay = True, 1.0
    items = [
        fake_item(arxiv_id, day=DAILY_DAY, title=f"Built paper {n}", upvotes=10 * n,
                  ai_summary=f"AI summary {n}.", abstract=f"First of {n}. Second of {n}.")
        for n, arxiv_id in enumerate(IDS, 1)
    ]  # fmt: skip
    fake.add_day(DAILY_DAY, items)
    await fake.start()
    yield fake
    await fake.stop()


def built_config(
    server: SandboxServer,
    db: Path,
    hf: FakeHuggingFace,
    korean: Path,
    day_complete: str = "00:00",  # UTC, the post time: a day built for its post is complete
) -> Config:
    base = daily_config(server, db)
    huggingface = dataclasses.replace(
        base.sources.huggingface,
        enabled=True,
        api_base=hf.base,
        folder=str(db.parent / "built"),
        day_complete_utc=day_complete,
    )
    sources = dataclasses.replace(base.sources, folders=(str(korean),), huggingface=huggingface)
    return dataclasses.replace(base, sources=sources)


@pytest.fixture
async def bot(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace
) -> AsyncIterator[DailyBot]:
    korean = tmp_path / "korean"
    korean.mkdir()
    db = tmp_path / "papers.db"
    config = built_config(sandbox, db, hf, korean)
    running = DailyBot(sandbox, db, SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5)), config)
    await running.start()
    running.cog.tick.cancel()  # the test drives ticks and polls itself
    running.cog.poll.cancel()
    try:
        yield running
    finally:
        await running.close()


def built_source(bot: DailyBot) -> BuiltDaySource:
    source = bot.cog.service.sources.built
    assert isinstance(source, BuiltDaySource)
    return source


async def tick_until_built(bot: DailyBot) -> None:
    await bot.cog.service.tick()  # post time, no digest: waiting, so the sources are polled
    source = built_source(bot)
    await eventually(lambda: DAILY_DAY in source.built, within=10, what="day never built")


async def test_a_day_the_korean_source_missed_is_built_and_posted_once(
    sandbox: SandboxServer, bot: DailyBot, hf: FakeHuggingFace
) -> None:
    await bot.subscribe("papers")
    await tick_until_built(bot)

    plan = await bot.plan("papers")
    for _ in range(3):  # later ticks, of this process or after a poll, post nothing again
        await bot.runner.run_due(bot.clock())
    channel = sandbox.channel("papers").id
    assert posted(sandbox, channel) == expected(plan)
    header = posted(sandbox, channel)[0][0]  # links to the day on Hugging Face
    assert header.endswith(f"[Source](<{hf.base}/papers?date=2025-06-02>)")
    cards = [e for _, embeds in posted(sandbox, channel) for e in embeds]
    assert cards[0]["title"] == "1. Built paper 6"  # most upvoted first
    assert cards[0]["description"].startswith("*(English)*\n\n**AI Summary**\nAI summary 6.")
    state = await bot.ledger.post_state(channel, DAILY_DAY)
    assert state is not None and state.status == "done"
    assert hf.count("/api/daily_papers") >= 1


async def test_the_korean_digest_arriving_later_replaces_summaries_without_reposting(
    sandbox: SandboxServer, bot: DailyBot, tmp_path: Path
) -> None:
    await bot.subscribe("papers")
    await tick_until_built(bot)
    await bot.runner.run_due(bot.clock())
    channel = sandbox.channel("papers").id
    before = posted(sandbox, channel)
    assert before

    (tmp_path / "korean" / "02.md").write_text(korean_digest(IDS[0], IDS[5]))
    await bot.cog.service.poll()
    await bot.runner.run_due(bot.clock())

    assert posted(sandbox, channel) == before  # not posted again
    digest = await bot.bot.store.digest(DAILY_DAY)
    assert digest is not None
    assert [p.arxiv_id for p in digest.papers[:2]] == [IDS[0], IDS[5]]  # the Korean order
    assert "한국어 요약 0" in digest.papers[0].summary
    assert "(English)" in digest.papers[2].summary  # only the built day has it: it stays
    assert len(digest.papers) == len(IDS)


@pytest.mark.parametrize("hf", ["down and slow"], indirect=True)
async def test_hugging_face_down_and_slow_delays_no_other_source_or_post(
    sandbox: SandboxServer, bot: DailyBot, hf: FakeHuggingFace, tmp_path: Path
) -> None:
    await bot.subscribe("papers")
    source = built_source(bot)
    await source.close()  # end the start-up poll's build; retry less, and sooner, from here
    source.builder.client.retries, source.builder.client.backoff = 1, 0.05
    source.backoff.succeeded()
    (tmp_path / "korean" / "02.md").write_text(korean_digest(IDS[1]))
    await bot.cog.service.poll()  # the folder loads now; the build goes on aside
    assert source.running
    results, _ = await bot.runner.run_due(bot.clock())
    channel = sandbox.channel("papers").id
    assert results[channel].outcome == "posted"
    assert source.running  # the post did not wait for Hugging Face
    await eventually(lambda: not source.running, within=30, what="the build never gave up")
    (problem,) = bot.cog.service.source_problems()
    assert problem.startswith("Hugging Face days not built") and "HTTP 503" in problem
    digest = await bot.bot.store.digest(DAILY_DAY)
    assert digest is not None and [p.arxiv_id for p in digest.papers] == [IDS[1]]


NEXT_NINE = DAILY_POST_AT + dt.timedelta(days=1)  # 09:00 in Seoul on the 3rd
COMPLETES = dt.datetime.combine(DAILY_DAY, dt.time(23, 0), dt.UTC)  # 08:00 in Seoul on the 3rd


def default_config(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, on_missing: OnMissing
) -> Config:
    """09:00 Seoul, Hugging Face's day complete at 23:00 UTC (the defaults), `on_missing`."""
    korean = tmp_path / "korean"
    korean.mkdir(exist_ok=True)
    config = built_config(sandbox, tmp_path / "papers.db", hf, korean, day_complete="23:00")
    daily = dataclasses.replace(config.daily, on_missing=on_missing)  # waiting 240 minutes
    return dataclasses.replace(config, daily=daily)


async def started(
    sandbox: SandboxServer, tmp_path: Path, config: Config, clock: SceneClock
) -> DailyBot:
    bot = await DailyBot(sandbox, tmp_path / "papers.db", clock, config).start()
    bot.cog.tick.cancel()  # the test drives ticks and polls itself
    bot.cog.poll.cancel()
    return bot


async def tick_at(bot: DailyBot, clock: SceneClock, when: dt.datetime) -> None:
    clock.now = when
    await bot.cog.service.tick()
    source = built_source(bot)
    await eventually(lambda: not source.running, within=10, what="a build never ended")
    await bot.cog.service.tick()  # posts what the build made ready


@pytest.mark.parametrize("on_missing", [OnMissing.WAIT, OnMissing.SKIP])
async def test_a_day_with_no_korean_digest_is_posted_whole_at_the_next_mornings_post_time(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, on_missing: OnMissing
) -> None:
    """The defaults, 09:00 Seoul: the 2nd's post has no Korean digest, so at 09:00 on the 3rd
    the post carries Hugging Face's whole 2nd (complete at 08:00), once; with `skip` too."""
    early = [fake_item(a, day=DAILY_DAY, title=f"Early {a}", upvotes=5) for a in IDS[:2]]
    hf.add_day(DAILY_DAY, early)  # at post time Hugging Face lists the day's first two papers
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    bot = await started(sandbox, tmp_path, default_config(sandbox, tmp_path, hf, on_missing), clock)
    try:
        sub = await bot.subscribe("papers")
        await tick_until_built(bot)
        source, channel = built_source(bot), sandbox.channel("papers").id
        assert not source.built[DAILY_DAY].complete
        asked = hf.count("/api/daily_papers")
        for _ in range(3):
            await bot.cog.service.tick()
        assert posted(sandbox, channel) == []  # not the day's first two papers
        assert await bot.cog.service.built_post(sub) == BuiltPost(
            DAILY_DAY, NEXT_NINE.astimezone(SEOUL), DAILY_POST_AT.astimezone(SEOUL), late=False
        )

        # past the 240-minute wait for a late digest: still waiting, not skipped
        await tick_at(bot, clock, DAILY_POST_AT + dt.timedelta(hours=4, seconds=5))
        assert await bot.ledger.post_state(channel, DAILY_DAY) is None
        assert posted(sandbox, channel) == []
        # the 1st, whose built post was this morning's: Hugging Face lists no papers for it
        first = await bot.ledger.post_state(channel, DAILY_DAY - dt.timedelta(days=1))
        if on_missing == OnMissing.SKIP:
            assert first is not None and first.status == "skipped"
            assert first.reason == (
                "Hugging Face lists no papers for 2025-06-01, and no Korean digest holds it"
            )
        else:
            assert first is None  # `wait`: nothing is recorded

        ids = [f"2506.{30000 + n:05d}" for n in range(28)]
        later = [
            fake_item(a, day=DAILY_DAY, title=f"Later {a}", upvotes=n) for n, a in enumerate(ids)
        ]
        hf.add_day(DAILY_DAY, [*early, *later])  # 30 by the day's completion
        await tick_at(bot, clock, COMPLETES - dt.timedelta(seconds=30))
        assert hf.count("/api/daily_papers") == asked  # not asked again before completion
        await tick_at(bot, clock, COMPLETES)  # built again at once, complete
        assert source.built[DAILY_DAY].complete
        await tick_at(bot, clock, NEXT_NINE - dt.timedelta(seconds=30))
        assert posted(sandbox, channel) == []  # complete and loaded, posted at post time

        await tick_at(bot, clock, NEXT_NINE)
        for _ in range(3):
            await tick_at(bot, clock, clock.now + dt.timedelta(seconds=30))
        header = posted(sandbox, channel)[0][0]
        assert header.startswith("## 📚 Daily Papers — 2025-06-02\n30 papers")
        assert posted(sandbox, channel) == expected(await bot.plan("papers"))  # posted once
        state = await bot.ledger.post_state(channel, DAILY_DAY)
        assert state is not None and state.status == "done"
        following = await bot.cog.service.built_post(sub)  # the 3rd has no Korean digest yet
        assert following is not None and following.day == DAILY_DAY + dt.timedelta(days=1)
    finally:
        await bot.close()


async def test_a_restart_between_completion_and_post_time_posts_the_built_day_once(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    config = default_config(sandbox, tmp_path, hf, OnMissing.WAIT)
    first = await started(sandbox, tmp_path, config, clock)
    await first.subscribe("papers")
    await tick_until_built(first)
    assert not built_source(first).built[DAILY_DAY].complete
    await first.close()  # down before Hugging Face's day completes

    clock.now = COMPLETES + dt.timedelta(minutes=10)  # back at 08:10 in Seoul
    second = await started(sandbox, tmp_path, config, clock)
    try:
        channel = sandbox.channel("papers").id
        await tick_at(second, clock, clock.now)
        assert built_source(second).built[DAILY_DAY].complete
        assert posted(sandbox, channel) == []
        for at in (NEXT_NINE, NEXT_NINE + dt.timedelta(seconds=30)):
            await tick_at(second, clock, at)
        plan = await second.plan("papers")
        assert posted(sandbox, channel) == expected(plan)
    finally:
        await second.close()

    clock.now = NEXT_NINE + dt.timedelta(minutes=1)  # and once more after the post
    third = await started(sandbox, tmp_path, config, clock)
    try:
        await tick_at(third, clock, clock.now + dt.timedelta(seconds=30))
        assert posted(sandbox, channel) == expected(plan)  # not posted again
    finally:
        await third.close()
