"""What a Discord error means for a daily post: a 429 or 5xx is Discord's trouble (retried,
never pausing the channel); a 403 or 404 is the channel's, told in words an admin can act on."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.features.daily.discord_errors import describe_http, transient


def error(
    cls: type[discord.HTTPException], status: int, code: int, message: str
) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="x")
    return cls(response, {"code": code, "message": message})


@pytest.mark.parametrize(
    ("exc", "is_transient", "reason"),
    [
        (
            error(discord.Forbidden, 403, 50013, "Missing Permissions"),
            False,
            "Missing permissions in this channel (HTTP 403, code 50013)",
        ),
        (
            error(discord.NotFound, 404, 10003, "Unknown Channel"),
            False,
            "Channel or message not found (HTTP 404, code 10003)",
        ),
        (
            error(discord.HTTPException, 429, 0, "You are being rate limited."),
            True,
            "Discord error HTTP 429: You are being rate limited.",
        ),
        (
            error(discord.DiscordServerError, 503, 0, "upstream"),
            True,
            "Discord error HTTP 503: upstream",
        ),
        (
            error(discord.HTTPException, 400, 50035, "Invalid Form Body"),
            False,
            "Discord error HTTP 400: Invalid Form Body",
        ),
    ],
)
def test_a_discord_error_is_told_apart_and_in_words(
    exc: discord.HTTPException, is_transient: bool, reason: str
) -> None:
    assert transient(exc) is is_transient
    assert describe_http(exc) == reason
