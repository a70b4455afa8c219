"""One path for errors people see: UserFacingError text, or a short code for the rest."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.i18n_text import text

log = logging.getLogger(__name__)


class UserFacingError(Exception):
    """An error whose message is meant for the member who ran the command."""


def unwrap(error: BaseException) -> BaseException:
    """The exception a command raised, out of discord.py's invoke/transform wrappers."""
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ or getattr(error, "original", None)
        if inner is None:
            break
        error = inner
    return error


def describe(interaction: discord.Interaction, error: BaseException) -> str:
    """What to tell the member; anything unexpected is logged with a code they can quote."""
    locale = str(interaction.locale)
    error = unwrap(error)
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.CheckFailure):
        if isinstance(error, app_commands.MissingPermissions):
            return text(locale, "err_permissions")
        if isinstance(error, app_commands.NoPrivateMessage):
            return text(locale, "err_guild_only")
        return text(locale, "err_check")
    if isinstance(error, app_commands.CommandOnCooldown):
        return text(locale, "err_cooldown", seconds=f"{error.retry_after:.0f}")
    code = secrets.token_hex(3)
    command = interaction.command.qualified_name if interaction.command else "?"
    log.error("error %s in /%s", code, command, exc_info=error)
    return text(locale, "err_unexpected", code=code)


async def answer_error(interaction: discord.Interaction, message: str) -> None:
    """Send `message` ephemerally, as a followup if the interaction was already answered."""
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            return
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


class PapersTree(app_commands.CommandTree[discord.Client]):
    """Command tree whose errors end in an ephemeral answer, never 'interaction failed'."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if interaction.client.is_closed():  # shutting down: the HTTP session is gone
            name = interaction.command.qualified_name if interaction.command else "?"
            log.info("/%s interrupted: the bot is shutting down", name)
            return
        await answer_error(interaction, describe(interaction, error))
