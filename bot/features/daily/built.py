"""The built-day source: the days daily posts need, built from Hugging Face's API in the
background, so the daily summary keeps coming when the Korean digests stop.

Which days (`needed_days`, pure): every lookback day, and a subscription's post day once its
Korean digest is due, `before_post` ahead of its post time (by default at post time), until
its post's window closes. A Korean digest of a day always leads it (bot/store/holdings.py),
whichever arrives first, so building a day the Korean source also publishes only adds the
papers it left out.

Hugging Face lists a day's papers through the day: a day built before its completion instant
(`sources.huggingface.day_complete_utc` on that date) holds only its first papers, and its post
waits (runner.py) until it is built again from then on (`unbuilt` returns it at that instant).

Builds run in their own task (`start`): a slow or failing API delays no other source, no
post and no command. A failure is kept for /daily status and backs off like the URL source.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable, Sequence

from bot.features.daily.schedule import Rules, post_at
from bot.features.daily.sources import Backoff, when_text
from bot.huggingface import HfError
from bot.huggingface.build import Built, DayBuilder

log = logging.getLogger(__name__)
# A post's day is built this long before its Korean digest is due, so that at the deadline
# (by default the post time) the built day is already loaded and the post is not held up, or
# skipped, waiting for the build; a Korean digest arriving meanwhile still leads the day.
BUILD_LEAD = dt.timedelta(minutes=2)


def built_page_url(api_base: str, day: dt.date) -> str:
    """Hugging Face's Daily Papers page of `day`, for people (a built post's source link)."""
    return f"{api_base.rstrip('/')}/papers?date={day.isoformat()}"


def needed_days(
    now: dt.datetime,
    rules: Iterable[Rules],
    *,
    today: dt.date,
    lookback: int,
    before_post: dt.timedelta,
) -> list[dt.date]:
    """The days to build now, oldest first: the lookback days before `today` (and before
    each subscription's local day), and a subscription's post day from `before_post` (and
    BUILD_LEAD) ahead of its post time until its window closes (so a post waiting for the day
    to complete gets it rebuilt then); `today` itself when there is no subscription."""
    days: set[dt.date] = set()
    subscribed = False
    for r in rules:
        subscribed = True
        local = now.astimezone(r.tz).date()
        days.update(local - dt.timedelta(days=i) for i in range(1, lookback + 1))
        for back in range(r.window.days + 2):
            day = local - dt.timedelta(days=back)
            at = post_at(day, r)
            if at - before_post - BUILD_LEAD <= now <= at + r.window:
                days.add(day)
    days.update(today - dt.timedelta(days=i) for i in range(1, lookback + 1))
    if not subscribed:
        days.add(today)
    return sorted(days)


class BuiltDaySource:
    """Builds the needed days with `builder`, one run at a time, in the background."""

    def __init__(self, builder: DayBuilder, backoff: Backoff) -> None:
        self.builder, self.backoff = builder, backoff
        self._task: asyncio.Task[list[Built]] | None = None
        self._failure: str | None = None
        self.built: dict[dt.date, Built] = {}  # the last build of each day

    @property
    def folder(self) -> str:
        return str(self.builder.folder)

    def problems(self) -> list[str]:
        return [self._failure] if self._failure else []

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def unbuilt(self, days: Sequence[dt.date], now: dt.datetime) -> list[dt.date]:
        """Those of `days` this process has not built yet, or built before their completion
        instant when that has come (a waiting post's day is rebuilt at once, then)."""
        return [
            day
            for day in days
            if day not in self.built
            or (not self.built[day].complete and now >= self.builder.complete_at(day))
        ]

    def start(self, days: Sequence[dt.date], now: dt.datetime) -> asyncio.Task[list[Built]] | None:
        """Build `days` in a task of its own, unless a run is under way or backing off."""
        if self.running or not days or not self.backoff.ready(now):
            return None
        self._task = asyncio.create_task(self.poll(days, now), name="papers-bot built days")
        return self._task

    async def poll(self, days: Sequence[dt.date], now: dt.datetime) -> list[Built]:
        """Build each day (oldest first); the first failure ends the run and is kept."""
        done: list[Built] = []
        for day in days:
            try:
                built = await self.builder.build(day)
            except Exception as exc:  # the API, the folder, a locked database: all kept
                self.backoff.failed(now)
                self._failure = (
                    f"Hugging Face days not built ({exc or type(exc).__name__}); next try "
                    f"after {when_text(self.backoff.not_before)}"
                )
                known = isinstance(exc, HfError | OSError | sqlite3.Error)
                log.warning("%s", self._failure, exc_info=not known)
                return done
            self.built[day] = built
            done.append(built)
            for line in [*built.load.rejected, *built.load.skipped]:
                log.warning("built day %s: %s", day, line)
            if built.written:
                log.info("built %s from Hugging Face: %d papers", day, built.papers)
        self.backoff.succeeded()
        self._failure = None
        return done

    async def close(self) -> None:
        """Stop a run under way and close the API client."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.builder.client.close()
