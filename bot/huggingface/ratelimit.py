"""Pacing requests under Hugging Face's anonymous limit, and reading its 429 headers.

Anonymous access allows about 500 requests per 5 minutes per address. `RateLimiter` lets at
most `requests` start in any `per` seconds (a sliding window: a burst up to the limit, then
one more each time the oldest leaves the window), and holds every caller back while the
server has said to wait (`hold_for`). The clock and the sleep are injected so tests run on a
virtual clock.

Hugging Face sends the IETF draft headers (`RateLimit: "api";r=0;t=55`,
`RateLimit-Policy: "fixed window";"api";q=500;w=300`) and, on some answers, `Retry-After`.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import email.utils
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

ANON_REQUESTS = 500  # per ANON_WINDOW seconds, per address
ANON_WINDOW = 300.0

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_RATELIMIT = re.compile(r'"?(?P<name>[\w-]+)"?\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')
_POLICY = re.compile(r"q\s*=\s*(?P<q>\d+).*?w\s*=\s*(?P<w>\d+)")


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """What the `RateLimit` / `RateLimit-Policy` headers say."""

    remaining: int
    reset_seconds: int
    limit: int | None = None
    window_seconds: int | None = None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def ratelimit_info(headers: Mapping[str, str]) -> RateLimitInfo | None:
    """The `RateLimit` headers, or None when absent or unreadable."""
    value = _header(headers, "ratelimit")
    m = _RATELIMIT.search(value) if value else None
    if m is None:
        return None
    policy = _header(headers, "ratelimit-policy")
    p = _POLICY.search(policy) if policy else None
    return RateLimitInfo(
        int(m.group("r")),
        int(m.group("t")),
        int(p.group("q")) if p else None,
        int(p.group("w")) if p else None,
    )


def retry_after(headers: Mapping[str, str], now: dt.datetime | None = None) -> float | None:
    """Seconds `Retry-After` asks for (a number, or an HTTP date), or None."""
    value = (_header(headers, "retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer


def wait_asked(headers: Mapping[str, str]) -> float | None:
    """How long a 429 (or an exhausted window) asks to wait: `Retry-After`, else the
    `RateLimit` reset when nothing remains; None when the headers do not say."""
    after = retry_after(headers)
    if after is not None:
        return after
    info = ratelimit_info(headers)
    if info is not None and info.remaining == 0:
        return float(info.reset_seconds)
    return None


class RateLimiter:
    """At most `requests` starts in any `per` seconds, and no start while held."""

    def __init__(
        self,
        requests: int = ANON_REQUESTS,
        per: float = ANON_WINDOW,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if requests < 1 or per <= 0:
            raise ValueError("a rate limit needs at least one request per positive window")
        self.requests, self.per = requests, per
        self.clock, self.sleep = clock, sleep
        self._starts: collections.deque[float] = collections.deque()
        self._held_until = 0.0
        self._lock = asyncio.Lock()
        self.waited = 0.0  # seconds spent waiting, for figures

    def hold_for(self, seconds: float) -> None:
        """Start nothing for `seconds` from now (the server asked us to wait)."""
        self._held_until = max(self._held_until, self.clock() + seconds)

    async def acquire(self) -> None:
        """Wait until one more request may start, and count it."""
        async with self._lock:  # one waiter at a time keeps the order fair
            while True:
                now = self.clock()
                while self._starts and self._starts[0] <= now - self.per:
                    self._starts.popleft()
                ready = self._held_until
                if len(self._starts) >= self.requests:
                    ready = max(ready, self._starts[0] + self.per)
                if ready <= now:
                    self._starts.append(now)
                    return
                self.waited += ready - now
                await self.sleep(ready - now)
