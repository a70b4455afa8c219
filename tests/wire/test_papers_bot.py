"""The real PapersBot on the loopback server: what Discord itself would receive."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import answer as answer_module
from bot.app import PapersBot
from bot.models import Entry, ParseResult, Section
from bot.store import Page
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.scene import SEOUL, SceneClock, running_world
from papers_sandbox.server import SandboxServer
from tests.polling import eventually

from .harness import result_lists

HUGE = Entry(
    arxiv_id="2505.09999",
    title="An Extremely Long Title About Everything " * 12,
    url="https://arxiv.org/abs/2505.09999",
    line=3,
    votes=5,
    authors=tuple(f"Author Number {i}" for i in range(80)),
    summary="- **What's New**: @everyone <@123456789> " + "대규모 언어 모델을 학습합니다. " * 700,
    thumbnail="https://example.org/x.mp4",
)


def results_button(message: dict[str, Any], step: str) -> str:
    """The custom id of a results message's `previous` / `next` button (results:KEY:step)."""
    (found,) = [i for i in custom_ids(message["components"]) if i.endswith(f":{step}")]
    return found


def _description(server: SandboxServer, message: dict[str, Any]) -> str:
    current = server.world.find_message(int(message["id"]))
    return str(current["embeds"][0]["description"]) if current else ""


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[SandboxServer, PapersBot]]:
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    async with running_world(clock, tmp_path) as (server, bot):
        await bot.store.ingest("huge.md", ParseResult((Section(dt.date(2025, 5, 6), 1, (HUGE,)),)))
        yield server, bot


async def test_a_huge_paper_fits_discord_limits_and_pings_nobody(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    server, _ = world
    result = await server.invoke_command("paper", {"query": "2505.09999"}, user="minji")
    assert result.answered and result.callback_type == 4
    assert result.rejections == []  # the server enforces Discord's embed limits and 3 s rule
    (callback,) = server.requests("POST", "/interactions/*/*/callback")
    data = callback.json["data"]
    assert data["allowed_mentions"] == {"parse": []}
    embed = data["embeds"][0]
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert "https://arxiv.org/abs/2505.09999" in embed["description"]  # cut with a link


async def test_buttons_of_a_list_the_bot_no_longer_has_are_explained(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    server, bot = world
    first = await server.invoke_command("search", {"query": "모델"}, user="minji")
    assert first.message is not None
    result_lists(bot).close()  # as after a restart: the message's buttons are still enabled

    late = await server.click(first.message, results_button(first.message, "next"), user="minji")

    assert late.ephemeral and "expired" in (late.content or "")
    page = server.world.find_message(int(first.message["id"]))
    assert page is not None and page["embeds"] == first.message["embeds"]


async def test_post_now_defers_then_follows_up(world: tuple[SandboxServer, PapersBot]) -> None:
    server, _ = world
    result = await server.invoke_command(
        "daily", {"channel": "general"}, subcommand="post-now", user="sandbox-owner"
    )
    assert result.callback_type == 5 and result.ephemeral
    assert "Posted the digest of 2025-05-09" in (result.messages[-1].get("content") or "")
    posted = server.messages("general")
    assert posted and "Daily Papers — 2025-05-09" in posted[0]["content"]


async def test_a_slow_lookup_is_deferred_then_answered_in_full(
    world: tuple[SandboxServer, PapersBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy bot on a huge store: Discord gets "thinking…" in time, then the results."""
    server, bot = world
    monkeypatch.setattr(answer_module, "DEFER_AFTER", 0.05)
    search = bot.store.search

    def deferrals() -> int:
        answers = server.requests("POST", "/interactions/*/*/callback")
        return sum(r.json["type"] in (5, 6) for r in answers if r.status and r.status < 300)

    async def slow_search(*args: Any, **kwargs: Any) -> Page:
        seen = deferrals()  # the results come only once Discord has "thinking…"
        await eventually(lambda: deferrals() > seen, within=5, what="never deferred")
        return await search(*args, **kwargs)

    monkeypatch.setattr(bot.store, "search", slow_search)

    result = await server.invoke_command("search", {"query": "모델"}, user="minji")

    assert result.callback_type == 5 and not result.ephemeral
    assert result.rejections == [] and result.message is not None
    message = result.message
    assert result.message["embeds"][0]["description"] == "Results 1–5 of 10 for `모델`"
    turned = await server.click(
        result.message, results_button(result.message, "next"), user="minji"
    )  # buttons work, and a slow page is deferred too, then edited in
    assert turned.callback_type == 6 and turned.rejections == []
    await eventually(lambda: "Results 6–" in _description(server, message), within=5)

    quiet = await server.invoke_command(
        "paper", {"query": "no such words zq", "ephemeral": True}, user="minji"
    )
    assert quiet.callback_type == 5 and quiet.ephemeral  # deferred quietly, as asked
    assert "No paper matches" in (quiet.messages[-1].get("content") or "")
