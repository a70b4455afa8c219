"""Embeds within every limit (shrunk where they are not) and packed into messages."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import discord

from bot.render.limits import (
    AUTHOR_NAME_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from bot.render.text import md_shorten


def _size(data: dict[str, Any]) -> int:
    """`len(embed)` of an embed's dict: the characters Discord counts towards 6000."""
    fields = data.get("fields", [])
    parts = [data.get("title"), data.get("description"), data.get("footer", {}).get("text")]
    parts.append(data.get("author", {}).get("name"))
    return sum(len(p or "") for p in parts) + sum(len(f["name"]) + len(f["value"]) for f in fields)


def _parts(data: dict[str, Any]) -> list[tuple[dict[str, Any], str, int, int]]:
    """(container, key, per-part limit, floor), in the order they give way when too long."""
    fields = data.get("fields", [])
    parts = [(data, "description", DESCRIPTION_LIMIT, 0)]
    parts += [(f, "value", FIELD_VALUE_LIMIT, 1) for f in reversed(fields)]
    parts += [(data.get("footer", {}), "text", FOOTER_LIMIT, 0)]
    parts += [(f, "name", FIELD_NAME_LIMIT, 1) for f in reversed(fields)]
    parts += [(data.get("author", {}), "name", AUTHOR_NAME_LIMIT, 1)]
    return [*parts, (data, "title", TITLE_LIMIT, 0)]


def fit_embed(embed: discord.Embed, limit: int = EMBED_TOTAL_LIMIT) -> discord.Embed:
    """`embed` itself when within every limit and `limit` total, else a shrunk copy."""
    data: dict[str, Any] = copy.deepcopy(dict(embed.to_dict()))
    if len(data.get("fields", [])) > FIELD_COUNT_LIMIT:
        data["fields"] = data["fields"][:FIELD_COUNT_LIMIT]
    for box, key, part_limit, floor in _parts(data):
        value = str(box.get(key) or "")
        excess = max(len(value) - part_limit, _size(data) - limit)
        if value and excess > 0:
            box[key] = md_shorten(value, max(floor, len(value) - excess))
    while _size(data) > limit and data.get("fields"):
        data["fields"].pop()
    if data == dict(embed.to_dict()):
        return embed
    for key in ("title", "description"):
        if not data.get(key):
            data.pop(key, None)
    if not data.get("footer", {}).get("text"):
        data.pop("footer", None)
    return discord.Embed.from_dict(data)


def pack_embeds(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds in order, greedily grouped into messages of <= 10 embeds and <= 6000 chars."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    total = 0
    for embed in map(fit_embed, embeds):
        size = len(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_LIMIT):
            messages.append(current)
            current, total = [], 0
        current.append(embed)
        total += size
    if current:
        messages.append(current)
    return messages


def signature(content: str | None, embeds: Sequence[discord.Embed]) -> tuple[str, tuple[str, ...]]:
    """What identifies a sent message when a post or an alert looks for it in the channel's
    or DM's history: its text and its cards' titles and links."""
    return (content or "", tuple(f"{e.title or ''}|{e.url or ''}" for e in embeds))
