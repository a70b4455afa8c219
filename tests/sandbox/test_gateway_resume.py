"""Story 7: the gateway drops mid-session; discord.py RESUMEs and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import discord
import pytest

from papers_sandbox import SandboxServer
from tests.polling import eventually

from .client import ClientHarness

RESUME = 6


@pytest.mark.parametrize("close_code", [4000, None], ids=["close-4000", "abort-1006"])
async def test_drop_then_resume(
    sandbox: SandboxServer, harness: ClientHarness, close_code: int | None
) -> None:
    seen: list[int] = []
    harness.client.event(_collector(seen))

    @harness.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    await harness.start()
    channel = harness.channel("general")
    await channel.send("before the drop")
    ready_session = sandbox.frames(t="READY")[0].d["session_id"]

    dropped_at = await sandbox.drop_gateway(close_code)
    missed = sandbox.say("said while the bot was away", user="minji", channel_id="general")
    await sandbox.wait_resumed(timeout=5)

    (resume,) = sandbox.frames(direction="received", op=RESUME, since=dropped_at)
    assert resume.d["session_id"] == ready_session
    assert len(sandbox.frames(direction="received", op=2)) == 1  # no second IDENTIFY
    replayed = sandbox.frames(t="MESSAGE_CREATE", since=dropped_at)
    assert [f.d["id"] for f in replayed] == [missed["id"]]
    await eventually(lambda: int(missed["id"]) in seen)

    result = await sandbox.invoke_command("ping", channel_id="general")
    assert result.callback_type == 4 and result.content == "pong"
    await channel.send("after the drop")
    assert sandbox.world.message_contents(sandbox.channel("general").id) == [
        "before the drop", "said while the bot was away", "pong", "after the drop",
    ]  # fmt: skip


async def test_invalid_session_leads_to_fresh_identify(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    async def no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py sleeps 5 s before every non-initial IDENTIFY by default

    harness.client.before_identify_hook = no_identify_delay  # type: ignore[method-assign]
    await harness.start()
    started = sandbox.now()
    await sandbox.invalidate_session(resumable=False)

    await sandbox.wait_for_frame(t="READY", since=started, timeout=10)
    assert len(sandbox.frames(direction="received", op=2)) == 2
    await asyncio.wait_for(harness.client.wait_until_ready(), 5)
    await harness.channel("papers").send("still works")
    assert len(sandbox.messages("papers")) == 1


def _collector(seen: list[int]) -> Callable[[discord.Message], Coroutine[Any, Any, None]]:
    async def on_message(message: discord.Message) -> None:
        seen.append(message.id)

    return on_message
