"""The fake Hugging Face API itself: the real JSON shapes, paging, validators, its rate-limit
window and fault switches, read with a plain aiohttp client."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import aiohttp
import pytest
from multidict import CIMultiDict

from papers_sandbox.huggingface import FakeHuggingFace, fake_item, sample_day

DAY = dt.date(2025, 5, 12)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fake() -> AsyncIterator[FakeHuggingFace]:
    server = FakeHuggingFace(clock=Clock())
    await server.start()
    yield server
    await server.stop()


async def get(
    fake: FakeHuggingFace, path: str, **headers: str
) -> tuple[int, CIMultiDict[str], object]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(fake.base + path, headers=headers) as resp,
    ):
        body = await resp.json(content_type=None) if resp.status != 304 else None
        return resp.status, CIMultiDict(resp.headers), body


async def test_a_daily_item_has_the_shape_huggingface_hub_reads(fake: FakeHuggingFace) -> None:
    fake.add_day(DAY, [fake_item("2505.00001", upvotes=3, ai_summary="s", github_stars=4)])
    status, _, body = await get(fake, "/api/daily_papers?date=2025-05-12")
    assert status == 200 and isinstance(body, list)
    (item,) = body
    assert {"paper", "publishedAt", "title", "summary", "thumbnail", "numComments"} <= set(item)
    paper = item["paper"]
    assert {"id", "authors", "publishedAt", "submittedOnDailyAt", "summary", "upvotes"} <= set(
        paper
    )
    assert paper["authors"][0]["name"] == "Ada Lovelace"
    assert (paper["ai_summary"], paper["githubStars"]) == ("s", 4)
    assert paper["publishedAt"].endswith("Z")


async def test_days_page_with_p_and_limit(fake: FakeHuggingFace) -> None:
    fake.add_day(DAY, sample_day(DAY, 7))
    pages = []
    for p in range(3):
        _, _, body = await get(fake, f"/api/daily_papers?date=2025-05-12&p={p}&limit=3")
        assert isinstance(body, list)
        pages.append([i["paper"]["id"] for i in body])
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({i for p in pages for i in p}) == 7


async def test_a_bad_date_is_400_and_an_unknown_paper_404(fake: FakeHuggingFace) -> None:
    assert (await get(fake, "/api/daily_papers?date=2025-13-40"))[0] == 400
    assert (await get(fake, "/api/papers/2505.99999"))[0] == 404
    assert (await get(fake, "/api/daily_papers?date=2025-05-10"))[2] == []


async def test_a_paper_page_is_the_paper_object(fake: FakeHuggingFace) -> None:
    fake.add_day(DAY, [fake_item("2505.00001", project_page="https://p.io")])
    status, _, body = await get(fake, "/api/papers/2505.00001")
    assert status == 200 and isinstance(body, dict)
    assert (body["id"], body["projectPage"]) == ("2505.00001", "https://p.io")


async def test_validators_give_304_until_the_day_changes(fake: FakeHuggingFace) -> None:
    fake.add_day(DAY, [fake_item("2505.00001")])
    path = "/api/daily_papers?date=2025-05-12"
    _, headers, _ = await get(fake, path)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert (await get(fake, path, **{"If-None-Match": etag}))[0] == 304
    assert (await get(fake, path, **{"If-Modified-Since": modified}))[0] == 304
    fake.update("2505.00001", upvotes=50)
    status, _, body = await get(fake, path, **{"If-None-Match": etag})
    assert status == 200 and isinstance(body, list) and body[0]["paper"]["upvotes"] == 50


async def test_the_window_counts_down_and_refuses_past_the_limit(fake: FakeHuggingFace) -> None:
    fake.limit, fake.window = 2, 300.0
    seen = [await get(fake, "/api/papers/x") for _ in range(3)]
    assert [s for s, _, _ in seen] == [404, 404, 429]
    assert seen[0][1]["RateLimit"] == '"api";r=1;t=300'
    assert seen[0][1]["RateLimit-Policy"] == '"fixed window";"api";q=2;w=300'
    assert seen[2][1]["RateLimit"].startswith('"api";r=0;')
    fake.clock.now += 300  # type: ignore[attr-defined]
    assert (await get(fake, "/api/papers/x"))[0] == 404


async def test_fault_switches(fake: FakeHuggingFace) -> None:
    fake.faults.rate_limited, fake.faults.retry_after = 1, 9
    status, headers, _ = await get(fake, "/api/papers/x")
    assert (status, headers["Retry-After"]) == (429, "9")
    fake.faults.server_errors, fake.faults.server_status = 1, 502
    assert (await get(fake, "/api/papers/x"))[0] == 502
    assert (await get(fake, "/api/papers/x"))[0] == 404  # both used up
    fake.faults.down = True
    assert [(await get(fake, "/api/papers/x"))[0] for _ in range(2)] == [502, 502]
    assert [r.status for r in fake.requests] == [429, 502, 404, 502, 502]


async def test_a_huge_body_is_streamed_whole(fake: FakeHuggingFace) -> None:
    fake.faults.huge_body = 3 * 1024 * 1024
    async with aiohttp.ClientSession() as session, session.get(fake.base + "/api/x") as resp:
        data = await resp.read()
    assert len(data) == 3 * 1024 * 1024 and data[:1] == b"["
