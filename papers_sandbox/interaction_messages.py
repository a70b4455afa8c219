"""Messages created, edited and deleted through an interaction's callback or webhook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from papers_sandbox.context import SandboxContext
from papers_sandbox.http_util import UNKNOWN_CHANNEL, UNKNOWN_MESSAGE, UploadedFile, not_found
from papers_sandbox.interaction_payloads import integration_owners
from papers_sandbox.interaction_state import APPLICATION_COMMAND, InteractionRecord
from papers_sandbox.limits import CHAT_INPUT, MESSAGE_COMMAND
from papers_sandbox.messages import (
    CHAT_INPUT_COMMAND,
    CONTEXT_MENU_COMMAND,
    DEFAULT,
    EPHEMERAL,
    LOADING,
    MessageSource,
    apply_edit,
    build_message,
    gateway_message,
)
from papers_sandbox.models import Json


def interaction_metadata(ctx: SandboxContext, record: InteractionRecord) -> Json:
    user = ctx.world.users[record.user_id]
    owners = integration_owners(record.guild_id)
    data: Json = {
        "id": str(record.id),
        "type": record.type,
        "user": user.payload(),
        "authorizing_integration_owners": owners,
    }
    if record.type == APPLICATION_COMMAND:
        data.update(name=record.command_name, command_type=record.command_type)
        target = (record.payload.get("data") or {}).get("target_id")
        if record.command_type == MESSAGE_COMMAND and target is not None:
            data["target_message_id"] = str(target)
    elif record.component_message_id is not None:
        data["interacted_message_id"] = str(record.component_message_id)
    return data


def _notify(ctx: SandboxContext, event: str, message: Json) -> None:
    if not int(message.get("flags", 0)) & EPHEMERAL:
        ctx.gateway.dispatch(event, gateway_message(ctx.world, message))


def create_response_message(
    ctx: SandboxContext,
    record: InteractionRecord,
    data: Mapping[str, Any],
    files: list[UploadedFile],
    *,
    original: bool = False,
    loading: bool = False,
) -> Json:
    """A message sent for the interaction: the original response or a followup."""
    channel = ctx.world.channels.get(record.channel_id)
    if channel is None:
        not_found(UNKNOWN_CHANNEL)
    app_id = ctx.world.application_id
    kind = DEFAULT
    if record.type == APPLICATION_COMMAND:
        slash = record.command_type == CHAT_INPUT
        kind = CHAT_INPUT_COMMAND if slash else CONTEXT_MENU_COMMAND
    metadata = interaction_metadata(ctx, record)
    source = MessageSource(ctx.world.bot_user, app_id, app_id, metadata, kind)
    body = {**data, "content": "" if loading else data.get("content")}
    message = build_message(ctx.world, channel, source, body, files)
    if loading:
        message["flags"] = int(message["flags"]) | LOADING
    if original:
        record.original_id = int(message["id"])
        record.original_loading = loading
        record.ephemeral = bool(int(message["flags"]) & EPHEMERAL)
    _notify(ctx, "MESSAGE_CREATE", message)
    return message


def edit_interaction_message(
    ctx: SandboxContext,
    record: InteractionRecord,
    message_id: int,
    data: Mapping[str, Any],
    files: list[UploadedFile],
) -> Json:
    """Edit one of the interaction's messages; editing the loading message completes it."""
    message = ctx.world.find_message(message_id)
    if message is None:
        not_found(UNKNOWN_MESSAGE)
    apply_edit(ctx.world, message, data, files)
    if int(message.get("flags", 0)) & LOADING:
        message["flags"] = int(message["flags"]) & ~LOADING
        message["edited_timestamp"] = None  # completing a deferral is not an "edit"
    if message_id == record.original_id:
        record.original_loading = False
    _notify(ctx, "MESSAGE_UPDATE", message)
    return message


def remove_interaction_message(
    ctx: SandboxContext, record: InteractionRecord, message: Json
) -> None:
    ctx.world.delete_message(int(message["channel_id"]), int(message["id"]))
    record.deleted_ids.append(int(message["id"]))
    if not int(message.get("flags", 0)) & EPHEMERAL:
        data: Json = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            data["guild_id"] = message["guild_id"]
        ctx.gateway.dispatch("MESSAGE_DELETE", data)


def callback_body(record: InteractionRecord, kind: int, message: Json | None) -> Json:
    """The ``?with_response=1`` body discord.py parses into InteractionCallbackResponse."""
    interaction: Json = {
        "id": str(record.id),
        "type": record.type,
        "response_message_loading": bool(message and int(message["flags"]) & LOADING),
        "response_message_ephemeral": bool(message and int(message["flags"]) & EPHEMERAL),
    }
    if message is not None:
        interaction["response_message_id"] = message["id"]
    resource: Json = {"type": kind}
    if message is not None:
        resource["message"] = message
    return {"interaction": interaction, "resource": resource}
