"""The built-day source: the days daily posts need, built from Hugging Face's API in the
background, so the daily summary keeps coming when the Korean digests stop.

Which days (`needed_days`, pure): every lookback day, and a subscription's post day once its
Korean digest is due, `before_post` ahead of its post time (by default at post time), until
the window of the post that carries it closes (`schedule.built_at`: the first post time at or
after Hugging Face's day is complete). A Korean digest of a day always leads it
(bot/store/holdings.py), whichever arrives first, so building a day the Korean source also
publishes only adds the papers it left out.

Hugging Face lists a day's papers through the day: a day built before its completion instant
(`sources.huggingface.day_complete_utc` on that date) holds only its first papers. It is
built once ahead of its deadline and then not asked again until that instant (`unbuilt`
returns it then), so it is loaded whole before the post that carries it; a failed build is
retried with the source's backoff.

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

from bot.features.daily.schedule import BUILT_LAG_DAYS, Rules, built_at, post_at
from bot.features.daily.sources import Backoff, when_text
from bot.huggingface import HfError
from bot.huggingface.build import Built, DayBuilder

log = logging.getLogger(__name__)
# A post's day is built this long before its Korean digest is due, so that at the deadline
# (by default the post time) the built day is already loaded and the post is not held up, or
# skipped, waiting for the build; a Korean digest arriving meanwhile still leads the day.
BUILD_LEAD = dt.timedelta(minutes=2)
# A day Hugging Face answered with no papers after it had some (kept as built before: taken
# for a hiccup) is asked again this long after.
KEPT_RETRY = dt.timedelta(minutes=30)


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
    BUILD_LEAD) ahead of its post time until the window of the post carrying its built day
    closes (`built_at`: so the day is wanted at its completion instant, and built whole
    before that post); `today` itself when there is no subscription."""
    days: set[dt.date] = set()
    subscribed = False
    for r in rules:
        subscribed = True
        local = now.astimezone(r.tz).date()
        days.update(local - dt.timedelta(days=i) for i in range(1, lookback + 1))
        for back in range(r.window.days + 2 + BUILT_LAG_DAYS):
            day = local - dt.timedelta(days=back)
            start = post_at(day, r) - before_post - BUILD_LEAD
            if start <= now <= built_at(day, r) + r.window:
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
        self._built_at: dict[dt.date, dt.datetime] = {}  # when it was asked for

    @property
    def folder(self) -> str:
        return str(self.builder.folder)

    def problems(self) -> list[str]:
        return [self._failure] if self._failure else []

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def unbuilt(
        self, days: Sequence[dt.date], now: dt.datetime, *, refresh: bool = False
    ) -> list[dt.date]:
        """Those of `days` to build now: not built yet by this process, or built before their
        completion instant when that has come (a waiting post's day is rebuilt at once,
        then), or kept from an empty answer KEPT_RETRY ago. With `refresh` (the regular poll,
        every sources.poll_interval_minutes) the days built complete too: their votes change,
        and summaries a build left out are asked for again (bot/summaries/built.py). A day
        built early is never asked again before its completion instant."""
        return [day for day in days if self._unbuilt(day, now, refresh)]

    def _unbuilt(self, day: dt.date, now: dt.datetime, refresh: bool) -> bool:
        built = self.built.get(day)
        if built is None:
            return True
        if built.complete:
            return refresh or (built.kept and now - self._built_at[day] >= KEPT_RETRY)
        return now >= self.builder.complete_at(day)

    def empty(self, day: dt.date) -> bool:
        """Whether Hugging Face, asked once `day` was complete, lists no papers for it (a
        weekend): no built post of it will come."""
        built = self.built.get(day)
        return built is not None and built.complete and built.papers == 0

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
            self.built[day], self._built_at[day] = built, now
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
