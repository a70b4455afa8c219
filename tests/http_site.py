"""A loopback HTTP server standing in for a digest URL source."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Site:
    """Serves what a test routes to each path (404 elsewhere) at `base`."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.app.router.add_get("/{tail:.*}", self._dispatch)
        self.handlers: dict[str, Handler] = {}
        self.base = ""

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        handler = self.handlers.get(request.path)
        return await handler(request) if handler else web.Response(status=404)

    def route(self, path: str, handler: Handler) -> None:
        self.handlers[path] = handler

    def body(self, path: str, body: bytes, **headers: str) -> None:
        """`path` answers 200 with `body` as is (e.g. already gzipped, with its header)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(body=body, headers=headers)

        self.route(path, handler)


@asynccontextmanager
async def serving() -> AsyncIterator[Site]:
    site = Site()
    runner = web.AppRunner(site.app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    site.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield site
    finally:
        await runner.cleanup()
