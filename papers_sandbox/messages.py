"""Building and editing message payloads the way Discord returns them."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from papers_sandbox.http_util import UploadedFile
from papers_sandbox.models import Channel, Json, User
from papers_sandbox.snowflake import iso_now
from papers_sandbox.world import World

DEFAULT = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20
CONTEXT_MENU_COMMAND = 23
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
COMPONENTS_V2 = 1 << 15
SETTABLE_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2
MENTION_RE = re.compile(r"<@!?(\d+)>")
CDN = "https://cdn.sandbox.invalid/attachments"  # + /{channel_id}/{attachment_id}/{filename}
MIME_TYPES = mimetypes.MimeTypes()  # Python's own table only: the same on every machine


@dataclass
class MessageSource:
    """Who sends a message and on whose behalf."""

    author: User
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: Json | None = None
    message_type: int = DEFAULT


def _embeds(raw: object) -> list[Json]:
    if not isinstance(raw, list):
        return []
    return [{"type": "rich", **e} for e in raw if isinstance(e, dict)]


def _is_utf8_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def content_type_of(filename: str, data: bytes) -> str:
    """The type Discord reports: from the name's extension (discord.py sends every part as
    application/octet-stream), text types with their charset."""
    guessed = MIME_TYPES.guess_type(filename)[0]
    text = _is_utf8_text(data)
    if guessed is None:
        guessed = "text/plain" if text else "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") and text else guessed


def _attachments(
    world: World, channel_id: int, files: list[UploadedFile], declared: object, *, ephemeral: bool
) -> list[Json]:
    """Attachment objects for uploaded files; an ``attachments`` entry whose ``id`` is the
    file's ``n`` (``files[n]``) names and describes it."""
    items = declared if isinstance(declared, list) else []
    meta = {str(a.get("id")): a for a in items if isinstance(a, dict)}
    out: list[Json] = []
    for position, upload in enumerate(files):
        attachment_id = world.next_id()
        index = upload.index if upload.index is not None else position
        extra = meta.get(str(index), {})
        filename = str(extra.get("filename") or upload.filename)
        url = f"{CDN}/{channel_id}/{attachment_id}/{quote(filename)}"
        attachment: Json = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type_of(filename, upload.data),
            "ephemeral": ephemeral,
        }
        if extra.get("description"):
            attachment["description"] = extra["description"]
        world.uploads[attachment_id] = upload.data
        out.append(attachment)
    return out


def _mentions(world: World, content: str) -> list[Json]:
    ids = {int(i) for i in MENTION_RE.findall(content)}
    return [world.users[i].payload() for i in sorted(ids) if i in world.users]


def build_message(
    world: World,
    channel: Channel,
    source: MessageSource,
    body: Mapping[str, Any],
    files: list[UploadedFile] | None = None,
) -> Json:
    """A new message in ``channel`` from a create body; stored in the world."""
    content = str(body.get("content") or "")
    flags = int(body.get("flags") or 0) & SETTABLE_FLAGS
    ephemeral = bool(flags & EPHEMERAL)
    message: Json = {
        "id": str(world.next_id()),
        "channel_id": str(channel.id),
        "type": source.message_type,
        "content": content,
        "author": source.author.payload(),
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": _mentions(world, content),
        "mention_roles": [],
        "attachments": _attachments(
            world, channel.id, files or [], body.get("attachments"), ephemeral=ephemeral
        ),
        "embeds": _embeds(body.get("embeds")),
        "components": list(body.get("components") or []),
        "reactions": [],
        "pinned": False,
        "flags": flags,
    }
    _add_context(world, message, channel, source, body)
    return world.store_message(message)


def _add_context(
    world: World, message: Json, channel: Channel, source: MessageSource, body: Mapping[str, Any]
) -> None:
    if channel.guild_id is not None:
        message["guild_id"] = str(channel.guild_id)
    if body.get("nonce") is not None:
        message["nonce"] = body["nonce"]
    if source.webhook_id is not None:
        message["webhook_id"] = str(source.webhook_id)
    if source.application_id is not None:
        message["application_id"] = str(source.application_id)
    if source.interaction_metadata is not None:
        message["interaction_metadata"] = source.interaction_metadata
    reference = body.get("message_reference")
    if isinstance(reference, dict) and reference.get("message_id"):
        _add_reference(world, message, channel, reference)


def _add_reference(world: World, message: Json, channel: Channel, reference: Json) -> None:
    ref_channel = int(reference.get("channel_id") or channel.id)
    message["type"] = REPLY
    message["message_reference"] = {
        "type": 0,
        "message_id": str(reference["message_id"]),
        "channel_id": str(ref_channel),
        "guild_id": str(channel.guild_id) if channel.guild_id else None,
    }
    message["referenced_message"] = world.message(ref_channel, int(reference["message_id"]))


def apply_edit(
    world: World, message: Json, body: Mapping[str, Any], files: list[UploadedFile] | None = None
) -> Json:
    """Apply a PATCH body to a stored message in place (Discord keeps omitted fields)."""
    if "content" in body:
        message["content"] = str(body.get("content") or "")
        message["mentions"] = _mentions(world, message["content"])
    if "embeds" in body:
        message["embeds"] = _embeds(body.get("embeds"))
    if "components" in body:
        message["components"] = list(body.get("components") or [])
    if "flags" in body and body["flags"] is not None:
        keep = int(message.get("flags", 0)) & ~SUPPRESS_EMBEDS
        message["flags"] = keep | (int(body["flags"]) & SUPPRESS_EMBEDS)
    _edit_attachments(world, message, body, files or [])
    message["edited_timestamp"] = iso_now()
    return message


def _edit_attachments(
    world: World, message: Json, body: Mapping[str, Any], files: list[UploadedFile]
) -> None:
    declared = body.get("attachments")
    if declared is None and not files:
        return
    kept_ids = {str(a.get("id")) for a in declared or [] if isinstance(a, dict)}
    kept = [a for a in message.get("attachments", []) if a["id"] in kept_ids]
    ephemeral = bool(int(message.get("flags", 0)) & EPHEMERAL)
    new = _attachments(world, int(message["channel_id"]), files, declared, ephemeral=ephemeral)
    message["attachments"] = kept + new


def gateway_message(world: World, message: Json) -> Json:
    """MESSAGE_CREATE/UPDATE data: the message plus the author's partial member in guilds."""
    data = dict(message)
    guild_id = message.get("guild_id")
    author_id = int(message["author"]["id"])
    if guild_id is not None and "webhook_id" not in message:
        member = world.guild(int(guild_id)).members.get(author_id)
        if member is not None:
            data["member"] = member.payload(with_user=False)
    return data
