"""Reading the file: bounded, UTF-8, YAML read as people read it, checked against the
schema, then the environment's overrides; every problem one `ConfigError` line."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.config.schema import Config
from bot.config.validate import Invalid, override, validate

# Environment variable -> dotted key it overrides. Empty variables count as unset.
ENV_OVERRIDES: dict[str, str] = {
    "PAPERS_BOT_DB": "database",
    "DISCORD_API_BASE": "discord.api_base",
    "DISCORD_GATEWAY_URL": "discord.gateway_url",
    "PAPERS_BOT_HF_API": "sources.huggingface.api_base",
}


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and what was expected."""


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
            config = validate(Config, _read(path))
        except Invalid as e:
            raise ConfigError(f"{path}: {e}") from None
    env = os.environ if env is None else env
    for var, key in ENV_OVERRIDES.items():
        value = env.get(var, "").strip()
        if not value:
            continue
        try:
            config = override(config, key.split("."), value)
        except Invalid as e:
            raise ConfigError(
                f"environment variable {var} (overrides {key}): {e.problem}"
            ) from None
    return config
