"""Acting as a member, in a server or a DM: commands, autocomplete, clicks, modals, messages."""

# Waiting helpers take ``timeout=`` like discord.py's own ``wait_for``.
# ruff: noqa: ASYNC109

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from papers_sandbox.commands import find_option_path
from papers_sandbox.context import SandboxContext
from papers_sandbox.interaction_payloads import (
    SELECT_TYPES,
    Actor,
    OptionBuilder,
    UserRef,
    base_payload,
    find_component,
    modal_submission,
    resolve_user,
    wrap_subcommand,
)
from papers_sandbox.interaction_result import InteractionNotAnswered, InteractionResult
from papers_sandbox.interaction_state import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
)
from papers_sandbox.limits import MESSAGE_COMMAND
from papers_sandbox.messages import MessageSource, build_message, gateway_message
from papers_sandbox.models import DM_CHANNEL, TEXT_CHANNEL, Json
from papers_sandbox.world import UnknownEntity

ChannelRef = int | str


class MemberActions:
    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx

    # ---- who and where -------------------------------------------------------------------

    def actor(
        self,
        user: UserRef | None = None,
        guild_id: int | None = None,
        channel_id: ChannelRef | None = None,
    ) -> Actor:
        world = self.ctx.world
        if channel_id is not None:
            channel = world.channel(channel_id, guild_id)
        else:
            guild = world.guild(guild_id)
            texts = [c for c in guild.channels.values() if c.type == TEXT_CHANNEL]
            if not texts:
                raise UnknownEntity(f"guild {guild.name} has no text channel")
            channel = texts[0]
        if channel.type == DM_CHANNEL:
            recipient = world.users[channel.recipient_ids[0]]
            acting = resolve_user(world, user) if user else recipient
            if acting.id != recipient.id:
                raise UnknownEntity(f"{acting.username} cannot act in {recipient.username}'s DM")
            return Actor(acting, channel, None)
        guild = world.guild(channel.guild_id)
        if user is None:
            humans = world.humans(guild.id)
            if not humans:
                raise UnknownEntity(f"guild {guild.name} has no human member")
            return Actor(humans[0], channel, guild)
        return Actor(resolve_user(world, user), channel, guild)

    def _dispatch(
        self, kind: int, actor: Actor, data: Json, locale: str, message: Json | None = None
    ) -> InteractionRecord:
        if not self.ctx.gateway.live_sessions():
            raise RuntimeError("no gateway session: is the bot connected?")
        config = self.ctx.config
        payload = base_payload(self.ctx.world, actor, kind, locale, config.attachment_size_limit)
        payload["data"] = data
        if message is not None:
            payload["message"] = message
        record = self.ctx.interactions.create(
            interaction_id=int(payload["id"]),
            type=kind,
            payload=payload,
            channel_id=actor.channel.id,
            guild_id=actor.guild.id if actor.guild else None,
            user_id=actor.user.id,
        )
        self.ctx.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    async def _await_answer(
        self, record: InteractionRecord, timeout: float, followup_timeout: float, settle: float
    ) -> InteractionResult:
        registry = self.ctx.interactions
        result = InteractionResult(record, self.ctx.world, registry)
        if not await registry.wait(lambda: record.acknowledged, timeout):
            return result
        await registry.wait(record.settled, followup_timeout)
        while settle > 0:
            before = (len(record.followup_ids), record.edits, len(record.deleted_ids))
            await registry.wait(lambda: False, settle)
            if before == (len(record.followup_ids), record.edits, len(record.deleted_ids)):
                break
        return result

    # ---- application commands ------------------------------------------------------------

    def _command_data(
        self,
        actor: Actor,
        name: str,
        subcommand: str | None,
        build: Any,
    ) -> Json:
        guild_id = actor.guild.id if actor.guild else None
        command = self.ctx.world.commands.find(name, guild_id)
        if command is None:
            raise LookupError(f"/{name} is not synced (did the bot call tree.sync()?)")
        path, specs = find_option_path(command, subcommand)
        builder = OptionBuilder(self.ctx.world, actor)
        leaf = build(builder, specs)
        data: Json = {"id": command["id"], "name": name, "type": 1}
        data["options"] = wrap_subcommand(path, leaf)
        if builder.resolved:
            data["resolved"] = builder.resolved
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    async def invoke_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: UserRef | None = None,
        guild_id: int | None = None,
        channel_id: ChannelRef | None = None,
        subcommand: str | None = None,
        locale: str = "en-US",
        timeout: float = 3.5,
        followup_timeout: float = 10.0,
        settle: float = 0.05,
    ) -> InteractionResult:
        """Run ``/name`` like a member would; returns once answered (or timed out: check
        ``result.answered``). Deferred answers are awaited up to ``followup_timeout``."""
        actor = self.actor(user, guild_id, channel_id)
        values = dict(options or {})
        data = self._command_data(actor, name, subcommand, lambda b, specs: b.build(specs, values))
        record = self._dispatch(APPLICATION_COMMAND, actor, data, locale)
        return await self._await_answer(record, timeout, followup_timeout, settle)

    async def autocomplete(
        self,
        name: str,
        focused_option: str,
        value: str,
        other_options: Mapping[str, Any] | None = None,
        *,
        user: UserRef | None = None,
        guild_id: int | None = None,
        channel_id: ChannelRef | None = None,
        subcommand: str | None = None,
        locale: str = "en-US",
        timeout: float = 3.5,
    ) -> list[Json]:
        """Type into an autocomplete option; returns the bot's choices."""
        actor = self.actor(user, guild_id, channel_id)
        others = dict(other_options or {})

        def build(builder: OptionBuilder, specs: list[Json]) -> list[Json]:
            spec = next((s for s in specs if s["name"] == focused_option), None)
            if spec is None:
                raise KeyError(f"/{name} has no option {focused_option!r}")
            partial = [s for s in specs if s["name"] != focused_option and not s.get("required")]
            required = [s for s in specs if s["name"] in others]
            typed = builder.build(list({s["name"]: s for s in partial + required}.values()), others)
            focused = {"name": focused_option, "type": spec["type"], "value": str(value)}
            return [*typed, {**focused, "focused": True}]

        data = self._command_data(actor, name, subcommand, build)
        record = self._dispatch(AUTOCOMPLETE, actor, data, locale)
        result = await self._await_answer(record, timeout, 0.0, 0.0)
        if record.choices is None:
            raise InteractionNotAnswered(result.describe())
        return list(record.choices)

    # ---- message context menus -----------------------------------------------------------

    def _message_command(self, name: str, guild_id: int | None) -> Json:
        """A synced message command by its name or one of its localized names."""
        store = self.ctx.world.commands
        command = store.find(name, guild_id, MESSAGE_COMMAND)
        menus = [c for c in store.visible(guild_id) if c.get("type") == MESSAGE_COMMAND]
        named = [c for c in menus if name in (c.get("name_localizations") or {}).values()]
        found = command or (named[0] if named else None)
        if found is None:
            synced = [c["name"] for c in menus]
            raise LookupError(f"no message command {name!r} is synced (synced: {synced})")
        return found

    async def invoke_message_command(
        self,
        name: str,
        message: Json | int,
        *,
        user: UserRef | None = None,
        locale: str = "en-US",
        timeout: float = 3.5,
        followup_timeout: float = 10.0,
        settle: float = 0.05,
    ) -> InteractionResult:
        """Right-click ``message`` and pick Apps > ``name`` (a type 3 command); the bot gets
        the message in ``data.resolved.messages`` whatever its intents."""
        message_id = int(message["id"]) if isinstance(message, dict) else int(message)
        target = self.ctx.world.find_message(message_id)
        if target is None:
            raise UnknownEntity(f"unknown message {message_id}")
        actor = self.actor(user, None, int(target["channel_id"]))
        command = self._message_command(name, actor.guild.id if actor.guild else None)
        data: Json = {
            "id": command["id"],
            "name": command["name"],
            "type": MESSAGE_COMMAND,
            "target_id": str(message_id),
            "resolved": {"messages": {str(message_id): copy.deepcopy(target)}},
        }
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        record = self._dispatch(APPLICATION_COMMAND, actor, data, locale)
        return await self._await_answer(record, timeout, followup_timeout, settle)

    # ---- components and modals -----------------------------------------------------------

    async def click(
        self,
        message: Json | int,
        custom_id: str,
        *,
        user: UserRef | None = None,
        values: list[str] | None = None,
        locale: str = "en-US",
        timeout: float = 3.5,
        followup_timeout: float = 10.0,
        settle: float = 0.05,
    ) -> InteractionResult:
        """Press a button (or pick ``values`` in a select) on a message."""
        message_id = int(message["id"]) if isinstance(message, dict) else int(message)
        current = self.ctx.world.find_message(message_id)
        if current is None:
            raise UnknownEntity(f"unknown message {message_id}")
        component = find_component(list(current.get("components") or []), custom_id)
        if component is None:
            raise LookupError(f"message {message_id} has no component {custom_id!r}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] in SELECT_TYPES:
            data["values"] = list(values or [])
        actor = self.actor(user, None, int(current["channel_id"]))
        record = self._dispatch(MESSAGE_COMPONENT, actor, data, locale, message=current)
        return await self._await_answer(record, timeout, followup_timeout, settle)

    async def submit_modal(
        self,
        opened_by: InteractionResult,
        values: Mapping[str, Any],
        *,
        locale: str = "en-US",
        timeout: float = 3.5,
        followup_timeout: float = 10.0,
        settle: float = 0.05,
    ) -> InteractionResult:
        """Fill in and submit the modal the bot opened in answer to ``opened_by``."""
        modal = opened_by.modal
        if modal is None:
            raise LookupError("that interaction was not answered with a modal")
        source = opened_by.record
        actor = self.actor(source.user_id, None, source.channel_id)
        components = modal_submission(list(modal.get("components") or []), values)
        data: Json = {"custom_id": modal.get("custom_id"), "components": components}
        message = source.payload.get("message")
        record = self._dispatch(MODAL_SUBMIT, actor, data, locale, message=message)
        return await self._await_answer(record, timeout, followup_timeout, settle)

    # ---- plain messages ------------------------------------------------------------------

    def say(
        self,
        content: str,
        *,
        user: UserRef | None = None,
        channel_id: ChannelRef | None = None,
        guild_id: int | None = None,
    ) -> Json:
        """Post a message as a member (MESSAGE_CREATE to the bot); returns the payload."""
        actor = self.actor(user, guild_id, channel_id)
        source = MessageSource(actor.user)
        message = build_message(self.ctx.world, actor.channel, source, {"content": content})
        self.ctx.gateway.dispatch("MESSAGE_CREATE", gateway_message(self.ctx.world, message))
        return message
