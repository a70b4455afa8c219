"""A virtual clock for the rate limiter and the client's waits, and a fake API per test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.huggingface import HfClient, RateLimiter
from papers_sandbox.huggingface import FakeHuggingFace


class VirtualTime:
    """`clock()` and `sleep()` that only move when something sleeps: waits cost nothing."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@asynccontextmanager
async def client_and_fake(
    vt: VirtualTime, *, requests: int = 500, per: float = 300.0, **client: object
) -> AsyncIterator[tuple[HfClient, FakeHuggingFace]]:
    fake = FakeHuggingFace(clock=vt.clock)
    base = await fake.start()
    limiter = RateLimiter(requests, per, clock=vt.clock, sleep=vt.sleep)
    hf = HfClient(base, limiter=limiter, **client)  # type: ignore[arg-type]
    try:
        yield hf, fake
    finally:
        await hf.close()
        await fake.stop()
