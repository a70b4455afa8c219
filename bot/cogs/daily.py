"""Daily digest posts (scheduling, /daily commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup_daily(bot: PapersBot) -> None:
    """Nothing yet: daily posts arrive with their own cog."""
