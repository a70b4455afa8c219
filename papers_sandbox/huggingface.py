"""A loopback stand-in for Hugging Face's public paper API, with the real JSON shapes.

    hf = FakeHuggingFace()
    hf.add_day(dt.date(2025, 5, 12), [fake_item("2505.01234", title="...", upvotes=12)])
    base = await hf.start()                  # http://127.0.0.1:PORT, for PAPERS_BOT_HF_API
    hf.faults.rate_limited = 2                # the next two requests answer 429
    await hf.stop()

Routes: `GET /api/daily_papers?date=YYYY-MM-DD&p=N&limit=N` (a list of daily items, paged;
400 on a bad date) and `GET /api/papers/{id}` (the paper object; 404 when unknown). Answers
carry an ETag and Last-Modified and honour `If-None-Match` / `If-Modified-Since` with 304, are
gzipped when asked, and carry the `RateLimit` / `RateLimit-Policy` headers of a fixed window
(`limit` requests per `window` seconds; past it, 429). The shapes follow huggingface_hub's
`PaperInfo` (`list_daily_papers`, `paper_info`); nothing here imports the bot.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import email.utils
import gzip
import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Json = Any
CHUNK = 64 * 1024
HF_LIMIT = 500  # anonymous requests per HF_WINDOW seconds, as Hugging Face allows
HF_WINDOW = 300.0
MAX_LIMIT = 100  # the largest page the API serves
THUMBNAILS = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers"


@dataclass
class HfFaults:
    """Switches a test flips; each counter is used up one request at a time."""

    rate_limited: int = 0  # answer this many requests with 429
    retry_after: float | None = 1.0  # the 429's Retry-After (None: only the RateLimit headers)
    server_errors: int = 0  # answer this many requests with `server_status`
    server_status: int = 503
    server_retry_after: float | None = None  # a Retry-After on those answers
    down: bool = False  # every request answers `server_status`
    delay: float = 0.0  # seconds before answering (a slow API)
    huge_body: int = 0  # answer with a JSON body this many bytes long (0: off)
    huge_gzip: bool = False  # ... sent gzipped (a compression bomb: small on the wire)
    ignore_paging: bool = False  # serve the whole day whatever `p` says
    validators: bool = True  # send ETag / Last-Modified and answer 304


@dataclass(frozen=True, slots=True)
class HfRequest:
    """One request as the fake saw it, and how it answered."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int


def fake_item(
    arxiv_id: str,
    *,
    day: dt.date = dt.date(2025, 5, 12),
    title: str | None = None,
    abstract: str | None = None,
    authors: Sequence[str] = ("Ada Lovelace", "Alan Turing"),
    upvotes: int = 0,
    ai_summary: str | None = None,
    ai_keywords: Sequence[str] = (),
    github_repo: str | None = None,
    github_stars: int | None = None,
    project_page: str | None = None,
    thumbnail: str | None = None,
    num_comments: int = 0,
) -> Json:
    """A daily-papers item in Hugging Face's shape (the paper object is its `paper`)."""
    title = title if title is not None else f"Paper {arxiv_id}"
    abstract = abstract if abstract is not None else f"We study {title}. It works well."
    submitted = dt.datetime.combine(day, dt.time(3, 14), dt.UTC)
    paper: dict[str, Json] = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"{i:024x}", "name": name, "hidden": False} for i, name in enumerate(authors)
        ],
        "publishedAt": _iso(submitted - dt.timedelta(days=2)),
        "submittedOnDailyAt": _iso(submitted),
        "title": title,
        "summary": abstract,
        "upvotes": upvotes,
        "discussionId": hashlib.sha1(arxiv_id.encode()).hexdigest()[:24],
        "submittedOnDailyBy": {"_id": "0" * 24, "user": "akhaliq", "fullname": "AK"},
    }
    if ai_summary is not None:
        paper["ai_summary"] = ai_summary
    if ai_keywords:
        paper["ai_keywords"] = list(ai_keywords)
    if github_repo is not None:
        paper["githubRepo"] = github_repo
    if github_stars is not None:
        paper["githubStars"] = github_stars
    if project_page is not None:
        paper["projectPage"] = project_page
    thumb = thumbnail or f"{THUMBNAILS}/{arxiv_id}.png"
    return {
        "paper": paper,
        "publishedAt": _iso(submitted),
        "title": title,
        "summary": abstract,
        "thumbnail": thumb,
        "numComments": num_comments,
        "submittedBy": {"_id": "0" * 24, "user": "akhaliq", "fullname": "AK"},
        "isAuthorParticipating": False,
    }


_WORDS = [
    "diffusion",
    "transformer",
    "agent",
    "reasoning",
    "benchmark",
    "multimodal",
    "retrieval",
    "alignment",
    "video",
    "speech",
    "token",
    "sparse",
    "scaling",
    "reward",
    "policy",
    "vision",
    "language",
    "graph",
    "memory",
    "planning",
    "code",
]


def sample_day(day: dt.date, count: int, *, seed: int = 0) -> list[Json]:
    """`count` plausible daily items for `day` (ids, titles, abstracts, votes), reproducibly."""
    rng = random.Random(f"{day}:{seed}")
    items = []
    for n in range(count):
        arxiv_id = f"{day:%y%m}.{9000 + n + seed * 100:05d}"
        words = rng.sample(_WORDS, 4)
        title = f"{words[0].title()} {words[1]} for {words[2]} {words[3]}"
        abstract = " ".join(
            f"We {rng.choice(('propose', 'study', 'show', 'measure'))} {w} "
            f"with {rng.choice(_WORDS)} and {rng.choice(_WORDS)}."
            for w in rng.sample(_WORDS, 6)
        )
        items.append(
            fake_item(
                arxiv_id,
                day=day,
                title=title,
                abstract=abstract,
                authors=[f"Author {rng.randint(1, 999)}" for _ in range(rng.randint(1, 8))],
                upvotes=rng.randint(0, 120),
                ai_summary=f"A {words[0]} method for {words[2]}." if n % 2 == 0 else None,
                ai_keywords=words,
                github_repo=f"https://github.com/lab/{words[0]}-{n}" if n % 3 == 0 else None,
                github_stars=rng.randint(0, 5000) if n % 3 == 0 else None,
            )
        )
    return items


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeHuggingFace:
    """The API's daily papers and paper pages over loopback HTTP, with fault switches."""

    def __init__(
        self,
        *,
        limit: int = HF_LIMIT,
        window: float = HF_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.faults = HfFaults()
        self.requests: list[HfRequest] = []
        self._days: dict[dt.date, list[Json]] = {}
        self._papers: dict[str, Json] = {}  # /api/papers/{id} beyond the days' papers
        self._modified: dict[str, dt.datetime] = {}  # per day / paper: for Last-Modified
        self._window_start = clock()
        self._window_used = 0
        self._runner: web.AppRunner | None = None
        self.base = ""

    # -- data -----------------------------------------------------------------------------

    def add_day(self, day: dt.date, items: Sequence[Json]) -> None:
        """Set `day`'s daily items (replacing what it had); an empty list is an empty day."""
        self._days[day] = [copy.deepcopy(i) for i in items]
        self._touch(day.isoformat())
        for item in items:
            self._touch(str(item["paper"]["id"]))

    def set_paper(self, arxiv_id: str, paper: Json) -> None:
        """What `/api/papers/{arxiv_id}` answers (over the days' copy of it)."""
        self._papers[arxiv_id] = copy.deepcopy(paper)
        self._touch(arxiv_id)

    def update(self, arxiv_id: str, **fields: Json) -> None:
        """Change fields of a paper (`upvotes=...`) wherever it is listed."""
        for day, items in self._days.items():
            for item in items:
                if item["paper"]["id"] == arxiv_id:
                    item["paper"].update(fields)
                    self._touch(day.isoformat())
        if arxiv_id in self._papers:
            self._papers[arxiv_id].update(fields)
        self._touch(arxiv_id)

    def paper_json(self, arxiv_id: str) -> Json | None:
        if arxiv_id in self._papers:
            return self._papers[arxiv_id]
        for items in self._days.values():
            for item in items:
                if item["paper"]["id"] == arxiv_id:
                    return {**item["paper"], "numComments": item.get("numComments", 0)}
        return None

    def _touch(self, key: str) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        before = self._modified.get(key)
        self._modified[key] = max(now, before + dt.timedelta(seconds=1)) if before else now

    # -- serving --------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_get("/api/daily_papers", self._daily)
        app.router.add_get("/api/papers/{id}", self._paper)
        app.middlewares.append(self._middleware)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.base = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def count(self, path: str) -> int:
        """How many requests reached `path`."""
        return sum(r.path == path for r in self.requests)

    def _ratelimit_headers(self, *, exhausted: bool = False) -> dict[str, str]:
        remaining = 0 if exhausted else max(0, self.limit - self._window_used)
        reset = max(0, int(self._window_start + self.window - self.clock() + 0.999))
        return {
            "RateLimit": f'"api";r={remaining};t={reset}',
            "RateLimit-Policy": f'"fixed window";"api";q={self.limit};w={int(self.window)}',
        }

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        response = await self._answer(request, handler)
        self.requests.append(
            HfRequest(request.path, dict(request.query), dict(request.headers), response.status)
        )
        return response

    async def _answer(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        faults = self.faults
        if faults.delay:
            await asyncio.sleep(faults.delay)
        now = self.clock()
        if now >= self._window_start + self.window:
            self._window_start, self._window_used = now, 0
        self._window_used += 1
        if self._window_used > self.limit or faults.rate_limited > 0:
            faults.rate_limited = max(0, faults.rate_limited - 1)
            headers = self._ratelimit_headers(exhausted=True)
            if faults.retry_after is not None:
                headers["Retry-After"] = f"{faults.retry_after:g}"
            return _json({"error": "You have been rate-limited"}, 429, headers)
        if faults.down or faults.server_errors > 0:
            faults.server_errors = max(0, faults.server_errors - 1)
            after = faults.server_retry_after
            headers = {} if after is None else {"Retry-After": f"{after:g}"}
            return _json({"error": "Service unavailable"}, faults.server_status, headers)
        if faults.huge_body:
            return await self._huge(request)
        response: web.StreamResponse = await handler(request)
        response.headers.update(self._ratelimit_headers())
        return response

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        size = self.faults.huge_body
        body = b"[" + b" " * max(0, size - 2) + b"]"
        headers = {"Content-Type": "application/json"}
        if self.faults.huge_gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        response = web.StreamResponse(headers=headers)  # chunked: no Content-Length up front
        await response.prepare(request)
        try:
            for start in range(0, len(body), CHUNK):
                await response.write(body[start : start + CHUNK])
            await response.write_eof()
        except (ConnectionError, RuntimeError):  # the client stopped reading, as it should
            pass
        return response

    async def _daily(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        try:
            day = dt.date.fromisoformat(query.get("date", ""))
        except ValueError:
            return _json({"error": f"Invalid date: {query.get('date', '')!r}"}, 400)
        try:
            page = max(0, int(query.get("p", "0")))
            limit = min(MAX_LIMIT, max(1, int(query.get("limit", "50"))))
        except ValueError:
            return _json({"error": "p and limit must be integers"}, 400)
        items = sorted(self._days.get(day, []), key=lambda i: i["publishedAt"], reverse=True)
        if not self.faults.ignore_paging:
            items = items[page * limit : (page + 1) * limit]
        return self._conditional(request, items, self._modified.get(day.isoformat()))

    async def _paper(self, request: web.Request) -> web.StreamResponse:
        arxiv_id = request.match_info["id"]
        paper = self.paper_json(arxiv_id)
        if paper is None:
            return _json({"error": "Paper not found"}, 404)
        return self._conditional(request, paper, self._modified.get(arxiv_id))

    def _conditional(
        self, request: web.Request, body: Json, modified: dt.datetime | None
    ) -> web.StreamResponse:
        data = json.dumps(body, ensure_ascii=False).encode()
        if not self.faults.validators:
            return _encoded(request, data, {})
        etag = f'W/"{hashlib.sha1(data).hexdigest()[:20]}"'
        headers = {"ETag": etag}
        if modified is not None:
            headers["Last-Modified"] = email.utils.format_datetime(modified, usegmt=True)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        since = request.headers.get("If-Modified-Since")
        if since and modified is not None and "If-None-Match" not in request.headers:
            try:
                if modified <= email.utils.parsedate_to_datetime(since):
                    return web.Response(status=304, headers=headers)
            except (TypeError, ValueError):
                pass
        return _encoded(request, data, headers)


def _encoded(request: web.Request, data: bytes, headers: dict[str, str]) -> web.Response:
    headers = {**headers, "Content-Type": "application/json; charset=utf-8"}
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        data = gzip.compress(data)
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=data, headers=headers)


def _json(body: Json, status: int, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(body, status=status, headers=headers)
