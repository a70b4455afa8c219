"""Spacing requests under Discord's global rate limit instead of running into it.

The bot has one Pacer (`PapersBot.pacer`): the daily posts and the follows' alerts share
Discord's global limit, so every request either makes goes through it."""

from __future__ import annotations

import asyncio
import time


class Pacer:
    """Lets at most `rate` acquisitions per second through, evenly spaced, across all tasks."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = time.monotonic()
            wait = self._next - now
            self._next = max(now, self._next) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)
