"""Building a day from the fake API into a folder and loading it as any digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bot.digest.parse import parse
from bot.huggingface import HfPaper
from bot.huggingface.build import DayBuilder
from bot.store import PaperStore
from papers_sandbox.huggingface import fake_item

from .support import VirtualTime, client_and_fake

DAY = dt.date(2025, 5, 12)


async def test_a_day_is_written_in_the_projects_layout_and_loaded(
    store: PaperStore, tmp_path: Path
) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001", upvotes=1), fake_item("2505.00002", upvotes=5)])
        built = await DayBuilder(hf, store, tmp_path / "built").build(DAY)
    path = tmp_path / "built" / "2025" / "05" / "12.md"
    assert (built.path, built.papers, built.written) == (path, 2, True)
    assert parse(path.read_text()).built
    digest = await store.digest(DAY)
    assert digest is not None
    assert [(p.arxiv_id, p.votes) for p in digest.papers] == [("2505.00002", 5), ("2505.00001", 1)]
    (info,) = await store.days()
    assert info.sources == (str(path.resolve()),)
    assert built.load.new_papers == 2


async def test_an_unchanged_day_is_neither_written_nor_loaded_again(
    store: PaperStore, tmp_path: Path
) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001", upvotes=1)])
        builder = DayBuilder(hf, store, tmp_path)
        await builder.build(DAY)
        mtime = (tmp_path / "2025/05/12.md").stat().st_mtime_ns
        again = await builder.build(DAY)
        assert not again.written
        assert (tmp_path / "2025/05/12.md").stat().st_mtime_ns == mtime
        fake.update("2505.00001", upvotes=40)
        changed = await builder.build(DAY)
    assert changed.written and changed.load.updated_papers == 1
    paper = await store.get("2505.00001")
    assert paper is not None and paper.votes == 40


async def test_a_day_without_papers_is_an_empty_day(store: PaperStore, tmp_path: Path) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, _):
        built = await DayBuilder(hf, store, tmp_path).build(DAY)
    assert (built.papers, built.written) == (0, True)
    assert parse(built.path.read_text()).sections[0].entries == ()
    assert await store.days() == []
    assert built.load.ok


async def test_an_empty_answer_never_wipes_a_day_that_had_papers(
    store: PaperStore, tmp_path: Path
) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001")])
        builder = DayBuilder(hf, store, tmp_path)
        await builder.build(DAY)
        fake.add_day(DAY, [])
        kept = await builder.build(DAY)
    assert kept.kept and not kept.written
    digest = await store.digest(DAY)
    assert digest is not None and len(digest.papers) == 1


async def test_korean_bullets_from_the_summarizer_go_into_the_day(
    store: PaperStore, tmp_path: Path
) -> None:
    asked: list[list[str]] = []

    async def summarize(day: dt.date, papers: Sequence[HfPaper]) -> Mapping[str, list[str]]:
        asked.append([p.arxiv_id for p in papers])
        return {"2505.00001": ["***What's New***: 한국어 요약."]}

    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001"), fake_item("2505.00002")])
        builder = DayBuilder(hf, store, tmp_path, summarize)
        await builder.build(DAY)
        await builder.build(DAY)  # the same answer: nothing to summarize again
        fake.update("2505.00002", upvotes=3)
        await builder.build(DAY)
    assert asked == [["2505.00001", "2505.00002"]] * 2
    one, two = await store.get("2505.00001"), await store.get("2505.00002")
    assert one is not None and one.summary == "- ***What's New***: 한국어 요약."
    assert two is not None and two.summary.startswith("*(English)*")


async def test_a_folder_it_cannot_write_is_an_os_error(store: PaperStore, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001")])
        with pytest.raises(OSError):
            await DayBuilder(hf, store, tmp_path / "file").build(DAY)
    assert await store.days() == []


async def test_a_day_fetched_before_it_completes_is_marked_so_and_complete_from_then_on(
    store: PaperStore, tmp_path: Path
) -> None:
    vt = VirtualTime()
    now = dt.datetime(2025, 5, 12, 0, 0, tzinfo=dt.UTC)  # 09:00 in Seoul: the post time
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001", upvotes=1)])
        builder = DayBuilder(hf, store, tmp_path, day_complete=dt.time(23, 0), clock=lambda: now)
        early = await builder.build(DAY)
        assert not early.complete and not parse((tmp_path / "2025/05/12.md").read_text()).complete
        (info,) = await store.days()
        assert info.incomplete
        again = await builder.build(DAY)  # the same answer, still early: nothing to do
        assert not again.written
        now = dt.datetime(2025, 5, 12, 23, 0, tzinfo=dt.UTC)  # the completion instant
        done = await builder.build(DAY)  # the same papers, fetched complete: written anew
    assert done.complete and done.written
    assert parse((tmp_path / "2025/05/12.md").read_text()).complete
    (info,) = await store.days()
    assert not info.incomplete and info.complete == info.sources
