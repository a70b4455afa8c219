"""Application commands as Discord stores them after a bulk overwrite."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from papers_sandbox.models import Json
from papers_sandbox.snowflake import SnowflakeGenerator

SUBCOMMAND = 1
SUBCOMMAND_GROUP = 2


class CommandStore:
    """Global and per-guild command lists; ids stay stable across re-syncs by (name, type)."""

    def __init__(self, application_id: int, snowflakes: SnowflakeGenerator) -> None:
        self.application_id = application_id
        self._snowflakes = snowflakes
        self._global: list[Json] = []
        self._guild: dict[int, list[Json]] = {}

    def overwrite(self, commands: Iterable[Mapping[str, Any]], guild_id: int | None) -> list[Json]:
        old = self.list_for(guild_id)
        stored = [self._normalize(c, guild_id, old) for c in commands]
        if guild_id is None:
            self._global = stored
        else:
            self._guild[guild_id] = stored
        return stored

    def upsert(self, command: Mapping[str, Any], guild_id: int | None) -> Json:
        """Create or replace one command (matched by name and type)."""
        key = (command.get("name"), int(command.get("type", 1)))
        others = [c for c in self.list_for(guild_id) if (c["name"], c["type"]) != key]
        return self.overwrite([*others, command], guild_id)[-1]

    def delete(self, command_id: int, guild_id: int | None) -> bool:
        current = self.list_for(guild_id)
        kept = [c for c in current if int(c["id"]) != command_id]
        self.overwrite(kept, guild_id)
        return len(kept) != len(current)

    def list_for(self, guild_id: int | None) -> list[Json]:
        return list(self._global if guild_id is None else self._guild.get(guild_id, []))

    def find(self, name: str, guild_id: int | None, type: int = 1) -> Json | None:
        """A synced command as the client would see it: guild commands before global ones."""
        scopes = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for command in self.list_for(scope):
                if command["name"] == name and command.get("type", 1) == type:
                    return command
        return None

    def visible(self, guild_id: int | None) -> list[Json]:
        """The commands a member sees in ``guild_id``: its own, then the global ones."""
        own = self.list_for(guild_id) if guild_id is not None else []
        return [*own, *self._global]

    def all(self) -> list[Json]:
        return [*self._global, *(c for cmds in self._guild.values() for c in cmds)]

    def _normalize(self, command: Mapping[str, Any], guild_id: int | None, old: list[Json]) -> Json:
        kind = int(command.get("type", 1))
        same = [c for c in old if c["name"] == command.get("name") and c["type"] == kind]
        data: Json = {
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "name_localizations": None,
            "description_localizations": None,
            "contexts": None,
            "integration_types": [0],
            **dict(command),
        }
        data.update(
            id=same[0]["id"] if same else str(self._snowflakes.next()),
            application_id=str(self.application_id),
            version=str(self._snowflakes.next()),
            type=kind,
            description=command.get("description", ""),
            options=list(command.get("options") or []),
        )
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        return data


def find_option_path(command: Json, subcommand: str | None) -> tuple[list[str], list[Json]]:
    """Resolve ``"group sub"`` / ``"sub"`` into the path of names and the leaf's options."""
    options: list[Json] = list(command.get("options") or [])
    if not subcommand:
        return [], options
    path: list[str] = []
    for part in subcommand.split():
        match = [o for o in options if o["name"] == part and o["type"] in (1, 2)]
        if not match:
            raise KeyError(f"/{command['name']} has no subcommand {subcommand!r}")
        path.append(part)
        options = list(match[0].get("options") or [])
    return path, options
