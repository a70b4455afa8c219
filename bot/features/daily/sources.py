"""Digest sources the bot polls for new days: folders it re-scans and a URL template.

Each source keeps what went wrong at its last poll (`problems()`) for `/daily status`.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import aiohttp

from bot.digest.http_body import ACCEPT_ENCODING, read_body
from bot.digest.ingest import (
    LoadReport,
    UnreadableDigest,
    decode_digest,
    find_files,
    load_files,
    load_parsed,
)
from bot.digest.parse import parse
from bot.models import ParseResult
from bot.store import PaperStore
from bot.store.daily import DailyStore

log = logging.getLogger(__name__)
MAX_BACKOFF = dt.timedelta(hours=2)
FOLDER_RETRY = dt.timedelta(seconds=30)  # a locked database is usually free again soon
FOLDER_MAX_RETRY = dt.timedelta(minutes=10)


@dataclass
class Backoff:
    """Exponential backoff after failures, reset by a success."""

    base: dt.timedelta
    cap: dt.timedelta = MAX_BACKOFF
    failures: int = 0
    not_before: dt.datetime | None = None

    def ready(self, now: dt.datetime) -> bool:
        return self.not_before is None or now >= self.not_before

    def failed(self, now: dt.datetime) -> None:
        self.failures += 1
        delay = min(self.base * 2 ** min(self.failures - 1, 30), self.cap)
        self.not_before = now + delay

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, None


def digest_url(template: str, day: dt.date) -> str:
    """The URL of `day`'s digest: `template` with its {yyyy}, {mm} and {dd} filled in."""
    return template.format(yyyy=f"{day:%Y}", mm=f"{day:%m}", dd=f"{day:%d}")


def page_url(template: str | None, day: dt.date) -> str | None:
    """A link to the day's digest for people: the GitHub page rather than the raw file."""
    if not template:
        return None
    url = digest_url(template, day)
    prefix = "https://raw.githubusercontent.com/"
    if url.startswith(prefix):
        owner, repo, branch, path = url[len(prefix) :].split("/", 3)
        return f"https://github.com/{owner}/{repo}/blob/{branch}/{path}"
    return url


def when_text(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" if moment else "the next poll"


class BuiltDays(Protocol):
    """The built-day source (bot/features/daily/built.py), as the other sources see it."""

    def problems(self) -> list[str]: ...

    def start(self, days: Sequence[dt.date], now: dt.datetime) -> object: ...

    def unbuilt(
        self, days: Sequence[dt.date], now: dt.datetime, *, refresh: bool = False
    ) -> list[dt.date]: ...

    async def close(self) -> None: ...


class FolderSource:
    """Re-scans folders and loads files that are new or changed since they last loaded.

    A file counts as seen only once a load of it finished: when the load fails (the database
    locked by another process, say) it is tried again at later polls, with backoff.
    """

    def __init__(
        self, folders: tuple[str, ...], store: PaperStore, backoff: Backoff | None = None
    ) -> None:
        self.folders, self.store = folders, store
        self.backoff = backoff or Backoff(FOLDER_RETRY, FOLDER_MAX_RETRY)
        self._seen: dict[Path, tuple[int, int]] = {}
        self._problem: str | None = None

    def problems(self) -> list[str]:
        return [self._problem] if self._problem else []

    async def poll(self, now: dt.datetime) -> LoadReport:
        files, missing = find_files(self.folders)
        for problem in missing:
            log.warning("digest folder: %s", problem)
        changed: dict[Path, tuple[int, int]] = {}
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            key = (st.st_mtime_ns, st.st_size)  # taken before reading: a later change reloads
            if self._seen.get(path) != key:
                changed[path] = key
        if not changed or not self.backoff.ready(now):
            return LoadReport()
        try:
            report = await load_files(self.store, list(changed))
        except Exception as exc:
            self.backoff.failed(now)
            self._problem = (
                f"digest folder: {len(changed)} new or changed files not loaded ({exc}); "
                f"next try after {when_text(self.backoff.not_before)}"
            )
            known = isinstance(exc, sqlite3.Error | OSError)
            log.warning("%s", self._problem, exc_info=not known)
            return LoadReport()
        self._seen.update(changed)
        self.backoff.succeeded()
        self._problem = None
        for line in [*report.rejected, *report.skipped]:
            log.warning("digest folder: %s", line)
        return report


def only_day(result: ParseResult, day: dt.date) -> tuple[ParseResult, list[dt.date]]:
    """`result` narrowed to the sections for `day` (and the problems outside other days'
    sections), and the other days it held."""
    others = sorted({s.day for s in result.sections} - {day})
    if not others:
        return result, []
    starts = [s.line for s in result.sections]

    def ours(line: int) -> bool:
        at = bisect.bisect_right(starts, line) - 1
        return at < 0 or result.sections[at].day == day

    kept = tuple(s for s in result.sections if s.day == day)
    problems = tuple(p for p in result.problems if ours(p.line))
    return ParseResult(kept, problems, built=result.built, complete=result.complete), others


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


@dataclass
class UrlSource:
    """Fetches `template` for recent days with conditional requests, a timeout and backoff.

    The URL for day D only ever changes day D: sections for other days in its body are
    reported and ignored. Bodies are capped like files (`MAX_FILE_BYTES`), after inflating.
    """

    template: str
    store: PaperStore
    daily: DailyStore
    timeout: float
    backoff: Backoff
    session: Callable[[], aiohttp.ClientSession] = field(default=_session)
    _notes: dict[str, str] = field(default_factory=dict, init=False)  # per URL, last body's
    _failure: str | None = field(default=None, init=False)

    def url(self, day: dt.date) -> str:
        return digest_url(self.template, day)

    def problems(self) -> list[str]:
        return [*([self._failure] if self._failure else []), *self._notes.values()]

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
            reason = str(exc) or type(exc).__name__
            self._failure = (
                f"digest URL source failed ({reason}); next try after "
                f"{when_text(self.backoff.not_before)}"
            )
            log.warning("%s", self._failure)
            return report
        self.backoff.succeeded()
        self._failure = None
        return report

    async def _fetch(
        self, session: aiohttp.ClientSession, day: dt.date, now: dt.datetime, report: LoadReport
    ) -> None:
        url = self.url(day)
        etag, modified = await self.daily.source_state(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        headers[aiohttp.hdrs.ACCEPT_ENCODING] = ACCEPT_ENCODING
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with session.get(
            url, headers=headers, timeout=timeout, auto_decompress=False
        ) as resp:
            if resp.status in (304, 404):
                if resp.status == 404:
                    self._notes.pop(url, None)
                await self.daily.save_source_state(url, etag, modified, resp.status, now)
                return
            resp.raise_for_status()
            new_etag, new_modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
            try:
                text = decode_digest(await read_body(resp, url), url)
            except UnreadableDigest as exc:
                text, refused = None, str(exc)
        self._notes.pop(url, None)
        if text is None:
            report.skipped.append(refused)
            self._notes[url] = f"digest URL source: {refused}"
            log.warning("digest URL source: %s", refused)
        else:
            result, others = only_day(parse(text), day)
            if others:
                ignored = ", ".join(d.isoformat() for d in others)
                note = (
                    f"{url}: ignored sections for {ignored}; the URL for {day} changes only {day}"
                )
                report.skipped.append(note)
                self._notes[url] = f"digest URL source: {note}"
                log.warning("digest URL source: %s", note)
            await load_parsed(self.store, url, result, report)
        await self.daily.save_source_state(url, new_etag, new_modified, 200, now)


class Sources:
    """Every configured source; polling one that is down never blocks the others. The
    built-day source runs in its own task: the poll starts it and does not wait for it."""

    def __init__(
        self,
        folder: FolderSource | None,
        url: UrlSource | None,
        lookback: int,
        built: BuiltDays | None = None,
    ) -> None:
        self.folder, self.url, self.lookback, self.built = folder, url, lookback, built
        self._lock = asyncio.Lock()

    def problems(self) -> list[str]:
        """What the last polls could not load or ignored, for operators (`/daily status`)."""
        return [
            *(self.folder.problems() if self.folder else ()),
            *(self.url.problems() if self.url else ()),
            *(self.built.problems() if self.built else ()),
        ]

    async def poll(
        self, now: dt.datetime, today: dt.date, built_days: Sequence[dt.date] = ()
    ) -> int:
        """Check all sources (and start building `built_days`); returns how many papers were
        new or updated in the folders and URLs."""
        if self.built:
            self.built.start(built_days, now)
        async with self._lock:
            reports = []
            if self.folder:
                reports.append(await self.folder.poll(now))
            if self.url:
                days = [today - dt.timedelta(days=i) for i in range(self.lookback, -1, -1)]
                reports.append(await self.url.poll(days, now))
            return sum(r.new_papers + r.updated_papers for r in reports)

    async def close(self) -> None:
        if self.built:
            await self.built.close()
