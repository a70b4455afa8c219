"""Segment-aware path globs used by recording queries and fault rules.

``*`` matches exactly one path segment (``fnmatch`` rules within it), ``**`` any number
of segments. A route pattern may start with an HTTP method: ``"POST /channels/*/messages"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


def _segments(path: str) -> list[str]:
    return [s for s in path.split("?", 1)[0].split("/") if s]


def _match(pattern: list[str], path: list[str]) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, path[i:]) for i in range(len(path) + 1))
    return bool(path) and fnmatchcase(path[0], head) and _match(rest, path[1:])


def path_matches(glob: str, path: str) -> bool:
    return _match(_segments(glob), _segments(path))


@dataclass(frozen=True)
class RoutePattern:
    method: str | None
    glob: str

    @classmethod
    def parse(cls, text: str) -> RoutePattern:
        parts = text.strip().split(None, 1)
        if len(parts) == 2 and not parts[0].startswith("/"):
            return cls(parts[0].upper(), parts[1])
        return cls(None, text.strip())

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method not in ("*", method.upper()):
            return False
        return path_matches(self.glob, path)
