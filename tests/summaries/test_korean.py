"""A day's Korean summaries against the loopback endpoint: bounded, and never past the deadline.

Whatever fails, the post goes on: a paper without a Korean summary keeps its English bullets
(the caller's), and `korean_summaries` returns by the deadline with what finished.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from bot.huggingface import HfPaper
from bot.summaries.korean import Summarizer
from papers_sandbox.openai_fake import FakeOpenAI, Fault
from tests.polling import eventually
from tests.summaries.conftest import papers

MakeSummarizer = Callable[..., Summarizer]


def soon(seconds: float) -> float:
    return asyncio.get_running_loop().time() + seconds


async def test_every_paper_gets_its_korean_bullets(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    day = papers(5)
    got = await make_summarizer().korean_summaries(day, deadline=soon(30))
    assert list(got) == [p.arxiv_id for p in day]
    new, details, highlights = got[day[0].arxiv_id]
    assert new.startswith("***What's New***: 이 논문은 Paper 0: Learning Things")
    assert details.startswith("***Technical Details***: ")
    assert highlights.startswith("***Performance Highlights***: ")
    assert sorted(r.title for r in llm.requests) == sorted(p.title or "" for p in day)


async def test_no_connection_is_held_between_days(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.SLOW, match="Slow", delay=1.5)  # well after the other day is done
    summarizer = make_summarizer()
    slow = asyncio.create_task(
        summarizer.korean_summaries(papers(3, prefix="Slow"), deadline=soon(30))
    )
    assert len(await summarizer.korean_summaries(papers(2), deadline=soon(30))) == 2
    assert summarizer.client.connected  # the slow day still holds the session it shares
    assert len(await slow) == 3
    assert not summarizer.client.connected


async def test_llm_down_gives_no_korean_and_returns_at_once(
    make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    summarizer = make_summarizer(api_base="http://127.0.0.1:9/v1")
    got = await summarizer.korean_summaries(papers(3), deadline=soon(60))
    assert got == {}
    assert "Korean summaries: 0 of 3 papers, 3 kept in English" in caplog.text
    assert "cannot reach 127.0.0.1:9" in caplog.text


async def test_llm_failing_with_5xx_keeps_english(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.SERVER_ERROR, status=503)
    assert await make_summarizer().korean_summaries(papers(3), deadline=soon(60)) == {}
    assert len(llm.requests) == 3 * 4  # each paper: the first try and 3 retries


async def test_a_paper_that_times_out_keeps_english_the_others_do_not(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    day = papers(4)
    llm.fail(Fault.SLOW, match="Paper 2", delay=60)
    got = await make_summarizer(timeout=0.3).korean_summaries(day, deadline=soon(60))
    assert set(got) == {day[0].arxiv_id, day[1].arxiv_id, day[3].arxiv_id}
    assert f"{day[2].arxiv_id}: no answer within 0.3 s" in caplog.text


async def test_429_then_success(llm: FakeOpenAI, make_summarizer: MakeSummarizer) -> None:
    llm.fail(Fault.RATE_LIMITED, times=2, retry_after=0.05)
    day = papers(2)
    got = await make_summarizer(concurrency=1).korean_summaries(day, deadline=soon(30))
    assert set(got) == {p.arxiv_id for p in day}
    assert [r.status for r in llm.requests] == [429, 429, 200, 200]


async def test_at_the_deadline_pending_requests_are_cancelled_and_finished_ones_used(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    day = papers(4)
    llm.fail(Fault.SLOW, match="Paper 3", delay=60)  # within its timeout, past the deadline
    summarizer = make_summarizer(timeout=60)
    task = asyncio.create_task(summarizer.korean_summaries(day, deadline=soon(0.5)))
    got = await asyncio.wait_for(task, 10)  # a bound on the test, far below the 60 s answer
    assert set(got) == {p.arxiv_id for p in day[:3]}
    assert "stopped: the deadline (1 requests cancelled)" in caplog.text
    slow = [r for r in llm.requests if r.title == day[3].title]
    assert len(slow) == 1
    await eventually(lambda: slow[0].gave_up, what="the slow request was not cancelled")


async def test_a_deadline_already_past_sends_nothing(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    assert await make_summarizer().korean_summaries(papers(3), deadline=soon(-1)) == {}
    assert llm.requests == []


async def test_the_day_cap_asks_for_the_first_papers_only(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    day = papers(5)
    got = await make_summarizer(max_papers=2).korean_summaries(day, deadline=soon(30))
    assert list(got) == [day[0].arxiv_id, day[1].arxiv_id]
    assert len(llm.requests) == 2
    assert "3 past summaries.max_papers_per_day" in caplog.text


async def test_no_more_than_the_concurrency_at_once(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.SLOW, delay=0.05)  # each answer takes a while, so requests overlap
    summarizer = make_summarizer(concurrency=2)
    got = await summarizer.korean_summaries(papers(6), deadline=soon(30))
    assert len(got) == 6
    assert llm.most_at_once == 2


async def test_a_refused_key_stops_the_day(
    make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeOpenAI(key="sk-right") as fake:
        summarizer = make_summarizer(api_base=fake.api_base, key="sk-wrong", concurrency=1)
        got = await summarizer.korean_summaries(papers(5), deadline=soon(30))
    assert got == {}
    assert len(fake.requests) == 1
    assert "Korean summaries stopped for the day: HTTP 401: Incorrect API key" in caplog.text


async def test_unusable_answers_and_missing_abstracts_keep_english(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    day = [*papers(2), HfPaper("2505.99999", title="No Abstract"), HfPaper("2505.99998")]
    llm.fail(Fault.PROSE, match="Paper 0")
    got = await make_summarizer().korean_summaries([*day, day[1]], deadline=soon(30))
    assert list(got) == [day[1].arxiv_id]
    assert len(llm.requests) == 2  # the duplicate and the paper without an abstract: not asked
    assert f"{day[0].arxiv_id}: unusable answer: no What's New" in caplog.text
    assert "2505.99999: no abstract; 2505.99998: no abstract" in caplog.text


async def test_an_answer_cut_at_max_tokens_says_so(
    llm: FakeOpenAI, make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    day = papers(1)
    assert await make_summarizer(max_tokens=64).korean_summaries(day, deadline=soon(30)) == {}
    assert llm.requests[0].max_tokens == 64
    assert "(cut at summaries.max_tokens)" in caplog.text
