"""Pure scheduling: which digest days a subscription should post, skip or wait for, now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

Action = Literal["post", "wait", "skip"]
MIN_WINDOW = dt.timedelta(minutes=10)  # a tick that lands just after post time still counts


@dataclass(frozen=True, slots=True)
class Rules:
    """How a subscription treats time: its local post time and the configured windows."""

    post_time: dt.time
    tz: ZoneInfo
    wait: dt.timedelta  # how long past post time to wait for a late digest
    catch_up: dt.timedelta  # how long past post time a missed post is still made
    skip_missing: bool  # after `wait`, skip the day (True) or keep waiting (False)

    @property
    def window(self) -> dt.timedelta:
        return max(self.catch_up, self.wait, MIN_WINDOW)


@dataclass(frozen=True, slots=True)
class Decision:
    day: dt.date
    action: Action
    reason: str = ""


def post_at(day: dt.date, rules: Rules) -> dt.datetime:
    """The UTC instant of `day`'s post. A local time that DST skips moves forward with the
    clock (02:30 on a spring-forward day posts at 03:30); a repeated one uses the first."""
    local = dt.datetime.combine(day, rules.post_time, tzinfo=rules.tz)
    return local.astimezone(dt.UTC)


def next_post(now: dt.datetime, rules: Rules) -> dt.datetime:
    """The next post instant after `now`, in the subscription's timezone."""
    today = now.astimezone(rules.tz).date()
    for offset in range(3):
        at = post_at(today + dt.timedelta(days=offset), rules)
        if at > now:
            return at.astimezone(rules.tz)
    raise AssertionError("unreachable: a post time exists within three days")


def due(
    now: dt.datetime,
    rules: Rules,
    available: Set[dt.date],
    settled: Set[dt.date],
    *,
    not_before: dt.datetime | None = None,
) -> list[Decision]:
    """Decisions for every local day whose post time has passed and is still in the window.

    A day whose post time came before `not_before` (when the subscription was made) is not
    due: a new subscription starts at its next post time, as /daily subscribe tells the
    admin, rather than posting at once a day it did not exist for.
    """
    local_today = now.astimezone(rules.tz).date()
    days_back = rules.window.days + 2
    decisions = []
    for offset in range(days_back, -1, -1):
        day = local_today - dt.timedelta(days=offset)
        at = post_at(day, rules)
        if at > now or now - at > rules.window or day in settled:
            continue
        if not_before is not None and at < not_before:
            continue
        decisions.append(_decide(day, now, at, rules, available))
    return decisions


def _decide(
    day: dt.date, now: dt.datetime, at: dt.datetime, rules: Rules, available: Set[dt.date]
) -> Decision:
    if day in available:
        return Decision(day, "post")
    if now - at >= rules.wait and rules.skip_missing:
        local = at.astimezone(rules.tz).strftime("%H:%M %Z")
        minutes = int(rules.wait.total_seconds() // 60)
        return Decision(
            day, "skip", f"the digest for {day} was not out {minutes} min after {local}"
        )
    return Decision(day, "wait", f"waiting for the digest of {day}")
