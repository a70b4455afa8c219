"""Stories 1-3: login, command sync, answering slash commands (direct and deferred)."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands

from papers_sandbox import SandboxServer

from .client import ClientHarness


async def test_login_syncs_commands_with_options(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    @harness.tree.command(description="Look up a paper")
    @app_commands.describe(query="Title or arXiv id", limit="How many results")
    async def paper(interaction: discord.Interaction, query: str, limit: int = 3) -> None:
        await interaction.response.send_message("ok")

    client = await harness.start()

    assert client.user is not None and client.user.id == sandbox.world.bot_user.id
    assert [r.path for r in sandbox.requests("GET")][:2] == [
        "/users/@me",
        "/oauth2/applications/@me",
    ]
    (put,) = sandbox.requests("PUT", "/applications/*/commands")
    assert put.status == 200
    (command,) = put.json
    assert command["name"] == "paper" and command["description"] == "Look up a paper"
    options = {o["name"]: o for o in command["options"]}
    assert options["query"] == {
        "type": 3, "name": "query", "description": "Title or arXiv id", "required": True,
    }  # fmt: skip
    assert options["limit"]["type"] == 4 and options["limit"]["required"] is False
    assert options["limit"]["description"] == "How many results"
    stored = sandbox.world.commands.find("paper", None)
    assert stored is not None and stored["application_id"] == str(sandbox.world.application_id)

    guild = client.get_guild(sandbox.world.default_guild.id)
    assert guild is not None and guild.name == "Sandbox Lab"
    assert {c.name for c in guild.text_channels} == {"papers", "general", "announcements"}
    assert guild.me is not None and guild.me.name == "papers-bot"
    assert guild.member_count == len(sandbox.world.default_guild.members)
    assert sandbox.gateway.connection_queries == [
        {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    ]  # frames were zlib-stream compressed, and discord.py decoded them
    identify = sandbox.frames(direction="received", op=2)
    assert len(identify) == 1 and identify[0].d["intents"] == discord.Intents.default().value


async def test_slash_command_answered_with_message(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    seen: list[tuple[str, int]] = []

    @harness.tree.command(description="Echo a paper query")
    async def echo(interaction: discord.Interaction, query: str, count: int) -> None:
        seen.append((query, count))
        await interaction.response.send_message(f"{interaction.user.name}: {query} x{count}")

    await harness.start()
    result = await sandbox.invoke_command("echo", {"query": "diffusion", "count": 2}, user="alex")

    assert result.answered and result.callback_type == 4
    assert result.rejections == []  # none late: the server enforces Discord's 3 s rule
    assert result.content == "alex: diffusion x2" and not result.ephemeral
    assert seen == [("diffusion", 2)]
    channel = sandbox.channel("papers")
    assert sandbox.world.message_contents(channel.id) == ["alex: diffusion x2"]
    assert result.message is not None
    assert result.message["interaction_metadata"]["name"] == "echo"


async def test_ephemeral_reply_is_not_in_channel_history(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    @harness.tree.command(description="Private answer")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you", ephemeral=True)

    await harness.start()
    result = await sandbox.invoke_command("secret", channel_id="general")

    assert result.content == "only you" and result.ephemeral
    assert sandbox.messages("general") == []
    assert len(sandbox.messages("general", include_ephemeral=True)) == 1


async def test_deferred_answer_then_followups(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    @harness.tree.command(description="Slow digest")
    async def digest(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.2)
        await interaction.followup.send("digest ready")
        await interaction.followup.send("and one more thing")

    await harness.start()
    result = await sandbox.invoke_command("digest")

    assert result.callback_type == 5
    assert result.contents() == ["digest ready", "and one more thing"]
    # the first followup after a deferral fills the "thinking" message (same id)
    assert result.original is not None and result.original["id"] == result.messages[0]["id"]
    assert not result.original["flags"] & 128  # no longer LOADING
    followups = sandbox.requests("POST", "/webhooks/*/*")
    assert [r.query.get("wait") for r in followups] == ["1", "1"]
    assert len(sandbox.messages("papers")) == 2
