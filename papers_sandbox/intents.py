"""Which dispatches a session receives given its intents, and message-content redaction."""

from __future__ import annotations

from typing import Any

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15

GUILD_EVENTS = {
    "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "CHANNEL_CREATE", "CHANNEL_UPDATE",
    "CHANNEL_DELETE", "THREAD_CREATE", "THREAD_UPDATE", "THREAD_DELETE",
}  # fmt: skip
MEMBER_EVENTS = {"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"}
MESSAGE_EVENTS = {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK"}
REDACTED_FIELDS = {"content": "", "embeds": [], "attachments": [], "components": []}


def _required(event: str, data: Any) -> int:
    if event in GUILD_EVENTS:
        return GUILDS
    if event in MEMBER_EVENTS:
        return GUILD_MEMBERS
    if event in MESSAGE_EVENTS:
        in_guild = isinstance(data, dict) and data.get("guild_id") is not None
        return GUILD_MESSAGES if in_guild else DIRECT_MESSAGES
    return 0


def _redact(data: dict[str, Any], bot_id: int) -> dict[str, Any]:
    """Without MESSAGE_CONTENT, Discord blanks content of others' guild messages."""
    author = data.get("author") or {}
    mentioned = any(int(u["id"]) == bot_id for u in data.get("mentions") or [])
    if data.get("guild_id") is None or int(author.get("id", 0)) == bot_id or mentioned:
        return data
    return {**data, **REDACTED_FIELDS}


def _only_self(data: dict[str, Any], bot_id: int) -> dict[str, Any]:
    """Without GUILD_MEMBERS, GUILD_CREATE lists only the bot itself (member_count stays)."""
    members = [m for m in data.get("members") or [] if int(m["user"]["id"]) == bot_id]
    return {**data, "members": members}


def filter_dispatch(event: str, data: Any, intents: int, bot_id: int) -> Any | None:
    """The data this session should get for ``event`` (None = not delivered)."""
    required = _required(event, data)
    if required and not intents & required:
        return None
    if event == "GUILD_CREATE" and not intents & GUILD_MEMBERS and isinstance(data, dict):
        return _only_self(data, bot_id)
    content_event = event in ("MESSAGE_CREATE", "MESSAGE_UPDATE")
    if content_event and not intents & MESSAGE_CONTENT and isinstance(data, dict):
        return _redact(data, bot_id)
    return data
