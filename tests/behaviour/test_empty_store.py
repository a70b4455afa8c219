"""A fresh install: no digest loaded yet. Every lookup says so instead of failing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import PaperStore

from .support import World, refusal

NO_DIGESTS = "No digests are loaded yet."


@pytest.fixture
async def paper_store(tmp_path: Path) -> AsyncIterator[PaperStore]:
    store = await PaperStore.open(tmp_path / "empty.db")
    yield store
    await store.close()


@pytest.mark.parametrize(
    ("command", "options", "answer"),
    [
        ("digest", {}, NO_DIGESTS),
        ("top", {}, NO_DIGESTS),
        ("top", {"period": "all"}, NO_DIGESTS),
        ("random", {}, NO_DIGESTS),
        ("random", {"period": "day"}, NO_DIGESTS),
        ("paper", {"query": "2505.03011"}, "No paper matches `2505.03011`."),
        ("search", {"query": "모델"}, "Nothing found for `모델`."),
        ("author", {"name": "Seo"}, "No author matches `Seo`."),
        ("digest", {"date": "2025-05-09"}, "There is no digest for 2025-05-09."),
    ],
)
async def test_lookups_on_an_empty_store(
    world: World, command: str, options: dict[str, str], answer: str
) -> None:
    result = await world.alice.slash(world.channel, command, **options)

    assert refusal(world.env, result).startswith(answer)


async def test_autocomplete_on_an_empty_store(world: World) -> None:
    for command, option in (("paper", "query"), ("author", "name"), ("digest", "date")):
        assert await world.alice.autocomplete(world.channel, command, option, "") == []
        assert await world.alice.autocomplete(world.channel, command, option, "2025") == []
    assert world.env.errors == []
