"""Files that hold the same day: any load order gives the store that their union describes.

Days' entries are split at random over files (whole copies, first sections as the source
project's README holds them, any part), some files are then edited (entries dropped, added or
changed) and re-loaded, in random orders and batchings. The store must end up as a fresh load
of the final files describes it, and every load must count its papers truthfully.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.digest import ingest
from bot.store import PaperStore

DAYS = [dt.date(2024, 6, 12), dt.date(2024, 6, 13), dt.date(2024, 7, 1)]
IDS = [f"2406.{n:05d}" for n in range(1, 11)]
NAMES = ["Ada Byron", "Alan Turing", "Grace Hopper", "김하나", "Edsger Dijkstra"]
FILES = ["README.md", "paper_logs/2024/06/12.md", "paper_logs/2024/06/13.md", "notes/copy.md"]


@dataclass(frozen=True)
class Item:
    """One entry as one file publishes it."""

    arxiv_id: str
    votes: int
    authors: tuple[str, ...]
    title: str


# file name -> day -> its entries, in its order
Files = dict[str, dict[dt.date, list[Item]]]


def _markdown(days: dict[dt.date, list[Item]]) -> str:
    lines = ["# A digest file", ""]
    for day, items in days.items():
        lines += [f"## Daily Papers ({day.isoformat()})", ""]
        for it in items:
            lines += [
                f"### [{it.title}](https://arxiv.org/abs/{it.arxiv_id})",
                f"Vote: {it.votes}",
                "",
                f"Authors: {', '.join(it.authors)}",
                "",
                f"- ***What's New***: 요약 {it.title} {day.isoformat()}",
                "",
            ]
    return "\n".join(lines)


@st.composite
def _item(draw: st.DrawFn, arxiv_id: str) -> Item:
    authors = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    votes = draw(st.integers(0, 3))
    title = draw(st.sampled_from(["Scaling Laws", "확산 모델", "Agents"]))
    return Item(arxiv_id, votes, tuple(authors), f"{title} {arxiv_id}")


@st.composite
def _files(draw: st.DrawFn) -> Files:
    """Each day's entries spread over the files: every entry is in at least one file."""
    files: Files = {name: {} for name in draw(st.sets(st.sampled_from(FILES), min_size=1))}
    names = sorted(files)
    for day in draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)):
        union = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=7, unique=True))
        common = {a: draw(_item(a)) for a in union}
        parts: dict[str, list[str]] = {}
        for name in names:
            how = draw(st.sampled_from(["none", "all", "first", "some"]))
            if how == "all":
                parts[name] = list(union)
            elif how == "first":  # the README: the day's first section
                parts[name] = union[: draw(st.integers(1, len(union)))]
            elif how == "some":
                parts[name] = [a for a in union if draw(st.booleans())]
        for a in union:  # an entry no file drew goes to one of them, in the day's order
            if not any(a in part for part in parts.values()):
                parts.setdefault(draw(st.sampled_from(names)), []).append(a)
        for name, part in parts.items():
            if part:
                order = sorted(part, key=union.index)
                # now and then a file has an older copy of an entry (other votes or authors)
                files[name][day] = [
                    draw(_item(a)) if draw(st.integers(0, 4)) == 0 else common[a] for a in order
                ]
    return files


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[Files, Files, list[str], list[str], list[str]]:
    first = draw(_files())
    final = draw(_files())
    for name in first.keys() - final.keys():  # a file never re-loaded keeps its first text
        final[name] = first[name]
    first_order = draw(st.permutations(sorted(first)))
    final_order = draw(st.permutations(sorted(final)))
    together = draw(st.permutations(sorted(final)))
    return first, final, list(first_order), list(final_order), list(together)


def _resolved(folder: str) -> Path:
    return Path(folder).resolve()  # the loader names files by their resolved paths


def _write(root: Path, files: Files) -> None:
    for name, days in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_markdown(days), encoding="utf-8")


@dataclass
class Seen:
    days: list[tuple[dt.date, int, tuple[str, ...]]]
    digests: dict[dt.date, list[dict[str, object]]]
    papers: dict[str, dict[str, object] | None]
    stats: dict[str, object]
    authors: list[str]
    found: list[str]


async def _visible(store: PaperStore) -> Seen:
    """Everything a member or operator can see of the papers, days and authors."""
    days = await store.days()
    digests = {}
    for info in days:
        digest = await store.digest(info.day)
        assert digest is not None
        digests[info.day] = [p.to_json() for p in digest.papers]
    papers = {}
    for arxiv_id in IDS:
        paper = await store.get(arxiv_id)
        papers[arxiv_id] = paper.to_json() if paper else None
    page = await store.search("요약", limit=100)
    return Seen(
        days=[(d.day, d.papers, d.sources) for d in days],
        digests=digests,
        papers=papers,
        stats=(await store.stats()).to_json(),
        authors=await store.author_suggestions("", limit=100),
        found=sorted(p.arxiv_id for p in page.papers),
    )


def _paper_view(seen: Seen, arxiv_id: str) -> object:
    """One paper as members see it: its fields, and where each day lists it."""
    places = [
        (day, i, p)
        for day, papers in seen.digests.items()
        for i, p in enumerate(papers)
        if p["arxiv_id"] == arxiv_id
    ]
    return seen.papers[arxiv_id], places


async def _load(
    store: PaperStore, root: Path, names: Sequence[str], *, one_by_one: bool = False
) -> None:
    """Load the files as `papers-bot load` does; check that its counts are the truth."""
    before = await _visible(store)
    with mock.patch.object(ingest, "BATCH_FILES", 1 if one_by_one else ingest.BATCH_FILES):
        report = await ingest.load_files(store, [root / n for n in names])
    after = await _visible(store)
    had = {a for a in IDS if before.papers[a] is not None}
    has = {a for a in IDS if after.papers[a] is not None}
    changed = {a for a in had & has if _paper_view(before, a) != _paper_view(after, a)}
    assert (report.new_papers, report.updated_papers, report.removed_papers) == (
        len(has - had),
        len(changed),
        len(had - has),
    ), report.summary_line()


def _expected_days(root: Path, files: Files) -> dict[dt.date, list[Item]]:
    """Each day as its files together publish it: the file holding most of the day first
    (ties by path), then the others' extras in their order; an entry as that file has it."""
    days: dict[dt.date, list[Item]] = {}
    for day in sorted({d for parts in files.values() for d in parts}):
        holders = [n for n in files if files[n].get(day)]
        holders.sort(key=lambda n: (-len(files[n][day]), str(root / n)))
        placed: dict[str, Item] = {}
        for name in holders:
            for it in files[name][day]:
                placed.setdefault(it.arxiv_id, it)
        days[day] = list(placed.values())
    return days


def _check_against_union(seen: Seen, root: Path, files: Files) -> None:
    expected = _expected_days(root, files)
    assert [d for d, _, _ in seen.days] == sorted(expected, reverse=True)
    latest: dict[str, tuple[dt.date, Item]] = {}
    for day, items in expected.items():
        assert [(p["arxiv_id"], p["votes"]) for p in seen.digests[day]] == [
            (it.arxiv_id, it.votes) for it in items
        ]
        latest.update({it.arxiv_id: (day, it) for it in items})
    names: set[str] = set()
    for arxiv_id in IDS:
        paper = seen.papers[arxiv_id]
        if arxiv_id not in latest:
            assert paper is None
            continue
        assert paper is not None
        day, it = latest[arxiv_id]  # the current fields are the latest day's
        assert (paper["title"], paper["votes"], paper["authors"]) == (
            it.title,
            it.votes,
            list(it.authors),
        )
        names.update(it.authors)
    assert sorted(seen.authors) == sorted(names)
    assert seen.stats["authors"] == len(names)


@settings(max_examples=40, deadline=None)
@given(scenario=_scenario())
async def test_any_load_order_gives_the_store_the_files_describe(
    scenario: tuple[Files, Files, list[str], list[str], list[str]],
) -> None:
    first, final, first_order, final_order, together = scenario
    with tempfile.TemporaryDirectory() as tmp:
        root = _resolved(tmp)
        async with await PaperStore.open(":memory:", cache_entries=0) as edited:
            _write(root, first)
            for name in first_order:
                await _load(edited, root, [name])
            _write(root, final)
            for name in final_order:  # each file edited, then re-loaded
                await _load(edited, root, [name])
            history = await _visible(edited)
            await _load(edited, root, final_order[:1])  # re-loading changes nothing
            assert await _visible(edited) == history
        async with await PaperStore.open(":memory:", cache_entries=0) as fresh:
            await _load(fresh, root, together, one_by_one=True)
            assert await _visible(fresh) == history
        async with await PaperStore.open(":memory:", cache_entries=0) as at_once:
            await _load(at_once, root, sorted(final))
            at_once_seen = await _visible(at_once)
            assert at_once_seen == history
    _check_against_union(at_once_seen, root, final)
