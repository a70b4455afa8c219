"""/daily status tells admins how enrichment and the Korean summaries of built days are going:
papers enriched and unknown to Hugging Face, the last enrichment pass's failure, the newest
built day's papers in Korean and those whose summaries keep failing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.app import PapersBot
from bot.digest.parse import parse
from bot.features.enrich.cog import Enricher
from bot.huggingface.models import HfPaper
from bot.huggingface.write import write_day
from bot.models import Enrichment
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from bot.store.summary_attempts import SummaryAttemptStore
from papers_sandbox.huggingface import FakeHuggingFace
from tests.polling import eventually

from .support import BotClock, DailyWorld, daily_config, response

DAY = dt.date(2026, 1, 2)
IDS = [f"2601.{n:05d}" for n in range(1, 5)]
KOREAN = (
    "***What's New***: 새 방법을 제안합니다.",
    "***Technical Details***: 세부 사항입니다.",
    "***Performance Highlights***: 결과가 좋습니다.",
)
UNUSABLE = "unusable answer: no What's New, Technical Details, Performance Highlights in the answer"


@pytest.fixture
async def hf() -> AsyncIterator[FakeHuggingFace]:
    """Hugging Face rate-limiting the bot for an hour: every request fails at once."""
    fake = FakeHuggingFace()
    fake.faults.rate_limited, fake.faults.retry_after = 10_000, 3600
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


@pytest.fixture
async def daily_bot(daily_papers: PaperStore, hf: FakeHuggingFace) -> PapersBot:
    """The bot with Hugging Face on (enriching) and summaries configured, over a store that
    holds a built day: 3 of its 4 papers in Korean, the fourth failed 3 times; 2 papers
    enriched, 1 unknown to Hugging Face, 1 not enriched yet."""
    papers = [HfPaper(arxiv_id, f"Built {n}", "An abstract.", upvotes=n) for n, arxiv_id in
              enumerate(IDS, 1)]  # fmt: skip
    text = write_day(DAY, papers, {arxiv_id: KOREAN for arxiv_id in IDS[1:]}, complete=True)
    await daily_papers.ingest("built/2026/01/02.md", parse(text))
    at = dt.datetime.now(dt.UTC)
    attempts = SummaryAttemptStore(daily_papers.db)
    for _ in range(3):
        await attempts.record(counted={IDS[0]: UNUSABLE}, now=at)
    await EnrichmentStore(daily_papers.db).record(
        [Enrichment(IDS[1], at, True, abstract="Found."), Enrichment(IDS[2], at, True),
         Enrichment(IDS[3], at, False)]
    )  # fmt: skip
    config = daily_config()
    huggingface = dataclasses.replace(config.sources.huggingface, enabled=True, api_base=hf.base)
    summaries = dataclasses.replace(
        config.summaries, api_base="http://127.0.0.1:9/v1", model="some-model"
    )
    config = dataclasses.replace(
        config,
        sources=dataclasses.replace(config.sources, huggingface=huggingface),
        summaries=summaries,
    )
    return PapersBot(config, daily_papers.db, clock=BotClock())


async def status_blocks(daily: DailyWorld) -> dict[str, list[str]]:
    """/daily status as the admin reads it: each block's heading -> its lines."""
    result = await daily.admin.slash(daily.channel, "daily status")
    assert result.ephemeral
    (embed,) = response(result).embeds
    blocks = (embed.description or "").split("\n\n")
    return {b.split("\n")[0]: b.split("\n")[1:] for b in blocks}


async def failed_pass(daily: DailyWorld) -> str:
    """The bot's first enrichment pass, failed on the 429: when, as status shows it."""
    enricher = daily.bot.get_cog("Enricher")
    assert isinstance(enricher, Enricher)
    await eventually(lambda: enricher.job.problem is not None, within=20, what="no failed pass")
    run = await EnrichmentStore(daily.papers.db).last_run()
    assert run is not None and run.problem == enricher.job.problem
    return f"<t:{int(run.at.timestamp())}:f>"


async def test_status_shows_enrichment_and_korean_summaries_with_their_failures(
    daily: DailyWorld,
) -> None:
    at = await failed_pass(daily)
    await daily.admin.slash(daily.channel, "daily subscribe", channel=daily.channel)
    blocks = await status_blocks(daily)

    (enrichment,) = [v for k, v in blocks.items() if k.startswith("**Enrichment")]
    assert "**Enrichment from Hugging Face** (2025-12-30 – 2026-01-02)" in blocks
    counts, failure = enrichment
    assert counts == "2 of 4 papers enriched, 1 unknown to Hugging Face"
    assert failure.startswith(f"⚠️ The last pass failed {at}: ")
    assert failure.endswith("rate limited, asked to wait 3600 s (over 330 s)")

    korean = blocks["**Korean summaries** (days built from Hugging Face)"]
    failed_at = (await SummaryAttemptStore(daily.papers.db).attempts(IDS[:1]))[IDS[0]].failed_at
    assert korean == [
        "2026-01-02: 3 of 4 papers in Korean; 1 kept in English after 3 failed attempts, "
        "0 to be asked again",
        f"Last failure <t:{int(failed_at.timestamp())}:f>, {IDS[0]}: {UNUSABLE}",
    ]


async def test_korean_admins_read_it_in_korean(daily: DailyWorld, locales: dict[int, str]) -> None:
    await failed_pass(daily)
    await daily.admin.slash(daily.channel, "daily subscribe", channel=daily.channel)
    locales[daily.admin.user.id] = "ko"
    blocks = await status_blocks(daily)
    assert blocks["**Hugging Face 보강 정보** (2025-12-30 – 2026-01-02)"][0] == (
        "논문 4편 중 2편 보강, Hugging Face에 없는 논문 1편"
    )
    assert blocks["**한국어 요약** (Hugging Face에서 만든 날)"][0] == (
        "2026-01-02: 논문 4편 중 3편 한국어 요약; 1편은 3번 실패해 영어로 둠, 0편은 다시 요청 예정"
    )
