"""`papers-bot run` and `papers-bot sync`: the real bot, with DISCORD_TOKEN from the environment."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import sys

import discord

from bot.app import PapersBot, keep_startup_objects
from bot.config import Config
from bot.endpoints import point_discord_py_at
from bot.store import Database
from bot.summaries.client import BadKey, key_from_env

log = logging.getLogger(__name__)
TOKEN_VAR = "DISCORD_TOKEN"
NO_TOKEN = (
    f"papers-bot: {TOKEN_VAR} is not set. Create a bot at https://discord.com/developers/"
    f"applications, then run:  {TOKEN_VAR}=... papers-bot run\n"
    "To see the bot work without Discord first, run:  papers-bot sandbox"
)


# A token is one line of printable ASCII (letters, digits, '.', '-', '_' in practice).
_TOKEN = re.compile(r"[\x21-\x7e]+")
MALFORMED_TOKEN = (
    f"papers-bot: the token in {TOKEN_VAR} is malformed: it contains a line break, space, "
    "control or non-ASCII character (it is not printed here). Set it to the token alone."
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("run", help=f"run the bot (needs {TOKEN_VAR} in the environment)")
    sub.add_parser("sync", help="sync slash commands now (globally or to discord.sync_guilds)")


class RedactToken(logging.Filter):
    """Belt and braces: no log line ever carries the token, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "[token]"), None
        return True


def token_from_env() -> str | None:
    token = os.environ.get(TOKEN_VAR, "").strip()
    if not token:
        return None
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    return token


def token_problem() -> str | None:
    """What is wrong with DISCORD_TOKEN, if anything (checked before the database opens)."""
    token = os.environ.get(TOKEN_VAR, "").strip()
    if not token:
        return NO_TOKEN
    if not _TOKEN.fullmatch(token):  # would fail deep in aiohttp as an invalid header
        return MALFORMED_TOKEN
    return None


def summaries_problem(config: Config) -> str | None:
    """What is wrong with PAPERS_BOT_LLM_KEY when summaries are on (checked before starting)."""
    if config.summaries.api_base is None:
        return None
    try:
        key_from_env()
    except BadKey as e:
        return f"papers-bot: {e}"
    return None


async def run(args: argparse.Namespace, config: Config, db: Database) -> int:
    problem = token_problem() or (summaries_problem(config) if args.command == "run" else None)
    token = token_from_env()
    if problem is not None or token is None:
        print(problem or NO_TOKEN, file=sys.stderr)
        return 2
    point_discord_py_at(config.discord.api_base, config.discord.gateway_url)
    if args.command == "sync":
        config = dataclasses.replace(
            config, discord=dataclasses.replace(config.discord, sync_on_start=False)
        )
    bot = PapersBot(config, db)
    try:
        async with bot:
            if args.command == "sync":
                await bot.login(token)
                for line in await bot.sync_commands():
                    print(f"synced {line}")
                return 0
            keep_startup_objects()
            await bot.start(token)
    except discord.LoginFailure:
        print(f"papers-bot: Discord refused the token in {TOKEN_VAR}.", file=sys.stderr)
        return 1
    except (discord.GatewayNotFound, discord.ConnectionClosed, OSError) as exc:
        print(
            f"papers-bot: cannot reach Discord at {config.discord.api_base}: {exc}", file=sys.stderr
        )
        return 1
    return 0
