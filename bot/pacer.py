"""Spacing requests under Discord's global rate limit instead of running into it.

The bot has one Pacer (`PapersBot.pacer`): the daily posts and the follows' alerts share
Discord's global limit, so every request either makes goes through it."""

from __future__ import annotations

import asyncio
import time


class Pacer:
    """Lets at most `rate` acquisitions per second through, evenly spaced, across all tasks,
    in the order they asked.

    Each acquisition is at least 1/rate after the one before as it actually happened: when
    the event loop stalls (a long query, a garbage collection), the acquisitions it held up
    go on one by one at the pace, not all at once to make up for lost time, which would
    burst past Discord's global limit (requests counted over a sliding second) and bring
    429s that discord.py's retries then add to (bench/alerts.py fanout, bench/fanout.py)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            wait = self._next - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next = time.monotonic() + self._interval
