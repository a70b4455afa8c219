"""Discord-style snowflake ids whose embedded timestamps are real."""

from __future__ import annotations

import datetime as dt
import threading
import time

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeGenerator:
    """Monotonic snowflakes: ``(ms since Discord epoch) << 22 | counter``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def next(self) -> int:
        with self._lock:
            candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
            self._last = max(candidate, self._last + 1)
            return self._last


def snowflake_time(snowflake: int) -> dt.datetime:
    """The creation time embedded in ``snowflake``."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso_now() -> str:
    """The current time in the ISO-8601 form Discord uses for timestamps."""
    return dt.datetime.now(dt.UTC).isoformat()
