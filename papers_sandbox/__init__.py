"""A loopback Discord-compatible server that the real discord.py stack can run against.

Typical use::

    server = SandboxServer()                # World.default(): "Sandbox Lab", #papers, ...
    await server.start()                    # 127.0.0.1, free port
    snapshot = server.point_discord_py()    # discord.py's REST base and gateway -> here
    await client.login(token); asyncio.create_task(client.connect())
    result = await server.invoke_command("paper", {"query": "diffusion"}, user="minji")
    assert result.callback_type == 4 and "diffusion" in result.content
    server.world.messages(server.channel("papers").id)
    await server.stop(); restore_endpoints(snapshot)

Members' DMs and files: ``server.dms("minji")`` (what the bot sent her directly),
``server.close_dms("minji")`` / ``open_dms`` (her "Allow direct messages from server
members": sends answer 403 50007, as for bots and for users who share no server any more,
see ``server.remove_member``), ``server.files(message)`` (attachments with their bytes:
``.filename``, ``.text``, ``.head(5)``), and ``await server.invoke_message_command("Find
papers", message, user="alex")`` (a synced type 3 command on a message, which the bot gets
in ``data.resolved.messages``). ``await server.click(dm_message, "save:2505.03011",
user="minji")`` presses a component on a DM message as Discord sends it from a DM: a type 3
interaction without ``guild_id``, ``guild`` or ``member``, with ``user``, the DM ``channel``
(type 1, its recipients), ``context`` 1 (BOT_DM), the ``message``, ``app_permissions`` of a
bot's DM and ``authorizing_integration_owners`` ``{"0": "0"}``; only the recipient can.

The server knows discord.py, not the bot: only scene.py (and transcript.py, which it prints
with) is about papers-bot, and only scene.py imports ``bot`` (tests/test_import_contract.py).

server.py                SandboxServer: start/stop, the aiohttp app, member actions, recordings
context.py               state every handler reaches through the aiohttp application
endpoints.py             point discord.py's REST base and gateway here, and back
world.py                 in-memory guilds, channels, members, messages, the application
models.py                the world's entities and their Discord JSON payloads
snowflake.py             snowflake ids with real timestamps
commands.py              application commands as stored after a bulk overwrite
rest_core.py             REST: login, gateway discovery, commands, users, guilds, DMs
rest_messages.py         REST: channel messages, history, threads, typing, reactions
rest_interactions.py     REST: interaction callbacks and webhook followups
interaction_messages.py  messages made, edited, deleted through a callback or webhook
interaction_payloads.py  INTERACTION_CREATE payloads as Discord builds them
interaction_state.py     dispatched interactions and how the bot answered them
interaction_result.py    what a member saw: callback, reply, followups
member.py                acting as a member: commands, message menus, autocomplete, clicks,
                         modals, messages
messages.py              message payloads built and edited as Discord returns them
files.py                 uploaded files as a member opens them from a message
limits.py                Discord's payload limits, a pure validator (400 / 50035 shapes)
http_util.py             Discord's response and error shapes, JSON and multipart bodies
middleware.py            before every handler: record, auth, holds, faults, rate limits
ratelimits.py            per-route and global rate-limit buckets with Discord's headers
faults.py                injected 429s, 5xx, forbidden channels, held requests
routing.py               segment-aware path globs for recordings and fault rules
recorder.py              every request and gateway frame, queryable by tests
gateway.py               the websocket gateway: HELLO, heartbeats, IDENTIFY, READY, RESUME
gateway_session.py       gateway connections and resumable sessions (zlib-stream, replay)
intents.py               which dispatches a session gets, message-content redaction
huggingface.py           a loopback fake of Hugging Face's paper API (its JSON, 429s, 5xx, bodies)
scene.py                 `papers-bot sandbox`: the real bot played against the server
openai_fake.py           a loopback OpenAI-compatible chat endpoint with faults (summaries)
transcript.py            the scene printed as a chat transcript
sample/                  the digests the scene loads (package data)
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
