"""Channel messages beyond the basics: history, edit/delete, threads, DMs, intents."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias, TypeVar

import discord

from papers_sandbox import SandboxServer
from tests.polling import eventually

from .client import ClientHarness


async def test_history_edit_and_delete(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    channel = harness.channel("papers")
    sent = [await channel.send(f"paper {i}") for i in range(5)]

    newest_first = [m.content async for m in channel.history(limit=3)]
    assert newest_first == ["paper 4", "paper 3", "paper 2"]
    older = [m.content async for m in channel.history(limit=10, before=sent[2])]
    assert older == ["paper 1", "paper 0"]
    after = [m.content async for m in channel.history(limit=10, after=sent[2])]
    assert after == ["paper 3", "paper 4"]

    edited = await sent[0].edit(content="paper 0 (fixed)")
    assert edited.edited_at is not None
    await sent[1].delete()
    assert sandbox.world.message_contents(channel.id) == [
        "paper 0 (fixed)", "paper 2", "paper 3", "paper 4",
    ]  # fmt: skip
    fetched = await channel.fetch_message(sent[0].id)
    assert fetched.content == "paper 0 (fixed)"


async def test_thread_from_message(sandbox: SandboxServer, harness: ClientHarness) -> None:
    created: list[discord.Thread] = []
    harness.client.event(_on_thread_create(created))
    await harness.start()
    starter = await harness.channel("papers").send("Daily papers 2025-05-07")

    thread = await starter.create_thread(name="2025-05-07 discussion")
    await thread.send("first paper in the thread")

    assert thread.id == starter.id and thread.parent_id == starter.channel.id
    assert sandbox.world.message_contents(thread.id) == ["first paper in the thread"]
    assert sandbox.frames(t="THREAD_CREATE")[0].d["newly_created"] is True
    await eventually(lambda: bool(created))
    assert harness.client.get_channel(thread.id) is not None


async def test_dm_and_member_messages(
    sandbox: SandboxServer, make_harness: Callable[..., ClientHarness]
) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    harness = make_harness(intents)
    seen: list[discord.Message] = []
    harness.client.event(_on_message(seen))
    await harness.start()

    minji = sandbox.world.user("minji")
    user = await harness.client.fetch_user(minji.id)
    await user.send("your weekly digest")
    dm = sandbox.world.dm_channel(minji.id)
    assert sandbox.world.message_contents(dm.id) == ["your weekly digest"]

    sandbox.say("!papers today", user="alex", channel_id="general")
    await eventually(lambda: any(m.content == "!papers today" for m in seen))


async def test_no_message_content_intent_redacts_others(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    seen: list[discord.Message] = []
    harness.client.event(_on_message(seen))
    await harness.start()

    sandbox.say("secret text", user="alex", channel_id="general")
    await eventually(lambda: bool(seen))
    assert seen[0].content == ""  # like Discord without the privileged intent


T = TypeVar("T")
Handler: TypeAlias = Callable[[T], Coroutine[Any, Any, None]]  # an event listener


def _on_message(
    seen: list[discord.Message],
) -> Callable[[discord.Message], Coroutine[Any, Any, None]]:
    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    return on_message


def _on_thread_create(
    seen: list[discord.Thread],
) -> Callable[[discord.Thread], Coroutine[Any, Any, None]]:
    async def on_thread_create(thread: discord.Thread) -> None:
        seen.append(thread)

    return on_thread_create
