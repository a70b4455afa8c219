"""Command options typed by members: cleaned, checked, and quoted back shortened.

An option can hold up to 6,000 characters; a message at most 2,000. Errors quote what the
member typed through `shown`, so a refusal always fits and never pings anyone.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from bot import render
from bot.errors import UserFacingError
from bot.i18n_text import text
from bot.timezones import iana_zone

MAX_QUERY = 300  # characters of a query we look at; Discord allows up to 6000
SHOWN = 80  # characters of an option quoted back in an error
_HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", re.ASCII)


def clean_query(value: str) -> str:
    """Input without control or zero-width characters, whitespace folded, cut short."""
    kept = "".join(c for c in value if c.isprintable())
    return " ".join(kept.split())[:MAX_QUERY]


def shown(value: str, limit: int = SHOWN) -> str:
    """Input safe to echo inside inline code, at most `limit` characters."""
    cleaned = render.sanitize(clean_query(value)).replace("`", "'")
    return render.shorten(cleaned, limit) or "…"


def parse_time(value: str, locale: str) -> str:
    """A member's `HH:MM` (24-hour; `9:05` too) as `HH:MM`, or a UserFacingError."""
    match = _HHMM.fullmatch(value.strip())
    if match is None:
        raise UserFacingError(text(locale, "err_time", value=shown(value)))
    return dt.time(int(match[1]), int(match[2])).strftime("%H:%M")


def parse_zone(value: str, locale: str) -> zoneinfo.ZoneInfo:
    """An IANA timezone name in any letter case (`asia/seoul` is Asia/Seoul), or a
    UserFacingError; host files such as `localtime` or `posixrules` are not timezones."""
    zone = iana_zone(value)
    if zone is None:
        raise UserFacingError(text(locale, "err_timezone", value=shown(value)))
    return zone
