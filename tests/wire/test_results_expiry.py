"""A results list's buttons are disabled when it expires, with a token that still works.

Each interaction token can edit messages for 15 minutes (here: the loopback server's
`token_lifetime`, shortened); the edit that disables an expired list's buttons must use one
that is still alive, however long the list was kept in use and by whom.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import PapersBot
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.scene import SEOUL, SceneClock, running_world
from papers_sandbox.server import SandboxServer
from tests.polling import eventually

from .harness import result_lists

TOKEN_LIFETIME = 4.0  # seconds; Discord's is 15 minutes
LIST_TIMEOUT = 1.0  # seconds a list lives after its last use; the bot's is 3 minutes
PRESS_EVERY = 0.1  # a member reading the list, well within LIST_TIMEOUT


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[SandboxServer, PapersBot]]:
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    async with running_world(clock, tmp_path) as (server, bot):
        server.config.token_lifetime = TOKEN_LIFETIME
        result_lists(bot).timeout = LIST_TIMEOUT
        yield server, bot


def component(message: dict[str, Any], suffix: str) -> str:
    (found,) = [i for i in custom_ids(message["components"]) if i.endswith(suffix)]
    return found


def all_disabled(server: SandboxServer, message_id: int) -> bool:
    current = server.world.find_message(message_id)
    assert current is not None
    return all(c.get("disabled") for row in current["components"] for c in row["components"])


async def test_a_list_kept_open_by_others_is_disabled_with_the_newest_token(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    """minji searches; alex keeps opening papers from her list until her command's token has
    expired. When the list then expires, the edit uses alex's latest token and succeeds."""
    server, bot = world
    first = await server.invoke_command("search", {"query": "모델"}, user="minji")
    assert first.message is not None
    message_id = int(first.message["id"])
    menu = component(first.message, ":open")

    presses = []
    while time.monotonic() - first.record.dispatched_at <= TOKEN_LIFETIME:
        opened = await server.click(first.message, menu, values=["2505.03011"], user="alex")
        cards = [m for m in opened.messages if m.get("flags", 0) & 64 and m.get("embeds")]
        assert [c["embeds"][0]["footer"]["text"] for c in cards] == ["arXiv:2505.03011"]
        presses.append(opened)
        await asyncio.sleep(PRESS_EVERY)
    assert not all_disabled(server, message_id)  # still in use until now

    await eventually(lambda: all_disabled(server, message_id), within=5)
    (edit,) = server.requests("PATCH", "/webhooks/*/*/messages/*")
    assert edit.status == 200
    assert edit.path.endswith(f"/{presses[-1].record.token}/messages/{message_id}")
    assert len(result_lists(bot)) == 0


async def test_refused_page_turns_do_not_keep_a_list_alive(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    """alex presses Next on minji's list again and again: each press is refused, and the list
    expires as if nobody had touched it (with minji's token, still alive)."""
    server, _ = world
    first = await server.invoke_command("search", {"query": "모델"}, user="minji")
    assert first.message is not None
    listing = first.message
    message_id = int(listing["id"])
    next_page = component(listing, ":next")

    refusals: list[str] = []

    async def keep_pressing() -> None:
        while not all_disabled(server, message_id):
            try:
                refused = await server.click(listing, next_page, user="alex")
            except ValueError:  # disabled between the check and the press
                return
            assert refused.ephemeral, refused.describe()
            refusals.append(refused.content or "")
            await asyncio.sleep(PRESS_EVERY)

    pressing = asyncio.create_task(keep_pressing())
    await eventually(
        lambda: all_disabled(server, message_id) or pressing.done(),
        within=TOKEN_LIFETIME,
        what="alex's refused presses kept the list alive",
    )
    await pressing  # its assertions, if one failed
    assert refusals and all("Only the member who ran" in r for r in refusals), refusals

    (edit,) = server.requests("PATCH", "/webhooks/*/*/messages/*")
    assert edit.status == 200 and f"/{first.record.token}/" in edit.path
