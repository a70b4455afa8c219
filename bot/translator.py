"""The slash commands' names and descriptions in the member's language (English is the
default); the strings themselves are in bot/i18n_text.py `COMMANDS`."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n_text import command_text


class Translator(app_commands.Translator):
    """Looks every command string up in the client's language; English clients see English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,  # type: ignore[type-arg]
    ) -> str | None:
        return command_text(locale.value, string.message)
