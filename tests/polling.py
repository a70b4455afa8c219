"""Waiting for something to happen: poll a condition instead of sleeping a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

POLL_EVERY = 0.01  # seconds between looks


async def wait_for(check: Callable[[], bool], within: float) -> bool:
    """Poll `check` until it holds or `within` seconds pass; whether it held."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL_EVERY)
    return True


async def eventually(
    check: Callable[[], bool], within: float = 2.0, what: str = "condition not met in time"
) -> None:
    """Poll `check` until it holds; fail with `what` after `within` seconds (a bound on how
    long the test may wait, not a measurement)."""
    assert await wait_for(check, within), what


def eventually_blocking(
    check: Callable[[], bool], within: float, what: str = "condition not met in time"
) -> None:
    """`eventually` for a test without an event loop (it blocks the thread while it polls)."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(POLL_EVERY)
