"""Interaction callbacks (``/interactions/{id}/{token}/callback``) and the interaction
webhook (followups, ``@original`` get/edit/delete)."""

from __future__ import annotations

import time

from aiohttp import web

from papers_sandbox.context import SandboxContext, ctx_of
from papers_sandbox.http_util import (
    ALREADY_ACKNOWLEDGED,
    EMPTY_MESSAGE,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordError,
    body_of,
    fail,
    json_response,
    no_content,
    not_found,
    query_flag,
    reject_invalid,
)
from papers_sandbox.interaction_messages import (
    callback_body,
    create_response_message,
    edit_interaction_message,
    remove_interaction_message,
)
from papers_sandbox.interaction_state import (
    ALLOWED_CALLBACKS,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from papers_sandbox.limits import (
    Violation,
    check_choices,
    check_message,
    check_modal,
    is_empty_message,
)
from papers_sandbox.models import Json


def _callback_record(request: web.Request) -> InteractionRecord:
    ctx = ctx_of(request)
    raw_id = request.match_info["interaction_id"]
    record = ctx.interactions.by_id.get(int(raw_id)) if raw_id.isdigit() else None
    if record is None or record.token != request.match_info["token"]:
        not_found(UNKNOWN_INTERACTION)
    return record


def _check_callback(ctx: SandboxContext, record: InteractionRecord, kind: int) -> None:
    if record.acknowledged:
        fail(400, ALREADY_ACKNOWLEDGED)
    if time.monotonic() - record.dispatched_at > ctx.config.callback_deadline:
        not_found(UNKNOWN_INTERACTION)  # Discord forgets interactions not answered in 3 s
    if kind not in ALLOWED_CALLBACKS.get(record.type, frozenset()):
        msg = f"Callback type {kind} is not valid for interaction type {record.type}"
        reject_invalid([Violation(("type",), "INTERACTION_CALLBACK_TYPE_INVALID", msg)])


def _message_data(request: web.Request) -> Json:
    data = body_of(request).obj.get("data")
    return data if isinstance(data, dict) else {}


def _in_data(violations: list[Violation]) -> list[Violation]:
    """Callback bodies nest the message under ``data``; so do Discord's error paths."""
    return [Violation(("data", *v.path), v.code, v.message) for v in violations]


def _apply_callback(
    ctx: SandboxContext, record: InteractionRecord, kind: int, request: web.Request
) -> Json | None:
    """Validate and perform the callback; returns the message it created or updated."""
    data = _message_data(request)
    files = body_of(request).files
    if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
        reject_invalid(_in_data(check_message(data, [f.filename for f in files])))
    if kind == CHANNEL_MESSAGE:
        if is_empty_message(data, has_files=bool(files)):
            fail(400, EMPTY_MESSAGE)
        return create_response_message(ctx, record, data, files, original=True)
    if kind == DEFERRED_CHANNEL_MESSAGE:
        return create_response_message(ctx, record, data, [], original=True, loading=True)
    if kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
        record.original_id = record.component_message_id
        if kind == DEFERRED_UPDATE_MESSAGE or record.original_id is None:
            return None
        return edit_interaction_message(ctx, record, record.original_id, data, files)
    if kind == AUTOCOMPLETE_RESULT:
        choices = list(data.get("choices") or [])
        reject_invalid(_in_data(check_choices(choices)))
        record.choices = choices
    elif kind == MODAL:
        reject_invalid(_in_data(check_modal(data)))
        record.modal = data
    return None


async def interaction_callback(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    record = _callback_record(request)
    kind = int(body_of(request).obj.get("type", 0))
    try:
        _check_callback(ctx, record, kind)
        message = _apply_callback(ctx, record, kind, request)
    except DiscordError as exc:
        record.rejections.append({"status": exc.status, **exc.body})
        ctx.interactions.touch()
        raise
    record.callback_type = kind
    record.callback_data = _message_data(request)
    record.callback_at = time.monotonic()
    ctx.interactions.touch()
    if not query_flag(request, "with_response"):
        return no_content()
    return json_response(callback_body(record, kind, message))


def _webhook_record(request: web.Request) -> InteractionRecord:
    ctx = ctx_of(request)
    record = ctx.interactions.by_token.get(request.match_info["token"])
    app_id = request.match_info["webhook_id"]
    if record is None or app_id != str(ctx.world.application_id) or not record.acknowledged:
        not_found(UNKNOWN_WEBHOOK)
    if time.monotonic() - record.dispatched_at > ctx.config.token_lifetime:
        fail(401, ("Invalid Webhook Token", 50027))
    return record


async def execute_webhook(request: web.Request) -> web.Response:
    """A followup. After a deferred (type 5) callback the first one fills the loading message."""
    ctx = ctx_of(request)
    record = _webhook_record(request)
    parsed = body_of(request)
    reject_invalid(check_message(parsed.obj, [f.filename for f in parsed.files]))
    if is_empty_message(parsed.obj, has_files=bool(parsed.files)):
        fail(400, EMPTY_MESSAGE)
    if record.original_loading and record.original_id is not None:
        message = edit_interaction_message(
            ctx, record, record.original_id, parsed.obj, parsed.files
        )
    else:
        message = create_response_message(ctx, record, parsed.obj, parsed.files)
    record.followup_ids.append(int(message["id"]))
    ctx.interactions.touch()
    return json_response(message) if query_flag(request, "wait") else no_content()


def _webhook_message(request: web.Request, record: InteractionRecord) -> Json:
    raw = request.match_info["message_id"]
    if raw == "@original":
        message_id = record.original_id
    else:
        message_id = int(raw) if raw.isdigit() else None
        if message_id not in record.message_ids():
            message_id = None
    message = None if message_id is None else ctx_of(request).world.find_message(message_id)
    if message is None:
        not_found(UNKNOWN_MESSAGE)
    return message


async def get_webhook_message(request: web.Request) -> web.Response:
    record = _webhook_record(request)
    return json_response(_webhook_message(request, record))


async def edit_webhook_message(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    record = _webhook_record(request)
    message = _webhook_message(request, record)
    parsed = body_of(request)
    reject_invalid(check_message(parsed.obj, [f.filename for f in parsed.files]))
    edited = edit_interaction_message(ctx, record, int(message["id"]), parsed.obj, parsed.files)
    record.edits += 1
    ctx.interactions.touch()
    return json_response(edited)


async def delete_webhook_message(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    record = _webhook_record(request)
    message = _webhook_message(request, record)
    remove_interaction_message(ctx, record, message)
    ctx.interactions.touch()
    return no_content()


def add_routes(app: web.Application, prefix: str) -> None:
    r = app.router
    r.add_post(prefix + "/interactions/{interaction_id}/{token}/callback", interaction_callback)
    hook = prefix + "/webhooks/{webhook_id}/{token}"
    r.add_post(hook, execute_webhook)
    r.add_get(hook + "/messages/{message_id}", get_webhook_message)
    r.add_patch(hook + "/messages/{message_id}", edit_webhook_message)
    r.add_delete(hook + "/messages/{message_id}", delete_webhook_message)
