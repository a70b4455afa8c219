"""Remembered lookups: the same answer again without a query, and never a stale one."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from pathlib import Path

from bot.models import Sort
from bot.store import PaperStore
from bot.store.cache import CHECK_EVERY, LookupCache
from bot.store.saved import SavedStore
from tests.test_store import day, entry

D = dt.date(2024, 6, 12)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _value(v: object) -> object:
    return v


def _watched_by(store: PaperStore, clock: Clock, *, check_every: float = CHECK_EVERY) -> None:
    """Give `store` a cache on a fake clock (closing the one it opened with)."""
    store.cache.close()
    # closed with the store
    store.db.cache = LookupCache(store.db.data_version, clock=clock, check_every=check_every)


async def test_the_least_recently_used_answer_is_forgotten_first() -> None:
    cache = LookupCache(None, entries=2)
    calls: list[str] = []

    async def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    for key in ["a", "b", "a", "c", "a", "b"]:
        assert await cache.get(key, functools.partial(compute, key)) == key.upper()

    assert calls == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert (cache.hits, cache.misses) == (2, 4)


async def test_no_entries_means_every_lookup_is_computed() -> None:
    cache = LookupCache(None, entries=0)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert [await cache.get("k", compute) for _ in range(3)] == [1, 2, 3]


async def test_an_answer_computed_across_a_change_is_not_kept() -> None:
    cache = LookupCache(None)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> str:
        started.set()
        await release.wait()
        return "before the load"

    pending = asyncio.create_task(cache.get("k", slow))
    await started.wait()
    cache.changed()  # a load finished while the lookup ran
    release.set()
    assert await pending == "before the load"
    assert await cache.get("k", lambda: _value("after")) == "after"


async def test_a_repeated_lookup_is_answered_from_memory(tmp_path: Path) -> None:
    async with await PaperStore.open(tmp_path / "p.db") as store:
        await store.ingest("a.md", day(D, entry("2406.00001", "Scaling Diffusion")))
        first = await store.search("diffusion")
        again = await store.search("diffusion")
        other = await store.search("diffusion", sort=Sort.VOTES)

        assert again is first
        assert other is not first and other.papers == first.papers
        assert store.cache.hits == 1


async def test_loading_in_this_process_shows_at_once(tmp_path: Path) -> None:
    async with await PaperStore.open(tmp_path / "p.db") as store:
        await store.ingest("a.md", day(D, entry("2406.00001", "Scaling Diffusion")))
        assert (await store.search("diffusion")).total == 1
        assert [d.papers for d in await store.days()] == [1]

        await store.ingest(
            "b.md", day(D + dt.timedelta(days=1), entry("2406.00002", "Diffusion Again"))
        )

        assert (await store.search("diffusion")).total == 2
        assert [d.papers for d in await store.days()] == [1, 1]


async def test_loading_in_another_process_shows_within_the_check_interval(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    async with await PaperStore.open(path) as bot, await PaperStore.open(path) as loader:
        clock = Clock()
        _watched_by(bot, clock, check_every=1.0)
        await loader.ingest("a.md", day(D, entry("2406.00001", "Scaling Diffusion")))
        assert (await bot.search("diffusion")).total == 1

        await loader.ingest(
            "b.md", day(D + dt.timedelta(days=1), entry("2406.00002", "Diffusion Again"))
        )
        assert (await bot.search("diffusion")).total == 1  # remembered: not looked yet
        clock.now += 1.0

        assert (await bot.search("diffusion")).total == 2
        assert (await bot.top()).total == 2


async def test_another_process_writing_anything_clears_and_own_member_writes_do_not(
    tmp_path: Path,
) -> None:
    """data_version on the writer moves for any commit by another connection (the cache errs
    on forgetting then); this process's own writes that change lookups say so (`changed`),
    so its writes of members' data (a Save press) leave the answers in place."""
    path = tmp_path / "p.db"
    async with await PaperStore.open(path) as store, await PaperStore.open(path) as other:
        clock = Clock()
        _watched_by(store, clock)
        await store.ingest("a.md", day(D, entry("2406.00001", "Scaling Diffusion")))
        await store.search("diffusion")  # a miss
        clock.now += 5
        await store.search("diffusion")  # nothing since: a hit
        assert (store.cache.hits, store.cache.misses) == (1, 1)

        saved = SavedStore(store.db)
        for minute in range(3):
            await saved.save(42, "2406.00001", dt.datetime(2026, 1, 1, 0, minute, tzinfo=dt.UTC))
            clock.now += 5
            await store.search("diffusion")
        assert (store.cache.hits, store.cache.misses) == (4, 1)

        await other.db.writer.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
        clock.now += 5
        await store.search("diffusion")
        assert (store.cache.hits, store.cache.misses) == (4, 2)
