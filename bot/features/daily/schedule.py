"""Pure scheduling: which digest days a subscription should post, skip or wait for, now.

A day D's post goes out at D's local post time (`post_at`) carrying the day's Korean digest.
With days built from Hugging Face (`Rules.day_complete` set), a day the Korean digest does not
hold is posted from Hugging Face's list of D instead, once that list is complete: at the
subscription's first post time at or after both D's post time and D's completion instant
(`built_at`). With a 09:00 Seoul post and the default 23:00 UTC completion, the 09:00 post of
day L+1 carries Hugging Face's whole day L. The ledger still counts the day as D: Korean D and
built D are one post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

Action = Literal["post", "wait", "skip"]
MIN_WINDOW = dt.timedelta(minutes=10)  # a tick that lands just after post time still counts
# A built day posts at most this many local days after its own post time: a post time just
# before completion in a zone far east of UTC (09:00 at UTC+14 is 19:00 UTC the day before)
# carries day D on local day D+2.
BUILT_LAG_DAYS = 3


@dataclass(frozen=True, slots=True)
class Rules:
    """How a subscription treats time: its local post time and the configured windows."""

    post_time: dt.time
    tz: ZoneInfo
    wait: dt.timedelta  # how long past post time to wait for a late digest
    catch_up: dt.timedelta  # how long past post time a missed post is still made
    skip_missing: bool  # after `wait`, skip the day (True) or keep waiting (False)
    # UTC: when Hugging Face's list of a day is complete (that time on that date); None when
    # no days are built from Hugging Face (a day is then posted at its post time or not).
    day_complete: dt.time | None = None

    @property
    def window(self) -> dt.timedelta:
        return max(self.catch_up, self.wait, MIN_WINDOW)


@dataclass(frozen=True, slots=True)
class Decision:
    day: dt.date
    action: Action
    reason: str = ""
    # Set when the post is to carry the day built from Hugging Face (no Korean digest holds
    # it): the instant that post is due (`built_at`).
    built_at: dt.datetime | None = None
    # While waiting: check the sources every minute, for a digest that is late. A day whose
    # built post is still ahead past the late-digest wait is left to the regular polls.
    poll: bool = True


def post_at(day: dt.date, rules: Rules) -> dt.datetime:
    """The UTC instant of `day`'s post. A local time that DST skips moves forward with the
    clock (02:30 on a spring-forward day posts at 03:30); a repeated one uses the first."""
    local = dt.datetime.combine(day, rules.post_time, tzinfo=rules.tz)
    return local.astimezone(dt.UTC)


def complete_at(day: dt.date, rules: Rules) -> dt.datetime | None:
    """When Hugging Face's list of `day` is complete (as bot/huggingface/build.py counts it),
    or None when no days are built."""
    if rules.day_complete is None:
        return None
    return dt.datetime.combine(day, rules.day_complete, tzinfo=dt.UTC)


def built_at(day: dt.date, rules: Rules) -> dt.datetime:
    """The instant of the post that carries `day` built from Hugging Face: the first post
    time (of any local day) at or after both `day`'s own post time and its completion
    instant. Without built days it is `day`'s post time."""
    at, complete = post_at(day, rules), complete_at(day, rules)
    if complete is None or complete <= at:
        return at
    local = complete.astimezone(rules.tz).date()
    while (candidate := post_at(local, rules)) < complete:
        local += dt.timedelta(days=1)
    return candidate


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
    only_built: Set[dt.date] = frozenset(),
    empty: Set[dt.date] = frozenset(),
) -> list[Decision]:
    """Decisions for every local day whose post time has passed and is still in the window,
    oldest first. `available`: the days a post may carry; `only_built`: those of them that
    only days built from Hugging Face hold (no Korean digest); `empty`: days Hugging Face,
    asked once they were complete, lists no papers for (weekends), which a skip says.

    Without built days (`rules.day_complete` None) a day is due from its post time through
    the window after it, waiting `rules.wait` for a late digest. With them, a day no Korean
    digest holds is due at `built_at` instead, and the window and the wait run from there: it
    waits, never skipped, while that post is ahead. A Korean digest arriving meanwhile is
    posted at once (a late digest); one seen only after its own window is taken for such a
    late one too, while the built post's window is open.

    A day whose post came before `not_before` (when the subscription was made) is not due: a
    new subscription starts at its next post time, as /daily subscribe tells the admin, rather
    than posting at once a day it did not exist for. The post a built day goes out in counts:
    subscribing at noon, the next morning's post carries the day built from Hugging Face.
    """
    local_today = now.astimezone(rules.tz).date()
    days_back = rules.window.days + 2 + (BUILT_LAG_DAYS if rules.day_complete else 0)
    decisions = []
    for offset in range(days_back, -1, -1):
        day = local_today - dt.timedelta(days=offset)
        if day in settled:
            continue
        decision = _decide(day, now, rules, available, only_built, not_before)
        if decision is not None and decision.action == "skip" and day in empty:
            reason = f"Hugging Face lists no papers for {day}, and no Korean digest holds it"
            decision = Decision(day, "skip", reason, built_at=decision.built_at)
        if decision is not None:
            decisions.append(decision)
    return decisions


def _decide(
    day: dt.date,
    now: dt.datetime,
    rules: Rules,
    available: Set[dt.date],
    only_built: Set[dt.date],
    not_before: dt.datetime | None,
) -> Decision | None:
    at = post_at(day, rules)
    if at > now:
        return None
    if rules.day_complete is None:
        if now - at > rules.window or (not_before is not None and at < not_before):
            return None
        return _post_or_wait(day, now, at, rules, day in available)
    built = built_at(day, rules)
    if now - built > rules.window:
        return None
    if day in available and day not in only_built:  # the Korean digest: due from post time
        if not_before is not None and at < not_before:
            return None
        return Decision(day, "post")
    if not_before is not None and built < not_before:
        return None
    if now < built:
        local = built.astimezone(rules.tz).strftime("%Y-%m-%d %H:%M %Z")
        return Decision(
            day,
            "wait",
            f"{day} is posted from Hugging Face at {local}",
            built_at=built,
            poll=now - at < rules.wait,
        )
    decision = _post_or_wait(day, now, built, rules, day in available, built=True)
    return Decision(decision.day, decision.action, decision.reason, built_at=built)


def _post_or_wait(
    day: dt.date,
    now: dt.datetime,
    at: dt.datetime,
    rules: Rules,
    available: bool,
    *,
    built: bool = False,
) -> Decision:
    if available:
        return Decision(day, "post")
    if now - at >= rules.wait and rules.skip_missing:
        local = at.astimezone(rules.tz).strftime("%H:%M %Z")
        minutes = int(rules.wait.total_seconds() // 60)
        what = (
            f"neither the Korean digest nor Hugging Face's complete list of {day} was"
            if built
            else f"the digest for {day} was not"
        )
        return Decision(day, "skip", f"{what} out {minutes} min after {local}")
    return Decision(day, "wait", f"waiting for the digest of {day}")
