"""IANA timezone names: one rule for the config file and for `/daily subscribe`."""

from __future__ import annotations

import functools
import zoneinfo

# In the zone database's folder, or zoneinfo's list, but no place a person can mean:
# the host's own setting, tzdata's "unknown", and zic's template for POSIX TZ strings.
_NOT_ZONES = frozenset({"localtime", "factory", "posixrules"})
_NOT_ZONE_FOLDERS = ("posix/", "right/")


@functools.cache
def _zones() -> dict[str, str]:
    """lower-cased IANA name -> the name as the zone database spells it."""
    return {
        name.lower(): name
        for name in zoneinfo.available_timezones()
        if name.lower() not in _NOT_ZONES and not name.startswith(_NOT_ZONE_FOLDERS)
    }


def iana_zone(value: str) -> zoneinfo.ZoneInfo | None:
    """The zone an IANA name means, in any letter case (`asia/seoul` is Asia/Seoul), or None;
    host files such as `localtime` or `posixrules` and paths are not timezones."""
    name = _zones().get(value.strip().lower())
    return None if name is None else zoneinfo.ZoneInfo(name)
