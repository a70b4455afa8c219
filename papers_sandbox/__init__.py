"""A loopback Discord-compatible server that the real discord.py stack can run against.

Typical use::

    server = SandboxServer()                # World.default(): "Sandbox Lab", #papers, ...
    await server.start()                    # 127.0.0.1, free port
    point_discord_py_at(server.api_base, server.gateway_url)
    await client.login(token); asyncio.create_task(client.connect())
    result = await server.invoke_command("paper", {"query": "diffusion"}, user="minji")
    assert result.callback_type == 4 and "diffusion" in result.content
    server.world.messages(server.channel("papers").id)
    await server.stop()
"""

from papers_sandbox.context import SandboxConfig
from papers_sandbox.endpoints import (
    EndpointSnapshot,
    current_endpoints,
    discord_py_pointed_at,
    point_discord_py_at,
    restore_endpoints,
)
from papers_sandbox.interaction_result import InteractionNotAnswered, InteractionResult
from papers_sandbox.recorder import GatewayFrame, RecordedRequest
from papers_sandbox.server import SandboxServer
from papers_sandbox.world import World

__all__ = [
    "EndpointSnapshot",
    "GatewayFrame",
    "InteractionNotAnswered",
    "InteractionResult",
    "RecordedRequest",
    "SandboxConfig",
    "SandboxServer",
    "World",
    "current_endpoints",
    "discord_py_pointed_at",
    "point_discord_py_at",
    "restore_endpoints",
]
