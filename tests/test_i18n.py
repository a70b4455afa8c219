"""One table of strings per language serves the command tree and the rendered answers."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import discord
import pytest
from discord import app_commands

from bot import i18n_text
from bot.i18n_text import COMMANDS, DEFAULT_LOCALE, TEXT, text
from bot.translator import Translator

Location = app_commands.TranslationContextLocation
OTHER: Final = Location.other
OtherContext: TypeAlias = app_commands.TranslationContext[Literal[Location.other], None]


async def translated(message: str, locale: discord.Locale) -> str | None:
    context: OtherContext = app_commands.TranslationContext(OTHER, None)
    return await Translator().translate(app_commands.locale_str(message), locale, context)


def test_every_language_has_every_string() -> None:
    english = set(TEXT[DEFAULT_LOCALE])
    assert DEFAULT_LOCALE not in COMMANDS  # the commands are declared in English
    assert set(COMMANDS) == set(TEXT) - {DEFAULT_LOCALE}
    first = next(iter(COMMANDS.values()))
    for lang in TEXT:
        assert set(TEXT[lang]) == english, lang
    for lang, strings in COMMANDS.items():
        assert set(strings) == set(first), lang
        assert all(strings.values()), lang


async def test_korean_clients_get_korean_commands_and_answers() -> None:
    assert await translated("paper", discord.Locale.korean) == "논문"
    assert text("ko", "authors") == "저자"
    assert await translated("paper", discord.Locale.american_english) is None
    assert text("en-US", "authors") == "Authors"


async def test_a_language_added_to_the_tables_reaches_commands_and_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding a language is one edit of bot/i18n_text.py: the command tree's translator and
    the rendered text both pick it up."""
    monkeypatch.setitem(i18n_text.TEXT, "ja", {**TEXT["en"], "authors": "著者"})
    monkeypatch.setitem(i18n_text.COMMANDS, "ja", {"paper": "論文"})

    assert text("ja", "authors") == "著者"
    assert await translated("paper", discord.Locale.japanese) == "論文"
    assert await translated("search", discord.Locale.japanese) is None  # left in English
