"""A paper whose summary keeps failing is asked a bounded number of times, across builds and
restarts: unusable answers and refused requests count up to summaries.max_attempts; timeouts,
429s and 5xx only wait, doubling, and never end a paper's chances."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.store import Database
from bot.store.summary_attempts import SummaryAttemptStore
from bot.summaries.attempts import TRANSIENT_FIRST, TRANSIENT_LONGEST, transient_wait
from bot.summaries.built import BuiltDaySummaries
from bot.summaries.client import Backoff
from bot.summaries.korean import Summarizer
from papers_sandbox.openai_fake import FakeOpenAI, Fault

from .test_built import DAY, day_papers

MakeSummarizer = Callable[..., Summarizer]
START = dt.datetime(2025, 5, 12, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "papers.db"


async def builds(
    db_path: Path,
    folder: Path,
    make: MakeSummarizer,
    clock: Clock,
    *,
    polls: int,
    every: dt.timedelta,
    max_attempts: int = 3,
) -> None:
    """`polls` builds of the day, `every` apart, by a bot process started afresh (a new
    summarizer over the database opened again), as after a restart."""
    async with await Database.open(db_path) as database:
        summarize = BuiltDaySummaries(
            make(backoff=Backoff(retries=0)),
            folder,
            deadline_seconds=30,
            attempts=SummaryAttemptStore(database),
            max_attempts=max_attempts,
            clock=clock,
        )
        for _ in range(polls):
            await summarize(DAY, day_papers())
            clock.now += every


def asked(llm: FakeOpenAI) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in llm.requests:
        counts[r.title] = counts.get(r.title, 0) + 1
    return counts


async def test_prose_answers_cost_at_most_max_attempts_requests_across_polls_and_restarts(
    db_path: Path, tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.PROSE, match="Paper 1")  # never the three sections
    clock, half_hour = Clock(), dt.timedelta(minutes=30)
    for _ in range(3):  # three bot processes, ten polls each
        await builds(db_path, tmp_path, make_summarizer, clock, polls=10, every=half_hour)
    counts = asked(llm)
    assert counts["Paper 1"] == 3  # summaries.max_attempts
    assert {counts[f"Paper {i}"] for i in (0, 2, 3)} == {30}  # the day file is not written here


async def test_max_attempts_is_the_operators(
    db_path: Path, tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.BAD_REQUEST, match="Paper 2")  # a 400: the same request fails again
    clock = Clock()
    minute = dt.timedelta(minutes=1)
    await builds(db_path, tmp_path, make_summarizer, clock, polls=8, every=minute, max_attempts=1)
    assert asked(llm)["Paper 2"] == 1


async def test_transient_failures_wait_doubling_and_never_give_up(
    db_path: Path, tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    llm.fail(Fault.SERVER_ERROR, status=503, match="Paper 3")
    clock = Clock()
    # A poll every 30 minutes for 3 days: the waits double from 15 minutes to 6 hours.
    half_hour = dt.timedelta(minutes=30)
    await builds(db_path, tmp_path, make_summarizer, clock, polls=144, every=half_hour)
    tries = [r.at for r in llm.requests if r.title == "Paper 3"]
    assert 10 <= len(tries) <= 20  # far fewer than the 144 polls, and past max_attempts
    llm.rules.clear()  # the server is back
    clock.now += TRANSIENT_LONGEST
    await builds(db_path, tmp_path, make_summarizer, clock, polls=1, every=half_hour)
    assert [r.status for r in llm.requests if r.title == "Paper 3"][-1] == 200
    async with await Database.open(db_path) as database:
        left = await SummaryAttemptStore(database).attempts(["2505.00003"])
    assert left == {}  # a success forgets the failures


async def test_a_success_after_counted_failures_starts_the_count_again(
    db_path: Path, tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer
) -> None:
    rule = llm.fail(Fault.PROSE, match="Paper 0", times=2)
    clock = Clock()
    minute = dt.timedelta(minutes=1)
    await builds(db_path, tmp_path, make_summarizer, clock, polls=3, every=minute)
    assert asked(llm)["Paper 0"] == 3 and rule.times == 0
    llm.fail(Fault.PROSE, match="Paper 0")
    await builds(db_path, tmp_path, make_summarizer, clock, polls=6, every=minute)
    assert asked(llm)["Paper 0"] == 3 + 3


async def test_a_refused_key_is_not_the_papers_fault(
    db_path: Path, tmp_path: Path, make_summarizer: MakeSummarizer
) -> None:
    async with FakeOpenAI(key="sk-right") as fake:
        clock = Clock()

        def wrong_key(**options: object) -> Summarizer:
            return make_summarizer(api_base=fake.api_base, key="sk-wrong", **options)

        await builds(db_path, tmp_path, wrong_key, clock, polls=5, every=dt.timedelta(0, 60))
        fake.key = None  # the operator fixed it
        await builds(db_path, tmp_path, wrong_key, clock, polls=1, every=dt.timedelta(0, 60))
    assert sorted(r.title for r in fake.answered) == [f"Paper {i}" for i in range(4)]


def test_transient_waits_double_up_to_the_longest() -> None:
    waits = [transient_wait(n) for n in range(1, 9)]
    assert waits[:3] == [TRANSIENT_FIRST, 2 * TRANSIENT_FIRST, 4 * TRANSIENT_FIRST]
    assert waits[-1] == TRANSIENT_LONGEST and transient_wait(10**6) == TRANSIENT_LONGEST


async def test_a_locked_store_costs_the_build_nothing_but_the_record(
    db_path: Path, tmp_path: Path, llm: FakeOpenAI, make_summarizer: MakeSummarizer,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    async with await Database.open(db_path) as database:
        summarize = BuiltDaySummaries(
            make_summarizer(), tmp_path, deadline_seconds=30,
            attempts=SummaryAttemptStore(database), clock=Clock(),
        )  # fmt: skip
        holder = sqlite3.connect(db_path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another process writing: `papers-bot load`
            with caplog.at_level(logging.WARNING):
                got = await summarize(DAY, day_papers())
        finally:
            holder.close()
    assert sorted(got) == [p.arxiv_id for p in day_papers()]
    assert "Korean summaries: attempts not recorded (database is locked)" in caplog.text
