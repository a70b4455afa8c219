"""The request pipeline in front of every REST handler.

Order: parse + record -> auth -> held requests -> injected faults -> rate limits ->
forbidden channels -> handler (-> a "handled" fault replaces the answer; a hold "after
handling" stalls it). Every response gets ``Via`` and the route's ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from papers_sandbox.context import API_PREFIX, SandboxContext, ctx_of
from papers_sandbox.faults import VIA, InjectedResponse
from papers_sandbox.http_util import (
    BODY_ERROR_KEY,
    BODY_KEY,
    RATE_HEADERS_KEY,
    DiscordError,
    json_response,
    parse_body,
)
from papers_sandbox.recorder import RecordedRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNAUTHENTICATED = ("/interactions/", "/webhooks/")
MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id", "token")


def api_path(request: web.Request) -> str:
    return request.path.removeprefix(API_PREFIX) or "/"


def _template(request: web.Request) -> str:
    info = request.match_info.route.resource
    return info.canonical if info is not None else request.path


def _major(request: web.Request) -> str:
    return "+".join(request.match_info[k] for k in MAJOR_PARAMS if k in request.match_info)


def _authorized(ctx: SandboxContext, request: web.Request, path: str) -> bool:
    if path.startswith(UNAUTHENTICATED):
        return True
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bot ") or not header[4:].strip():
        return False
    return ctx.config.token is None or header[4:] == ctx.config.token


def _injected(injected: InjectedResponse) -> web.Response:
    return json_response(injected.body, injected.status, dict(injected.headers))


async def _record(request: web.Request, path: str) -> RecordedRequest:
    try:
        body = await parse_body(request, ctx_of(request).config.attachment_size_limit)
    except DiscordError as exc:
        body = None
        request[BODY_ERROR_KEY] = exc
    request[BODY_KEY] = body
    return RecordedRequest(
        method=request.method,
        path=path,
        query=dict(request.query),
        json=body.json if body else None,
        time=time.monotonic(),
        headers=dict(request.headers),
        files=[f.filename for f in body.files] if body else [],
        uploads=list(body.files) if body else [],
    )


async def _respond(request: web.Request, handler: Handler, path: str) -> web.StreamResponse:
    ctx = ctx_of(request)
    if ctx.config.latency > 0:
        await asyncio.sleep(ctx.config.latency)
    refused = request.get(BODY_ERROR_KEY)
    if refused is not None:
        return json_response(refused.body, refused.status)
    if not _authorized(ctx, request, path):
        return json_response({"message": "401: Unauthorized", "code": 0}, 401)
    hold = ctx.faults.take_hold(request.method, path)
    if hold is not None and not hold.after_handling:
        await hold.stall(path)
        if request.transport is None or request.transport.is_closing():
            # The client gave up (was killed) while held: the request never took effect.
            return json_response({"message": "client went away", "code": 0}, 499)
    response = await _checked(ctx, request, handler, path)
    if hold is not None and hold.after_handling:
        await hold.stall(path)
    return response


async def _checked(
    ctx: SandboxContext, request: web.Request, handler: Handler, path: str
) -> web.StreamResponse:
    injected = ctx.faults.take(request.method, path)
    if injected is not None and not injected.handled:
        return _injected(injected)
    decision = ctx.limiter.check(request.method, path, _template(request), _major(request))
    request[RATE_HEADERS_KEY] = decision.headers
    if decision.rejection is not None:
        return _injected(decision.rejection)
    forbidden = ctx.faults.forbidden(path)
    if forbidden is not None:
        return _injected(forbidden)
    try:
        response = await handler(request)
    except DiscordError as exc:
        return json_response(exc.body, exc.status)
    except web.HTTPNotFound:
        return json_response({"message": "404: Not Found", "code": 0}, 404)
    except web.HTTPMethodNotAllowed:
        return json_response({"message": "405: Method Not Allowed", "code": 0}, 405)
    return _injected(injected) if injected is not None else response


@web.middleware
async def sandbox_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    path = api_path(request)
    record = await _record(request, path)
    ctx_of(request).recorder.add_request(record)
    response = await _respond(request, handler, path)
    response.headers.setdefault("Via", VIA)
    for key, value in request.get(RATE_HEADERS_KEY, {}).items():
        response.headers.setdefault(key, value)
    record.status = response.status
    record.response_headers = dict(response.headers)
    if isinstance(response, web.Response) and response.body is not None:
        record.response = _decode(response)
    return response


def _decode(response: web.Response) -> object:
    body = response.body
    if not isinstance(body, bytes | bytearray):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")
