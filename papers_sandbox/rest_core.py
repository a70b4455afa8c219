"""Login, gateway discovery, application commands, users, guilds and DMs."""

from __future__ import annotations

from aiohttp import web

from papers_sandbox.context import ctx_of
from papers_sandbox.http_util import (
    CANNOT_MESSAGE_USER,
    UNKNOWN_CHANNEL,
    UNKNOWN_COMMAND,
    UNKNOWN_GUILD,
    UNKNOWN_USER,
    body_of,
    fail,
    json_response,
    no_content,
    not_found,
    reject_invalid,
    snowflake_param,
)
from papers_sandbox.limits import Violation, check_command
from papers_sandbox.models import Json

REQUIRED = "This field is required"
# Per scope: 100 chat input commands, 15 user and 15 message (context menu) commands.
MAX_COMMANDS = {1: 100, 2: 15, 3: 15}


async def get_me(request: web.Request) -> web.Response:
    user = ctx_of(request).world.bot_user
    return json_response({**user.payload(), "verified": True, "mfa_enabled": False})


async def get_user(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    user = world.users.get(snowflake_param(request, "user_id", UNKNOWN_USER))
    if user is None:
        not_found(UNKNOWN_USER)
    return json_response(user.payload())


async def get_application(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    return json_response(
        {
            "id": str(world.application_id),
            "name": world.app_name,
            "description": "papers-bot sandbox application",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": world.owner.payload(),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "bot": world.bot_user.payload(),
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(world.guilds),
            "redirect_uris": [],
            "tags": [],
        }
    )


async def get_gateway(request: web.Request) -> web.Response:
    return json_response({"url": ctx_of(request).gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
    url = ctx_of(request).gateway_url
    return json_response({"url": url, "shards": 1, "session_start_limit": limit})


def _command_scope(request: web.Request) -> int | None:
    ctx = ctx_of(request)
    app_id = snowflake_param(request, "app_id", UNKNOWN_COMMAND)
    if app_id != ctx.world.application_id:
        raise web.HTTPNotFound()
    if "guild_id" not in request.match_info:
        return None
    guild_id = snowflake_param(request, "guild_id", UNKNOWN_GUILD)
    if guild_id not in ctx.world.guilds:
        not_found(UNKNOWN_GUILD)
    return guild_id


async def put_commands(request: web.Request) -> web.Response:
    """Bulk overwrite (what ``CommandTree.sync`` calls)."""
    scope = _command_scope(request)
    commands = body_of(request).json
    if not isinstance(commands, list):
        reject_invalid([Violation((), "BASE_TYPE_ARRAY", "Must be an array.")])
        commands = []
    commands = [c if isinstance(c, dict) else {} for c in commands]
    violations = [v for i, c in enumerate(commands) for v in check_command(c, (i,))]
    seen: set[tuple[object, object]] = set()
    for i, command in enumerate(commands):
        key = (command.get("name"), command.get("type") or 1)
        if key in seen:
            msg = "Application command names must be unique"
            violations.append(Violation((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", msg))
        seen.add(key)
    for kind, limit in MAX_COMMANDS.items():
        if sum(1 for c in commands if (c.get("type") or 1) == kind) > limit:
            msg = f"Must be {limit} or fewer in length."
            violations.append(Violation((), "BASE_TYPE_MAX_LENGTH", msg))
    reject_invalid(violations)
    stored = ctx_of(request).world.commands.overwrite(commands, scope)
    return json_response(stored)


async def get_commands(request: web.Request) -> web.Response:
    scope = _command_scope(request)
    return json_response(ctx_of(request).world.commands.list_for(scope))


async def post_command(request: web.Request) -> web.Response:
    scope = _command_scope(request)
    command = body_of(request).obj
    reject_invalid(check_command(command))
    store = ctx_of(request).world.commands
    existed = store.find(str(command.get("name")), scope, int(command.get("type", 1)))
    stored = store.upsert(command, scope)
    return json_response(stored, 200 if existed else 201)


async def delete_command(request: web.Request) -> web.Response:
    scope = _command_scope(request)
    command_id = snowflake_param(request, "command_id", UNKNOWN_COMMAND)
    if not ctx_of(request).world.commands.delete(command_id, scope):
        not_found(UNKNOWN_COMMAND)
    return no_content()


async def get_guild(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    guild = world.guilds.get(snowflake_param(request, "guild_id", UNKNOWN_GUILD))
    if guild is None:
        not_found(UNKNOWN_GUILD)
    data: Json = {**guild.partial_payload(), "roles": [r.payload() for r in guild.roles.values()]}
    data["approximate_member_count"] = len(guild.members)
    return json_response(data)


async def get_guild_channels(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    guild = world.guilds.get(snowflake_param(request, "guild_id", UNKNOWN_GUILD))
    if guild is None:
        not_found(UNKNOWN_GUILD)
    channels = [c.payload() for c in guild.channels.values() if not c.is_thread]
    return json_response(channels)


async def get_guild_member(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    guild = world.guilds.get(snowflake_param(request, "guild_id", UNKNOWN_GUILD))
    if guild is None:
        not_found(UNKNOWN_GUILD)
    member = guild.members.get(snowflake_param(request, "user_id", ("Unknown Member", 10007)))
    if member is None:
        not_found(("Unknown Member", 10007))
    return json_response(member.payload())


def _recipient(body: Json) -> int:
    raw = body.get("recipient_id")
    if raw is None:
        reject_invalid([Violation(("recipient_id",), "BASE_TYPE_REQUIRED", REQUIRED)])
    text = str(raw)
    if isinstance(raw, bool) or not text.isdigit():
        msg = f'Value "{text}" is not snowflake.'
        reject_invalid([Violation(("recipient_id",), "NUMBER_TYPE_COERCE", msg)])
    return int(text)


async def create_dm(request: web.Request) -> web.Response:
    """Open (or return the open) DM channel with a user. It opens even when the user closed
    their DMs or shares no server with the bot; sending to it is what Discord refuses."""
    world = ctx_of(request).world
    recipient = world.users.get(_recipient(body_of(request).obj))
    if recipient is None:
        not_found(UNKNOWN_USER)
    if recipient.bot:
        fail(400, CANNOT_MESSAGE_USER)  # bots cannot DM bots (nor themselves)
    return json_response(world.channel_payload(world.dm_channel(recipient.id)))


async def get_channel(request: web.Request) -> web.Response:
    world = ctx_of(request).world
    channel = world.channels.get(snowflake_param(request, "channel_id", UNKNOWN_CHANNEL))
    if channel is None:
        not_found(UNKNOWN_CHANNEL)
    return json_response(world.channel_payload(channel))


def add_routes(app: web.Application, prefix: str) -> None:
    r = app.router
    r.add_get(prefix + "/users/@me", get_me)
    r.add_post(prefix + "/users/@me/channels", create_dm)
    r.add_get(prefix + "/users/{user_id}", get_user)
    r.add_get(prefix + "/oauth2/applications/@me", get_application)
    r.add_get(prefix + "/applications/@me", get_application)
    r.add_get(prefix + "/gateway", get_gateway)
    r.add_get(prefix + "/gateway/bot", get_gateway_bot)
    for base in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
        r.add_put(prefix + base + "/commands", put_commands)
        r.add_get(prefix + base + "/commands", get_commands)
        r.add_post(prefix + base + "/commands", post_command)
        r.add_delete(prefix + base + "/commands/{command_id}", delete_command)
    r.add_get(prefix + "/guilds/{guild_id}", get_guild)
    r.add_get(prefix + "/guilds/{guild_id}/channels", get_guild_channels)
    r.add_get(prefix + "/guilds/{guild_id}/members/{user_id}", get_guild_member)
    r.add_get(prefix + "/channels/{channel_id}", get_channel)
