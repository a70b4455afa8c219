"""Direct messages as discord.py opens and sends them: `POST /users/@me/channels`, DM limits,
403 50007 for members who closed their DMs or share no server, the global rate limit, and
components pressed on a DM message (an interaction from a DM, as Discord sends it)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import discord
import pytest
from discord.http import Route

from papers_sandbox import SandboxServer
from papers_sandbox.world import UnknownEntity
from tests.polling import eventually

from .client import ClientHarness

CANNOT_DM = {"message": "Cannot send messages to this user", "code": 50007}
# Required fields in Discord's OpenAPI spec (discord/discord-api-spec, specs/openapi.json):
PRIVATE_CHANNEL = {"id", "type", "flags", "recipients"}  # PrivateChannelResponse
COMPONENT_METADATA = {"id", "type", "authorizing_integration_owners", "interacted_message_id"}


async def test_opening_a_dm_gives_one_dm_channel_per_recipient(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    minji = sandbox.world.user("minji")

    dm = await (await harness.user("minji")).create_dm()
    again = await harness.client.http.start_private_message(minji.id)
    alex = await harness.client.http.start_private_message(sandbox.world.user("alex").id)

    assert dm.type is discord.ChannelType.private and dm.recipient is not None
    assert dm.recipient.id == minji.id
    assert again["id"] == str(dm.id) and alex["id"] != str(dm.id)
    opened = sandbox.requests("POST", "/users/@me/channels")
    assert [r.json for r in opened] == [{"recipient_id": minji.id}] * 2 + [
        {"recipient_id": sandbox.world.user("alex").id}
    ]
    body = opened[0].response
    assert body["type"] == 1 and "name" not in body and "guild_id" not in body
    assert [u["id"] for u in body["recipients"]] == [str(minji.id)]


async def test_dm_messages_keep_discords_limits(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    user = await harness.user("minji")
    dm = await user.create_dm()
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=dm.id)

    embed = {"title": "2505.03011", "description": "A paper you follow"}
    button = {"type": 2, "style": 1, "custom_id": "save:2505.03011", "label": "Save"}
    row = {"type": 1, "components": [button]}
    await harness.client.http.request(route, json={"embeds": [embed], "components": [row]})
    refused = [
        {"content": "x" * 2001},
        {"embeds": [{"title": "t" * 257}]},
        {"embeds": [{"title": "t"}] * 11},
        {"components": [{"type": 1, "components": [button] * 6}]},
    ]
    for body in refused:
        with pytest.raises(discord.HTTPException) as caught:
            await harness.client.http.request(route, json=body)
        assert caught.value.status == 400 and caught.value.code == 50035
    with pytest.raises(discord.HTTPException) as empty:
        await harness.client.http.request(route, json={"content": ""})
    assert empty.value.code == 50006

    (stored,) = sandbox.dms("minji")
    assert stored["embeds"][0]["title"] == "2505.03011"
    assert stored["components"][0]["components"][0]["custom_id"] == "save:2505.03011"
    assert "guild_id" not in stored


async def test_closed_dms_answer_403_50007_until_opened(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    user = await harness.user("minji")
    sandbox.close_dms("minji")

    with pytest.raises(discord.Forbidden) as caught:
        await user.send("your alert")
    assert caught.value.status == 403 and caught.value.code == 50007
    (refused,) = sandbox.requests("POST", "/channels/*/messages", status=403)
    assert refused.response == CANNOT_DM
    assert sandbox.dms("minji") == []

    await (await harness.user("alex")).send("alex still gets his")
    sandbox.open_dms("minji")
    await user.send("your alert, now that DMs are open")
    assert [m["content"] for m in sandbox.dms("minji")] == ["your alert, now that DMs are open"]
    assert [m["content"] for m in sandbox.dms("alex")] == ["alex still gets his"]


async def test_dms_closed_in_one_shared_server_still_arrive(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    second = sandbox.world.add_guild("Reading Group", members=["minji"])
    await harness.start()
    user = await harness.user("minji")

    sandbox.close_dms("minji", guild_id=second.id)
    await user.send("allowed through Sandbox Lab")
    sandbox.close_dms("minji", guild_id=sandbox.world.default_guild.id)
    with pytest.raises(discord.Forbidden):
        await user.send("closed everywhere")

    assert [m["content"] for m in sandbox.dms("minji")] == ["allowed through Sandbox Lab"]


async def test_users_sharing_no_server_cannot_be_messaged(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    stranger = sandbox.world.add_user("stranger")
    await harness.start()
    guild = sandbox.world.default_guild
    user = await harness.user("stranger")

    dm = await user.create_dm()  # the channel opens; sending is what Discord refuses
    with pytest.raises(discord.Forbidden) as caught:
        await dm.send("hello")
    assert caught.value.code == 50007

    left = await harness.user("alex")
    await left.send("before leaving")
    sandbox.remove_member("alex", guild_id=guild.id)  # alex left the only shared server
    with pytest.raises(discord.Forbidden) as gone:
        await left.send("after leaving")
    assert gone.value.code == 50007
    assert sandbox.world.dms(stranger.id) == []
    assert [m["content"] for m in sandbox.dms("alex")] == ["before leaving"]


async def test_a_member_leaving_is_dispatched_to_the_members_intent(
    sandbox: SandboxServer, make_harness: Callable[..., ClientHarness]
) -> None:
    intents = discord.Intents.default()
    intents.members = True
    harness = make_harness(intents)
    left: list[int] = []

    async def on_raw_member_remove(payload: discord.RawMemberRemoveEvent) -> None:
        left.append(payload.user.id)

    harness.client.event(on_raw_member_remove)
    await harness.start()

    sandbox.remove_member("minji")
    alex = sandbox.world.user("alex")
    sandbox.remove_member(alex.id, notify=False)

    minji = sandbox.world.user("minji")
    await eventually(lambda: left == [minji.id])
    guild = harness.client.get_guild(sandbox.world.default_guild.id)
    assert guild is not None and guild.get_member(minji.id) is None
    assert not sandbox.world.can_dm(minji.id) and not sandbox.world.can_dm(alex.id)


async def test_bots_cannot_be_messaged(sandbox: SandboxServer, harness: ClientHarness) -> None:
    other = sandbox.world.add_member(sandbox.world.default_guild.id, "other-bot", bot=True)
    await harness.start()

    with pytest.raises(discord.HTTPException) as caught:
        await harness.client.http.start_private_message(other.user.id)
    assert caught.value.status == 400 and caught.value.code == 50007
    with pytest.raises(discord.NotFound) as unknown:
        await harness.client.http.start_private_message(1234)
    assert unknown.value.code == 10013


async def test_opening_dms_and_messages_share_the_global_limit(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    names = ["minji", "alex", "dana"]
    for name in names[2:]:
        sandbox.world.add_member(sandbox.world.default_guild.id, name)
    await harness.start()
    users = [await harness.user(name) for name in names]
    sandbox.enforce_rate_limits(global_per_second=2)

    await asyncio.gather(*(user.send(f"alert for {user.name}") for user in users))

    for name in names:
        assert [m["content"] for m in sandbox.dms(name)] == [f"alert for {name}"]
    limited = sandbox.requests(status=429)
    assert any(r.path == "/users/@me/channels" for r in limited)  # opening one counts too
    for request in limited:
        assert request.response["global"] is True and request.response["retry_after"] > 0
        assert request.response_headers["Via"] and request.response_headers["X-RateLimit-Global"]
    answered = sandbox.requests("POST", status=200)
    assert len(answered) == 2 * len(names)  # each open and each message once


class SaveOnAlert(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.pressed: list[discord.Interaction] = []

    @discord.ui.button(label="Save", custom_id="save:2505.03011")
    async def save(
        self, interaction: discord.Interaction, _: discord.ui.Button[SaveOnAlert]
    ) -> None:
        self.pressed.append(interaction)
        await interaction.response.send_message("Saved", ephemeral=True)


async def test_a_component_pressed_in_a_dm_comes_as_discord_sends_it_from_a_dm(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    view = SaveOnAlert()
    await harness.start()
    minji = sandbox.world.user("minji")
    dm = await (await harness.user("minji")).create_dm()
    await dm.send("Your alert", view=view)
    (alert,) = sandbox.dms("minji")

    pressed = await sandbox.click(alert, "save:2505.03011", user="minji")

    payload = pressed.record.payload
    assert payload["type"] == 3 and payload["context"] == 1  # MESSAGE_COMPONENT, BOT_DM
    assert not {"guild_id", "guild", "member", "guild_locale"} & payload.keys()
    assert payload["user"]["id"] == str(minji.id)
    assert payload["channel"]["type"] == 1 and payload["channel_id"] == str(dm.id)
    assert [u["id"] for u in payload["channel"]["recipients"]] == [str(minji.id)]
    assert payload["channel"].keys() >= PRIVATE_CHANNEL and "guild_id" not in payload["channel"]
    assert payload["message"]["id"] == alert["id"] and "guild_id" not in payload["message"]
    assert payload["data"] == {"custom_id": "save:2505.03011", "component_type": 2}
    # ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE | USE_EXTERNAL_EMOJIS, as in a bot's DM
    assert payload["app_permissions"] == str((1 << 14) | (1 << 15) | (1 << 17) | (1 << 18))
    assert payload["authorizing_integration_owners"] == {"0": "0"}  # a server install, in DM

    (seen,) = view.pressed  # as discord.py reads it
    assert seen.guild_id is None and isinstance(seen.channel, discord.DMChannel)
    assert type(seen.user) is discord.User and seen.user.id == minji.id
    assert seen.context.dm_channel and not seen.is_user_integration()
    assert seen.app_permissions.embed_links and seen.app_permissions.attach_files
    assert seen.message is not None and seen.message.id == int(alert["id"])
    assert pressed.answered and pressed.ephemeral and pressed.content == "Saved"
    assert pressed.message is not None and pressed.message["channel_id"] == str(dm.id)
    metadata = pressed.message["interaction_metadata"]
    assert metadata.keys() >= COMPONENT_METADATA
    assert metadata["type"] == 3 and metadata["interacted_message_id"] == alert["id"]
    assert metadata["authorizing_integration_owners"] == {"0": "0"}
    assert sandbox.dms("minji") == [alert]  # the ephemeral answer is hers alone

    with pytest.raises(UnknownEntity, match="cannot act in minji's DM"):
        await sandbox.click(alert, "save:2505.03011", user="alex")
