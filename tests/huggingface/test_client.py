"""The client against the fake API: paging, conditional requests, 429s, 5xx, slow and huge
answers, and what an operator reads when it gives up."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from bot.huggingface import (
    HfBadResponse,
    HfClient,
    HfRateLimited,
    HfUnavailable,
    RateLimiter,
)
from papers_sandbox.huggingface import fake_item, sample_day
from tests.http_site import serving

from .support import VirtualTime, client_and_fake

DAY = dt.date(2025, 5, 12)
DAILY = "/api/daily_papers"


async def test_a_day_is_read_with_every_field() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001", upvotes=7, ai_summary="In short.")])
        (paper,) = await hf.daily_papers(DAY)
    assert (paper.arxiv_id, paper.upvotes, paper.ai_summary) == ("2505.00001", 7, "In short.")
    assert fake.requests[0].query == {"date": "2025-05-12", "p": "0", "limit": "100"}


async def test_pages_are_read_until_a_short_one() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 120))
        papers = await hf.daily_papers(DAY, page_size=50)
    assert len({p.arxiv_id for p in papers}) == 120
    assert [r.query["p"] for r in fake.requests] == ["0", "1", "2"]


async def test_a_server_ignoring_pages_is_read_once() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 50))
        fake.faults.ignore_paging = True
        papers = await hf.daily_papers(DAY, page_size=50)
    assert len(papers) == 50
    assert fake.count(DAILY) == 2  # the second page repeated the first: stop there


async def test_a_day_without_papers_is_an_empty_list() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, _):
        assert await hf.daily_papers(dt.date(2025, 5, 10)) == []


async def test_a_paper_page_and_a_missing_paper() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, [fake_item("2505.00001", github_repo="https://github.com/a/b")])
        paper = await hf.paper("2505.00001")
        assert paper is not None and paper.github_repo == "https://github.com/a/b"
        assert await hf.paper("2505.99999") is None


async def test_an_unchanged_day_is_asked_conditionally_and_reused() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 3))
        first = await hf.daily_papers(DAY)
        again = await hf.daily_papers(DAY)
        assert again == first
        assert [r.status for r in fake.requests] == [200, 304]
        assert fake.requests[1].headers["If-None-Match"].startswith('W/"')
        fake.update(first[0].arxiv_id, upvotes=999)
        changed = await hf.daily_papers(DAY)
    assert fake.requests[-1].status == 200
    assert {p.upvotes for p in changed if p.arxiv_id == first[0].arxiv_id} == {999}
    assert hf.stats.not_modified == 1


async def test_a_429_waits_as_retry_after_says_then_succeeds() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 2))
        fake.faults.rate_limited, fake.faults.retry_after = 2, 7
        papers = await hf.daily_papers(DAY)
    assert len(papers) == 2
    assert [r.status for r in fake.requests] == [429, 429, 200]
    assert vt.slept == [7, 7]
    assert hf.stats.rate_limited == 2


async def test_a_429_with_only_ratelimit_headers_waits_for_the_window_reset() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.limit, fake.window = 500, 45.0
        fake.faults.rate_limited, fake.faults.retry_after = 1, None
        fake.add_day(DAY, sample_day(DAY, 1))
        assert len(await hf.daily_papers(DAY)) == 1
    assert [r.status for r in fake.requests] == [429, 200]
    assert vt.slept == [45]  # RateLimit: "api";r=0;t=45 -> wait for the window to reset


async def test_an_answer_saying_the_window_is_used_up_paces_the_next_request() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.limit, fake.window = 2, 60.0
        fake.add_day(DAY, sample_day(DAY, 1))
        for _ in range(3):
            await hf.daily_papers(DAY)
    assert [r.status for r in fake.requests] == [200, 304, 304]  # never refused
    assert vt.slept == [60]  # the second answer said r=0;t=60


async def test_a_429_asking_for_too_long_a_wait_gives_up_at_once() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt, max_wait=30) as (hf, fake):
        fake.faults.rate_limited, fake.faults.retry_after = 1, 3600
        with pytest.raises(HfRateLimited, match=r"asked to wait 3600 s \(over 30 s\)") as err:
            await hf.daily_papers(DAY)
    assert err.value.wait == 3600
    assert fake.count(DAILY) == 1 and vt.slept == []


async def test_5xx_is_retried_with_a_doubling_backoff() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 1))
        fake.faults.server_errors = 2
        assert len(await hf.daily_papers(DAY)) == 1
    assert [r.status for r in fake.requests] == [503, 503, 200]
    assert vt.slept == [1.0, 2.0]


async def test_a_5xx_with_retry_after_waits_as_it_says() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.add_day(DAY, sample_day(DAY, 1))
        fake.faults.server_errors, fake.faults.server_retry_after = 2, 12
        assert len(await hf.daily_papers(DAY)) == 1
    assert [r.status for r in fake.requests] == [503, 503, 200]
    assert vt.slept == [12, 12]


async def test_an_api_that_stays_down_is_given_up_after_the_retries() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt, retries=3) as (hf, fake):
        fake.faults.down, fake.faults.server_status = True, 502
        with pytest.raises(HfUnavailable, match=r"daily_papers\?date=2025-05-12.*HTTP 502"):
            await hf.daily_papers(DAY)
    assert fake.count(DAILY) == 4  # one try and three retries, no more


async def test_a_slow_api_times_out_with_a_clear_message() -> None:
    vt = VirtualTime()
    async with client_and_fake(vt, timeout=0.05, retries=1) as (hf, fake):
        fake.faults.delay = 2.0
        with pytest.raises(HfUnavailable, match=r"no answer within 0.05 s \(after 2 tries\)"):
            await hf.daily_papers(DAY)


@pytest.mark.parametrize("gzipped", [False, True])
async def test_a_huge_answer_is_refused_at_the_cap(gzipped: bool) -> None:
    vt = VirtualTime()
    async with client_and_fake(vt) as (hf, fake):
        fake.faults.huge_body, fake.faults.huge_gzip = 9 * 1024 * 1024, gzipped
        with pytest.raises(HfBadResponse, match="over the 8388608 byte cap"):
            await hf.daily_papers(DAY)
    assert fake.count(DAILY) == 1  # refused, not retried


async def test_unreachable_api_is_unavailable() -> None:
    vt = VirtualTime()
    async with serving() as site:
        base = site.base
    limiter = RateLimiter(clock=vt.clock, sleep=vt.sleep)
    async with HfClient(base, limiter=limiter, retries=1) as hf:
        with pytest.raises(HfUnavailable, match="after 2 tries"):
            await hf.paper("2505.00001")


@pytest.mark.parametrize(
    ("body", "headers", "error"),
    [
        (b"<html>oops</html>", {}, "not JSON"),
        (b'{"error": "x"}', {}, "expected a JSON list, got dict"),
        (gzip.compress(b"[]")[:-4], {"Content-Encoding": "gzip"}, "gzip body ends early"),
    ],
)
async def test_an_answer_of_the_wrong_shape_is_a_bad_response(
    body: bytes, headers: dict[str, str], error: str
) -> None:
    vt = VirtualTime()
    async with serving() as site:
        site.body(DAILY, body, **headers)
        limiter = RateLimiter(clock=vt.clock, sleep=vt.sleep)
        async with HfClient(site.base, limiter=limiter) as hf:
            with pytest.raises(HfBadResponse, match=error):
                await hf.daily_papers(DAY)


async def test_items_it_cannot_read_are_left_out_and_the_rest_kept() -> None:
    vt = VirtualTime()
    good = fake_item("2505.00002")
    async with serving() as site:
        site.body(DAILY, f'[{{"paper": {{"id": 7}}}}, "x", {json.dumps(good)}]'.encode())
        limiter = RateLimiter(clock=vt.clock, sleep=vt.sleep)
        async with HfClient(site.base, limiter=limiter) as hf:
            papers = await hf.daily_papers(DAY)
    assert [p.arxiv_id for p in papers] == ["2505.00002"]
