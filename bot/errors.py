"""One path for errors people see: UserFacingError text, or a short code for the rest."""

from __future__ import annotations

import logging
import secrets
import sqlite3

import discord
from discord import app_commands

from bot.answer import TimelyResponse, in_time
from bot.i18n_text import text
from bot.render import shorten
from bot.store import ReadTimedOut

log = logging.getLogger(__name__)
MESSAGE_LIMIT = 2000  # characters of a message's content (Discord refuses more)
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


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


def store_busy(error: BaseException) -> bool:
    """SQLite gave up waiting for a lock (another process wrote for longer than the store's
    busy timeout): nothing is wrong, the member can simply try again."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _BUSY_CODES  # extended codes keep the primary in the low byte
    return "locked" in str(error) or "busy" in str(error)


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
    if isinstance(error, ReadTimedOut):
        log.warning("read stopped during interaction %s: %s", interaction.id, error)
        return text(locale, "err_slow", seconds=f"{error.seconds:g}")
    if store_busy(error):
        log.warning("store busy during interaction %s: %s", interaction.id, error)
        return text(locale, "err_busy")
    code = secrets.token_hex(3)
    command = interaction.command.qualified_name if interaction.command else "?"
    log.error("error %s in /%s", code, command, exc_info=error)
    return text(locale, "err_unexpected", code=code)


async def answer_error(interaction: discord.Interaction, message: str) -> None:
    """Send `message` ephemerally, as a followup if the interaction was already answered
    (or deferred)."""
    message = shorten(message, MESSAGE_LIMIT)
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            return
        response = interaction.response
        if isinstance(response, TimelyResponse) and (not response.is_done() or response.deferred()):
            await response.send_message(message, ephemeral=True)  # after a deferral in flight
        elif response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


def answers_privately(interaction: discord.Interaction) -> bool:
    """Whether a slash command's answer is ephemeral: its `ephemeral` option (or that
    option's default) when it has one; the others (/daily, /help) always answer privately."""
    command = interaction.command
    parameter = (
        command.get_parameter("ephemeral") if isinstance(command, app_commands.Command) else None
    )
    if parameter is None:
        return True
    given = getattr(interaction.namespace, "ephemeral", None)
    return bool(parameter.default if given is None else given)


class PapersTree(app_commands.CommandTree[discord.Client]):
    """Command tree whose commands answer in time (see bot.answer), and whose errors end in
    an ephemeral answer, never 'interaction failed'."""

    async def _call(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.autocomplete:
            await super()._call(interaction)  # answered with choices; cannot be deferred
            return
        async with in_time(interaction, ephemeral=lambda: answers_privately(interaction)):
            await super()._call(interaction)

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if interaction.client.is_closed():  # shutting down: the HTTP session is gone
            name = interaction.command.qualified_name if interaction.command else "?"
            log.info("/%s interrupted: the bot is shutting down", name)
            return
        await answer_error(interaction, describe(interaction, error))
