"""Helpers for the behaviour tests: the bot under test, synthetic data, reading answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import discord
import simcord
from simcord import Env, InteractionResult, MemberActor

import bot.sandbox
from bot.app import PapersBot
from bot.config import Config, load_config
from bot.errors import UserFacingError, unwrap
from bot.models import Entry, ParseResult, Section

SAMPLE_DIR = Path(bot.sandbox.__file__).resolve().parent / "sample"
UNEXPECTED = ("Something went wrong", "문제가 생겼습니다")  # err_unexpected, en and ko

MessageLike = simcord.ResponseMessage | discord.Message


class LookupBot(PapersBot):
    """The real bot with its lookup cog only: the daily cog polls a URL and posts on a clock."""

    async def add_extra_cogs(self) -> None:
        return None


def make_config(*, sync_on_start: bool = True) -> Config:
    config = load_config(None, env={})
    return dataclasses.replace(
        config, discord=dataclasses.replace(config.discord, sync_on_start=sync_on_start)
    )


@dataclass
class World:
    env: Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    alice: MemberActor
    bob: MemberActor


# --- synthetic stores ---------------------------------------------------------------------


def synthetic_entries(
    count: int, *, word: str = "Transformer", start: int = 10000
) -> tuple[Entry, ...]:
    """`count` papers whose titles share `word`, votes 3*i (all different), 2 authors each."""
    return tuple(
        Entry(
            arxiv_id=f"2506.{start + i}",
            title=f"{word} Study Number {i:02d}",
            url=f"https://arxiv.org/abs/2506.{start + i}",
            line=i + 1,
            votes=3 * i,
            authors=(f"Author{i:02d} Synthetic", "Shared Colleague"),
            summary=f"- ***What's New***: 합성 논문 {i}번.\n- ***Technical Details***: detail {i}.",
        )
        for i in range(count)
    )


def synthetic_result(day: dt.date, entries: tuple[Entry, ...]) -> ParseResult:
    return ParseResult((Section(day, 1, entries),))


# --- reading answers ----------------------------------------------------------------------


def response(result: InteractionResult) -> simcord.ResponseMessage:
    message = result.response
    assert message is not None, f"the bot did not answer: {result!r}"
    return message


def embeds(result: InteractionResult) -> list[discord.Embed]:
    return response(result).embeds


def header(message: MessageLike) -> str:
    """The `Results 1–5 of 12 for ...` line of a results page."""
    first = message.embeds[0]
    assert first.title is None and first.description, first.to_dict()
    return first.description


def card_titles(message: MessageLike) -> list[str]:
    """The numbered paper cards of a results page, e.g. `1. Some Title`."""
    return [e.title or "" for e in message.embeds[1:]]


def components(message: MessageLike) -> list[dict[str, Any]]:
    if isinstance(message, simcord.ResponseMessage):
        rows = message.components
    else:
        rows = [cast(dict[str, Any], cast(Any, row).to_dict()) for row in message.components]
    return [c for row in rows for c in row.get("components", [])]


def button(message: MessageLike, label: str) -> dict[str, Any]:
    found = [c for c in components(message) if c.get("type") == 2 and c.get("label") == label]
    assert len(found) == 1, components(message)
    return found[0]


def select_menu(message: MessageLike) -> dict[str, Any]:
    (found,) = [c for c in components(message) if c.get("type") == 3]
    return found


def link_buttons(message: MessageLike) -> dict[str, str]:
    return {c["label"]: c["url"] for c in components(message) if c.get("style") == 5}


def user_errors(env: Env) -> list[str]:
    """Acknowledge the errors the bot raised so far; every one must be a UserFacingError.

    The bot answers a member's mistake by raising UserFacingError into its tree's on_error,
    which simcord records as an error; anything else is a real failure and fails here.
    """
    errors = [unwrap(e) for e in env.errors]
    unexpected = [e for e in errors if not isinstance(e, UserFacingError)]
    assert not unexpected, f"unexpected bot errors: {unexpected!r}"
    return [str(e) for e in errors]


def refusal(env: Env, result: InteractionResult) -> str:
    """The text of an ephemeral UserFacingError answer (checking that it was one)."""
    message = response(result)
    assert result.ephemeral and message.ephemeral, message
    assert message.content and not message.embeds, message
    assert not any(text in message.content for text in UNEXPECTED), message.content
    assert message.content in user_errors(env)
    return message.content


def message_payloads(env: Env, mark: int) -> Iterator[dict[str, Any]]:
    """The JSON of every message the bot sent or edited after request number `mark`."""
    for request in env.http_requests[mark:]:
        body = request.json
        if not isinstance(body, dict):
            continue
        if request.path.endswith("/callback"):
            data = body.get("data")
            if isinstance(data, dict) and body.get("type") in (4, 7):
                yield data
        elif request.method in ("POST", "PATCH") and "/messages" in request.path:
            yield body
