"""Story 9 and friends: autocomplete, buttons, selects, modals."""

from __future__ import annotations

import discord
from discord import app_commands

from papers_sandbox import SandboxServer

from .client import ClientHarness

TITLES = ["Diffusion Models Beat GANs", "Denoising Diffusion", "Attention Is All You Need"]


async def test_autocomplete_returns_choices(sandbox: SandboxServer, harness: ClientHarness) -> None:
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        hits = [t for t in TITLES if current.lower() in t.lower()]
        return [app_commands.Choice(name=t, value=t[:20]) for t in hits]

    @harness.tree.command(description="Find a paper")
    @app_commands.autocomplete(title=complete)
    async def find(interaction: discord.Interaction, title: str) -> None:
        await interaction.response.send_message(title)

    await harness.start()
    choices = await sandbox.autocomplete("find", "title", "diff")

    assert [c["name"] for c in choices] == TITLES[:2]
    (callback,) = sandbox.requests("POST", "/interactions/*/*/callback")
    assert callback.json["type"] == 8


class Confirm(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.clicked_by: list[str] = []

    @discord.ui.button(label="Confirm", custom_id="confirm", style=discord.ButtonStyle.green)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]
    ) -> None:
        self.clicked_by.append(interaction.user.name)
        await interaction.response.edit_message(content="confirmed", view=None)


async def test_button_click_updates_message(sandbox: SandboxServer, harness: ClientHarness) -> None:
    view = Confirm()

    @harness.tree.command(description="Ask for confirmation")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Post the digest?", view=view)

    await harness.start()
    asked = await sandbox.invoke_command("ask")
    assert asked.message is not None
    assert asked.components[0]["components"][0]["custom_id"] == "confirm"

    clicked = await sandbox.click(asked.message, "confirm", user="alex")

    assert clicked.callback_type == 7
    assert clicked.content == "confirmed" and clicked.components == []
    assert view.clicked_by == ["alex"]
    assert clicked.message is not None and clicked.message["id"] == asked.message["id"]
    assert sandbox.world.message_contents(sandbox.channel("papers").id) == ["confirmed"]


async def test_button_on_channel_message_and_select(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    picked: list[str] = []

    class Picker(discord.ui.View):
        @discord.ui.select(
            custom_id="lang",
            options=[discord.SelectOption(label="Korean", value="ko"),
                     discord.SelectOption(label="English", value="en")],
        )  # fmt: skip
        async def lang(
            self, interaction: discord.Interaction, select: discord.ui.Select[Picker]
        ) -> None:
            picked.extend(select.values)
            await interaction.response.send_message(f"language: {select.values[0]}", ephemeral=True)

    await harness.start()
    sent = await harness.channel("general").send("Choose a language", view=Picker(timeout=30))

    result = await sandbox.click(sent.id, "lang", values=["ko"])

    assert picked == ["ko"]
    assert result.callback_type == 4 and result.ephemeral and result.content == "language: ko"


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Your thoughts", custom_id="text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


async def test_modal_round_trip(sandbox: SandboxServer, harness: ClientHarness) -> None:
    @harness.tree.command(description="Send feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    await harness.start()
    opened = await sandbox.invoke_command("feedback")
    assert opened.callback_type == 9 and opened.modal is not None
    assert opened.modal["title"] == "Feedback"

    submitted = await sandbox.submit_modal(opened, {"text": "great digest"})

    assert submitted.content == "thanks: great digest"


async def test_deferred_update_then_edit_original(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    class Refresh(discord.ui.View):
        @discord.ui.button(label="Refresh", custom_id="refresh")
        async def refresh(
            self, interaction: discord.Interaction, button: discord.ui.Button[Refresh]
        ) -> None:
            await interaction.response.defer()
            await interaction.edit_original_response(content="refreshed", view=None)

    await harness.start()
    sent = await harness.channel("papers").send("stale list", view=Refresh(timeout=30))

    result = await sandbox.click(sent.id, "refresh")

    assert result.callback_type == 6
    assert result.content == "refreshed" and result.message is not None
    assert result.message["id"] == str(sent.id)  # @original = the component's message
    assert sandbox.world.message_contents(sent.channel.id) == ["refreshed"]


async def test_original_response_fetch_and_delete(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    fetched: list[str] = []

    @harness.tree.command(description="Temporary note")
    async def note(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("temporary")
        original = await interaction.original_response()
        fetched.append(original.content)
        await interaction.delete_original_response()

    await harness.start()
    result = await sandbox.invoke_command("note")

    assert fetched == ["temporary"]
    assert result.callback_type == 4 and result.messages == []
    assert sandbox.messages("papers") == []
