"""Fault injection: canned 429s and 5xx for matching routes, forbidden channels."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.sandbox.models import Json
from bot.sandbox.routing import RoutePattern

VIA = "1.1 google"


@dataclass
class InjectedResponse:
    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FaultRule:
    pattern: RoutePattern
    remaining: int
    response: InjectedResponse


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


class Faults:
    """Rules consumed in order by the request middleware."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.forbidden_channels: set[int] = set()

    def rate_limit(
        self, route_pattern: str, retry_after: float, count: int = 1, global_: bool = False
    ) -> None:
        """The next ``count`` requests matching ``route_pattern`` get a 429."""
        response = rate_limited_response(retry_after, global_=global_)
        self.rules.append(FaultRule(RoutePattern.parse(route_pattern), count, response))

    def fail_next(
        self, route_pattern: str, n: int = 1, status: int = 500, body: Json | None = None
    ) -> None:
        """The next ``n`` requests matching ``route_pattern`` fail with ``status``."""
        response = server_error_response(status)
        if body is not None:
            response.body = body
        self.rules.append(FaultRule(RoutePattern.parse(route_pattern), n, response))

    def forbid_channel(self, channel_id: int) -> None:
        """Every request on ``/channels/{channel_id}/...`` gets 403 Missing Permissions."""
        self.forbidden_channels.add(channel_id)

    def allow_channel(self, channel_id: int) -> None:
        self.forbidden_channels.discard(channel_id)

    def clear(self) -> None:
        self.rules.clear()
        self.forbidden_channels.clear()

    def pending(self) -> int:
        return sum(rule.remaining for rule in self.rules)

    def take(self, method: str, path: str) -> InjectedResponse | None:
        """Consume the first rule matching this request, if any."""
        for rule in self.rules:
            if rule.remaining > 0 and rule.pattern.matches(method, path):
                rule.remaining -= 1
                return rule.response
        self.rules = [rule for rule in self.rules if rule.remaining > 0]
        return None

    def forbidden(self, path: str) -> InjectedResponse | None:
        parts = [p for p in path.split("/") if p]
        is_channel = len(parts) >= 2 and parts[0] == "channels" and parts[1].isdigit()
        if is_channel and int(parts[1]) in self.forbidden_channels:
            return InjectedResponse(403, {"message": "Missing Permissions", "code": 50013})
        return None
