"""Polled sources: the URL for a day changes only that day, bodies are capped (also after
inflating), and a folder file that failed to load is loaded at a later poll."""

from __future__ import annotations

import datetime as dt
import gzip
import sqlite3
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import DEFAULT_URL_TEMPLATE
from bot.digest.ingest import MAX_FILE_BYTES
from bot.digest.parse import parse
from bot.features.daily.plan import plan_post
from bot.features.daily.sources import Backoff, FolderSource, Sources, UrlSource, page_url
from bot.models import Digest, PostStyle
from bot.store import PaperStore
from bot.store.daily import DailyStore
from tests.http_site import Site, serving

DAY = dt.date(2026, 11, 30)
OLD = dt.date(2024, 6, 12)
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
MIB = 1024 * 1024
MINUTE = dt.timedelta(minutes=1)


def section(day: dt.date, count: int, first: int = 0) -> str:
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i in range(first, first + count):
        lines += [
            f"### [Paper {i} of {day}](https://arxiv.org/abs/{day:%y%m}.{i:05d})",
            f"Vote: {i}",
            "",
            f"- ***What's New***: 언어 모델 {i}",
            "",
        ]
    return "\n".join(lines)


async def titles(store: PaperStore, day: dt.date) -> list[str]:
    digest = await store.digest(day)
    return [p.title for p in digest.papers] if digest else []


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serving() as s:
        yield s


def url_source(site: Site, store: PaperStore) -> UrlSource:
    template = site.base + "/{yyyy}/{mm}/{dd}.md"
    return UrlSource(template, store, DailyStore(store.db), 10.0, Backoff(dt.timedelta(minutes=1)))


def day_path(day: dt.date) -> str:
    return f"/{day:%Y}/{day:%m}/{day:%d}.md"


# --- the URL for day D changes day D only ----------------------------------------------------


async def test_a_url_body_holding_another_day_changes_only_its_own_day(
    site: Site, store: PaperStore
) -> None:
    await store.ingest("paper_logs/2024/06/12.md", parse(section(OLD, 16)))
    body = section(DAY, 2) + "\n\n" + section(OLD, 1, first=500)
    site.body(day_path(DAY), body.encode())
    source = url_source(site, store)
    sources = Sources(None, source, 0)

    assert await sources.poll(NOW, DAY) == 2

    assert await titles(store, DAY) == [f"Paper {i} of {DAY}" for i in range(2)]
    assert await titles(store, OLD) == [f"Paper {i} of {OLD}" for i in range(16)]
    assert await store.get(f"{OLD:%y%m}.00500") is None
    (problem,) = sources.problems()
    assert "ignored sections for 2024-06-12" in problem
    assert site.base + day_path(DAY) in problem


async def test_a_url_body_of_only_other_days_loads_nothing_and_says_so(
    site: Site, store: PaperStore
) -> None:
    await store.ingest("paper_logs/2024/06/12.md", parse(section(OLD, 16)))
    site.body(day_path(DAY), section(OLD, 1, first=500).encode())
    sources = Sources(None, url_source(site, store), 0)

    assert await sources.poll(NOW, DAY) == 0

    assert await titles(store, DAY) == []
    assert len(await titles(store, OLD)) == 16
    assert ["ignored sections for 2024-06-12" in p for p in sources.problems()] == [True]


async def test_a_fixed_body_clears_the_report(site: Site, store: PaperStore) -> None:
    site.body(day_path(DAY), (section(DAY, 1) + "\n" + section(OLD, 1)).encode())
    sources = Sources(None, url_source(site, store), 0)
    await sources.poll(NOW, DAY)
    assert sources.problems()

    site.body(day_path(DAY), section(DAY, 3).encode())
    await sources.poll(NOW + dt.timedelta(minutes=30), DAY)

    assert sources.problems() == []
    assert len(await titles(store, DAY)) == 3


# --- bodies are capped while streaming, and after inflating -----------------------------------


async def fetch_measured(sources: Sources) -> tuple[int, int]:
    """Poll once; (papers loaded, peak bytes Python allocated meanwhile)."""
    tracemalloc.start()
    try:
        changed = await sources.poll(NOW, DAY)
        return changed, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_a_huge_body_is_refused_after_the_cap_without_reading_it_all(
    site: Site, store: PaperStore
) -> None:
    sent = 0
    total = 100 * MIB  # 12 times the cap
    chunk = (section(DAY, 1) + "\n" + "x" * MIB)[:MIB].encode()

    async def huge(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        resp = web.StreamResponse()  # chunked: no Content-Length to refuse it up front
        await resp.prepare(request)
        try:
            while sent < total:
                await resp.write(chunk)
                sent += len(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client hung up
        return resp

    site.route(day_path(DAY), huge)
    sources = Sources(None, url_source(site, store), 0)

    changed, peak = await fetch_measured(sources)

    assert changed == 0 and await titles(store, DAY) == []
    (problem,) = sources.problems()
    assert f"body is over the {MAX_FILE_BYTES} byte cap" in problem
    assert peak < 3 * MAX_FILE_BYTES, f"{peak / MIB:.0f} MiB allocated"
    assert sent < total // 2, f"the whole {sent / MIB:.0f} MiB was read"


def bomb(size: int, wbits: int) -> bytes:
    """`size` bytes of one letter, compressed (about 1,000 to 1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"a" * MIB
    return b"".join([*(packer.compress(block) for _ in range(size // MIB)), packer.flush()])


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_compression_bomb_is_refused_once_inflated_past_the_cap(
    site: Site, store: PaperStore, encoding: str
) -> None:
    wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
    body = bomb(128 * MIB, wbits)  # 16 times the cap
    assert len(body) < MIB / 4
    site.body(day_path(DAY), body, **{"Content-Encoding": encoding})
    sources = Sources(None, url_source(site, store), 0)

    changed, peak = await fetch_measured(sources)

    assert changed == 0
    (problem,) = sources.problems()
    assert f"{encoding} body once inflated is over the {MAX_FILE_BYTES} byte cap" in problem
    assert peak < 3 * MAX_FILE_BYTES, f"{peak / MIB:.0f} MiB allocated"


async def test_a_body_declared_over_the_cap_is_refused_before_reading(
    site: Site, store: PaperStore
) -> None:
    site.body(day_path(DAY), b"x" * (MAX_FILE_BYTES + 1))
    sources = Sources(None, url_source(site, store), 0)

    assert await sources.poll(NOW, DAY) == 0
    (problem,) = sources.problems()
    assert f"{MAX_FILE_BYTES + 1} bytes is over the {MAX_FILE_BYTES} byte cap" in problem


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_compressed_digests_load(site: Site, store: PaperStore, encoding: str) -> None:
    text = section(DAY, 4).encode()
    packed = {
        "gzip": gzip.compress(text),
        "deflate": zlib.compress(text),
        "raw-deflate": _raw(text),  # what some servers send as deflate
    }[encoding]
    site.body(day_path(DAY), packed, **{"Content-Encoding": encoding.removeprefix("raw-")})
    sources = Sources(None, url_source(site, store), 0)

    assert await sources.poll(NOW, DAY) == 4
    assert sources.problems() == []


def _raw(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


async def test_a_truncated_compressed_body_is_refused(site: Site, store: PaperStore) -> None:
    site.body(
        day_path(DAY),
        gzip.compress(section(DAY, 50).encode())[:300],
        **{"Content-Encoding": "gzip"},
    )
    sources = Sources(None, url_source(site, store), 0)

    assert await sources.poll(NOW, DAY) == 0
    assert ["gzip body ends early" in p for p in sources.problems()] == [True]


# --- a folder file is seen only once it loaded ------------------------------------------------


async def test_a_file_dropped_in_while_the_database_is_locked_loads_later(
    tmp_path: Path, store: PaperStore
) -> None:
    folder = tmp_path / "paper_logs"
    (folder / "2026" / "11").mkdir(parents=True)
    (folder / "2026" / "11" / "30.md").write_text(section(DAY, 3), encoding="utf-8")
    await store.db.writer.execute("PRAGMA busy_timeout = 50")  # fail fast under the lock
    source = FolderSource((str(folder),), store)
    sources = Sources(source, None, 0)

    other = sqlite3.connect(tmp_path / "papers.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, as a long `papers-bot load`
    try:
        assert await sources.poll(NOW, DAY) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert await titles(store, DAY) == []
    (problem,) = sources.problems()
    assert "1 new or changed files not loaded (database is locked)" in problem
    assert "next try after 2026-11-30 03:00 UTC" in problem  # 30 s later, shown to the minute

    assert await sources.poll(NOW + dt.timedelta(seconds=10), DAY) == 0  # backing off
    assert await titles(store, DAY) == []

    assert await sources.poll(NOW + dt.timedelta(seconds=30), DAY) == 3
    assert len(await titles(store, DAY)) == 3
    assert sources.problems() == []
    assert await sources.poll(NOW + dt.timedelta(minutes=1), DAY) == 0  # seen now


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(dt.timedelta(seconds=30), dt.timedelta(minutes=10))
    delays = []
    for _ in range(8):
        backoff.failed(NOW)
        assert backoff.not_before is not None
        delays.append((backoff.not_before - NOW).total_seconds())
    assert delays == [30, 60, 120, 240, 480, 600, 600, 600]
    for _ in range(1000):
        backoff.failed(NOW)  # no OverflowError however long a source stays down
    assert backoff.ready(NOW + dt.timedelta(minutes=10))


# --- the URL template: the URL polled for a day, and the link a post gives people ----------


@pytest.mark.parametrize(
    ("template", "polled", "linked"),
    [
        (
            DEFAULT_URL_TEMPLATE,
            "https://raw.githubusercontent.com/l-yohai/daily_papers_ko/main/paper_logs/2026/03/04.md",
            "https://github.com/l-yohai/daily_papers_ko/blob/main/paper_logs/2026/03/04.md",
        ),
        (
            "https://digests.example.org/{yyyy}{mm}{dd}/ko.md",
            "https://digests.example.org/20260304/ko.md",
            "https://digests.example.org/20260304/ko.md",
        ),
    ],
)
async def test_a_post_links_the_page_of_the_url_polled_for_its_day(
    template: str, polled: str, linked: str, store: PaperStore
) -> None:
    day = dt.date(2026, 3, 4)
    source = UrlSource(template, store, DailyStore(store.db), 1.0, Backoff(MINUTE))
    assert source.url(day) == polled
    (header, *_) = plan_post(
        Digest(day, ()),
        PostStyle.EMBEDS,
        papers=(),
        source_url=page_url(template, day),
        locale="en",
    )
    assert f"[Source](<{linked}>)" in (header.content or "")


def test_no_url_template_no_link() -> None:
    assert page_url(None, DAY) is None
