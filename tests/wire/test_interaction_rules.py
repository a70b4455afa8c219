"""Discord's interaction rules: the 3 s deadline, single acknowledgement, payload limits."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands

from bot.sandbox import SandboxServer
from tests.polling import eventually

from .harness import BotHarness


async def test_late_callback_is_unknown_interaction(
    sandbox: SandboxServer, harness: BotHarness
) -> None:
    sandbox.config.callback_deadline = 0.2
    failures: list[BaseException] = []

    @harness.tree.command(description="Too slow")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.4)
        try:
            await interaction.response.send_message("late")
        except discord.NotFound as exc:
            failures.append(exc)

    await harness.start()
    result = await sandbox.invoke_command("slow", timeout=0.5)

    assert not result.answered
    await eventually(lambda: bool(failures))
    assert isinstance(failures[0], discord.NotFound) and failures[0].code == 10062
    assert result.rejections[0]["code"] == 10062


async def test_second_acknowledgement_is_rejected(
    sandbox: SandboxServer, harness: BotHarness
) -> None:
    failures: list[discord.HTTPException] = []

    @harness.tree.command(description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        interaction.response._response_type = None  # bypass discord.py's own guard
        try:
            await interaction.response.send_message("two")
        except discord.HTTPException as exc:
            failures.append(exc)

    await harness.start()
    result = await sandbox.invoke_command("twice")

    assert result.contents() == ["one"]
    await eventually(lambda: bool(failures))
    assert failures[0].code == 40060


async def test_oversized_response_embed_is_rejected(
    sandbox: SandboxServer, harness: BotHarness
) -> None:
    @harness.tree.command(description="Big embed")
    async def big(interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="ok", description="d" * 4097)
        await interaction.response.send_message(embed=embed)

    await harness.start()
    result = await sandbox.invoke_command("big", timeout=0.5)

    assert not result.answered
    assert result.rejections[0]["code"] == 50035
    assert "description" in result.rejections[0]["errors"]["data"]["embeds"]["0"]
    assert len(harness.errors) == 1
    harness.errors.clear()


async def test_too_many_autocomplete_choices_are_rejected(
    sandbox: SandboxServer, harness: BotHarness
) -> None:
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"paper {i}", value=str(i)) for i in range(30)]

    @harness.tree.command(description="Too many")
    @app_commands.autocomplete(q=complete)
    async def many(interaction: discord.Interaction, q: str) -> None:
        await interaction.response.send_message(q)

    await harness.start()
    with pytest.raises(TimeoutError):
        await sandbox.autocomplete("many", "q", "p", timeout=0.5)
    (rejected,) = sandbox.requests("POST", "/interactions/*/*/callback", status=400)
    assert (
        rejected.response["errors"]["data"]["choices"]["_errors"][0]["code"]
        == "BASE_TYPE_MAX_LENGTH"
    )


async def test_subcommands_and_typed_options(sandbox: SandboxServer, harness: BotHarness) -> None:
    seen: list[tuple[object, ...]] = []
    group = app_commands.Group(name="digest", description="Digest commands")

    @group.command(description="Post a digest")
    async def post(
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        reviewer: discord.Member,
        top: int,
        score: float,
        dry_run: bool,
    ) -> None:
        seen.append((channel.name, reviewer.name, top, score, dry_run))
        await interaction.response.send_message("posted", ephemeral=True)

    harness.tree.add_command(group)
    await harness.start()
    result = await sandbox.invoke_command(
        "digest",
        {"channel": "announcements", "reviewer": "minji", "top": 5, "score": 0.5, "dry_run": True},
        subcommand="post",
        user="alex",
    )

    assert result.content == "posted" and result.ephemeral
    assert seen == [("announcements", "minji", 5, 0.5, True)]
