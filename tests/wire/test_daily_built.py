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
from papers_sandbox import SandboxServer
from papers_sandbox.huggingface import FakeHuggingFace, fake_item
from papers_sandbox.scene import SceneClock
from tests.polling import eventually

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, daily_config, expected, posted

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


async def test_a_day_built_at_post_time_is_posted_once_complete_not_with_its_first_papers(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace
) -> None:
    early = [fake_item(a, day=DAILY_DAY, title=f"Early {a}", upvotes=5) for a in IDS[:2]]
    hf.add_day(DAILY_DAY, early)  # at post time Hugging Face lists the day's first two papers
    korean = tmp_path / "korean"
    korean.mkdir()
    db = tmp_path / "papers.db"
    config = built_config(sandbox, db, hf, korean, day_complete="23:00")  # the default
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    bot = DailyBot(sandbox, db, clock, config)
    await bot.start()
    bot.cog.tick.cancel()
    bot.cog.poll.cancel()
    try:
        sub = await bot.subscribe("papers")
        await tick_until_built(bot)
        source, channel = built_source(bot), sandbox.channel("papers").id
        assert not source.built[DAILY_DAY].complete
        for _ in range(3):
            await bot.cog.service.tick()
        assert posted(sandbox, channel) == []  # waiting for the day to complete
        completes = dt.datetime.combine(DAILY_DAY, dt.time(23, 0), dt.UTC)
        assert await bot.cog.service.awaiting_completion(sub) == (DAILY_DAY, completes)

        ids = [f"2506.{30000 + n:05d}" for n in range(28)]
        later = [
            fake_item(a, day=DAILY_DAY, title=f"Later {a}", upvotes=n) for n, a in enumerate(ids)
        ]
        hf.add_day(DAILY_DAY, [*early, *later])  # 30 by the day's completion
        clock.now = completes
        await bot.cog.service.tick()  # builds the day again at once
        await eventually(
            lambda: source.built[DAILY_DAY].complete and not source.running,
            within=10,
            what="the day never built again complete",
        )
        for _ in range(3):
            clock.now += dt.timedelta(seconds=30)
            await bot.cog.service.tick()
        header = posted(sandbox, channel)[0][0]
        assert header.startswith("## 📚 Daily Papers — 2025-06-02\n30 papers")
        assert posted(sandbox, channel) == expected(await bot.plan("papers"))  # posted once
        state = await bot.ledger.post_state(channel, DAILY_DAY)
        assert state is not None and state.status == "done"
    finally:
        await bot.close()
