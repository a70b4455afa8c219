"""Helpers for the behaviour tests: the bot under test, synthetic data, reading answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import discord
import simcord
from simcord import Env, InteractionResult, MemberActor

import papers_sandbox
from bot.app import PapersBot
from bot.config import Config, HuggingFaceConfig, load_config
from bot.digest.parse import parse
from bot.errors import UserFacingError, unwrap
from bot.features.daily.cog import Daily
from bot.features.lookup.views import ResultLists, lists_of
from bot.models import Entry, ParseResult, Section
from bot.store import PaperStore

SAMPLE_DIR = Path(papers_sandbox.__file__).resolve().parent / "sample"
UNEXPECTED = ("Something went wrong", "문제가 생겼습니다")  # err_unexpected, en and ko

MessageLike = simcord.ResponseMessage | discord.Message


# The lookup feature alone: the daily feature polls a URL and posts on a clock.
LOOKUPS = ("bot.features.lookup",)


def lookup_bot(config: Config, store: PaperStore) -> PapersBot:
    """The real bot with the lookup feature only."""
    return PapersBot(config, store.db, features=LOOKUPS)


def result_lists(bot: discord.Client) -> ResultLists:
    """The bot's open result lists (kept by its lookup cog)."""
    found = lists_of(bot)
    assert found is not None, "the lookup feature is not loaded"
    return found


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


def picked(result: InteractionResult) -> simcord.ResponseMessage:
    """What a member who picked a paper in a results menu sees: the press acknowledged as an
    update of the list (left as it was), then the paper card just for them."""
    assert result.acknowledged and not result.ephemeral, result
    (card,) = result.followups
    assert card.ephemeral, card
    return card


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
    """The JSON of every message the bot sent, followed up or edited after request `mark`."""
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
        elif request.method == "POST" and re.fullmatch(r"/webhooks/\d+/[^/]+", request.path):
            yield body  # an interaction's followup


# --- daily posts --------------------------------------------------------------------------
#
# The daily tests run the whole bot (both features) with no digest source: digests "arrive" when a
# test publishes them into the store. Two clocks are involved:
#
# * simcord's world clock (starts 2026-01-01T00:00Z) drives the scheduler's 30 s tick loop and
#   stamps messages. Each tick costs ~50 ms of real time (the bot's SQLite queries run on a
#   thread that simcord's settling waits for), so a test can only tick through minutes, not days.
# * the bot's own clock (`PapersBot(clock=...)`, what the scheduler reads) is the world clock
#   plus an offset. `jump_to` moves the offset: the bot's time leaps forward with no tick in
#   between, which to the scheduler is exactly downtime. Moving simcord's clock instead does not
#   work: discord.py's relative loop then runs every missed iteration back to back.

TICK = 30  # seconds between scheduler ticks (Daily.tick)
POST_SECONDS = 1  # enough for a post's paced messages to go out


def daily_config(**daily: Any) -> Config:
    """The default config, no digest sources (no network), `daily` settings overridden."""
    config = load_config(None, env={})
    return dataclasses.replace(
        config,
        sources=dataclasses.replace(
            config.sources,
            url_template=None,
            folders=(),
            huggingface=HuggingFaceConfig(enabled=False),
        ),
        daily=dataclasses.replace(config.daily, **daily),
    )


class BotClock:
    """What the bot under test takes to be now: simcord's clock plus a settable offset."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return discord.utils.utcnow() + self.offset

    def at(self, message: discord.Message) -> dt.datetime:
        """When the bot sent `message`, on the bot's clock, to the second (the post's tick)."""
        return (message.created_at + self.offset).replace(microsecond=0)


@dataclass
class DailyWorld:
    env: Env
    bot: PapersBot
    clock: BotClock
    papers: PaperStore
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    admin: MemberActor  # has Manage Server through a role
    member: MemberActor  # has no special permission

    def now(self) -> dt.datetime:
        return self.env.now() + self.clock.offset

    def cog(self) -> Daily:
        cog = self.bot.get_cog("Daily")
        assert isinstance(cog, Daily), self.bot.cogs
        return cog

    async def jump_to(self, when: dt.datetime) -> None:
        """The bot's clock leaps to `when` (no tick in between), the tick at `when` runs, and
        a second later any post it started is out (the pacer spaces messages 1/45 s apart)."""
        assert when >= self.now(), f"cannot go back from {self.now()} to {when}"
        tick = self.cog().tick.next_iteration  # on simcord's clock
        assert tick is not None and tick >= self.env.now(), tick
        self.clock.offset = when - tick
        await self.env.advance_time((tick - self.env.now()).total_seconds())
        assert self.now() == when, (self.now(), when)
        await self.env.advance_time(POST_SECONDS)

    async def run_until(self, when: dt.datetime) -> None:
        """Time runs to `when`, every tick on the way (~50 ms each: keep it to minutes). A
        post started by a tick is out POST_SECONDS later."""
        gap = (when - self.now()).total_seconds()
        assert 0 <= gap <= 30 * 60, f"ticking {gap} s costs {gap / TICK * 0.05:.0f} s of real time"
        await self.env.advance_time(gap)


def paper_id(day: dt.date, index: int) -> str:
    return f"{day:%y%m}.{day.day:02d}{index:03d}"


def paper_title(day: dt.date, index: int) -> str:
    return f"Paper {index + 1} of {day.isoformat()}"


def numbered_titles(day: dt.date, count: int = 3) -> list[str]:
    """The titles of the numbered paper cards of `day`'s post (embeds style)."""
    return [f"{i + 1}. {paper_title(day, i)}" for i in range(count)]


def digest_text(
    day: dt.date, votes: Sequence[int | None] = (12, 40, 7), *, summary: str = ""
) -> str:
    """A digest in the source's markdown: paper i is `Paper i+1 of <day>` with `votes[i]`."""
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i, vote in enumerate(votes):
        lines += [
            f"### [{paper_title(day, i)}](https://arxiv.org/abs/{paper_id(day, i)})",
            "",
            f"Vote: {'-' if vote is None else vote}",
            "",
            f"Authors: Author {i} Kim, Second Author",
            "",
            f"- ***What's New***: {summary or f'Finding number {i + 1} of {day.isoformat()}.'}",
            "",
        ]
    return "\n".join(lines)


async def publish(
    papers: PaperStore, day: dt.date, votes: Sequence[int | None] = (12, 40, 7), **kw: str
) -> None:
    """The digest of `day` arrives (as the source poller would load it)."""
    text = digest_text(day, votes, **kw)
    stats = await papers.ingest(f"test://{day.isoformat()}.md", parse(text))
    assert stats.entries == len(votes), stats


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def bot_posts(env: Env, channel: simcord.ChannelHandle) -> list[discord.Message]:
    """The bot's messages in `channel` that every member sees (no ephemeral answers, no
    "started a thread" notices)."""
    bot_id = env.backend.bot_user.id
    return [
        m
        for m in channel.history()
        if m.author.id == bot_id and m.type is discord.MessageType.default and not m.flags.ephemeral
    ]


def daily_payloads(env: Env, mark: int = 0) -> list[dict[str, Any]]:
    """The JSON of every channel message the bot POSTed after request number `mark`."""
    return [
        r.json
        for r in env.http_requests[mark:]
        if r.method == "POST"
        and re.fullmatch(r"/channels/\d+/messages", r.path)
        and isinstance(r.json, dict)
    ]


def posted_days(messages: Sequence[discord.Message]) -> list[str]:
    """The day of each daily-post header among `messages`, in order."""
    found = (DAILY_HEADER.search(m.content or "") for m in messages)
    return [m[1] for m in found if m]


DAILY_HEADER = re.compile(r"Daily Papers — (\d{4}-\d{2}-\d{2})")
