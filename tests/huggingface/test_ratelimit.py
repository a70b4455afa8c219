"""Pacing under the anonymous limit, and the headers a 429 carries."""

from __future__ import annotations

import datetime as dt
import email.utils

import pytest

from bot.huggingface.ratelimit import RateLimiter, RateLimitInfo, ratelimit_info, wait_asked

from .support import VirtualTime


async def test_at_most_the_limit_starts_in_any_window() -> None:
    vt = VirtualTime()
    limiter = RateLimiter(3, 10.0, clock=vt.clock, sleep=vt.sleep)
    starts = []
    for _ in range(7):
        await limiter.acquire()
        starts.append(vt.now)
    assert starts == [0, 0, 0, 10, 10, 10, 20]
    assert all(sum(s - 10 < t <= s for t in starts) <= 3 for s in starts)


async def test_500_requests_go_out_at_once_and_the_501st_waits_the_window() -> None:
    vt = VirtualTime()
    limiter = RateLimiter(clock=vt.clock, sleep=vt.sleep)
    for _ in range(500):
        await limiter.acquire()
    assert vt.now == 0
    await limiter.acquire()
    assert vt.now == 300


async def test_a_hold_stops_every_start_until_it_ends() -> None:
    vt = VirtualTime()
    limiter = RateLimiter(clock=vt.clock, sleep=vt.sleep)
    await limiter.acquire()
    limiter.hold_for(42)
    limiter.hold_for(5)  # a shorter hold never shortens a longer one
    await limiter.acquire()
    assert vt.now == 42


def test_a_limit_needs_a_request_and_a_window() -> None:
    with pytest.raises(ValueError, match="at least one request"):
        RateLimiter(0, 10)


def test_ratelimit_headers_as_hugging_face_sends_them() -> None:
    headers = {
        "RateLimit": '"api";r=0;t=55',
        "ratelimit-policy": '"fixed window";"api";q=500;w=300',
    }
    assert ratelimit_info(headers) == RateLimitInfo(0, 55, 500, 300)
    assert wait_asked(headers) == 55
    assert wait_asked({"RateLimit": '"api";r=12;t=55'}) is None  # requests left: no wait
    assert ratelimit_info({"RateLimit": "nonsense"}) is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("7", 7.0), ("1.5", 1.5), ("-3", 0.0), ("soon", None), ("nan", None), ("", None)],
)
def test_retry_after_in_seconds(value: str, seconds: float | None) -> None:
    assert wait_asked({"Retry-After": value}) == seconds


def test_retry_after_as_a_date_and_over_ratelimit() -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    headers = {"Retry-After": email.utils.format_datetime(later, usegmt=True)}
    wait = wait_asked({**headers, "RateLimit": '"api";r=0;t=5'})
    assert wait is not None and 100 < wait <= 120  # Retry-After wins over RateLimit
