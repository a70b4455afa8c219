"""Shared state handed to every request handler through the aiohttp application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from papers_sandbox.faults import Faults
from papers_sandbox.interaction_state import InteractionRegistry
from papers_sandbox.ratelimits import RateLimiter
from papers_sandbox.recorder import Recorder
from papers_sandbox.world import World

if TYPE_CHECKING:
    from papers_sandbox.gateway import GatewayHub

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway"


@dataclass
class SandboxConfig:
    """Knobs of the fake Discord. Times are in seconds."""

    token: str | None = None  # None = accept any bot token
    callback_deadline: float = 3.0  # initial interaction response must arrive within this
    token_lifetime: float = 15 * 60.0  # interaction token validity for followups
    nonce_window: float = 300.0  # enforce_nonce dedup window
    heartbeat_interval_ms: int = 41_250
    ready_delay: float = 0.0  # IDENTIFY -> READY; the bot's cache is empty meanwhile
    latency: float = 0.0  # added to every REST answer, like the real API's round trip
    attachment_size_limit: int = 10 * 1024 * 1024


@dataclass
class SandboxContext:
    world: World
    recorder: Recorder
    faults: Faults
    limiter: RateLimiter
    interactions: InteractionRegistry
    config: SandboxConfig
    gateway: GatewayHub
    base_url: str = ""
    nonces: dict[tuple[int, str], tuple[float, int]] = field(default_factory=dict)

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return "ws" + self.base_url.removeprefix("http") + GATEWAY_PATH


CTX: web.AppKey[SandboxContext] = web.AppKey("sandbox_ctx", SandboxContext)


def ctx_of(request: web.Request) -> SandboxContext:
    return request.app[CTX]
