"""An async client for Hugging Face's public paper API: daily papers and paper pages.

Every request waits its turn in the `RateLimiter`, asks with the validators of the last
answer for that URL (`If-None-Match`, `If-Modified-Since`: a 304 reuses it), reads the body
capped like a digest file (8 MiB, after inflating), and is retried a bounded number of times:
on 429 after the wait the headers ask for (`Retry-After`, `RateLimit`), on 5xx, timeouts and
dropped connections after a doubling backoff. What still fails raises an `HfError` whose
message says what was asked and what went wrong.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.digest.http_body import ACCEPT_ENCODING, read_body
from bot.digest.ingest import MAX_FILE_BYTES, UnreadableDigest
from bot.huggingface.models import HfPaper, daily_item, paper_info
from bot.huggingface.ratelimit import RateLimiter, wait_asked

log = logging.getLogger(__name__)
DEFAULT_API_BASE = "https://huggingface.co"
API_BASE_ENV = "PAPERS_BOT_HF_API"  # overrides config sources.huggingface.api_base
PAGE_SIZE = 100  # papers asked for per page of a day (a busy day has ~50)
MAX_PAGES = 20  # a day is never more than this many pages, whatever the server says
RETRIES = 4  # retries of one request after a 429, a 5xx or a network failure
BACKOFF = 1.0  # seconds before the first retry without a server-given wait; doubles
MAX_BACKOFF = 60.0
MAX_WAIT = 330.0  # the longest wait a 429 may ask for (a full 5-minute window and change)
USER_AGENT = "papers-bot"
CACHE_ENTRIES = 512  # answers kept for conditional requests (a day or paper each)


class HfError(Exception):
    """A request to the Hugging Face API that did not give an answer we can use."""


class HfUnavailable(HfError):
    """The API could not be reached, timed out or kept answering with a server error."""


class HfRateLimited(HfError):
    """The API kept refusing with 429, or asked to wait longer than we will."""

    def __init__(self, message: str, wait: float | None) -> None:
        super().__init__(message)
        self.wait = wait


class HfBadResponse(HfError):
    """An answer that is not what the API documents: wrong status, not JSON, too large."""


@dataclass
class Stats:
    """What the client did, for `/daily status`, logs and figures."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    rate_limited: int = 0


@dataclass
class _Cached:
    etag: str | None
    modified: str | None
    body: Any


@dataclass
class HfClient:
    """Hugging Face's paper API at `api_base`; use as `async with HfClient(...) as hf:`.

    One client is meant to live as long as the bot (its limiter and validators are shared by
    every request); `session` makes the aiohttp session it uses, opened on first use."""

    api_base: str = DEFAULT_API_BASE
    limiter: RateLimiter = field(default_factory=RateLimiter)
    timeout: float = 20.0
    retries: int = RETRIES
    backoff: float = BACKOFF
    max_wait: float = MAX_WAIT
    cap: int = MAX_FILE_BYTES
    session: Callable[[], aiohttp.ClientSession] = aiohttp.ClientSession
    stats: Stats = field(default_factory=Stats)
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    _cache: collections.OrderedDict[str, _Cached] = field(
        default_factory=collections.OrderedDict, init=False, repr=False
    )

    async def __aenter__(self) -> HfClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def daily_papers(self, day: dt.date, *, page_size: int = PAGE_SIZE) -> list[HfPaper]:
        """The papers Hugging Face lists for `day`, in the API's order (an empty list for a
        day without papers). Pages are read until one comes back short."""
        papers: dict[str, HfPaper] = {}
        for page in range(MAX_PAGES):
            url = (
                f"{self.api_base.rstrip('/')}/api/daily_papers"
                f"?date={day.isoformat()}&p={page}&limit={page_size}"
            )
            body = await self._get_json(url)
            if not isinstance(body, list):
                raise HfBadResponse(f"{url}: expected a JSON list, got {type(body).__name__}")
            fresh = 0
            for item in body:
                paper = daily_item(item)
                if paper is None:
                    log.warning("%s: an item without a readable arXiv id, left out", url)
                elif paper.arxiv_id not in papers:
                    papers[paper.arxiv_id] = paper
                    fresh += 1
            if len(body) < page_size or fresh == 0:  # short page, or a server ignoring `p`
                break
        return list(papers.values())

    async def paper(self, arxiv_id: str) -> HfPaper | None:
        """The paper page of `arxiv_id`, or None when Hugging Face has no such paper."""
        url = f"{self.api_base.rstrip('/')}/api/papers/{quote(arxiv_id, safe='')}"
        body = await self._get_json(url, missing_ok=True)
        if body is None:
            return None
        paper = paper_info(body)
        if paper is None:
            raise HfBadResponse(f"{url}: the answer names no arXiv paper")
        return paper

    async def _get_json(self, url: str, *, missing_ok: bool = False) -> Any:
        """The JSON body at `url` (None on a 404 when `missing_ok`), retried as documented."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            await self.limiter.acquire()
            self.stats.requests += 1
            try:
                outcome = await self._request(url, missing_ok=missing_ok)
            except (TimeoutError, aiohttp.ClientError) as exc:
                reason = str(exc) or type(exc).__name__
                if isinstance(exc, TimeoutError):
                    reason = f"no answer within {self.timeout:g} s"
                if last:
                    raise HfUnavailable(f"{url}: {reason} (after {attempt + 1} tries)") from None
                await self._retry(url, reason, self._backoff(attempt))
                continue
            if isinstance(outcome, _Retry):
                too_long = outcome.wait is not None and outcome.wait > self.max_wait
                if last or (outcome.status == 429 and too_long):
                    raise outcome.error(url, attempt + 1, self.max_wait)
                if outcome.status == 429:
                    self.stats.rate_limited += 1
                    wait = outcome.wait if outcome.wait is not None else self._backoff(attempt)
                    self.limiter.hold_for(wait)  # every request waits, not only this one
                    await self._retry(url, "rate limited (429)", 0.0)
                else:
                    delay = self._backoff(attempt) if outcome.wait is None else outcome.wait
                    await self._retry(url, f"HTTP {outcome.status}", min(delay, self.max_wait))
                continue
            return outcome.body
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff * 2**attempt, MAX_BACKOFF))

    async def _retry(self, url: str, reason: str, delay: float) -> None:
        self.stats.retries += 1
        log.info("Hugging Face API %s: %s; retrying", url, reason)
        if delay > 0:
            await self.limiter.sleep(delay)

    async def _request(self, url: str, *, missing_ok: bool) -> _Done | _Retry:
        if self._session is None or self._session.closed:
            self._session = self.session()
        cached = self._cache.get(url)
        headers = {
            aiohttp.hdrs.ACCEPT: "application/json",
            aiohttp.hdrs.ACCEPT_ENCODING: ACCEPT_ENCODING,
            aiohttp.hdrs.USER_AGENT: USER_AGENT,
        }
        if cached and cached.etag:
            headers[aiohttp.hdrs.IF_NONE_MATCH] = cached.etag
        if cached and cached.modified:
            headers[aiohttp.hdrs.IF_MODIFIED_SINCE] = cached.modified
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with self._session.get(
            url, headers=headers, timeout=timeout, auto_decompress=False
        ) as resp:
            if resp.status == 429 or resp.status >= 500:
                return _Retry(resp.status, wait_asked(resp.headers))
            wait = wait_asked(resp.headers)
            if wait:  # an answer that says the window is used up: pace the next ones
                self.limiter.hold_for(min(wait, self.max_wait))
            if resp.status == 304 and cached is not None:
                self.stats.not_modified += 1
                return _Done(cached.body)
            if resp.status == 404 and missing_ok:
                return _Done(None)
            if resp.status != 200:
                raise HfBadResponse(f"{url}: HTTP {resp.status} {resp.reason or ''}".rstrip())
            try:
                data = await read_body(resp, url, self.cap)
            except UnreadableDigest as exc:
                raise HfBadResponse(str(exc)) from None
            etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        try:
            body = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise HfBadResponse(f"{url}: the answer is not JSON ({exc})") from None
        if etag or modified:
            self._cache[url] = _Cached(etag, modified, body)
            self._cache.move_to_end(url)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return _Done(body)


@dataclass(frozen=True, slots=True)
class _Done:
    body: Any


@dataclass(frozen=True, slots=True)
class _Retry:
    status: int
    wait: float | None  # what the headers asked for, if they said

    def error(self, url: str, tries: int, max_wait: float) -> HfError:
        if self.status != 429:
            return HfUnavailable(f"{url}: HTTP {self.status} (after {tries} tries)")
        if self.wait is not None and self.wait > max_wait:
            return HfRateLimited(
                f"{url}: rate limited, asked to wait {self.wait:g} s (over {max_wait:g} s)",
                self.wait,
            )
        return HfRateLimited(f"{url}: rate limited (HTTP 429, after {tries} tries)", self.wait)
