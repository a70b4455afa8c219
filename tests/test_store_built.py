"""Days built from Hugging Face beside the Korean digests: the Korean digest leads its day
whichever was loaded first, the built day's other papers stay (migration 011)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import write_day
from bot.store import PaperStore

DAY = dt.date(2025, 5, 12)
KOREAN = "paper_logs/2025/05/12.md"
BUILT = "built/2025/05/12.md"


def korean_digest() -> str:
    return (
        f"## Daily Papers ({DAY})\n\n"
        "### [Second](https://arxiv.org/abs/2505.00002)\n\nVote: 20\n\nAuthors: B\n\n"
        "- ***What's New***: 두 번째 논문입니다.\n\n"
        "### [First](https://arxiv.org/abs/2505.00001)\n\nVote: 10\n\nAuthors: A\n\n"
        "- ***What's New***: 첫 번째 논문입니다.\n"
    )


def built_digest() -> str:
    papers = [
        HfPaper("2505.00001", "First", "One. Two.", ("A",), 11),
        HfPaper("2505.00002", "Second", "Three.", ("B",), 21),
        HfPaper("2505.00003", "Third only on Hugging Face", "Four.", ("C",), 30),
    ]
    return write_day(DAY, papers)


@pytest.mark.parametrize("korean_first", [True, False])
async def test_the_korean_digest_leads_whichever_loads_first(
    store: PaperStore, korean_first: bool
) -> None:
    loads = [(KOREAN, parse(korean_digest())), (BUILT, parse(built_digest()))]
    for source, result in loads if korean_first else loads[::-1]:
        await store.ingest(source, result)
    digest = await store.digest(DAY)
    assert digest is not None
    assert [(p.arxiv_id, p.votes) for p in digest.papers] == [
        ("2505.00002", 20),  # the Korean digest's order, votes and summaries
        ("2505.00001", 10),
        ("2505.00003", 30),  # only the built day has it: it stays, after them
    ]
    summaries = [p.summary for p in digest.papers]
    assert "두 번째" in summaries[0] and "첫 번째" in summaries[1]
    assert summaries[2].startswith("*(English)*")
    (info,) = await store.days()
    assert info.sources == (KOREAN, BUILT)


async def test_a_built_day_alone_is_a_day_like_any_other(store: PaperStore) -> None:
    await store.ingest(BUILT, parse(built_digest()))
    digest = await store.digest(DAY)
    assert digest is not None
    assert [p.arxiv_id for p in digest.papers] == ["2505.00003", "2505.00002", "2505.00001"]
    paper = await store.get("2505.00001")
    assert paper is not None and "- ***Abstract***:\n- One.\n- Two." in paper.summary


async def test_a_file_that_stops_being_built_ranks_anew(store: PaperStore) -> None:
    await store.ingest(KOREAN, parse(korean_digest()))
    await store.ingest(BUILT, parse(built_digest()))
    text = built_digest().split("\n", 1)[1]  # the same day without the built mark
    await store.ingest(BUILT, parse(text))  # now a published digest holding more: it leads
    digest = await store.digest(DAY)
    assert digest is not None
    assert digest.papers[0].arxiv_id == "2505.00003"


async def test_a_store_from_before_011_upgrades_with_its_files_published(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with await PaperStore.open(path) as store:
        await store.ingest(KOREAN, parse(korean_digest()))
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE digest_files DROP COLUMN built")
        conn.execute("PRAGMA user_version = 10")
    conn.close()
    async with await PaperStore.open(path) as store:
        await store.ingest(BUILT, parse(built_digest()))
        digest = await store.digest(DAY)
        assert digest is not None
        assert [p.arxiv_id for p in digest.papers] == ["2505.00002", "2505.00001", "2505.00003"]
    with sqlite3.connect(path) as conn:
        rows = dict(conn.execute("SELECT source, built FROM digest_files").fetchall())
    conn.close()
    assert rows == {KOREAN: 0, BUILT: 1}


async def test_days_say_which_of_their_files_were_built(store: PaperStore) -> None:
    await store.ingest(BUILT, parse(built_digest()))
    (alone,) = await store.days()
    assert (alone.sources, alone.built, alone.only_built) == ((BUILT,), (BUILT,), True)
    await store.ingest(KOREAN, parse(korean_digest()))
    (both,) = await store.days()
    assert (both.sources, both.built, both.only_built) == ((KOREAN, BUILT), (BUILT,), False)


@pytest.mark.parametrize("complete", [False, True])
async def test_the_store_keeps_whether_a_built_day_was_complete(
    store: PaperStore, complete: bool
) -> None:
    await store.ingest(
        BUILT, parse(write_day(DAY, [HfPaper("2505.00001", "F", "A.")], complete=complete))
    )
    (info,) = await store.days()
    assert info.only_built and info.incomplete is not complete
    assert info.complete == ((BUILT,) if complete else ())
    await store.ingest(KOREAN, parse(korean_digest()))  # a Korean digest: never incomplete
    (info,) = await store.days()
    assert not info.only_built and not info.incomplete
