"""The schema: frozen dataclasses, each key annotated with what it must be, checked by
pydantic with unknown keys forbidden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pydantic
from pydantic import AfterValidator, BeforeValidator, PlainValidator, Strict, StrictBool

from bot.config.values import (
    check,
    choice,
    hhmm,
    time_is_text,
    timezone_key,
    url,
    url_template,
)
from bot.models import LogLevel, OnMissing, PostOrder, PostStyle
from bot.summaries.prompt import read_prompt

DEFAULT_URL_TEMPLATE = (
    "https://raw.githubusercontent.com/l-yohai/daily_papers_ko/main/paper_logs/{yyyy}/{mm}/{dd}.md"
)


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
    return AfterValidator(check(lambda v: low <= v <= high, f"an integer from {low} to {high}"))


def _up_to(high: float) -> AfterValidator:
    return AfterValidator(check(lambda v: 0 < v <= high, f"a number > 0 and <= {high:g}"))


def _is(ok: Callable[[Any], bool], expected: str) -> AfterValidator:
    return AfterValidator(check(ok, expected))


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
_Time = Annotated[_Str, BeforeValidator(time_is_text), AfterValidator(hhmm)]
_Zone = Annotated[_Str, AfterValidator(timezone_key)]
_HttpUrl = Annotated[_Str, AfterValidator(url("http", "https"))]
_WsUrl = Annotated[_Str, AfterValidator(url("ws", "wss"))]
_UrlTemplate = Annotated[_Str, AfterValidator(url_template)]
_Style = Annotated[PostStyle, PlainValidator(choice(PostStyle))]
_Level = Annotated[LogLevel, PlainValidator(choice(LogLevel))]
_Order = Annotated[PostOrder, PlainValidator(choice(PostOrder))]
_OnMissing = Annotated[OnMissing, PlainValidator(choice(OnMissing))]
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
class HuggingFaceConfig:
    """Days built from Hugging Face's Daily Papers API (bot/huggingface)."""

    enabled: StrictBool = True
    api_base: _HttpUrl = "https://huggingface.co"
    folder: _Path | None = None  # None: `<database name>-built` beside the database
    korean_deadline_minutes: _Wait = 0  # how long before a post its Korean digest is due
    day_complete_utc: _Time = "23:00"  # UTC: a day fetched from then on is complete

    def folder_for(self, database: str) -> str:
        """Where built days are written: `folder`, or beside `database`."""
        if self.folder is not None:
            return self.folder
        db = Path(database)
        return str(db.with_name(f"{db.stem or db.name}-built"))


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class SourcesConfig:
    folders: Annotated[tuple[_Path, ...], _List] = ()
    url_template: _UrlTemplate | None = DEFAULT_URL_TEMPLATE
    poll_interval_minutes: _Minutes = 30
    request_timeout_seconds: _Timeout = 20.0
    lookback_days: _Days = 3
    huggingface: Annotated[HuggingFaceConfig, _Section] = field(default_factory=HuggingFaceConfig)


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


def _prompt_file(value: str) -> str:
    """The operator's prompt, read now so a bad file stops the bot at start, not at a post."""
    read_prompt(value)  # PromptError is a ValueError saying why
    return value


_Model = Annotated[_Str, _is(lambda v: v.strip() != "" and v.split() == [v], "a model name")]
_PromptFile = Annotated[_Path, AfterValidator(_prompt_file)]
_Temperature = Annotated[_Number, _is(lambda v: 0 <= v <= 2, "a number from 0 to 2")]


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class SummariesConfig:
    """Korean summaries of built days from an OpenAI-compatible chat endpoint (off unless
    `api_base` is set; the key is PAPERS_BOT_LLM_KEY in the environment, never here)."""

    api_base: _HttpUrl | None = None
    model: _Model | None = None
    prompt_file: _PromptFile | None = None
    max_papers_per_day: Annotated[_Int, _between(1, 500)] = 50
    max_tokens: Annotated[_Int, _between(64, 32_768)] = 1024
    temperature: _Temperature = 0.2
    timeout_seconds: _Timeout = 60.0
    retries: Annotated[_Int, _between(0, 10)] = 3
    concurrency: Annotated[_Int, _between(1, 32)] = 4
    deadline_seconds: Annotated[_Int, _between(1, 3600)] = 90  # within the build's lead
    max_attempts: Annotated[_Int, _between(1, 20)] = 3  # failed requests a paper may cost

    def __post_init__(self) -> None:
        if self.api_base is not None and self.model is None:
            raise ValueError(
                "summaries.api_base is set but summaries.model is not: set it to the model's "
                "name at that endpoint (e.g. gpt-4o-mini, or qwen2.5:7b on Ollama)"
            )


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class EnrichConfig:
    enabled: StrictBool = True
    max_age_days: Annotated[_Int, _between(0, 3650)] = 7
    interval_minutes: _Minutes = 10


@pydantic.with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Config:
    database: _Path = "papers.db"
    log_level: _Level = LogLevel.INFO
    discord: Annotated[DiscordConfig, _Section] = field(default_factory=DiscordConfig)
    sources: Annotated[SourcesConfig, _Section] = field(default_factory=SourcesConfig)
    daily: Annotated[DailyConfig, _Section] = field(default_factory=DailyConfig)
    summaries: Annotated[SummariesConfig, _Section] = field(default_factory=SummariesConfig)
    enrich: Annotated[EnrichConfig, _Section] = field(default_factory=EnrichConfig)
