"""In-memory world state: the application, its bot user, guilds, channels, members, messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from papers_sandbox.commands import CommandStore
from papers_sandbox.files import SentFile, sent_files
from papers_sandbox.models import (
    BOT_ROLE_PERMISSIONS,
    DM_CHANNEL,
    EVERYONE_PERMISSIONS,
    TEXT_CHANNEL,
    Channel,
    Guild,
    Json,
    Member,
    Role,
    User,
)
from papers_sandbox.snowflake import SnowflakeGenerator

EPHEMERAL = 1 << 6
DEFAULT_GUILD = "Sandbox Lab"
DEFAULT_CHANNELS = ("papers", "general", "announcements")
DEFAULT_MEMBERS = ("minji", "alex")


class UnknownEntity(LookupError):
    """A name or id that the world does not know."""


class World:
    """Everything the fake Discord knows. Message payloads are stored as Discord JSON."""

    def __init__(self, *, bot_name: str = "papers-bot", app_name: str = "papers-bot") -> None:
        self.snowflakes = SnowflakeGenerator()
        self.application_id = self.snowflakes.next()
        self.app_name = app_name
        self.owner = User(self.snowflakes.next(), "sandbox-owner", "Sandbox Owner")
        self.bot_user = User(self.application_id, bot_name, None, bot=True)
        self.users: dict[int, User] = {u.id: u for u in (self.owner, self.bot_user)}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.commands = CommandStore(self.application_id, self.snowflakes)
        self._messages: dict[int, dict[int, Json]] = {}
        self.uploads: dict[int, bytes] = {}  # attachment id -> the bytes uploaded
        # Indexes, so a world of 10,000 members opens DMs in constant time per member.
        self._user_by_name: dict[str, User] = {u.username: u for u in self.users.values()}
        self._dm_by_user: dict[int, Channel] = {}

    @classmethod
    def default(cls) -> World:
        """One guild "Sandbox Lab" with #papers, #general, #announcements; minji and alex."""
        world = cls()
        world.add_guild(DEFAULT_GUILD, channels=DEFAULT_CHANNELS, members=DEFAULT_MEMBERS)
        return world

    # ---- seeding -------------------------------------------------------------------------

    def next_id(self) -> int:
        return self.snowflakes.next()

    def add_user(self, username: str, *, global_name: str | None = None, bot: bool = False) -> User:
        user = User(self.next_id(), username, global_name or username.title(), bot=bot)
        self.users[user.id] = user
        self._user_by_name.setdefault(username, user)
        return user

    def add_guild(
        self, name: str, *, channels: Iterable[str] = ("general",), members: Iterable[str] = ()
    ) -> Guild:
        """A guild the bot is in: @everyone + bot role, the named text channels and members."""
        guild = Guild(self.next_id(), name, owner_id=self.owner.id)
        guild.roles[guild.id] = Role(guild.id, "@everyone", EVERYONE_PERMISSIONS)
        bot_role = Role(self.next_id(), self.bot_user.username, BOT_ROLE_PERMISSIONS, 1, True)
        guild.roles[bot_role.id] = bot_role
        self.guilds[guild.id] = guild
        guild.members[self.owner.id] = Member(self.owner, guild.id)
        guild.members[self.bot_user.id] = Member(self.bot_user, guild.id, [bot_role.id])
        for channel_name in channels:
            self.add_channel(guild.id, channel_name)
        for username in members:
            self.add_member(guild.id, username)
        return guild

    def add_channel(
        self,
        guild_id: int,
        name: str,
        *,
        type: int = TEXT_CHANNEL,
        parent_id: int | None = None,
        topic: str | None = None,
        channel_id: int | None = None,
    ) -> Channel:
        guild = self.guild(guild_id)
        position = sum(1 for c in guild.channels.values() if not c.is_thread)
        channel = Channel(channel_id or self.next_id(), type, name, guild_id, position, topic)
        channel.parent_id = parent_id
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self, guild_id: int, username: str, *, global_name: str | None = None, bot: bool = False
    ) -> Member:
        """Add a member to a guild, reusing an existing user of that name."""
        user = self._user_by_name.get(username)
        if user is None:
            user = self.add_user(username, global_name=global_name, bot=bot)
        member = Member(user, guild_id)
        self.guild(guild_id).members[user.id] = member
        return member

    def remove_member(self, guild_id: int, user_id: int) -> Member | None:
        """The member leaves (or is removed from) the guild; their user stays known."""
        return self.guild(guild_id).members.pop(user_id, None)

    def dm_channel(self, user_id: int) -> Channel:
        """The DM channel between the bot and ``user_id`` (created on first use)."""
        channel = self.find_dm_channel(user_id)
        if channel is not None:
            return channel
        self.user(user_id)
        channel = Channel(self.next_id(), DM_CHANNEL, "", recipient_ids=[user_id])
        self.channels[channel.id] = channel
        self._dm_by_user[user_id] = channel
        return channel

    def find_dm_channel(self, user_id: int) -> Channel | None:
        """The DM channel with ``user_id`` if one was opened."""
        channel = self._dm_by_user.get(user_id)
        return channel if channel is not None and channel.id in self.channels else None

    def set_dms_allowed(self, user_id: int, allowed: bool, guild_id: int | None = None) -> None:
        """A member's "Allow direct messages from server members", in one guild or in every
        guild they share with the bot."""
        guilds = [self.guild(guild_id)] if guild_id is not None else self.guilds.values()
        for guild in guilds:
            if user_id in guild.members:
                guild.members[user_id].allows_dms = allowed

    def can_dm(self, user_id: int) -> bool:
        """Whether the bot may message ``user_id`` directly: a human who shares a guild with
        the bot where they allow direct messages from server members."""
        user = self.users.get(user_id)
        if user is None or user.bot:
            return False
        shared = [g.members[user_id] for g in self.guilds.values() if user_id in g.members]
        return any(member.allows_dms for member in shared)

    def channel_payload(self, channel: Channel) -> Json:
        """The channel object as REST returns it (a DM's with its recipients)."""
        data = channel.payload()
        if channel.recipient_ids:
            data["recipients"] = [self.users[i].payload() for i in channel.recipient_ids]
        return data

    def remove_channel(self, channel_id: int) -> Channel | None:
        channel = self.channels.pop(channel_id, None)
        if channel is not None and channel.guild_id in self.guilds:
            self.guilds[channel.guild_id].channels.pop(channel_id, None)
        return channel

    # ---- lookups -------------------------------------------------------------------------

    @property
    def default_guild(self) -> Guild:
        if not self.guilds:
            raise UnknownEntity("the world has no guild")
        return next(iter(self.guilds.values()))

    def guild(self, guild_id: int | None = None) -> Guild:
        if guild_id is None:
            return self.default_guild
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise UnknownEntity(f"unknown guild {guild_id}") from None

    def channel(self, ref: int | str, guild_id: int | None = None) -> Channel:
        """A channel by id, or by name (``"papers"`` or ``"#papers"``) in a guild."""
        if isinstance(ref, int):
            if ref in self.channels:
                return self.channels[ref]
            raise UnknownEntity(f"unknown channel {ref}")
        name = ref.removeprefix("#")
        for channel in self.guild(guild_id).channels.values():
            if channel.name == name:
                return channel
        raise UnknownEntity(f"unknown channel {ref!r}")

    def user(self, ref: int | str) -> User:
        """A user by id, username or global name."""
        if isinstance(ref, int):
            if ref in self.users:
                return self.users[ref]
            raise UnknownEntity(f"unknown user {ref}")
        for user in self.users.values():
            if ref in (user.username, user.global_name):
                return user
        raise UnknownEntity(f"unknown user {ref!r}")

    def humans(self, guild_id: int | None = None) -> list[User]:
        guild = self.guild(guild_id)
        return [
            m.user for m in guild.members.values() if not m.user.bot and m.user is not self.owner
        ]

    # ---- messages ------------------------------------------------------------------------

    def store_message(self, message: Json) -> Json:
        channel_id = int(message["channel_id"])
        self._messages.setdefault(channel_id, {})[int(message["id"])] = message
        channel = self.channels.get(channel_id)
        if channel is not None and not int(message.get("flags", 0)) & EPHEMERAL:
            channel.last_message_id = int(message["id"])
        return message

    def messages(self, channel_id: int, *, include_ephemeral: bool = False) -> list[Json]:
        """Messages of a channel, oldest first. Ephemeral ones only on request."""
        stored = self._messages.get(channel_id, {})
        out = [stored[k] for k in sorted(stored)]
        if include_ephemeral:
            return out
        return [m for m in out if not int(m.get("flags", 0)) & EPHEMERAL]

    def message(self, channel_id: int, message_id: int) -> Json | None:
        return self._messages.get(channel_id, {}).get(message_id)

    def find_message(self, message_id: int) -> Json | None:
        for stored in self._messages.values():
            if message_id in stored:
                return stored[message_id]
        return None

    def delete_message(self, channel_id: int, message_id: int) -> Json | None:
        return self._messages.get(channel_id, {}).pop(message_id, None)

    def all_messages(self) -> list[Json]:
        out = [m for stored in self._messages.values() for m in stored.values()]
        return sorted(out, key=lambda m: int(m["id"]))

    def dms(self, user_id: int) -> list[Json]:
        """Messages of the DM channel with ``user_id``, oldest first ([] if never opened)."""
        channel = self.find_dm_channel(user_id)
        return [] if channel is None else self.messages(channel.id)

    def files(self, message: Json | int) -> list[SentFile]:
        """The attachments of a stored message (by payload or id) with their bytes."""
        message_id = int(message["id"]) if isinstance(message, dict) else int(message)
        stored = self.find_message(message_id)
        if stored is None:
            raise UnknownEntity(f"unknown message {message_id}")
        return sent_files(stored, self.uploads)

    def message_contents(self, channel_id: int) -> list[str]:
        return [str(m.get("content", "")) for m in self.messages(channel_id)]

    def describe(self) -> dict[str, Any]:
        """A compact summary, handy in assertion messages."""
        return {
            g.name: {c.name: len(self.messages(c.id)) for c in g.channels.values()}
            for g in self.guilds.values()
        }
