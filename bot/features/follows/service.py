"""What /follow and the alerts do, apart from Discord's commands: follows, status, and the
tick that plans each new digest day's alerts once and sends them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.features.follows.delivery import Counts, Deliverer
from bot.features.follows.plan import encode, plan_alert
from bot.store import PaperStore
from bot.store.follows import AlertState, Follow, FollowStore, MemberState

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
MOST_FOLLOWS = 25  # follows a member may have
RECENT_DAYS = 14  # digest days looked at for new ones


@dataclass(frozen=True, slots=True)
class Window:
    """Which digest days still get alerts: a day until `catch_up` after its end (in `tz`),
    so after downtime older days are not sent."""

    tz: ZoneInfo
    catch_up: dt.timedelta

    def since(self, now: dt.datetime) -> dt.date:
        """The oldest day still in the window at `now`."""
        return (now - self.catch_up).astimezone(self.tz).date()


@dataclass(frozen=True, slots=True)
class Status:
    follows: int
    member: MemberState | None
    last: AlertState | None


class FollowService:
    """Follows for the cog, and the alerts' tick."""

    def __init__(
        self,
        papers: PaperStore,
        store: FollowStore,
        deliverer: Deliverer,
        window: Window,
        *,
        clock: Clock,
        ready: Callable[[], bool],
        most: int = MOST_FOLLOWS,
    ) -> None:
        self.papers, self.store, self.deliverer, self.window = papers, store, deliverer, window
        self.clock, self.ready, self.most = clock, ready, most

    # --- commands ------------------------------------------------------------------------

    async def seen(self, member_id: int, guild_id: int | None, locale: str) -> MemberState | None:
        """A /follow command: remembers the member's server and language, clears a delivery
        problem; returns the state before, whose problem the member is told of."""
        return await self.store.seen(member_id, guild_id, locale, self.clock())

    async def add(self, member_id: int, follow: Follow) -> tuple[str, int]:
        """AddOutcome, and how many follows the member has now."""
        outcome = await self.store.add(member_id, follow, self.clock(), most=self.most)
        return outcome, len(await self.store.follows(member_id))

    async def follows(self, member_id: int) -> list[Follow]:
        return await self.store.follows(member_id)

    async def remove(self, member_id: int, follow: Follow) -> bool:
        return await self.store.remove(member_id, follow)

    async def status(self, member_id: int) -> Status:
        return Status(
            len(await self.store.follows(member_id)),
            await self.store.member(member_id),
            await self.store.last_alert(member_id),
        )

    async def author_suggestions(self, current: str) -> list[str]:
        return await self.papers.author_suggestions(current, limit=25)

    # --- alerts --------------------------------------------------------------------------

    async def tick(self) -> Counts | None:
        """Plan the alerts of digest days not planned yet, then send what is pending. Nothing
        before the bot is ready: the servers it shares with members are not known yet."""
        if not self.ready():
            return None
        now = self.clock()
        since = self.window.since(now)
        await self.store.expire(since, now)
        await self.plan_new_days(since)
        return await self.deliverer.run(since)

    async def plan_new_days(self, since: dt.date) -> list[dt.date]:
        """Plan each new day in the window once: which members get an alert, and its messages."""
        days = [d.day for d in await self.papers.days(limit=RECENT_DAYS) if d.day >= since]
        planned = await self.store.planned_days(since)
        new = sorted(set(days) - planned)
        for day in new:
            await self._plan(day)
        return new

    async def _plan(self, day: dt.date) -> None:
        digest = await self.papers.digest(day)
        if digest is None:
            return
        matches = await self.store.matches(day)
        locales = await self.store.locales([m.member_id for m in matches])
        alerts = []
        for m in matches:
            messages = plan_alert(
                day, digest.papers, m.papers, locale=locales.get(m.member_id, "en")
            )
            alerts.append((m.member_id, len(messages), len(m.papers), encode(messages)))
        if await self.store.plan_day(day, alerts, self.clock()):
            log.info("planned alerts of %s for %d members", day, len(alerts))

    async def stop(self) -> None:
        await self.deliverer.stop()
