"""Per-route rate limit buckets and a global limit, with Discord's X-RateLimit headers.

Headers are always sent. Limits are only enforced (answered with 429) when ``enforce`` is
on; otherwise buckets are so large that a test never hits them.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from dataclasses import dataclass

from papers_sandbox.faults import InjectedResponse, rate_limited_response
from papers_sandbox.routing import RoutePattern

LOOSE_LIMIT = 10_000
# Routes Discord exempts from the global limit.
GLOBAL_EXEMPT = (RoutePattern.parse("/interactions/**"), RoutePattern.parse("/webhooks/**"))


@dataclass(frozen=True)
class BucketPolicy:
    limit: int
    window: float


@dataclass
class Bucket:
    hash: str
    policy: BucketPolicy
    count: int = 0
    reset_at: float = 0.0


@dataclass
class RateDecision:
    headers: dict[str, str]
    rejection: InjectedResponse | None = None


DISCORD_POLICIES: list[tuple[RoutePattern, BucketPolicy]] = [
    (RoutePattern.parse("POST /channels/*/messages"), BucketPolicy(5, 5.0)),
    (RoutePattern.parse("PATCH /channels/*/messages/*"), BucketPolicy(5, 5.0)),
    (RoutePattern.parse("DELETE /channels/*/messages/*"), BucketPolicy(5, 1.0)),
    (RoutePattern.parse("POST /channels/*/messages/*/threads"), BucketPolicy(5, 5.0)),
    (RoutePattern.parse("PUT /applications/**"), BucketPolicy(2, 20.0)),
]
DEFAULT_POLICY = BucketPolicy(50, 1.0)


class RateLimiter:
    def __init__(self, *, enforce: bool = False, global_per_second: int = 50) -> None:
        self.enforce = enforce
        self.global_per_second = global_per_second
        self.policies: list[tuple[RoutePattern, BucketPolicy]] = list(DISCORD_POLICIES)
        self.default_policy = DEFAULT_POLICY
        self._buckets: dict[str, Bucket] = {}
        self._global_hits: deque[float] = deque()

    def set_policy(self, route_pattern: str, limit: int, window: float) -> None:
        """Add a bucket policy (checked first), e.g. for ``"POST /channels/*/messages"``."""
        self.policies.insert(0, (RoutePattern.parse(route_pattern), BucketPolicy(limit, window)))
        self._buckets.clear()

    def reset(self) -> None:
        self._buckets.clear()
        self._global_hits.clear()

    def policy_for(self, method: str, path: str) -> BucketPolicy:
        if not self.enforce:
            return BucketPolicy(LOOSE_LIMIT, 1.0)
        for pattern, policy in self.policies:
            if pattern.matches(method, path):
                return policy
        return self.default_policy

    def check(self, method: str, path: str, template: str, major: str) -> RateDecision:
        """Count one request; ``template`` is the route shape, ``major`` its major parameters."""
        now = time.monotonic()
        rejection = self._check_global(path, now)
        if rejection is not None:
            return RateDecision(dict(rejection.headers), rejection)
        bucket = self._bucket(method, path, template, major, now)
        if bucket.count >= bucket.policy.limit:
            retry = max(bucket.reset_at - now, 0.001)
            rejection = rate_limited_response(retry, bucket=bucket.hash)
            return RateDecision(self._headers(bucket, now), rejection)
        bucket.count += 1
        return RateDecision(self._headers(bucket, now))

    def _check_global(self, path: str, now: float) -> InjectedResponse | None:
        if not self.enforce or any(p.matches("GET", path) for p in GLOBAL_EXEMPT):
            return None
        while self._global_hits and now - self._global_hits[0] >= 1.0:
            self._global_hits.popleft()
        if len(self._global_hits) >= self.global_per_second:
            retry = max(1.0 - (now - self._global_hits[0]), 0.001)
            return rate_limited_response(retry, global_=True)
        self._global_hits.append(now)
        return None

    def _bucket(self, method: str, path: str, template: str, major: str, now: float) -> Bucket:
        policy = self.policy_for(method, path)
        digest = hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]
        key = f"{digest}:{major}"
        bucket = self._buckets.get(key)
        if bucket is None or bucket.policy != policy:
            bucket = self._buckets[key] = Bucket(digest, policy)
        if now >= bucket.reset_at:
            bucket.count = 0
            bucket.reset_at = now + policy.window
        return bucket

    @staticmethod
    def _headers(bucket: Bucket, now: float) -> dict[str, str]:
        reset_after = max(bucket.reset_at - now, 0.0)
        return {
            "X-RateLimit-Limit": str(bucket.policy.limit),
            "X-RateLimit-Remaining": str(max(bucket.policy.limit - bucket.count, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.hash,
            "X-RateLimit-Scope": "user",
        }
