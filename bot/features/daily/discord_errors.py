"""What a Discord HTTP error means for a daily post: whose trouble it is, and in words."""

from __future__ import annotations

import discord


def transient(exc: discord.HTTPException) -> bool:
    """429s and 5xx that outlasted discord.py's retries: Discord's trouble, gone by a later
    tick. Unlike a 403 or 404 they say nothing about the channel and must not pause it."""
    return exc.status == 429 or exc.status >= 500


def describe_http(exc: discord.HTTPException) -> str:
    """A short reason for /daily status: what Discord said, in words an admin can act on."""
    if isinstance(exc, discord.Forbidden):
        return f"Missing permissions in this channel (HTTP 403, code {exc.code})"
    if isinstance(exc, discord.NotFound):
        return f"Channel or message not found (HTTP 404, code {exc.code})"
    return f"Discord error HTTP {exc.status}: {exc.text[:200]}"
