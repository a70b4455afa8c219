"""What a config value must be: each check returns the (normalised) value or raises
ValueError("expected ..., got ..."); the time and timezone parsers are shared with the slash
commands."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from bot.timezones import iana_zone

_E = TypeVar("_E", bound=StrEnum)
_Check = Callable[[Any], Any]  # returns the (normalised) value or raises ValueError("expected …")
_HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def parse_hhmm(s: str) -> dt.time:
    """'09:00' or '9:00' -> time(9, 0); ValueError with a human message otherwise."""
    match = _HHMM.fullmatch(s.strip())
    if match is None:
        raise ValueError(f"{s!r} is not a time; use HH:MM, 24-hour")
    return dt.time(int(match[1]), int(match[2]))


def parse_timezone(s: str) -> zoneinfo.ZoneInfo:
    """'Asia/Seoul' (any letter case) -> ZoneInfo, by the rule /daily subscribe follows;
    ValueError with a human message otherwise."""
    zone = iana_zone(s)
    if zone is None:
        raise ValueError(f"{s!r} is not an IANA timezone, e.g. Asia/Seoul")
    return zone


def describe(value: object) -> str:
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"a {type(value).__name__} ({value})"


def expected_got(expected: str, value: object) -> str:
    quote = " (put it in quotes)" if expected == "a string" and value is not None else ""
    return f"expected {expected}, got {describe(value)}{quote}"


def check(ok: Callable[[Any], bool], expected: str) -> _Check:
    def check(value: Any) -> Any:
        if not ok(value):
            raise ValueError(f"expected {expected}, got {value!r}")
        return value

    return check


def choice(vocabulary: type[_E]) -> _Check:
    """Text naming a member in any letter case -> the member."""
    options = [str(m) for m in vocabulary]
    choices = f"{', '.join(options[:-1])} or {options[-1]}"

    def check(value: object) -> _E:
        if not isinstance(value, str):
            raise ValueError(expected_got("a string", value))
        for member in vocabulary:
            if value.lower() == member.lower():
                return member
        raise ValueError(f"expected {choices}, got {value!r}")

    return check


def url(*schemes: str) -> _Check:
    prefixes = [f"{s}://" for s in schemes]

    def ok(v: str) -> bool:
        return any(v.startswith(p) and len(v) > len(p) for p in prefixes) and v.split() == [v]

    return check(ok, f"a URL starting with {' or '.join(prefixes)}")


def hhmm(value: str) -> str:
    try:
        return parse_hhmm(value).strftime("%H:%M")
    except ValueError:
        raise ValueError(f"expected HH:MM (24h), got {value!r}") from None


def time_is_text(value: object) -> object:
    """A time is text: 930 is not 09:30 (and YAML 1.1 would have read 9:30 as 570)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'expected HH:MM (24h) such as "09:30", got {describe(value)}')


def timezone_key(value: str) -> str:
    try:
        return parse_timezone(value).key
    except ValueError:
        raise ValueError(f"expected an IANA timezone such as Asia/Seoul, got {value!r}") from None


def url_template(value: str) -> str:
    expected = "an http(s) URL template containing {yyyy}, {mm} and {dd}"
    missing = [p for p in ("{yyyy}", "{mm}", "{dd}") if p not in value]
    if missing:
        raise ValueError(f"expected {expected}, got {value!r} (missing {', '.join(missing)})")
    try:
        url("http", "https")(value.format(yyyy="2024", mm="01", dd="02"))
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"expected {expected} and no other {{...}}, got {value!r}") from None
    return value
