"""INTERACTION_CREATE payloads as Discord builds them for a member acting in a channel."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from papers_sandbox.models import BOT_DM_PERMISSIONS, Channel, Guild, Json, Member, Role, User
from papers_sandbox.world import UnknownEntity, World

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
UserRef = int | str | User | Member


@dataclass
class Actor:
    """Who acts, where."""

    user: User
    channel: Channel
    guild: Guild | None

    @property
    def member(self) -> Member | None:
        return None if self.guild is None else self.guild.members.get(self.user.id)


def resolve_user(world: World, ref: UserRef) -> User:
    if isinstance(ref, Member):
        return ref.user
    if isinstance(ref, User):
        return ref
    return world.user(ref)


def _channel_payload(channel: Channel, permissions: int) -> Json:
    return {**channel.payload(), "permissions": str(permissions)}


def integration_owners(guild_id: int | None) -> Json:
    """``authorizing_integration_owners``: the application is installed to servers (its
    commands' ``integration_types`` are ``[0]``), so the key is ``"0"`` (GUILD_INSTALL) and
    the value the server's id, or ``"0"`` for an interaction in a DM with the bot user."""
    return {"0": str(guild_id or 0)}


def base_payload(world: World, actor: Actor, kind: int, locale: str, size_limit: int) -> Json:
    """Everything but ``data``/``message``/``token``. From a DM (context 1, BOT_DM): no
    ``guild_id``, ``guild`` or ``member``, the ``user`` instead, the DM channel (type 1,
    with its recipients) and the app's DM permissions."""
    if actor.guild is None:
        app_perms = BOT_DM_PERMISSIONS
    else:
        app_perms = actor.guild.permissions_of(world.bot_user.id)
    payload: Json = {
        "id": str(world.next_id()),
        "application_id": str(world.application_id),
        "type": kind,
        "version": 1,
        "channel_id": str(actor.channel.id),
        "channel": {**world.channel_payload(actor.channel), "permissions": str(app_perms)},
        "locale": locale,
        "app_permissions": str(app_perms),
        "entitlements": [],
        "attachment_size_limit": size_limit,
    }
    if actor.guild is None:
        payload.update(user=actor.user.payload(), context=1)
        payload["authorizing_integration_owners"] = integration_owners(None)
        return payload
    guild = actor.guild
    member = actor.member
    if member is None:
        raise UnknownEntity(f"{actor.user.username} is not a member of {guild.name}")
    perms = guild.permissions_of(actor.user.id)
    payload.update(guild_id=str(guild.id), guild_locale=guild.locale, context=0)
    payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
    payload["member"] = {**member.payload(), "permissions": str(perms)}
    payload["authorizing_integration_owners"] = integration_owners(guild.id)
    return payload


class OptionBuilder:
    """Types option values per the synced command and collects ``resolved`` data."""

    def __init__(self, world: World, actor: Actor) -> None:
        self.world = world
        self.actor = actor
        self.resolved: dict[str, dict[str, Json]] = {}

    def build(self, specs: list[Json], values: Mapping[str, Any]) -> list[Json]:
        by_name = {spec["name"]: spec for spec in specs}
        out: list[Json] = []
        for name, value in values.items():
            spec = by_name.get(name)
            if spec is None:
                known = ", ".join(by_name) or "none"
                raise KeyError(f"option {name!r} is not in the synced command (known: {known})")
            out.append({"name": name, "type": spec["type"], "value": self.typed(spec, value)})
        missing = [s["name"] for s in specs if s.get("required") and s["name"] not in values]
        if missing:
            raise ValueError(f"required options missing: {', '.join(missing)}")
        return out

    def typed(self, spec: Json, value: Any) -> Any:
        kind = int(spec["type"])
        if kind == STRING:
            return str(value)
        if kind == INTEGER:
            return int(value)
        if kind == NUMBER:
            return float(value)
        if kind == BOOLEAN:
            return bool(value)
        if kind == USER:
            return self._user(value)
        if kind == ROLE:
            return self._role(value)
        if kind == MENTIONABLE:
            return self._mentionable(value)
        if kind == CHANNEL:
            return self._channel(value)
        if kind == ATTACHMENT:
            return self._attachment(str(value))
        return value

    def _mentionable(self, value: Any) -> str:
        if isinstance(value, Role):
            return self._role(value)
        try:
            return self._user(value)
        except UnknownEntity:
            return self._role(value)

    def _user(self, value: Any) -> str:
        user = resolve_user(self.world, value)
        key = str(user.id)
        self.resolved.setdefault("users", {})[key] = user.payload()
        guild = self.actor.guild
        member = guild.members.get(user.id) if guild else None
        if guild is not None and member is not None:
            perms = str(guild.permissions_of(user.id))
            member_data = {**member.payload(with_user=False), "permissions": perms}
            self.resolved.setdefault("members", {})[key] = member_data
        return key

    def _role(self, value: Any) -> str:
        guild = self.actor.guild
        roles = list(guild.roles.values()) if guild else []
        match = [r for r in roles if value in (r, r.id, r.name, str(r.id))]
        if not match:
            raise UnknownEntity(f"unknown role {value!r}")
        self.resolved.setdefault("roles", {})[str(match[0].id)] = match[0].payload()
        return str(match[0].id)

    def _channel(self, value: Any) -> str:
        guild_id = self.actor.guild.id if self.actor.guild else None
        channel = value if isinstance(value, Channel) else self.world.channel(value, guild_id)
        perms = self.actor.guild.permissions_of(self.actor.user.id) if self.actor.guild else 0
        self.resolved.setdefault("channels", {})[str(channel.id)] = _channel_payload(channel, perms)
        return str(channel.id)

    def _attachment(self, filename: str) -> str:
        attachment_id = str(self.world.next_id())
        url = f"https://cdn.sandbox.invalid/attachments/{attachment_id}/{filename}"
        self.resolved.setdefault("attachments", {})[attachment_id] = {
            "id": attachment_id,
            "filename": filename,
            "size": 0,
            "url": url,
            "proxy_url": url,
        }
        return attachment_id


def wrap_subcommand(path: list[str], leaf: list[Json]) -> list[Json]:
    """Nest leaf options under ``group``/``sub`` options (types 2 and 1)."""
    options = leaf
    for depth, name in reversed(list(enumerate(path))):
        kind = 1 if depth == len(path) - 1 else 2
        options = [{"name": name, "type": kind, "options": options}]
    return options


def _walk(components: list[Json]) -> Iterator[Json]:
    """Every component, depth first through rows, containers, sections and accessories."""
    for component in components:
        yield component
        children = list(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                children.append(component[key])
        yield from _walk(children)


def custom_ids(components: list[Json]) -> list[str]:
    """Every custom id on a message's components, depth first."""
    return [c["custom_id"] for c in _walk(components) if isinstance(c.get("custom_id"), str)]


def find_component(components: list[Json], custom_id: str) -> Json | None:
    """The first component with `custom_id`, depth first."""
    return next((c for c in _walk(components) if c.get("custom_id") == custom_id), None)


def modal_submission(components: list[Json], values: Mapping[str, Any]) -> list[Json]:
    """The ``components`` of a MODAL_SUBMIT, mirroring the modal's layout."""
    out: list[Json] = []
    for component in components:
        if component.get("type") == 1:
            inner = [_submitted(c, values) for c in component.get("components") or []]
            out.append({"type": 1, "components": inner})
        elif component.get("type") == 18 and isinstance(component.get("component"), dict):
            out.append({"type": 18, "component": _submitted(component["component"], values)})
    return out


def _submitted(component: Json, values: Mapping[str, Any]) -> Json:
    custom_id = component.get("custom_id", "")
    value = values.get(custom_id, component.get("value") or "")
    data: Json = {"type": component.get("type"), "custom_id": custom_id}
    if component.get("type") in SELECT_TYPES:
        data["values"] = list(value) if isinstance(value, list | tuple) else [str(value)]
    else:
        data["value"] = str(value)
    return data
