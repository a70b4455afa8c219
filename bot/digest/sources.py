"""Digest sources the bot polls for new days: folders it re-scans and a URL template."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bot.digest.ingest import (
    LoadReport,
    UnreadableDigest,
    decode_digest,
    find_files,
    load_files,
    load_text,
)
from bot.store import PaperStore
from bot.store.daily import DailyStore

log = logging.getLogger(__name__)
MAX_BACKOFF = dt.timedelta(hours=2)


@dataclass
class Backoff:
    """Exponential backoff after failures, reset by a success."""

    base: dt.timedelta
    failures: int = 0
    not_before: dt.datetime | None = None

    def ready(self, now: dt.datetime) -> bool:
        return self.not_before is None or now >= self.not_before

    def failed(self, now: dt.datetime) -> None:
        self.failures += 1
        delay = min(self.base * 2 ** (self.failures - 1), MAX_BACKOFF)
        self.not_before = now + delay

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, None


class FolderSource:
    """Re-scans folders and loads files that are new or changed since the last scan."""

    def __init__(self, folders: tuple[str, ...], store: PaperStore) -> None:
        self.folders, self.store = folders, store
        self._seen: dict[Path, tuple[int, int]] = {}

    async def poll(self) -> LoadReport:
        files, missing = find_files(self.folders)
        for problem in missing:
            log.warning("digest folder: %s", problem)
        changed = []
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            key = (st.st_mtime_ns, st.st_size)
            if self._seen.get(path) != key:
                changed.append(path)
                self._seen[path] = key
        report = await load_files(self.store, changed)
        for line in [*report.rejected, *report.skipped]:
            log.warning("digest folder: %s", line)
        return report


@dataclass
class UrlSource:
    """Fetches `template` for recent days with conditional requests, a timeout and backoff."""

    template: str
    store: PaperStore
    daily: DailyStore
    timeout: float
    backoff: Backoff
    session: Callable[[], aiohttp.ClientSession] = field(default=aiohttp.ClientSession)

    def url(self, day: dt.date) -> str:
        return self.template.format(yyyy=f"{day:%Y}", mm=f"{day:%m}", dd=f"{day:%d}")

    async def poll(self, days: list[dt.date], now: dt.datetime) -> LoadReport:
        report = LoadReport()
        if not self.backoff.ready(now):
            return report
        try:
            async with self.session() as session:
                for day in days:
                    await self._fetch(session, day, now, report)
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.backoff.failed(now)
            log.warning(
                "digest URL source failed (%s); next try after %s", exc, self.backoff.not_before
            )
            return report
        self.backoff.succeeded()
        return report

    async def _fetch(
        self, session: aiohttp.ClientSession, day: dt.date, now: dt.datetime, report: LoadReport
    ) -> None:
        url = self.url(day)
        etag, modified = await self.daily.source_state(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with session.get(url, headers=headers, timeout=timeout) as resp:
            if resp.status in (304, 404):
                await self.daily.save_source_state(url, etag, modified, resp.status, now)
                return
            resp.raise_for_status()
            data = await resp.read()
            new_etag, new_modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        try:
            await load_text(self.store, url, decode_digest(data, url), report)
        except UnreadableDigest as exc:
            report.skipped.append(str(exc))
            log.warning("digest URL source: %s", exc)
        await self.daily.save_source_state(url, new_etag, new_modified, 200, now)


class Sources:
    """Every configured source; polling one that is down never blocks the others."""

    def __init__(self, folder: FolderSource | None, url: UrlSource | None, lookback: int) -> None:
        self.folder, self.url, self.lookback = folder, url, lookback
        self._lock = asyncio.Lock()

    async def poll(self, now: dt.datetime, today: dt.date) -> int:
        """Check all sources; returns how many papers were new or updated."""
        async with self._lock:
            reports = []
            if self.folder:
                reports.append(await self.folder.poll())
            if self.url:
                days = [today - dt.timedelta(days=i) for i in range(self.lookback, -1, -1)]
                reports.append(await self.url.poll(days, now))
            return sum(r.new_papers + r.updated_papers for r in reports)
