"""Bot configuration: a YAML file read into frozen dataclasses, checked key by key.

The dataclasses below *are* the schema: `_build` walks their fields and type hints, so a new
setting is one annotated field (plus an optional `metadata={"check": fn}`), nothing else.
Every problem becomes a `ConfigError` naming the file, the dotted key and what was expected.
Secrets (DISCORD_TOKEN) are not configuration and are never read here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import os
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.models import LogLevel, OnMissing, PostOrder, PostStyle
from bot.timezones import iana_zone

DEFAULT_URL_TEMPLATE = (
    "https://raw.githubusercontent.com/l-yohai/daily_papers_ko/main/paper_logs/{yyyy}/{mm}/{dd}.md"
)
# Environment variable -> dotted key it overrides. Empty variables count as unset.
ENV_OVERRIDES: dict[str, str] = {
    "PAPERS_BOT_DB": "database",
    "DISCORD_API_BASE": "discord.api_base",
    "DISCORD_GATEWAY_URL": "discord.gateway_url",
}

_T = TypeVar("_T")
_Check = Callable[[Any], Any]  # returns the (normalised) value or raises ValueError("expected …")


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and what was expected."""


class _Invalid(Exception):
    """A problem at a dotted key; `load_config` adds the file name."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key, self.problem = key, problem


# -- helpers shared with the slash commands ------------------------------------------------------

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


# -- per-field checks -----------------------------------------------------------------------------


def _check(ok: Callable[[Any], bool], expected: str) -> _Check:
    def check(value: Any) -> Any:
        if not ok(value):
            raise ValueError(f"expected {expected}, got {value!r}")
        return value

    return check


def _one_of(*options: str) -> _Check:
    def check(value: str) -> str:
        for option in options:
            if value.lower() == option.lower():
                return option
        choices = f"{', '.join(options[:-1])} or {options[-1]}"
        raise ValueError(f"expected {choices}, got {value!r}")

    return check


def _member_of(vocabulary: type[StrEnum]) -> _Check:
    """Any letter case of a member's value -> the member."""
    by_value = _one_of(*vocabulary)
    return lambda value: vocabulary(by_value(value))


def _url(*schemes: str) -> _Check:
    prefixes = [f"{s}://" for s in schemes]

    def ok(v: str) -> bool:
        return any(v.startswith(p) and len(v) > len(p) for p in prefixes) and v.split() == [v]

    return _check(ok, f"a URL starting with {' or '.join(prefixes)}")


def _time(value: str) -> str:
    try:
        return parse_hhmm(value).strftime("%H:%M")
    except ValueError:
        raise ValueError(f"expected HH:MM (24h), got {value!r}") from None


def _time_text(value: object) -> object:
    """A time is text: 930 is not 09:30 (and YAML 1.1 would have read 9:30 as 570)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'expected HH:MM (24h) such as "09:30", got {_describe(value)}')


def _timezone(value: str) -> str:
    try:
        return parse_timezone(value).key
    except ValueError:
        raise ValueError(f"expected an IANA timezone such as Asia/Seoul, got {value!r}") from None


def _url_template(value: str) -> str:
    expected = "an http(s) URL template containing {yyyy}, {mm} and {dd}"
    missing = [p for p in ("{yyyy}", "{mm}", "{dd}") if p not in value]
    if missing:
        raise ValueError(f"expected {expected}, got {value!r} (missing {', '.join(missing)})")
    try:
        _url("http", "https")(value.format(yyyy="2024", mm="01", dd="02"))
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"expected {expected} and no other {{...}}, got {value!r}") from None
    return value


def _one_per_channel(subs: tuple[SubscriptionConfig, ...]) -> tuple[SubscriptionConfig, ...]:
    seen: dict[int, int] = {}
    for i, sub in enumerate(subs):
        if sub.channel in seen:
            raise ValueError(
                f"channel {sub.channel} is listed twice ([{seen[sub.channel]}] and [{i}]); "
                "use one entry per channel"
            )
        seen[sub.channel] = i
    return subs


def _between(low: int, high: int) -> Any:
    return _m(_check(lambda v: low <= v <= high, f"an integer from {low} to {high}"))


def _up_to(high: float) -> Any:
    return _m(_check(lambda v: 0 < v <= high, f"a number > 0 and <= {high:g}"))


def _m(
    check: _Check | None = None, each: _Check | None = None, coerce: _Check | None = None
) -> Any:
    """Field metadata: `check` the value, check `each` list item, `coerce` the raw YAML first."""
    pairs = {"check": check, "each": each, "coerce": coerce}
    return {k: v for k, v in pairs.items() if v is not None}


_DISCORD_ID = _check(lambda v: 0 < v < 2**63, "a Discord id (integer > 0)")
_PATH = _check(lambda v: v.strip() != "", "a non-empty path")
_TIME, _TZ = _m(_time, coerce=_time_text), _m(_timezone)
_STYLE = _m(_member_of(PostStyle))
_LEVEL = _m(_member_of(LogLevel))
_MAX_PAPERS = _between(1, 100)
# Upper bounds: far beyond any useful setting, and small enough for timedelta, asyncio timers
# and SQLite integers (10**20 of any of them would fail only later, at the first use).
_MIN_VOTES = _between(0, 1_000_000)


# -- the schema -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    api_base: str = field(default="https://discord.com/api/v10", metadata=_m(_url("http", "https")))
    gateway_url: str = field(default="wss://gateway.discord.gg", metadata=_m(_url("ws", "wss")))
    sync_guilds: tuple[int, ...] = field(default=(), metadata=_m(each=_DISCORD_ID))
    sync_on_start: bool = True


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    folders: tuple[str, ...] = field(default=(), metadata=_m(each=_PATH))
    url_template: str | None = field(default=DEFAULT_URL_TEMPLATE, metadata=_m(_url_template))
    poll_interval_minutes: int = field(default=30, metadata=_between(1, 1440))
    request_timeout_seconds: float = field(default=20.0, metadata=_up_to(300))
    lookback_days: int = field(default=3, metadata=_between(0, 90))


@dataclass(frozen=True, slots=True)
class SubscriptionConfig:
    guild: int = field(metadata=_m(_DISCORD_ID))
    channel: int = field(metadata=_m(_DISCORD_ID))
    time: str | None = field(default=None, metadata=_TIME)
    timezone: str | None = field(default=None, metadata=_TZ)
    style: PostStyle | None = field(default=None, metadata=_STYLE)
    min_votes: int | None = field(default=None, metadata=_MIN_VOTES)
    max_papers: int | None = field(default=None, metadata=_MAX_PAPERS)


@dataclass(frozen=True, slots=True)
class DailyConfig:
    timezone: str = field(default="Asia/Seoul", metadata=_TZ)
    time: str = field(default="09:00", metadata=_TIME)
    style: PostStyle = field(default=PostStyle.EMBEDS, metadata=_STYLE)
    order: PostOrder = field(default=PostOrder.PUBLISHED, metadata=_m(_member_of(PostOrder)))
    wait_for_digest_minutes: int = field(default=240, metadata=_between(0, 1440))
    on_missing: OnMissing = field(default=OnMissing.WAIT, metadata=_m(_member_of(OnMissing)))
    catch_up_hours: int = field(default=24, metadata=_between(0, 168))
    global_rate_per_second: float = field(default=45.0, metadata=_up_to(50))
    subscriptions: tuple[SubscriptionConfig, ...] = field(default=(), metadata=_m(_one_per_channel))


@dataclass(frozen=True, slots=True)
class Config:
    database: str = field(default="papers.db", metadata=_m(_PATH))
    log_level: LogLevel = field(default=LogLevel.INFO, metadata=_LEVEL)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    daily: DailyConfig = field(default_factory=DailyConfig)


# -- the generic builder --------------------------------------------------------------------------


def _describe(value: object) -> str:
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


_SCALARS: dict[type, tuple[str, Callable[[object], bool]]] = {
    bool: ("true or false", lambda v: isinstance(v, bool)),
    int: ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    float: ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    str: ("a string", lambda v: isinstance(v, str)),
}


def _scalar(hint: type, value: object, key: str) -> object:
    expected, ok = _SCALARS[hint]
    if not ok(value):
        quote = " (put it in quotes)" if hint is str and value is not None else ""
        raise _Invalid(key, f"expected {expected}, got {_describe(value)}{quote}")
    if hint is float:
        number = float(typing.cast(float, value))
        if not math.isfinite(number):
            raise _Invalid(key, f"expected a finite number, got {value!r}")
        return number
    return value


def _convert(hint: Any, value: object, key: str, each: _Check | None = None) -> object:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):  # only `X | None` is used
        (inner,) = (a for a in args if a is not type(None))
        return None if value is None else _convert(inner, value, key, each)
    if origin in (tuple, list):
        if value is None:
            value = []
        if not isinstance(value, list):
            raise _Invalid(key, f"expected a list, got {_describe(value)}")
        items = [_convert(args[0], v, f"{key}[{i}]") for i, v in enumerate(value)]
        if each is not None:
            items = [_run(each, v, f"{key}[{i}]") for i, v in enumerate(items)]
        return tuple(items) if origin is tuple else items
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, key)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        hint = str  # text here; the field's check makes it a member
    return _scalar(hint, value, key)


def _run(check: _Check, value: object, key: str) -> object:
    try:
        return check(value)
    except ValueError as e:
        raise _Invalid(key, str(e)) from None


def _field(f: dataclasses.Field[Any], hint: Any, value: object, key: str) -> object:
    if "coerce" in f.metadata:
        value = _run(f.metadata["coerce"], value, key)
    value = _convert(hint, value, key, f.metadata.get("each"))
    if value is not None and "check" in f.metadata:
        value = _run(f.metadata["check"], value, key)
    return value


def _join(key: str, name: object) -> str:
    return f"{key}.{name}" if key else str(name)


def _build(cls: type[_T], raw: object, key: str) -> _T:
    """A `cls` from a YAML mapping (None = all defaults), checking every key against fields."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _Invalid(key, f"expected a mapping of keys, got {_describe(raw)}")
    fields = {f.name: f for f in dataclasses.fields(typing.cast(Any, cls))}
    for name in raw:
        if name not in fields:
            close = difflib.get_close_matches(str(name), fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _Invalid(
                _join(key, name), f"unknown key{hint}; allowed keys: {', '.join(fields)}"
            )
    hints, values = typing.get_type_hints(cls), dict[str, object]()
    for name, f in fields.items():
        if name in raw:
            values[name] = _field(f, hints[name], raw[name], _join(key, name))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise _Invalid(_join(key, name), "missing required key")
    return cls(**values)


def _override(obj: Any, path: list[str], value: str, key: str) -> Any:
    name = path[0]
    if len(path) > 1:
        new = _override(getattr(obj, name), path[1:], value, key)
    else:
        f = next(f for f in dataclasses.fields(obj) if f.name == name)
        new = _field(f, typing.get_type_hints(type(obj))[name], value, key)
    return dataclasses.replace(obj, **{name: new})


class _Loader(yaml.SafeLoader):
    """YAML as people read it: a number is decimal, so 010, 0x10 and 9:30 (YAML 1.1's octal,
    hex and base 60) stay text and a key that wants a number or a time says what it got."""


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _parse_yaml(text: str, path: Path) -> object:
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark, problem = e.problem_mark or e.context_mark, e.problem or e.context or "?"
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        if e.problem and e.context and e.context_mark:  # e.g. where an unclosed quote began
            problem += f" ({e.context} at line {e.context_mark.line + 1})"
        raise ConfigError(f"{path}:{where} invalid YAML: {problem}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML: {e}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    except Exception as e:  # e.g. a date that does not exist (2024-02-30): still the file's fault
        raise ConfigError(f"{path}: invalid YAML: {type(e).__name__}: {e}") from None


MAX_CONFIG_BYTES = 1024 * 1024  # the example, every key documented, is ~6 KB


def _read(path: Path) -> object:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)  # /dev/zero or a huge file: not a config
        if len(data) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: not a config file: over {MAX_CONFIG_BYTES} bytes")
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found (copy config/bot.example.yaml to start)"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        reason = f"not UTF-8 ({e.reason})" if isinstance(e, UnicodeDecodeError) else e.strerror
        raise ConfigError(f"{path}: cannot read config file: {reason}") from None
    return _parse_yaml(text, path)


def load_config(path: Path | str | None, env: Mapping[str, str] | None = None) -> Config:
    """Read and check `path` (None = defaults), then apply environment overrides (os.environ)."""
    config = Config()
    if path is not None:
        path = Path(path)
        try:
            config = _build(Config, _read(path), "")
        except _Invalid as e:
            raise ConfigError(f"{path}: {e}") from None
    env = os.environ if env is None else env
    for var, key in ENV_OVERRIDES.items():
        value = env.get(var, "").strip()
        if not value:
            continue
        try:
            config = _override(config, key.split("."), value, key)
        except _Invalid as e:
            raise ConfigError(
                f"environment variable {var} (overrides {key}): {e.problem}"
            ) from None
    return config
