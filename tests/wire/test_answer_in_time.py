"""Every interaction answered within Discord's 3 seconds, whatever the store is doing.

The loopback server forgets an interaction not acknowledged within 3 s, as Discord does, so
an answer that comes later is refused there ("This interaction failed" for the member).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import PapersBot
from bot.i18n_text import text
from bot.store.daily import DailyStore
from bot.store.reads import Reads
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.interaction_result import InteractionResult
from papers_sandbox.scene import SEOUL, SceneClock, running_world
from papers_sandbox.server import SandboxServer
from tests.polling import eventually, wait_for

LOCK_HELD = 5.0  # what a long `papers-bot load` beside the bot did
READ_STALL = 3.3  # every store read, in the report this reproduces
DEFERRED = (5, 6)  # "thinking…", or a pressed message left as it is


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[SandboxServer, PapersBot, Path]]:
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    async with running_world(clock, tmp_path) as (server, bot):
        yield server, bot, tmp_path / "papers.db"


@contextlib.contextmanager
def write_lock(path: Path) -> Iterator[Callable[[], None]]:
    """Another process's write transaction on the database; yields its release."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    def release() -> None:
        if other.in_transaction:
            other.execute("ROLLBACK")

    try:
        yield release
    finally:
        release()
        other.close()


def callbacks(server: SandboxServer) -> list[int]:
    return [int(r.json["type"]) for r in server.requests("POST", "/interactions/*/*/callback")]


async def answered_while(
    server: SandboxServer,
    interaction: Awaitable[InteractionResult],
    release: Callable[[], None],
    *,
    longest: float,
) -> InteractionResult:
    """Run `interaction` while the store is held; `release` it once Discord has a deferral
    (at the latest after `longest` seconds, as in the report), then the answer follows."""
    seen = len(callbacks(server))
    task = asyncio.ensure_future(interaction)

    def deferred_or_answered() -> bool:
        return task.done() or any(kind in DEFERRED for kind in callbacks(server)[seen:])

    await wait_for(deferred_or_answered, within=longest)
    release()
    return await task


def last_content(result: InteractionResult) -> str:
    assert result.messages, result.describe()
    return str(result.messages[-1].get("content") or "")


async def test_subscribe_and_unsubscribe_answer_in_time_while_a_load_holds_the_write_lock(
    world: tuple[SandboxServer, PapersBot, Path],
) -> None:
    server, _, path = world
    general = server.channel("general").id
    options = {"channel": "general", "time": "07:30"}

    with write_lock(path) as release:
        sub = server.invoke_command("daily", options, subcommand="subscribe", user="sandbox-owner")
        subscribed = await answered_while(server, sub, release, longest=LOCK_HELD)
    with write_lock(path) as release:
        unsub = server.invoke_command(
            "daily", {"channel": "general"}, subcommand="unsubscribe", user="sandbox-owner"
        )
        unsubscribed = await answered_while(server, unsub, release, longest=LOCK_HELD)

    for result in (subscribed, unsubscribed):
        assert result.callback_type == 5 and result.ephemeral, result.describe()
        assert result.rejections == []
    assert last_content(subscribed).startswith(f"Subscribed <#{general}>: the digest is posted")
    assert last_content(unsubscribed) == f"<#{general}> no longer gets the daily digest."


async def test_a_write_lock_held_past_the_busy_timeout_gets_a_clear_answer(
    world: tuple[SandboxServer, PapersBot, Path],
) -> None:
    """Held until the bot gives up (its busy timeout): deferred in time, then told why, in
    the admin's language; nothing was saved."""
    server, bot, path = world

    with write_lock(path):
        result = await server.invoke_command(
            "daily",
            {"channel": "general"},
            subcommand="subscribe",
            user="sandbox-owner",
            locale="ko",
        )

    assert result.callback_type == 5 and result.ephemeral and result.rejections == []
    assert last_content(result) == text("ko", "err_busy")
    store = DailyStore(bot.store.db)
    assert await store.subscription(server.channel("general").id) is None


class StalledReads:
    """Every store read waits (for `release`, or READ_STALL seconds) while `held`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, bot: PapersBot) -> None:
        self.open = asyncio.Event()
        self.open.set()
        monkeypatch.setattr(bot.store.cache, "entries", 0)  # no answer from memory
        for cls in (Reads, DailyStore):  # Reads: every query module of the paper store
            monkeypatch.setattr(cls, "_rows", self._stalled(cls._rows))

    def _stalled(self, rows: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def stalled(store: object, *args: Any, **kwargs: Any) -> Any:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.open.wait(), READ_STALL)
            return await rows(store, *args, **kwargs)

        return stalled

    async def answered(
        self, server: SandboxServer, interaction: Awaitable[InteractionResult]
    ) -> InteractionResult:
        self.open.clear()
        return await answered_while(server, interaction, self.open.set, longest=READ_STALL)


async def test_commands_and_presses_answer_in_time_while_reads_stall(
    world: tuple[SandboxServer, PapersBot, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, bot, _ = world
    owner = "sandbox-owner"
    await server.invoke_command("daily", {"channel": "general"}, subcommand="subscribe", user=owner)
    reads = StalledReads(monkeypatch, bot)

    daily = {
        name: await reads.answered(
            server, server.invoke_command("daily", options, subcommand=name, user=owner)
        )
        for name, options in [
            ("status", {}),
            ("preview", {"channel": "general"}),
            ("post-now", {"channel": "general"}),
        ]
    }
    search = await reads.answered(
        server, server.invoke_command("search", {"query": "모델"}, user="minji")
    )
    assert search.message is not None
    search_id = int(search.message["id"])
    assert search.message["embeds"][0]["description"].startswith("Results 1–5 of ")
    menu, *_ = custom_ids(search.message["components"])
    opened = await reads.answered(
        server, server.click(search.message, menu, values=["2505.03011"], user="alex")
    )
    (next_page,) = [i for i in custom_ids(search.message["components"]) if i.endswith(":next")]
    turned = await reads.answered(server, server.click(search.message, next_page, user="minji"))

    for result in [*daily.values(), search, opened, turned]:
        assert result.callback_type in DEFERRED and result.rejections == [], result.describe()
    status = daily["status"].messages[-1]["embeds"][0]["description"]
    assert "Every day at 09:00 (Asia/Seoul)" in status
    assert "Daily Papers — 2025-05-09" in (daily["preview"].messages[0].get("content") or "")
    assert last_content(daily["post-now"]).startswith("Posted the digest of 2025-05-09")
    assert [m["embeds"][0]["footer"]["text"] for m in opened.followups] == ["arXiv:2505.03011"]
    assert opened.followups[0]["flags"] & 64  # ephemeral: only alex sees it

    def turned_to_page_two() -> bool:
        page = server.world.find_message(search_id)
        return page is not None and "Results 6–" in page["embeds"][0]["description"]

    await eventually(turned_to_page_two)
