"""Spacing requests under Discord's global rate limit instead of running into it.

The bot has one Pacer (`PapersBot.pacer`): the daily posts and the follows' alerts share
Discord's global limit, so every request either makes goes through it."""

from __future__ import annotations

import asyncio
import time

# A slot goes through when the one before went at least this part of 1/rate ago: a timer that
# fires a little late is no burst, many slots a stall made due at once are.
_JITTER = 0.5


class Pacer:
    """Lets at most `rate` acquisitions per second through, evenly spaced, across all tasks.

    Acquisitions follow each other as they actually happen, not only as planned: when
    the event loop stalls (a long query, a garbage collection), the acquisitions it held up
    go on one by one at the pace, not all at once to make up for lost time, which would
    burst past Discord's global limit (requests counted over a sliding second) and bring
    429s that discord.py's retries then add to (bench/alerts.py fanout, bench/fanout.py)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0  # the first slot nobody holds
        self._last = -float("inf")  # when the last acquisition went through

    def _reserve(self) -> float:
        slot = max(time.monotonic(), self._next)
        self._next = slot + self._interval
        return slot

    async def acquire(self) -> None:
        # Waiting is sleeping on a timer (no lock held across it). A slot that a stall made
        # late goes through only if the one before went long enough ago (`_JITTER`);
        # otherwise it takes the next free slot.
        slot = self._reserve()
        while True:
            wait = slot - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            now = time.monotonic()
            if now - self._last >= self._interval * _JITTER:
                self._last = now
                return
            slot = self._reserve()
