"""Channel messages, history, threads, typing and reactions."""

from __future__ import annotations

import time

from aiohttp import web

from papers_sandbox.context import SandboxContext, ctx_of
from papers_sandbox.http_util import (
    CANNOT_EDIT_OTHERS,
    CANNOT_MESSAGE_USER,
    EMPTY_MESSAGE,
    THREAD_EXISTS,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    fail,
    json_response,
    no_content,
    not_found,
    query_int,
    reject_invalid,
    snowflake_param,
)
from papers_sandbox.http_util import body_of as _body
from papers_sandbox.limits import check_message, check_thread_name, is_empty_message
from papers_sandbox.messages import MessageSource, apply_edit, build_message, gateway_message
from papers_sandbox.models import DM_CHANNEL, PUBLIC_THREAD, Channel, Json

HAS_THREAD = 1 << 5


def _channel(request: web.Request) -> Channel:
    world = ctx_of(request).world
    channel = world.channels.get(snowflake_param(request, "channel_id", UNKNOWN_CHANNEL))
    if channel is None:
        not_found(UNKNOWN_CHANNEL)
    return channel


def _message(request: web.Request, channel: Channel) -> Json:
    message_id = snowflake_param(request, "message_id", UNKNOWN_MESSAGE)
    message = ctx_of(request).world.message(channel.id, message_id)
    if message is None:
        not_found(UNKNOWN_MESSAGE)
    return message


def _deduplicated(ctx: SandboxContext, channel: Channel, body: Json) -> Json | None:
    """With ``enforce_nonce``, a repeated nonce in the same channel returns the original."""
    nonce = body.get("nonce")
    if nonce is None or not body.get("enforce_nonce"):
        return None
    seen = ctx.nonces.get((channel.id, str(nonce)))
    if seen is None or time.monotonic() - seen[0] > ctx.config.nonce_window:
        return None
    return ctx.world.message(channel.id, seen[1])


async def create_message(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    channel = _channel(request)
    parsed = _body(request)
    body = parsed.obj
    reject_invalid(check_message(body, [f.filename for f in parsed.files]))
    if is_empty_message(body, has_files=bool(parsed.files)):
        fail(400, EMPTY_MESSAGE)
    if channel.type == DM_CHANNEL and not ctx.world.can_dm(channel.recipient_ids[0]):
        fail(403, CANNOT_MESSAGE_USER)  # DMs closed, a bot, or no server shared any more
    original = _deduplicated(ctx, channel, body)
    if original is not None:
        return json_response(original)
    source = MessageSource(ctx.world.bot_user)
    message = build_message(ctx.world, channel, source, body, parsed.files)
    if body.get("nonce") is not None:
        ctx.nonces[(channel.id, str(body["nonce"]))] = (time.monotonic(), int(message["id"]))
    ctx.gateway.dispatch("MESSAGE_CREATE", gateway_message(ctx.world, message))
    return json_response(message)


def _history(messages: list[Json], request: web.Request) -> list[Json]:
    limit = max(1, min(query_int(request, "limit", 50) or 50, 100))
    before = query_int(request, "before")
    after = query_int(request, "after")
    around = query_int(request, "around")
    if around is not None:
        older = [m for m in messages if int(m["id"]) <= around][-((limit + 1) // 2) :]
        newer = [m for m in messages if int(m["id"]) > around][: limit // 2]
        picked = older + newer
    elif after is not None:
        picked = [m for m in messages if int(m["id"]) > after][:limit]
    else:
        bound = before if before is not None else 1 << 63
        picked = [m for m in messages if int(m["id"]) < bound][-limit:]
    return list(reversed(picked))  # Discord returns newest first


async def list_messages(request: web.Request) -> web.Response:
    channel = _channel(request)
    return json_response(_history(ctx_of(request).world.messages(channel.id), request))


async def get_message(request: web.Request) -> web.Response:
    return json_response(_message(request, _channel(request)))


async def edit_message(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    channel = _channel(request)
    message = _message(request, channel)
    if int(message["author"]["id"]) != ctx.world.bot_user.id:
        fail(403, CANNOT_EDIT_OTHERS)
    parsed = _body(request)
    reject_invalid(check_message(parsed.obj, [f.filename for f in parsed.files]))
    apply_edit(ctx.world, message, parsed.obj, parsed.files)
    ctx.gateway.dispatch("MESSAGE_UPDATE", gateway_message(ctx.world, message))
    return json_response(message)


async def delete_message(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    channel = _channel(request)
    message = _message(request, channel)
    ctx.world.delete_message(channel.id, int(message["id"]))
    data: Json = {"id": message["id"], "channel_id": message["channel_id"]}
    if "guild_id" in message:
        data["guild_id"] = message["guild_id"]
    ctx.gateway.dispatch("MESSAGE_DELETE", data)
    return no_content()


def _new_thread(ctx: SandboxContext, parent: Channel, body: Json, thread_id: int | None) -> Channel:
    reject_invalid(check_thread_name(body.get("name")))
    if parent.guild_id is None or parent.is_thread:
        fail(400, ("Cannot execute action on this channel type", 50024))
    kind = int(body.get("type") or PUBLIC_THREAD)
    thread = ctx.world.add_channel(
        parent.guild_id, str(body["name"]), type=kind, parent_id=parent.id, channel_id=thread_id
    )
    thread.owner_id = ctx.world.bot_user.id
    data = {**thread.payload(), "newly_created": True}
    ctx.gateway.dispatch("THREAD_CREATE", data)
    return thread


async def create_thread_from_message(request: web.Request) -> web.Response:
    """The thread takes the starter message's id, like on Discord."""
    ctx = ctx_of(request)
    channel = _channel(request)
    message = _message(request, channel)
    if message.get("thread") is not None:
        fail(400, THREAD_EXISTS)
    thread = _new_thread(ctx, channel, _body(request).obj, int(message["id"]))
    message["thread"] = thread.payload()
    message["flags"] = int(message.get("flags", 0)) | HAS_THREAD
    return json_response(thread.payload(), 201)


async def create_thread(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    thread = _new_thread(ctx, _channel(request), _body(request).obj, None)
    return json_response(thread.payload(), 201)


async def typing(request: web.Request) -> web.Response:
    _channel(request)
    return no_content()


async def add_reaction(request: web.Request) -> web.Response:
    message = _message(request, _channel(request))
    emoji = request.match_info["emoji"]
    reactions: list[Json] = message.setdefault("reactions", [])
    for reaction in reactions:
        if reaction["emoji"]["name"] == emoji:
            reaction["count"] += 0 if reaction["me"] else 1
            reaction["me"] = True
            return no_content()
    reactions.append({"emoji": {"id": None, "name": emoji}, "count": 1, "me": True})
    return no_content()


def add_routes(app: web.Application, prefix: str) -> None:
    r = app.router
    base = prefix + "/channels/{channel_id}"
    r.add_post(base + "/messages", create_message)
    r.add_get(base + "/messages", list_messages)
    r.add_get(base + "/messages/{message_id}", get_message)
    r.add_patch(base + "/messages/{message_id}", edit_message)
    r.add_delete(base + "/messages/{message_id}", delete_message)
    r.add_post(base + "/messages/{message_id}/threads", create_thread_from_message)
    r.add_put(base + "/messages/{message_id}/reactions/{emoji}/@me", add_reaction)
    r.add_post(base + "/threads", create_thread)
    r.add_post(base + "/typing", typing)
