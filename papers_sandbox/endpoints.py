"""Point the real discord.py HTTP client and gateway at another server (and back)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


@dataclass(frozen=True)
class EndpointSnapshot:
    """The discord.py endpoint settings at one moment, so they can be restored."""

    api_base: str
    gateway: yarl.URL


def current_endpoints() -> EndpointSnapshot:
    return EndpointSnapshot(api_base=Route.BASE, gateway=DiscordWebSocket.DEFAULT_GATEWAY)


def point_discord_py_at(api_base: str, gateway_url: str) -> None:
    """Make discord.py send REST calls to ``api_base`` and open its gateway at ``gateway_url``.

    ``Route.BASE`` covers both the bot HTTP client and the webhook adapter used for
    interaction callbacks and followups (``discord.webhook.async_`` imports the same
    ``Route`` class). The gateway URL is used for the first IDENTIFY; afterwards
    discord.py resumes at the ``resume_gateway_url`` the server sent in READY.
    """
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def restore_endpoints(snapshot: EndpointSnapshot) -> None:
    Route.BASE = snapshot.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = snapshot.gateway


@contextmanager
def discord_py_pointed_at(api_base: str, gateway_url: str) -> Iterator[None]:
    """Context manager form of :func:`point_discord_py_at` that restores on exit."""
    snapshot = current_endpoints()
    point_discord_py_at(api_base, gateway_url)
    try:
        yield
    finally:
        restore_endpoints(snapshot)
