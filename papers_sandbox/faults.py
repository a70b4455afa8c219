"""Fault injection: canned 429s and 5xx for matching routes, forbidden channels, and
requests held (unanswered) until a test releases them."""

# Waiting helpers take ``timeout=`` like discord.py's own ``wait_for``.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import TypeVar

from papers_sandbox.models import Json
from papers_sandbox.routing import RoutePattern

VIA = "1.1 google"


@dataclass
class InjectedResponse:
    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)
    handled: bool = False  # the request is carried out first; only its answer is replaced


@dataclass
class FaultRule:
    pattern: RoutePattern
    remaining: int
    response: InjectedResponse
    skip: int = 0  # matching requests let through before the rule applies


@dataclass
class Hold:
    """Matching requests (after ``skip`` of them went through) stall at the server until
    :meth:`release`; with ``after_handling`` they are carried out first and only the answer
    stalls (Discord stored the message, the client never heard back)."""

    pattern: RoutePattern
    skip: int = 0
    remaining: int = 1
    after_handling: bool = False
    held: list[str] = field(default_factory=list)  # paths of the requests held so far
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self._released.set()

    @property
    def released(self) -> bool:
        return self._released.is_set()

    async def stall(self, path: str) -> None:
        """Called by the middleware for a held request: returns once released."""
        self.held.append(path)
        self._arrived.set()
        await self._released.wait()

    async def wait_held(self, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` requests are being held."""
        async with asyncio.timeout(timeout):
            while len(self.held) < count:
                self._arrived.clear()
                await self._arrived.wait()


def rate_limited_response(
    retry_after: float, *, global_: bool = False, bucket: str | None = None, scope: str = "user"
) -> InjectedResponse:
    """A 429 exactly as discord.py expects it: JSON body with retry_after, a Via header."""
    body: Json = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": global_,
        "code": 0,
    }
    headers = {
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "Via": VIA,
        "X-RateLimit-Scope": "global" if global_ else scope,
    }
    if global_:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers.update(
            {
                "X-RateLimit-Limit": "1",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            }
        )
        if bucket:
            headers["X-RateLimit-Bucket"] = bucket
    return InjectedResponse(429, body, headers)


def server_error_response(status: int = 500) -> InjectedResponse:
    return InjectedResponse(status, {"message": f"{status}: Internal Server Error", "code": 0})


R = TypeVar("R", FaultRule, Hold)


def _pick(rules: list[R], method: str, path: str) -> R | None:
    """The first live rule matching a request; every matching rule still skipping counts it."""
    chosen: R | None = None
    for rule in rules:
        if rule.remaining <= 0 or not rule.pattern.matches(method, path):
            continue
        if rule.skip > 0:
            rule.skip -= 1
        elif chosen is None:
            chosen = rule
    return chosen


class Faults:
    """Rules consumed in order by the request middleware."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.forbidden_channels: set[int] = set()
        self.holds: list[Hold] = []

    def rate_limit(
        self,
        route_pattern: str,
        retry_after: float,
        count: int = 1,
        global_: bool = False,
        *,
        after: int = 0,
    ) -> None:
        """The next ``count`` requests matching ``route_pattern`` get a 429 (the first
        ``after`` matching requests are let through)."""
        response = rate_limited_response(retry_after, global_=global_)
        self.rules.append(FaultRule(RoutePattern.parse(route_pattern), count, response, after))

    def fail_next(
        self,
        route_pattern: str,
        n: int = 1,
        status: int = 500,
        body: Json | None = None,
        *,
        after: int = 0,
        handled: bool = False,
    ) -> None:
        """The next ``n`` requests matching ``route_pattern`` fail with ``status`` (after
        ``after`` matching ones went through). ``handled``: the request still takes effect
        and only its answer is the error, like a response lost on the way back."""
        response = server_error_response(status)
        response.handled = handled
        if body is not None:
            response.body = body
        self.rules.append(FaultRule(RoutePattern.parse(route_pattern), n, response, after))

    def hold(
        self, route_pattern: str, *, skip: int = 0, count: int = 1, after_handling: bool = False
    ) -> Hold:
        """Stall the next ``count`` requests matching ``route_pattern`` after ``skip``."""
        rule = Hold(RoutePattern.parse(route_pattern), skip, count, after_handling)
        self.holds.append(rule)
        return rule

    def take_hold(self, method: str, path: str) -> Hold | None:
        chosen = _pick(self.holds, method, path)
        if chosen is not None:
            chosen.remaining -= 1
        return chosen

    def release_all(self) -> None:
        for rule in self.holds:
            rule.release()

    def forbid_channel(self, channel_id: int) -> None:
        """Every request on ``/channels/{channel_id}/...`` gets 403 Missing Permissions."""
        self.forbidden_channels.add(channel_id)

    def allow_channel(self, channel_id: int) -> None:
        self.forbidden_channels.discard(channel_id)

    def clear(self) -> None:
        self.release_all()
        self.rules.clear()
        self.forbidden_channels.clear()
        self.holds.clear()

    def pending(self) -> int:
        return sum(rule.remaining for rule in self.rules)

    def take(self, method: str, path: str) -> InjectedResponse | None:
        """Consume the first rule matching this request, if any."""
        chosen = _pick(self.rules, method, path)
        if chosen is not None:
            chosen.remaining -= 1
            return chosen.response
        self.rules = [rule for rule in self.rules if rule.remaining > 0]
        return None

    def forbidden(self, path: str) -> InjectedResponse | None:
        parts = [p for p in path.split("/") if p]
        is_channel = len(parts) >= 2 and parts[0] == "channels" and parts[1].isdigit()
        if is_channel and int(parts[1]) in self.forbidden_channels:
            return InjectedResponse(403, {"message": "Missing Permissions", "code": 50013})
        return None
