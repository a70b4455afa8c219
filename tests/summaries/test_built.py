"""Built days get Korean bullets: through the digest writer into the parser, reusing the day
file's Korean bullets, capped to the most upvoted papers, within the build's deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bot.digest.parse import parse
from bot.huggingface import HfPaper
from bot.huggingface.write import ENGLISH_MARK, day_path, write_day
from bot.summaries.built import BuiltDaySummaries
from bot.summaries.korean import Summarizer
from papers_sandbox.openai_fake import FakeOpenAI, Fault

DAY = dt.date(2025, 5, 12)
MakeSummarizer = Callable[..., Summarizer]


def day_papers() -> list[HfPaper]:
    return [
        HfPaper(
            f"2505.0000{i}",
            title=f"Paper {i}",
            abstract=f"We study problem {i}. Our method wins by {i} points.",
            upvotes=votes,
        )
        for i, votes in enumerate([5, 40, 12, 7])
    ]


def summaries_of(text: str) -> dict[str, str]:
    (section,) = parse(text).sections
    return {e.arxiv_id: e.summary for e in section.entries}


async def test_a_built_day_carries_korean_bullets_and_english_where_they_failed(
    tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    papers = day_papers()
    llm.fail(Fault.SERVER_ERROR, match="Paper 2")
    summarize = BuiltDaySummaries(make_summarizer(), tmp_path, deadline_seconds=30)
    text = write_day(DAY, papers, await summarize(DAY, papers))
    summaries = summaries_of(text)
    assert summaries["2505.00001"].split("\n") == [
        "- ***What's New***: 이 논문은 Paper 1을(를) 제안합니다. 핵심 내용: We study problem 1.",
        "- ***Technical Details***: 제안된 방법의 세부 사항은 다음과 같습니다. "
        "Our method wins by 1 points.",
        "- ***Performance Highlights***: 논문이 보고한 결과입니다. Our method wins by 1 points.",
    ]
    assert summaries["2505.00002"].startswith(ENGLISH_MARK)
    assert sum(s.startswith("- ***What's New***") for s in summaries.values()) == 3


async def test_papers_the_day_file_holds_in_korean_are_not_asked_again(
    tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    papers = day_papers()
    summarize = BuiltDaySummaries(make_summarizer(), tmp_path, deadline_seconds=30)
    first = await summarize(DAY, papers[:2])
    path = day_path(tmp_path, DAY)
    path.parent.mkdir(parents=True)
    path.write_text(write_day(DAY, papers[:2], first), encoding="utf-8")
    asked = len(llm.requests)
    again = await summarize(DAY, papers)
    assert sorted(r.title for r in llm.requests[asked:]) == ["Paper 2", "Paper 3"]
    assert set(again) == {p.arxiv_id for p in papers}
    assert again["2505.00000"] == first["2505.00000"]


async def test_only_the_days_most_upvoted_papers_are_asked_for(
    tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    summarize = BuiltDaySummaries(make_summarizer(max_papers=2), tmp_path, deadline_seconds=30)
    got = await summarize(DAY, day_papers())
    assert sorted(got) == ["2505.00001", "2505.00002"]  # 40 and 12 votes
    assert sorted(r.title for r in llm.requests) == ["Paper 1", "Paper 2"]


async def test_a_build_waits_no_longer_than_its_deadline(
    tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.SLOW, match="Paper 1", delay=60)
    summarize = BuiltDaySummaries(make_summarizer(timeout=60), tmp_path, deadline_seconds=1)
    got = await summarize(DAY, day_papers())
    assert sorted(got) == ["2505.00000", "2505.00002", "2505.00003"]
