"""The real PapersBot with the fake Hugging Face API and the fake OpenAI-compatible endpoint:
a built day is posted with Korean summaries; with the model down, slow for one paper or past
the build's deadline, the post still goes out, those papers in English."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.features.daily.built import BuiltDaySource
from bot.huggingface.write import day_path
from papers_sandbox import SandboxServer
from papers_sandbox.huggingface import FakeHuggingFace, fake_item
from papers_sandbox.openai_fake import DEFAULT_MODEL, FakeOpenAI, Fault
from papers_sandbox.scene import SceneClock
from tests.polling import eventually

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, posted
from .test_daily_built import built_config

IDS = [f"2506.{30000 + i:05d}" for i in range(1, 5)]


@pytest.fixture
async def hf() -> AsyncIterator[FakeHuggingFace]:
    fake = FakeHuggingFace()
    items = [
        fake_item(arxiv_id, day=DAILY_DAY, title=f"Built paper {n}", upvotes=10 * n,
                  abstract=f"We build thing {n}. It is {n}x better.")
        for n, arxiv_id in enumerate(IDS, 1)
    ]  # fmt: skip
    fake.add_day(DAILY_DAY, items)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


async def start_bot(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, api_base: str, **summaries: Any
) -> DailyBot:
    korean = tmp_path / "korean"
    korean.mkdir(exist_ok=True)
    db = tmp_path / "papers.db"
    base = built_config(sandbox, db, hf, korean)
    settings = dataclasses.replace(
        base.summaries, api_base=api_base, model=DEFAULT_MODEL, **summaries
    )
    config = dataclasses.replace(base, summaries=settings)
    bot = DailyBot(sandbox, db, SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5)), config)
    await bot.start()
    bot.cog.tick.cancel()  # the test drives ticks and polls itself
    bot.cog.poll.cancel()
    return bot


@pytest.fixture
async def bots() -> AsyncIterator[list[DailyBot]]:
    started: list[DailyBot] = []
    yield started
    for bot in started:
        await bot.close()


async def post_built_day(bot: DailyBot) -> list[str]:
    """Subscribe #papers, tick at post time until the day is built, post; the cards' texts."""
    await bot.subscribe("papers")
    await bot.cog.service.tick()
    source = bot.cog.service.sources.built
    assert isinstance(source, BuiltDaySource)
    await eventually(lambda: DAILY_DAY in source.built, within=20, what="day never built")
    await bot.runner.run_due(bot.clock())  # unless the tick posted it, if built by then
    channel = bot.server.channel("papers").id
    state = await bot.ledger.post_state(channel, DAILY_DAY)
    assert state is not None and state.status == "done"
    return [str(e.get("description")) for _, embeds in posted(bot.server, channel) for e in embeds]


async def test_a_built_day_is_posted_with_korean_summaries(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    bots.append(await start_bot(sandbox, tmp_path, hf, llm.api_base))
    cards = await post_built_day(bots[0])
    assert len(cards) == 4
    assert cards[0] == "이 논문은 Built paper 4을(를) 제안합니다. 핵심 내용: We build thing 4."
    assert all("(English)" not in card for card in cards)
    assert sorted(r.title for r in llm.answered) == sorted(f"Built paper {n}" for n in range(1, 5))


async def test_llm_down_the_post_goes_out_in_english(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    llm.fail(Fault.SERVER_ERROR, status=503)  # every request, retried with backoff
    bots.append(await start_bot(sandbox, tmp_path, hf, llm.api_base, deadline_seconds=1))
    cards = await post_built_day(bots[0])
    assert len(cards) == 4 and all(card.startswith("*(English)*") for card in cards)
    assert {r.title for r in llm.requests} == {f"Built paper {n}" for n in range(1, 5)}
    assert {r.status for r in llm.requests} == {503}


async def test_a_paper_whose_summary_times_out_is_posted_in_english_the_others_in_korean(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    llm.fail(Fault.SLOW, match="Built paper 3", delay=60)
    bots.append(await start_bot(sandbox, tmp_path, hf, llm.api_base, timeout_seconds=0.5))
    cards = await post_built_day(bots[0])
    english = [i for i, card in enumerate(cards) if card.startswith("*(English)*")]
    assert english == [1]  # the second most upvoted, "Built paper 3"
    assert sum(card.startswith("이 논문은 Built paper") for card in cards) == 3


async def test_at_the_deadline_the_day_is_built_with_what_finished(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    llm.fail(Fault.SLOW, match="Built paper 1", delay=60)  # within its timeout, not the deadline
    bot = await start_bot(sandbox, tmp_path, hf, llm.api_base, deadline_seconds=1)
    bots.append(bot)
    cards = await post_built_day(bot)
    assert cards[-1].startswith("*(English)*")  # the least upvoted, "Built paper 1"
    assert sum(card.startswith("이 논문은 Built paper") for card in cards) == 3
    (slow,) = [r for r in llm.requests if r.title == "Built paper 1"]
    await eventually(lambda: slow.gave_up, what="the slow request was not cancelled")


async def test_a_reasoning_model_summarizes_the_built_day_after_adapting_once(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    llm.reasoning = True  # refuses max_tokens and temperature 0.2, as o3 or gpt-5 do
    bots.append(await start_bot(sandbox, tmp_path, hf, llm.api_base, concurrency=1))
    cards = await post_built_day(bots[0])
    assert len(cards) == 4 and all(card.startswith("이 논문은 Built paper") for card in cards)
    assert [r.status for r in llm.requests] == [400, 400, 200, 200, 200, 200]
    assert all(r.max_completion_tokens == 1024 and r.temperature is None for r in llm.answered)


async def test_a_paper_whose_answers_never_parse_is_asked_max_attempts_times_in_all(
    sandbox: SandboxServer, tmp_path: Path, hf: FakeHuggingFace, llm: FakeOpenAI,
    bots: list[DailyBot],
) -> None:  # fmt: skip
    llm.fail(Fault.PROSE, match="Built paper 2")  # a paragraph, never the three sections
    votes = 10
    for _ in range(3):  # three bot processes on one database, five polls each
        bot = await start_bot(sandbox, tmp_path, hf, llm.api_base)
        bots.append(bot)
        source = bot.cog.service.sources.built
        assert isinstance(source, BuiltDaySource)

        def built(source: BuiltDaySource = source) -> bool:
            return DAILY_DAY in source.built and not source.running

        for _ in range(5):
            votes += 1  # the day's upvotes change between polls: each poll builds it again
            hf.update(IDS[0], upvotes=votes)
            await bot.cog.service.poll()
            await eventually(built, within=20, what="the day was not built")
        await bot.close()
    prose = [r for r in llm.requests if r.title == "Built paper 2"]
    assert len(prose) == 3  # summaries.max_attempts
    assert sorted(r.title for r in llm.answered) == [f"Built paper {n}" for n in (1, 3, 4)]
    text = day_path(tmp_path / "built", DAILY_DAY).read_text(encoding="utf-8")
    assert text.count("***What's New***") == 3 and text.count("*(English)*") == 1
