"""Relevance as members search: two words of a title put that paper first."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.models import Entry, ParseResult, Section
from bot.store import PaperStore

MESH = "MeshAnything: Artist-Created Mesh Generation with Autoregressive Transformers"
TITLES = [
    MESH,
    # the stems only ("transformer", "autoregress"), in short titles that bm25 favours
    "Autoregressive Transformer",
    "Transformer Autoregression",
    "Autoregressive Image Transformer",
    "An Autoregressive Video Transformer",
    "Autoregressively Trained Transformer",
    "Transformer Models Autoregressive",
    # both words as typed, far apart in a long title
    "Transformers Learn to Plan Routes over Long Horizons with Many Tools and Finally Decode "
    "Autoregressive",
    # the words only in the summary, many times
    "Mesh Generation from Sketches",
]


def _entry(n: int, title: str) -> Entry:
    summary = "- 모델을 제안합니다."
    if title.startswith("Mesh Generation"):
        summary = "- autoregressive transformers, autoregressive transformers, transformers."
    return Entry(
        arxiv_id=f"2406.{n:05d}",
        title=title,
        url=f"https://arxiv.org/abs/2406.{n:05d}",
        line=3 + n,
        votes=10,
        summary=summary,
        authors=("Ada Lovelace",),
        thumbnail=None,
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[PaperStore]:
    s = await PaperStore.open(tmp_path / "papers.db", cache_entries=0)
    entries = tuple(_entry(n, t) for n, t in enumerate(TITLES, start=1))
    await s.ingest("day.md", ParseResult((Section(dt.date(2024, 6, 17), 1, entries),)))
    yield s
    await s.close()


async def test_two_title_words_as_typed_put_that_paper_first(store: PaperStore) -> None:
    page = await store.search("transformers autoregressive", limit=10)
    titles = [p.title for p in page.papers]

    assert titles[0] == MESH  # both words as typed, near each other, in the title
    assert titles.index(TITLES[7]) < titles.index(TITLES[1])  # as typed, though far apart
    assert titles[-1] == "Mesh Generation from Sketches"  # in the summary only
    assert page.total == len(TITLES)


async def test_one_title_word_as_typed_comes_before_its_stem(store: PaperStore) -> None:
    page = await store.search("transformers", limit=10)
    titles = [p.title for p in page.papers]

    assert set(titles[:2]) == {MESH, TITLES[7]}
    assert titles[-1] == "Mesh Generation from Sketches"


async def test_title_words_in_the_order_typed_come_before_the_same_words_reversed(
    tmp_path: Path,
) -> None:
    """Two titles hold both words, as typed and near each other; a member typing them in
    the order they read them means the title with that order."""
    ordered, reversed_ = "Diffusion for Video Generation", "Video Generation with Diffusion"
    async with await PaperStore.open(tmp_path / "p.db", cache_entries=0) as s:
        entries = (_entry(1, ordered), _entry(2, reversed_))  # the newest is added last
        await s.ingest("day.md", ParseResult((Section(dt.date(2024, 6, 17), 1, entries),)))
        by_typed = [p.title for p in (await s.search("diffusion video")).papers]
        other_way = [p.title for p in (await s.search("video diffusion")).papers]

    assert by_typed == [ordered, reversed_]
    assert other_way == [reversed_, ordered]


async def test_of_titles_with_the_words_near_and_in_order_the_shorter_comes_first(
    tmp_path: Path,
) -> None:
    """Three titles hold `gaussian splatting` as typed, side by side; the long ones repeat
    a word, which bm25 rewards. Two words are a third of the short title, and a member who
    remembers two words of a six-word title types these: it comes first."""
    short = "Optimized Minimal 3D Gaussian Splatting"
    longer = [
        "X-Gaussian: 4D Radiative Gaussian Splatting for Continuous-time Tomographic "
        "Reconstruction",
        "GPS-Gaussian: Generalizable Pixel-wise 3D Gaussian Splatting for Real-time Human "
        "Novel View Synthesis",
    ]
    async with await PaperStore.open(tmp_path / "p.db", cache_entries=0) as s:
        titles = [short, *longer, *TITLES]  # the others: so that the words are not in all
        entries = tuple(_entry(n, t) for n, t in enumerate(titles, start=1))
        await s.ingest("day.md", ParseResult((Section(dt.date(2024, 6, 17), 1, entries),)))
        page = await s.search("gaussian splatting")

    assert [p.title for p in page.papers] == [short, *longer]


async def test_shorter_title_does_not_outrank_words_as_typed_or_near(store: PaperStore) -> None:
    """Title length only breaks ties: the short titles with the stems only stay behind the
    long ones with the words as typed."""
    page = await store.search("transformers autoregressive", limit=10)
    titles = [p.title for p in page.papers]

    assert titles[:2] == [MESH, TITLES[7]]
