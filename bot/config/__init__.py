"""Bot configuration: a YAML file read into frozen, typed dataclasses.

The dataclasses of schema.py *are* the schema. pydantic checks a file against them (types,
required keys, unknown keys forbidden) and the annotated checks add bounds and formats; every
problem becomes one `ConfigError` line naming the file, the dotted key, what was expected and
what was got. Secrets (DISCORD_TOKEN) are not configuration and are never read here. Callers
use the names exported here (`from bot.config import Config, load_config`).

values.py     what a value must be (times, timezones, URLs, choices), shared with the commands
schema.py     the frozen dataclasses: Config and its sections, each key's type and bounds
validate.py   data checked against the schema; pydantic's first problem as one line
load.py       reading the file (bounded, UTF-8, decimal numbers only), env overrides, ConfigError
"""

from bot.config.load import ENV_OVERRIDES, MAX_CONFIG_BYTES, ConfigError, load_config
from bot.config.schema import (
    DEFAULT_URL_TEMPLATE,
    Config,
    DailyConfig,
    DiscordConfig,
    EnrichConfig,
    HuggingFaceConfig,
    SourcesConfig,
    SubscriptionConfig,
    SummariesConfig,
)
from bot.config.values import parse_hhmm, parse_timezone

__all__ = [
    "DEFAULT_URL_TEMPLATE",
    "ENV_OVERRIDES",
    "MAX_CONFIG_BYTES",
    "Config",
    "ConfigError",
    "DailyConfig",
    "DiscordConfig",
    "EnrichConfig",
    "HuggingFaceConfig",
    "SourcesConfig",
    "SubscriptionConfig",
    "SummariesConfig",
    "load_config",
    "parse_hhmm",
    "parse_timezone",
]
