"""bot.config: defaults, the example file, environment overrides and the error messages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from pathlib import Path

import pytest

from bot.config import (
    DEFAULT_URL_TEMPLATE,
    Config,
    ConfigError,
    DailyConfig,
    DiscordConfig,
    SourcesConfig,
    SubscriptionConfig,
    SummariesConfig,
    load_config,
    parse_hhmm,
    parse_timezone,
)
from bot.models import OnMissing, PostOrder, PostStyle

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "bot.example.yaml"
SUB = "daily:\n  subscriptions:\n    - {guild: 1, channel: 2}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text), env={})


def error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message.removeprefix(f"{path}: ")


# -- defaults and the example file ----------------------------------------------------------------


def test_no_file_gives_defaults() -> None:
    config = load_config(None, env={})
    assert config == Config()
    assert config.database == "papers.db"
    assert config.log_level == "INFO"
    assert config.discord == DiscordConfig(
        "https://discord.com/api/v10", "wss://gateway.discord.gg", (), True
    )
    assert config.sources == SourcesConfig((), DEFAULT_URL_TEMPLATE, 30, 20.0, 3)
    assert config.daily == DailyConfig(
        "Asia/Seoul",
        "09:00",
        PostStyle.EMBEDS,
        PostOrder.PUBLISHED,
        240,
        OnMissing.WAIT,
        24,
        45.0,
        (),
    )


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n"])
def test_empty_file_gives_defaults(tmp_path: Path, text: str) -> None:
    assert load(tmp_path, text) == Config()


def test_empty_sections_give_defaults(tmp_path: Path) -> None:
    assert load(tmp_path, "discord:\nsources:\ndaily:\n  subscriptions:\n") == Config()


def test_example_file_loads_and_shows_the_defaults() -> None:
    assert load_config(EXAMPLE, env={}) == Config()


def test_example_file_mentions_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    classes = [Config, DiscordConfig, SourcesConfig, DailyConfig, SubscriptionConfig]
    classes.append(SummariesConfig)
    for cls in classes:
        for f in dataclasses.fields(cls):
            key = rf"^[ #-]*{f.name}:(\s|$)"  # set, or shown in a commented-out example
            assert re.search(key, text, re.MULTILINE), f"{cls.__name__}.{f.name} not in example"


def test_example_subscription_block_is_valid(tmp_path: Path) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    start = lines.index("  # subscriptions:")
    block = ["  subscriptions:"]
    for line in lines[start + 1 :]:
        if not line.startswith("  #   "):
            break
        block.append(line[:2] + line[4:])
    text = "\n".join(lines).replace("  subscriptions: []", "\n".join(block))
    (sub,) = load(tmp_path, text).daily.subscriptions
    assert sub == SubscriptionConfig(
        123456789012345678, 234567890123456789, "08:30", "Europe/Berlin", PostStyle.THREAD, 0, None
    )


def test_full_config(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
database: /var/lib/papers/bot.db
log_level: debug
discord:
  api_base: http://127.0.0.1:8080/api/v10
  gateway_url: ws://127.0.0.1:8080/gateway
  sync_guilds: [111, 222]
  sync_on_start: false
sources:
  folders: [/srv/logs, ./more]
  url_template: null
  poll_interval_minutes: 5
  request_timeout_seconds: 2.5
  lookback_days: 0
daily:
  timezone: UTC
  time: "7:05"
  style: compact
  order: votes
  wait_for_digest_minutes: 0
  on_missing: skip
  catch_up_hours: 0
  global_rate_per_second: 10
  subscriptions:
    - guild: 111
      channel: 333
    - {guild: 222, channel: 444, time: "23:59", timezone: Europe/Berlin, style: thread,
       min_votes: 5, max_papers: 100}
""",
    )
    assert config.database == "/var/lib/papers/bot.db"
    assert config.log_level == "DEBUG"  # choices are case-insensitive, stored canonical
    assert config.discord == DiscordConfig(
        "http://127.0.0.1:8080/api/v10", "ws://127.0.0.1:8080/gateway", (111, 222), False
    )
    assert config.sources == SourcesConfig(("/srv/logs", "./more"), None, 5, 2.5, 0)
    assert config.daily.time == "07:05"
    assert isinstance(config.daily.global_rate_per_second, float)
    assert config.daily.subscriptions == (
        SubscriptionConfig(111, 333, None, None, None, None, None),
        SubscriptionConfig(222, 444, "23:59", "Europe/Berlin", PostStyle.THREAD, 5, 100),
    )
    assert dataclasses.replace(config, daily=DailyConfig()).daily == DailyConfig()


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.database = "other.db"  # type: ignore[misc]
    assert isinstance(config.daily.subscriptions, tuple)
    assert hash(config) == hash(Config())


# -- environment ----------------------------------------------------------------------------------


def test_env_overrides(tmp_path: Path) -> None:
    env = {
        "DISCORD_API_BASE": "http://localhost:9000/api/v10",
        "DISCORD_GATEWAY_URL": "ws://localhost:9000",
        "PAPERS_BOT_DB": "/tmp/test.db",
        "DISCORD_TOKEN": "secret-token",
    }
    path = write(tmp_path, "database: file.db\ndiscord:\n  sync_on_start: false\n")
    for config in (load_config(None, env), load_config(path, env)):
        assert config.discord.api_base == "http://localhost:9000/api/v10"
        assert config.discord.gateway_url == "ws://localhost:9000"
        assert config.database == "/tmp/test.db"
        assert "secret-token" not in repr(config)
    assert load_config(path, env).discord.sync_on_start is False


def test_env_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERS_BOT_DB", "from-env.db")
    monkeypatch.delenv("DISCORD_API_BASE", raising=False)
    monkeypatch.delenv("DISCORD_GATEWAY_URL", raising=False)
    assert load_config(None).database == "from-env.db"
    assert load_config(None, env={}).database == "papers.db"


def test_empty_env_var_is_ignored() -> None:
    assert load_config(None, {"PAPERS_BOT_DB": "", "DISCORD_API_BASE": "  "}) == Config()


def test_bad_env_value_names_the_variable() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, {"DISCORD_GATEWAY_URL": "https://gateway.discord.gg"})
    assert str(info.value) == (
        "environment variable DISCORD_GATEWAY_URL (overrides discord.gateway_url): "
        "expected a URL starting with ws:// or wss://, got 'https://gateway.discord.gg'"
    )


# -- unknown keys and wrong types ------------------------------------------------------------------


def test_unknown_top_level_key(tmp_path: Path) -> None:
    assert error(tmp_path, "colour: red\n") == (
        "colour: unknown key; allowed keys: database, log_level, discord, sources, daily, "
        "summaries, enrich"
    )


def test_enrich_keys_and_their_bounds(tmp_path: Path) -> None:
    path = tmp_path / "bot.yaml"
    path.write_text("enrich:\n  enabled: false\n  max_age_days: 0\n  interval_minutes: 1440\n")
    config = load_config(path, env={})
    assert (config.enrich.enabled, config.enrich.max_age_days) == (False, 0)
    assert config.enrich.interval_minutes == 1440
    assert error(tmp_path, "enrich:\n  max_age_days: 3651\n") == (
        "enrich.max_age_days: expected an integer from 0 to 3650, got 3651"
    )
    assert error(tmp_path, "enrich:\n  interval_minutes: 0\n") == (
        "enrich.interval_minutes: expected an integer from 1 to 1440, got 0"
    )
    assert error(tmp_path, "enrich:\n  enabled: yes please\n").startswith(
        "enrich.enabled: expected true or false"
    )


def test_unknown_nested_key_suggests_the_closest(tmp_path: Path) -> None:
    message = error(tmp_path, "daily:\n  timezon: UTC\n")
    assert message.startswith("daily.timezon: unknown key (did you mean 'timezone'?); ")
    assert "allowed keys: timezone, time, style, order, wait_for_digest_minutes" in message


def test_unknown_key_in_a_subscription(tmp_path: Path) -> None:
    message = error(tmp_path, SUB + "    - {guild: 1, channel: 3, chanel: 4}\n")
    assert message.startswith("daily.subscriptions[1].chanel: unknown key (did you mean 'channel")
    assert "allowed keys: guild, channel, time, timezone, style, min_votes, max_papers" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sources:\n  poll_interval_minutes: '30'\n",
            "sources.poll_interval_minutes: expected an integer, got the string '30'",
        ),
        (
            "daily:\n  catch_up_hours: true\n",
            "daily.catch_up_hours: expected an integer, got true (a boolean)",
        ),
        (
            "sources:\n  lookback_days: 1.5\n",
            "sources.lookback_days: expected an integer, got the number 1.5",
        ),
        ("daily:\n  - time: '09:00'\n", "daily: expected a mapping of keys, got a list"),
        ("discord: yes\n", "discord: expected a mapping of keys, got true (a boolean)"),
        ("- database: x.db\n", "expected a mapping of keys, got a list"),
        (
            "discord:\n  sync_guilds: 123\n",
            "discord.sync_guilds: expected a list, got the number 123",
        ),
        (
            "discord:\n  sync_guilds: [1, '2']\n",
            "discord.sync_guilds[1]: expected an integer, got the string '2'",
        ),
        (
            "discord:\n  sync_on_start: 'true'\n",
            "discord.sync_on_start: expected true or false, got the string 'true'",
        ),
        (
            "database: 2024\n",
            "database: expected a string, got the number 2024 (put it in quotes)",
        ),
        (
            "database: 2024-06-01\n",
            "database: expected a string, got a date (2024-06-01) (put it in quotes)",
        ),
        ("database:\n", "database: expected a string, got null (an empty value)"),
        (
            "sources:\n  request_timeout_seconds: '20'\n",
            "sources.request_timeout_seconds: expected a number, got the string '20'",
        ),
        (
            "sources:\n  request_timeout_seconds: .inf\n",
            "sources.request_timeout_seconds: expected a finite number, got inf",
        ),
        (
            SUB + "    - {guild: 1, channel: {id: 3}}\n",
            "daily.subscriptions[1].channel: expected an integer, got a mapping",
        ),
        (
            "daily:\n  subscriptions:\n    - 12345\n",
            "daily.subscriptions[0]: expected a mapping of keys, got the number 12345",
        ),
        (
            "daily:\n  subscriptions:\n    - \n",
            "daily.subscriptions[0]: expected a mapping of keys, got null (an empty value)",
        ),
        (
            "daily:\n  style: 5\n",
            "daily.style: expected a string, got the number 5 (put it in quotes)",
        ),
        (
            SUB + "    - {guild: 1, channel: 3, 5: x}\n",
            "daily.subscriptions[1].5: unknown key; allowed keys: guild, channel, time, timezone, "
            "style, min_votes, max_papers",
        ),
    ],
)
def test_wrong_types(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text) == expected


def _leaves(cls: type, key: str = "") -> list[str]:
    out = []
    for f in dataclasses.fields(cls):
        hint = typing.get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(hint):
            out += _leaves(typing.cast(type, hint), f"{key}{f.name}.")
        elif f.name != "subscriptions":
            out.append(f"{key}{f.name}")
    return out + (["daily.subscriptions.0.guild"] if cls is Config else [])


@pytest.mark.parametrize("key", _leaves(Config))
@pytest.mark.parametrize("value", ["{a: 1}", "[[1]]", "!!binary aGk="])
def test_every_key_says_what_it_got_in_one_line(tmp_path: Path, key: str, value: str) -> None:
    """A value of the wrong kind anywhere is one line naming the key, not a validator's dump."""
    *parents, name = key.split(".")
    lines, indent = [], ""
    for part in parents:
        lines.append(f"{indent}- {{guild: 1, channel: 2}}" if part == "0" else f"{indent}{part}:")
        indent += "  "
    if parents and parents[-1] == "0":
        lines[-1] = lines[-1].replace("guild: 1", f"{name}: {value}", 1)
    else:
        lines.append(f"{indent}{name}: {value}")
    message = error(tmp_path, "\n".join(lines) + "\n")
    shown = key.replace(".0.", "[0].")
    assert re.match(rf"{re.escape(shown)}(\[0\])?: expected ", message), message  # lists: item 0
    assert ", got a " in message and "\n" not in message, message


def test_missing_required_key(tmp_path: Path) -> None:
    assert error(tmp_path, SUB + "    - channel: 3\n") == (
        "daily.subscriptions[1].guild: missing required key"
    )


# -- bad values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SUB + "    - {guild: 1, channel: 3, time: '25:00'}\n",
            "daily.subscriptions[1].time: expected HH:MM (24h), got '25:00'",
        ),
        ("daily:\n  time: '9am'\n", "daily.time: expected HH:MM (24h), got '9am'"),
        (
            "daily:\n  timezone: Mars/Base\n",
            "daily.timezone: expected an IANA timezone such as Asia/Seoul, got 'Mars/Base'",
        ),
        (
            SUB + "    - {guild: 1, channel: 3, timezone: Asia}\n",
            "daily.subscriptions[1].timezone: expected an IANA timezone such as Asia/Seoul, "
            "got 'Asia'",
        ),
        (
            "daily:\n  style: foo\n",
            "daily.style: expected embeds, thread or compact, got 'foo'",
        ),
        ("daily:\n  order: random\n", "daily.order: expected published or votes, got 'random'"),
        ("daily:\n  on_missing: retry\n", "daily.on_missing: expected wait or skip, got 'retry'"),
        (
            "log_level: verbose\n",
            "log_level: expected DEBUG, INFO, WARNING or ERROR, got 'verbose'",
        ),
        (
            "sources:\n  url_template: https://example.org/{yyyy}/{mm}.md\n",
            "sources.url_template: expected an http(s) URL template containing {yyyy}, {mm} "
            "and {dd}, got 'https://example.org/{yyyy}/{mm}.md' (missing {dd})",
        ),
        (
            "sources:\n  url_template: https://x.org/{yyyy}/{mm}/{dd}/{lang}.md\n",
            "sources.url_template: expected an http(s) URL template containing {yyyy}, {mm} "
            "and {dd} and no other {...}, got 'https://x.org/{yyyy}/{mm}/{dd}/{lang}.md'",
        ),
        (
            "sources:\n  url_template: /srv/{yyyy}/{mm}/{dd}.md\n",
            "sources.url_template: expected an http(s) URL template containing {yyyy}, {mm} "
            "and {dd} and no other {...}, got '/srv/{yyyy}/{mm}/{dd}.md'",
        ),
        (
            "sources:\n  lookback_days: -1\n",
            "sources.lookback_days: expected an integer from 0 to 90, got -1",
        ),
        (
            "sources:\n  poll_interval_minutes: 0\n",
            "sources.poll_interval_minutes: expected an integer from 1 to 1440, got 0",
        ),
        (
            "daily:\n  wait_for_digest_minutes: -30\n",
            "daily.wait_for_digest_minutes: expected an integer from 0 to 1440, got -30",
        ),
        (
            "sources:\n  request_timeout_seconds: 0\n",
            "sources.request_timeout_seconds: expected a number > 0 and <= 300, got 0.0",
        ),
        (
            "daily:\n  global_rate_per_second: -5\n",
            "daily.global_rate_per_second: expected a number > 0 and <= 50, got -5.0",
        ),
        (
            "daily:\n  subscriptions:\n    - {guild: 0, channel: 2}\n",
            "daily.subscriptions[0].guild: expected a Discord id (integer > 0), got 0",
        ),
        (
            "discord:\n  sync_guilds: [5, -7]\n",
            "discord.sync_guilds[1]: expected a Discord id (integer > 0), got -7",
        ),
        (
            SUB + "    - {guild: 1, channel: 3, min_votes: -1}\n",
            "daily.subscriptions[1].min_votes: expected an integer from 0 to 1000000, got -1",
        ),
        (
            SUB + "    - {guild: 1, channel: 3, max_papers: 0}\n",
            "daily.subscriptions[1].max_papers: expected an integer from 1 to 100, got 0",
        ),
        (
            SUB + "    - {guild: 1, channel: 3, max_papers: 101}\n",
            "daily.subscriptions[1].max_papers: expected an integer from 1 to 100, got 101",
        ),
        (
            SUB + "    - {guild: 1, channel: 2}\n",
            "daily.subscriptions: channel 2 is listed twice ([0] and [1]); "
            "use one entry per channel",
        ),
        (
            "discord:\n  api_base: discord.com/api/v10\n",
            "discord.api_base: expected a URL starting with http:// or https://, "
            "got 'discord.com/api/v10'",
        ),
        ("database: '  '\n", "database: expected a non-empty path, got '  '"),
        ("sources:\n  folders: ['']\n", "sources.folders[0]: expected a non-empty path, got ''"),
    ],
)
def test_bad_values(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text) == expected


def test_optional_subscription_fields_accept_null(tmp_path: Path) -> None:
    text = SUB + "    - {guild: 1, channel: 3, time: null, min_votes: null, max_papers: null}\n"
    assert load(tmp_path, text).daily.subscriptions[1].min_votes is None


# -- files ----------------------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    message = error(tmp_path, "database: papers.db\ndaily:\n  time: '09:00\n  style: embeds\n")
    assert message == (
        "line 5, column 1: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar at line 3)"
    )
    message = error(tmp_path, "database: papers.db\nlog_level: INFO\n  daily: x\n")
    assert message.startswith("line 3, column 8: invalid YAML: "), message
    assert "mapping values are not allowed here" in message


def test_tab_indentation_names_the_line(tmp_path: Path) -> None:
    message = error(tmp_path, "daily:\n\ttime: '09:00'\n")
    assert message.startswith("line 2, column 1: invalid YAML: "), message


def test_explicit_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert str(info.value) == (
        f"{path}: config file not found (copy config/bot.example.yaml to start)"
    )


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path, env={})


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bot.yaml"
    path.write_bytes(b"database: \xff.db\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert str(info.value) == f"{path}: cannot read config file: not UTF-8 (invalid start byte)"


def test_str_path_accepted(tmp_path: Path) -> None:
    assert load_config(str(write(tmp_path, "database: a.db\n")), env={}).database == "a.db"


# -- times ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("09:00", "09:00"),  # leading zero: YAML keeps it a string
        ("9:00", "09:00"),  # YAML 1.1 would read this as the int 540 (base 60)
        ("10:00", "10:00"),  # ... and this as 600
        ("23:59", "23:59"),
        ("0:00", "00:00"),
        ("'7:30'", "07:30"),
    ],
)
def test_unquoted_times(tmp_path: Path, raw: str, stored: str) -> None:
    text = f"daily:\n  time: {raw}\n" + SUB[len("daily:\n") :].replace("}", f", time: {raw}}}")
    daily = load(tmp_path, text).daily
    assert daily.time == stored
    assert daily.subscriptions[0].time == stored


def test_every_unquoted_time_of_day(tmp_path: Path) -> None:
    times = [f"{h}:{m:02d}" for h in range(24) for m in range(60)]
    rows = [f"    - {{guild: 1, channel: {i + 1}, time: {t}}}" for i, t in enumerate(times)]
    subs = load(tmp_path, "daily:\n  subscriptions:\n" + "\n".join(rows)).daily.subscriptions
    assert [parse_hhmm(s.time or "") for s in subs] == [parse_hhmm(t) for t in times]


def test_unquoted_out_of_range_time(tmp_path: Path) -> None:
    assert error(tmp_path, "daily:\n  time: 25:00\n") == (
        "daily.time: expected HH:MM (24h), got '25:00'"
    )


@pytest.mark.parametrize(
    ("raw", "got"),
    [
        ("930", "the number 930"),  # not 15:30 (930 minutes)
        ("1530", "the number 1530"),
        ("010", "'010'"),  # not 00:08 (octal)
        ("0x10", "'0x10'"),  # not 00:16 (hex)
        ("0o10", "'0o10'"),
        ("9:30:00", "'9:30:00'"),  # not 09:30 (34200 seconds in base 60)
        ("9.30", "the number 9.3"),
        ("yes", "true (a boolean)"),
    ],
)
def test_a_time_is_hh_mm_and_nothing_else(tmp_path: Path, raw: str, got: str) -> None:
    expected = "HH:MM (24h)" + (' such as "09:30"' if not got.startswith("'") else "")
    message = error(tmp_path, f"daily:\n  time: {raw}\n")
    assert message == f"daily.time: expected {expected}, got {got}"
    sub = SUB.replace("}", f", time: {raw}}}")
    assert error(tmp_path, sub).startswith("daily.subscriptions[0].time: expected HH:MM (24h)")


def test_numbers_are_decimal(tmp_path: Path) -> None:
    assert error(tmp_path, "daily:\n  catch_up_hours: 010\n") == (
        "daily.catch_up_hours: expected an integer, got the string '010'"
    )
    assert error(tmp_path, "sources:\n  poll_interval_minutes: 0x1e\n") == (
        "sources.poll_interval_minutes: expected an integer, got the string '0x1e'"
    )
    assert error(tmp_path, "sources:\n  poll_interval_minutes: 1:30\n") == (
        "sources.poll_interval_minutes: expected an integer, got the string '1:30'"
    )
    config = load(tmp_path, "daily:\n  catch_up_hours: 0\n  global_rate_per_second: 12.5\n")
    assert (config.daily.catch_up_hours, config.daily.global_rate_per_second) == (0, 12.5)


HUGE = "100000000000000000000"  # 10**20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"daily:\n  catch_up_hours: {HUGE}\n", "an integer from 0 to 168"),
        (f"daily:\n  wait_for_digest_minutes: {HUGE}\n", "an integer from 0 to 1440"),
        (f"sources:\n  poll_interval_minutes: {HUGE}\n", "an integer from 1 to 1440"),
        (f"sources:\n  lookback_days: {HUGE}\n", "an integer from 0 to 90"),
        (f"sources:\n  request_timeout_seconds: {HUGE}\n", "a number > 0 and <= 300"),
        (f"daily:\n  global_rate_per_second: {HUGE}\n", "a number > 0 and <= 50"),
        ("daily:\n  global_rate_per_second: 51\n", "a number > 0 and <= 50"),
        (SUB.replace("}", f", min_votes: {HUGE}}}"), "an integer from 0 to 1000000"),
        (SUB.replace("}", f", max_papers: {HUGE}}}"), "an integer from 1 to 100"),
        (f"discord:\n  sync_guilds: [{HUGE}]\n", "a Discord id (integer > 0)"),
    ],
)
def test_every_number_has_an_upper_bound(tmp_path: Path, text: str, expected: str) -> None:
    message = error(tmp_path, text)
    assert f": expected {expected}, got " in message, message


def test_the_largest_allowed_values_load(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "daily:\n  catch_up_hours: 168\n  wait_for_digest_minutes: 1440\n"
        "  global_rate_per_second: 50\n"
        "sources:\n  poll_interval_minutes: 1440\n  lookback_days: 90\n"
        "  request_timeout_seconds: 300\n",
    )
    assert config.daily.catch_up_hours == 168 and config.sources.poll_interval_minutes == 1440
    assert dt.timedelta(hours=config.daily.catch_up_hours) == dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily: " + "[" * 50_000 + "]" * 50_000 + "\n", "invalid YAML: nested too deeply"),
        ("a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n", "invalid YAML: nested too deeply"),
        ("database: 2024-02-30\n", "invalid YAML: ValueError: day is out of range for month"),
    ],
)
def test_any_yaml_failure_is_an_error_naming_the_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert error(tmp_path, text) == expected


def test_a_huge_file_is_not_read_to_the_end(tmp_path: Path) -> None:
    """(as /dev/zero would be, which is not tried here: read whole, it takes all memory)"""
    assert error(tmp_path, "#" * (2 * 1024 * 1024)) == "not a config file: over 1048576 bytes"


def test_parse_hhmm() -> None:
    assert parse_hhmm("09:00") == dt.time(9, 0)
    assert parse_hhmm(" 7:05 ") == dt.time(7, 5)
    assert parse_hhmm("23:59") == dt.time(23, 59)
    for bad in ("25:00", "24:00", "12:60", "9", "9:5", "noon", ""):
        with pytest.raises(ValueError) as info:
            parse_hhmm(bad)
        assert str(info.value) == f"{bad!r} is not a time; use HH:MM, 24-hour"


def test_parse_timezone() -> None:
    assert parse_timezone("Asia/Seoul").key == "Asia/Seoul"
    assert parse_timezone("UTC").key == "UTC"
    assert parse_timezone("asia/seoul ").key == "Asia/Seoul"  # as /daily subscribe takes it
    for bad in ("Mars/Base", "Asia", "", "../etc/passwd", "/etc/localtime", "localtime"):
        with pytest.raises(ValueError) as info:
            parse_timezone(bad)
        assert str(info.value) == f"{bad!r} is not an IANA timezone, e.g. Asia/Seoul"


@pytest.mark.parametrize("name", ["posixrules", "localtime", "Factory", "posix/Asia/Seoul"])
def test_timezone_is_an_iana_name_as_daily_subscribe_takes_it(tmp_path: Path, name: str) -> None:
    """Host files and the zone database's copies are not names a person means."""
    assert error(tmp_path, f"daily:\n  timezone: {name}\n") == (
        f"daily.timezone: expected an IANA timezone such as Asia/Seoul, got {name!r}"
    )
    text = "daily:\n  timezone: america/new_york\n" + SUB[len("daily:\n") :].replace(
        "}", ", timezone: EUROPE/BERLIN}"
    )
    daily = load(tmp_path, text).daily  # any letter case, kept as the database spells it
    assert (daily.timezone, daily.subscriptions[0].timezone) == (
        "America/New_York",
        "Europe/Berlin",
    )


# -- the Hugging Face source ---------------------------------------------------------------------


def test_hugging_face_source_is_on_by_default_beside_the_database() -> None:
    hf = Config().sources.huggingface
    assert (hf.enabled, hf.api_base, hf.korean_deadline_minutes) == (
        True,
        "https://huggingface.co",
        0,
    )
    assert hf.folder_for("papers.db") == "papers-built"
    assert hf.folder_for("/srv/bot/data.sqlite") == "/srv/bot/data-built"


def test_hugging_face_keys_from_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n  huggingface:\n    enabled: false\n    api_base: http://mirror:8080\n"
        "    folder: /srv/built\n    korean_deadline_minutes: 90\n",
    )
    hf = load_config(path, {}).sources.huggingface
    assert (hf.enabled, hf.api_base, hf.folder, hf.korean_deadline_minutes) == (
        False,
        "http://mirror:8080",
        "/srv/built",
        90,
    )
    assert hf.folder_for("papers.db") == "/srv/built"


def test_hugging_face_api_base_from_the_environment(tmp_path: Path) -> None:
    env = {"PAPERS_BOT_HF_API": "http://127.0.0.1:8765"}
    path = write(tmp_path, "sources:\n  huggingface:\n    api_base: https://elsewhere.org\n")
    for config in (load_config(None, env), load_config(path, env)):
        assert config.sources.huggingface.api_base == "http://127.0.0.1:8765"
    with pytest.raises(ConfigError, match=r"PAPERS_BOT_HF_API \(overrides sources.huggingface"):
        load_config(None, {"PAPERS_BOT_HF_API": "ftp://x"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("    korean_deadline_minutes: 1441\n", "an integer from 0 to 1440"),
        ("    enabled: yes please\n", "true or false"),
        ("    api_base: huggingface.co\n", "a URL starting with http:// or https://"),
        ("    folder: ''\n", "a non-empty path"),
        ("    apibase: x\n", "did you mean 'api_base'?"),
    ],
)
def test_bad_hugging_face_values_say_what_was_expected(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = error(tmp_path, "sources:\n  huggingface:\n" + text)
    assert message.startswith("sources.huggingface.") and expected in message


def test_the_hugging_face_day_completes_at_a_utc_time(tmp_path: Path) -> None:
    assert Config().sources.huggingface.day_complete_utc == "23:00"
    hf = load(tmp_path, "sources:\n  huggingface:\n    day_complete_utc: 21:30\n")
    assert hf.sources.huggingface.day_complete_utc == "21:30"
    assert error(tmp_path, "sources:\n  huggingface:\n    day_complete_utc: '24:00'\n") == (
        "sources.huggingface.day_complete_utc: expected HH:MM (24h), got '24:00'"
    )
