"""Message context-menu commands (application command type 3): synced by bulk overwrite with
their own name rules, invoked on a message with `data.resolved.messages`."""

from __future__ import annotations

import discord
import pytest

from papers_sandbox import SandboxServer

from .client import ClientHarness


def _find_papers(harness: ClientHarness, seen: list[discord.Message]) -> None:
    @harness.tree.context_menu(name="Find papers")
    async def find_papers(interaction: discord.Interaction, message: discord.Message) -> None:
        seen.append(message)
        titles = [e.title for e in message.embeds]
        await interaction.response.send_message(
            f"{message.author.name}: {message.content} {titles}", ephemeral=True
        )


async def test_context_menu_syncs_with_spaces_and_capitals(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    _find_papers(harness, [])

    @harness.tree.command(description="Look up a paper")
    async def paper(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    await harness.start()

    (put,) = sandbox.requests("PUT", "/applications/*/commands")
    assert put.status == 200
    menu = sandbox.world.commands.find("Find papers", None, 3)
    assert menu is not None and menu["description"] == "" and menu["options"] == []
    assert sandbox.world.commands.find("Find papers", None) is None  # not a slash command
    assert sandbox.world.commands.find("paper", None) is not None


@pytest.mark.parametrize(
    ("command", "where"),
    [
        ({"name": "findPapers", "description": "d", "type": 1}, ["name"]),  # slash: lowercase
        ({"name": "find papers", "description": "d"}, ["name"]),  # slash: no spaces
        ({"name": "x" * 33, "type": 3}, ["name"]),
        ({"name": "   ", "type": 3}, ["name"]),
        (
            {"name": "Find papers", "type": 3, "name_localizations": {"ko": "논문!찾기"}},
            ["name_localizations", "ko"],
        ),
    ],
)
async def test_command_names_are_checked_per_type(
    sandbox: SandboxServer, harness: ClientHarness, command: dict[str, object], where: list[str]
) -> None:
    await harness.start(sync=False)
    app_id = sandbox.world.application_id
    with pytest.raises(discord.HTTPException) as caught:
        await harness.client.http.bulk_upsert_global_commands(app_id, [command])
    assert caught.value.status == 400 and caught.value.code == 50035
    node = sandbox.requests("PUT", "/applications/*/commands")[-1].response["errors"]["0"]
    for key in where:
        node = node[key]
    assert node["_errors"][0]["code"] == "APPLICATION_COMMAND_INVALID_NAME"
    assert sandbox.world.commands.list_for(None) == []


async def test_names_are_unique_per_type(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start(sync=False)
    app_id = sandbox.world.application_id
    slash = {"name": "find", "description": "d"}
    menu = {"name": "find", "type": 3}

    await harness.client.http.bulk_upsert_global_commands(app_id, [slash, menu])
    with pytest.raises(discord.HTTPException) as caught:
        await harness.client.http.bulk_upsert_global_commands(app_id, [slash, menu, menu])
    assert caught.value.code == 50035
    errors = sandbox.requests("PUT", "/applications/*/commands")[-1].response["errors"]
    assert errors["2"]["name"]["_errors"][0]["code"] == "APPLICATION_COMMANDS_DUPLICATE_NAME"
    assert [(c["name"], c["type"]) for c in sandbox.world.commands.list_for(None)] == [
        ("find", 1), ("find", 3),
    ]  # fmt: skip


async def test_at_most_15_message_commands(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start(sync=False)
    app_id = sandbox.world.application_id
    menus = [{"name": f"Menu {i}", "type": 3} for i in range(16)]

    await harness.client.http.bulk_upsert_global_commands(app_id, menus[:15])
    with pytest.raises(discord.HTTPException) as caught:
        await harness.client.http.bulk_upsert_global_commands(app_id, menus)
    assert caught.value.code == 50035
    assert len(sandbox.world.commands.list_for(None)) == 15


async def test_message_command_carries_the_message(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    seen: list[discord.Message] = []
    _find_papers(harness, seen)
    await harness.start()  # default intents: no message content
    target = sandbox.say("see arXiv:2505.03011v2", user="alex", channel_id="general")

    result = await sandbox.invoke_message_command("Find papers", target, user="minji")

    assert result.callback_type == 4 and result.ephemeral
    assert result.content == "alex: see arXiv:2505.03011v2 []"
    assert seen[0].id == int(target["id"]) and seen[0].channel.id == int(target["channel_id"])
    data = result.record.payload["data"]
    assert data["type"] == 3 and data["name"] == "Find papers"
    assert data["target_id"] == target["id"]
    resolved = data["resolved"]["messages"][target["id"]]
    assert resolved["content"] == target["content"] and resolved["author"]["username"] == "alex"
    assert result.record.payload["member"]["user"]["username"] == "minji"
    answer = result.message
    assert answer is not None and answer["type"] == 23  # CONTEXT_MENU_COMMAND
    metadata = answer["interaction_metadata"]
    assert metadata["command_type"] == 3 and metadata["target_message_id"] == target["id"]


async def test_message_command_on_an_embed_message_and_by_localized_name(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    seen: list[discord.Message] = []
    _find_papers(harness, seen)
    await harness.start()
    app_id = sandbox.world.application_id
    menu = {"name": "Find papers", "type": 3, "name_localizations": {"ko": "논문 찾기"}}
    await harness.client.http.bulk_upsert_global_commands(app_id, [menu])
    embed = discord.Embed(title="Diffusion at scale", url="https://arxiv.org/abs/2505.03011")
    posted = await harness.channel("papers").send(embed=embed)

    result = await sandbox.invoke_message_command("논문 찾기", posted.id, user="alex", locale="ko")

    assert result.content == "papers-bot:  ['Diffusion at scale']"
    assert result.record.payload["data"]["name"] == "Find papers"
    assert seen[0].embeds[0].url == "https://arxiv.org/abs/2505.03011"


async def test_only_synced_message_commands_can_be_invoked(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    @harness.tree.command(name="find", description="A slash command, not a menu")
    async def find(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    @harness.tree.context_menu(name="Profile")
    async def profile(interaction: discord.Interaction, user: discord.User) -> None:
        await interaction.response.send_message("ok")

    await harness.start()
    target = sandbox.say("2505.03011", user="alex", channel_id="papers")

    for name in ("find", "Profile", "Find papers"):
        with pytest.raises(LookupError, match="no message command"):
            await sandbox.invoke_message_command(name, target, user="minji")
    with pytest.raises(LookupError, match="unknown message"):
        await sandbox.invoke_message_command("find", 42, user="minji")
    assert sandbox.ctx.interactions.all() == []


async def test_message_command_on_a_dm(sandbox: SandboxServer, harness: ClientHarness) -> None:
    seen: list[discord.Message] = []
    _find_papers(harness, seen)
    await harness.start()
    await (await harness.user("minji")).send("Your alert: 2505.03011")
    (alert,) = sandbox.dms("minji")

    result = await sandbox.invoke_message_command("Find papers", alert, user="minji")

    assert result.content == "papers-bot: Your alert: 2505.03011 []"
    payload = result.record.payload
    assert payload["context"] == 1 and "member" not in payload and "guild_id" not in payload
    assert payload["user"]["username"] == "minji"
    assert [u["username"] for u in payload["channel"]["recipients"]] == ["minji"]
    assert isinstance(seen[0].channel, discord.DMChannel | discord.PartialMessageable)
