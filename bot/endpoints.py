"""Where discord.py sends REST calls and opens its gateway: config `discord.api_base` and
`discord.gateway_url` (Discord itself by default, or any Discord-compatible server)."""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


def point_discord_py_at(api_base: str, gateway_url: str) -> None:
    """Make discord.py send REST calls to ``api_base`` and open its gateway at ``gateway_url``.

    ``Route.BASE`` covers both the bot HTTP client and the webhook adapter used for
    interaction callbacks and followups (``discord.webhook.async_`` imports the same
    ``Route`` class). The gateway URL is used for the first IDENTIFY; afterwards
    discord.py resumes at the ``resume_gateway_url`` the server sent in READY.
    """
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
