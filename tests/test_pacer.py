"""The bot's one Pacer: acquisitions at most `rate` a second, and no burst to make
up for a stalled event loop (Discord counts the global limit over a sliding second)."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.pacer import Pacer

_yield = asyncio.sleep  # the real one, to let other tasks run


class FakeTime:
    """time.monotonic and asyncio.sleep on a clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await _yield(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(time, "monotonic", fake.monotonic)  # as bot.pacer reads them
    monkeypatch.setattr(asyncio, "sleep", fake.sleep)
    return fake


async def test_acquisitions_are_spaced(clock: FakeTime) -> None:
    pacer = Pacer(10)
    times: list[tuple[int, float]] = []

    async def one(i: int) -> None:
        await pacer.acquire()
        times.append((i, clock.now))

    await asyncio.gather(*(one(i) for i in range(5)))
    assert sorted(i for i, _ in times) == list(range(5))
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(times)]
    assert all(gap >= 0.1 - 1e-9 for gap in gaps), gaps


async def test_a_stalled_loop_is_not_made_up_with_a_burst(clock: FakeTime) -> None:
    pacer = Pacer(10)
    await pacer.acquire()
    clock.now += 2.0  # the loop stalled for 2 s: 20 slots went by unused
    times = []
    for _ in range(5):
        await pacer.acquire()
        times.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.1 - 1e-9 for gap in gaps), gaps  # one by one, at the pace
