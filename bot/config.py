"""Bot configuration: a YAML file read into frozen, typed dataclasses.

The dataclasses below *are* the schema. pydantic checks a file against them (types, required
keys, unknown keys forbidden) and the annotated checks here add bounds and formats; every
problem becomes one `ConfigError` line naming the file, the dotted key, what was expected and
what was got. Secrets (DISCORD_TOKEN) are not configuration and are never read here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pydantic
import yaml
from pydantic import AfterValidator, BeforeValidator, PlainValidator, Strict, StrictBool
from pydantic_core import ErrorDetails

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
_E = TypeVar("_E", bound=StrEnum)
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


# -- what a value must be: each check returns the (normalised) value or raises ValueError -----


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


def _expected(expected: str, value: object) -> str:
    quote = " (put it in quotes)" if expected == "a string" and value is not None else ""
    return f"expected {expected}, got {_describe(value)}{quote}"


def _check(ok: Callable[[Any], bool], expected: str) -> _Check:
    def check(value: Any) -> Any:
        if not ok(value):
            raise ValueError(f"expected {expected}, got {value!r}")
        return value

    return check


def _choice(vocabulary: type[_E]) -> _Check:
    """Text naming a member in any letter case -> the member."""
    options = [str(m) for m in vocabulary]
    choices = f"{', '.join(options[:-1])} or {options[-1]}"

    def check(value: object) -> _E:
        if not isinstance(value, str):
            raise ValueError(_expected("a string", value))
        for member in vocabulary:
            if value.lower() == member.lower():
                return member
        raise ValueError(f"expected {choices}, got {value!r}")

    return check


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


def _empty(value: object, empty: object) -> object:
    return empty if value is None else value


# A key left empty in YAML (`daily:`) is null: a section then has its defaults, a list is empty.
_Section = BeforeValidator(lambda v: _empty(v, {}))
_List = BeforeValidator(lambda v: _empty(v, []))
# Values as YAML wrote them: no quietly turning "30" into 30 or true into 1.
_Int = Annotated[int, Strict()]
_Str = Annotated[str, Strict()]
_Number = Annotated[float, Strict(), pydantic.Field(allow_inf_nan=False)]  # an int is fine


def _between(low: int, high: int) -> AfterValidator:
    return AfterValidator(_check(lambda v: low <= v <= high, f"an integer from {low} to {high}"))


def _up_to(high: float) -> AfterValidator:
    return AfterValidator(_check(lambda v: 0 < v <= high, f"a number > 0 and <= {high:g}"))


def _is(ok: Callable[[Any], bool], expected: str) -> AfterValidator:
    return AfterValidator(_check(ok, expected))


# Upper bounds: far beyond any useful setting, and small enough for timedelta, asyncio timers
# and SQLite integers (10**20 of any of them would fail only later, at the first use).
_Minutes = Annotated[_Int, _between(1, 1440)]
_Wait = Annotated[_Int, _between(0, 1440)]
_Hours = Annotated[_Int, _between(0, 168)]
_Days = Annotated[_Int, _between(0, 90)]
_MinVotes = Annotated[_Int, _between(0, 1_000_000)]
_MaxPapers = Annotated[_Int, _between(1, 100)]
_Timeout = Annotated[_Number, _up_to(300)]
_Rate = Annotated[_Number, _up_to(50)]
_DiscordId = Annotated[_Int, _is(lambda v: 0 < v < 2**63, "a Discord id (integer > 0)")]
_Path = Annotated[_Str, _is(lambda v: v.strip() != "", "a non-empty path")]
_Time = Annotated[_Str, BeforeValidator(_time_text), AfterValidator(_time)]
_Zone = Annotated[_Str, AfterValidator(_timezone)]
_HttpUrl = Annotated[_Str, AfterValidator(_url("http", "https"))]
_WsUrl = Annotated[_Str, AfterValidator(_url("ws", "wss"))]
_UrlTemplate = Annotated[_Str, AfterValidator(_url_template)]
_Style = Annotated[PostStyle, PlainValidator(_choice(PostStyle))]
_Level = Annotated[LogLevel, PlainValidator(_choice(LogLevel))]
_Order = Annotated[PostOrder, PlainValidator(_choice(PostOrder))]
_OnMissing = Annotated[OnMissing, PlainValidator(_choice(OnMissing))]


# -- the schema -----------------------------------------------------------------------------------

_STRICT = pydantic.ConfigDict(extra="forbid")


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class DiscordConfig:
    api_base: _HttpUrl = "https://discord.com/api/v10"
    gateway_url: _WsUrl = "wss://gateway.discord.gg"
    sync_guilds: Annotated[tuple[_DiscordId, ...], _List] = ()
    sync_on_start: StrictBool = True


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class SourcesConfig:
    folders: Annotated[tuple[_Path, ...], _List] = ()
    url_template: _UrlTemplate | None = DEFAULT_URL_TEMPLATE
    poll_interval_minutes: _Minutes = 30
    request_timeout_seconds: _Timeout = 20.0
    lookback_days: _Days = 3


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class SubscriptionConfig:
    guild: _DiscordId
    channel: _DiscordId
    time: _Time | None = None
    timezone: _Zone | None = None
    style: _Style | None = None
    min_votes: _MinVotes | None = None
    max_papers: _MaxPapers | None = None


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class DailyConfig:
    timezone: _Zone = "Asia/Seoul"
    time: _Time = "09:00"
    style: _Style = PostStyle.EMBEDS
    order: _Order = PostOrder.PUBLISHED
    wait_for_digest_minutes: _Wait = 240
    on_missing: _OnMissing = OnMissing.WAIT
    catch_up_hours: _Hours = 24
    global_rate_per_second: _Rate = 45.0
    subscriptions: Annotated[
        tuple[SubscriptionConfig, ...], _List, AfterValidator(_one_per_channel)
    ] = ()


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Config:
    database: _Path = "papers.db"
    log_level: _Level = LogLevel.INFO
    discord: Annotated[DiscordConfig, _Section] = field(default_factory=DiscordConfig)
    sources: Annotated[SourcesConfig, _Section] = field(default_factory=SourcesConfig)
    daily: Annotated[DailyConfig, _Section] = field(default_factory=DailyConfig)


# -- pydantic's errors as one line each -----------------------------------------------------------

_EXPECTED = {
    "int_type": "an integer",
    "bool_type": "true or false",
    "string_type": "a string",
    "float_type": "a number",
    "tuple_type": "a list",
    "list_type": "a list",
    "dataclass_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
}
_UNKNOWN = {"unexpected_keyword_argument", "extra_forbidden", "invalid_key"}


def _key(loc: tuple[int | str, ...]) -> str:
    """('daily', 'subscriptions', 1, 'time') -> 'daily.subscriptions[1].time'"""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


def _schema_at(cls: Any, loc: tuple[int | str, ...]) -> Any:
    """The dataclass whose keys are at `loc` (a mapping's place in the file)."""
    for part in loc:
        hint = cls if isinstance(part, int) else typing.get_type_hints(cls)[part]
        while typing.get_origin(hint) in (Annotated, tuple, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        cls = hint
    return cls


def _unknown(root: Any, loc: tuple[int | str, ...]) -> _Invalid:
    *at, name = loc
    fields = [f.name for f in dataclasses.fields(_schema_at(root, tuple(at)))]
    close = difflib.get_close_matches(str(name), fields, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    key = f"{_key(tuple(at))}.{name}" if at else str(name)
    return _Invalid(key, f"unknown key{hint}; allowed keys: {', '.join(fields)}")


def _invalid(root: Any, error: ErrorDetails) -> _Invalid:
    kind, loc, value = error["type"], error["loc"], error["input"]
    if kind in _UNKNOWN:
        return _unknown(root, loc)
    if kind == "missing":
        return _Invalid(_key(loc), "missing required key")
    if kind == "value_error":  # a check above: its message is the line
        return _Invalid(_key(loc), str((error.get("ctx") or {})["error"]))
    if kind == "finite_number":
        return _Invalid(_key(loc), f"expected a finite number, got {value!r}")
    if kind in _EXPECTED:
        return _Invalid(_key(loc), _expected(_EXPECTED[kind], value))
    return _Invalid(
        _key(loc), f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {_describe(value)}"
    )


_ADAPTERS: dict[type, pydantic.TypeAdapter[Any]] = {}  # built on first use (~50 ms for Config)


def _adapter(cls: type[_T]) -> pydantic.TypeAdapter[_T]:
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = pydantic.TypeAdapter(cls)
    return _ADAPTERS[cls]


def _validate(cls: type[_T], raw: object) -> _T:
    """A `cls` from YAML data; the first problem (an unknown key before others) as `_Invalid`."""
    try:
        return _adapter(cls).validate_python({} if raw is None else raw)
    except pydantic.ValidationError as e:
        errors = sorted(e.errors(), key=lambda err: err["type"] not in _UNKNOWN)
        raise _invalid(cls, errors[0]) from None


def _override(obj: Any, path: list[str], value: str) -> Any:
    """`obj` with the dotted `path` set to `value`, checked as the file's value would be."""
    name, fields = path[0], {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if len(path) > 1:
        return dataclasses.replace(obj, **{name: _override(fields[name], path[1:], value)})
    return _validate(type(obj), fields | {name: value})


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
            config = _validate(Config, _read(path))
        except _Invalid as e:
            raise ConfigError(f"{path}: {e}") from None
    env = os.environ if env is None else env
    for var, key in ENV_OVERRIDES.items():
        value = env.get(var, "").strip()
        if not value:
            continue
        try:
            config = _override(config, key.split("."), value)
        except _Invalid as e:
            raise ConfigError(
                f"environment variable {var} (overrides {key}): {e.problem}"
            ) from None
    return config
