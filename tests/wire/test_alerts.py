"""Alert DMs from the real PapersBot on the loopback server: killed after k of n DMs and
restarted, each member gets the day once; closed DMs are recorded and the others still get
theirs; a 429 mid-fan-out loses and repeats nothing; two processes on one database send each
member one alert; 80 matching papers arrive split, none dropped."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from bot.features.follows.cog import Follows
from bot.features.follows.delivery import LEASE
from bot.models import AlertStatus, FollowKind
from bot.store import Database
from bot.store.follows import Follow, FollowStore
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, load_digest

MEMBERS = ["minji", "alex", "dana", "jun", "sora", "hyun"]
WORDS = "learning things"  # in every paper's title (harness.digest_markdown)
TITLES_30 = [f"{i}. Paper {i}: learning things at scale, part {i}" for i in range(1, 31)]


def cog(bot: DailyBot) -> Follows:
    found = bot.bot.get_cog("Follows")
    assert isinstance(found, Follows)
    return found


async def seed(sandbox: SandboxServer, db: Path, members: list[str], words: str = WORDS) -> None:
    """Each member ran `/follow keyword` in the sandbox's server (the commands' behaviour is
    tested with simcord; here the alerts are)."""
    guild = sandbox.world.default_guild
    for name in members:
        if name not in ("minji", "alex"):
            sandbox.world.add_member(guild.id, name)
    database = await Database.open(db)
    try:
        follows = FollowStore(database)
        for name in members:
            user = sandbox.world.user(name).id
            await follows.seen(user, guild.id, "en-US", DAILY_POST_AT)
            await follows.add(user, Follow(FollowKind.KEYWORD, words), DAILY_POST_AT, most=25)
    finally:
        await database.close()


async def started(sandbox: SandboxServer, db: Path, clock: SceneClock) -> DailyBot:
    bot = await DailyBot(sandbox, db, clock).start()
    cog(bot).tick.cancel()  # the test runs the ticks
    bot.cog.tick.cancel()
    return bot


async def tick_until_planned(bot: DailyBot, day: dt.date) -> None:
    """Ticks until the bot noticed `day` (loaded by another process: its lookup cache sees
    the change within a second) and sent its alerts."""
    service = cog(bot).service
    async with asyncio.timeout(10):
        while day not in await service.store.planned_days(day):
            await service.tick()
            await asyncio.sleep(0.05)


def alerts(sandbox: SandboxServer, name: str) -> list[tuple[str, list[str]]]:
    return [
        (str(m.get("content") or ""), [str(e.get("title")) for e in m.get("embeds") or []])
        for m in sandbox.dms(name)
    ]


def headers(sandbox: SandboxServer, name: str) -> list[str]:
    return [c for c, _ in alerts(sandbox, name) if "Daily Papers" in c]


async def test_killed_after_k_of_n_dms_each_member_gets_the_day_once(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, MEMBERS)
    await load_digest(db, DAILY_DAY, 30)  # 3 messages a member
    sandbox.config.nonce_window = 0.0  # the restart comes after Discord's dedup window
    clock = SceneClock(DAILY_POST_AT)
    first = await started(sandbox, db, clock)
    cog(first).service.deliverer.concurrency = 1  # one DM at a time: k is exact
    k = 4  # the first member's 3 messages and the second's first
    held = sandbox.hold("POST /channels/*/messages", skip=k)
    tick = asyncio.create_task(cog(first).service.tick())
    await held.wait_held()
    tick.cancel()
    await asyncio.gather(tick, return_exceptions=True)
    await first.kill()
    assert sum(len(sandbox.dms(n)) for n in MEMBERS) == k

    second = await started(sandbox, db, clock)
    try:
        await cog(second).service.tick()  # the killed process's lease still holds one
        clock.now += LEASE + dt.timedelta(seconds=1)
        await cog(second).service.tick()
    finally:
        await second.close()
    for name in MEMBERS:
        titles = [t for _, embeds in alerts(sandbox, name) for t in embeds]
        assert titles == TITLES_30, name
        assert len(headers(sandbox, name)) == 1, name


async def test_a_crash_between_discord_storing_and_the_ledger_is_not_resent(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, ["minji"])
    await load_digest(db, DAILY_DAY, 30)  # 3 messages
    sandbox.config.nonce_window = 0.0  # the restart comes after Discord's dedup window
    clock = SceneClock(DAILY_POST_AT)
    first = await started(sandbox, db, clock)
    held = sandbox.hold("POST /channels/*/messages", skip=1, after_handling=True)
    tick = asyncio.create_task(cog(first).service.tick())
    await held.wait_held()  # the second message is stored; its answer never comes back
    tick.cancel()
    await asyncio.gather(tick, return_exceptions=True)
    await first.kill()

    second = await started(sandbox, db, clock)
    clock.now += LEASE + dt.timedelta(seconds=1)
    try:
        await cog(second).service.tick()
    finally:
        await second.close()
    titles = [t for _, embeds in alerts(sandbox, "minji") for t in embeds]
    assert titles == TITLES_30


async def test_closed_dms_are_recorded_and_the_others_still_get_theirs(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, MEMBERS)
    await load_digest(db, DAILY_DAY, 3)
    sandbox.close_dms("alex")
    bot = await started(sandbox, db, SceneClock(DAILY_POST_AT))
    try:
        counts = await cog(bot).service.tick()
        state = await cog(bot).service.store.alert(sandbox.world.user("alex").id, DAILY_DAY)
        member = await cog(bot).service.store.member(sandbox.world.user("alex").id)
        next_day = DAILY_DAY + dt.timedelta(days=1)
        await load_digest(db, next_day, 2)
        before = len(sandbox.requests("POST", "/channels/*/messages"))
        await tick_until_planned(bot, next_day)
        after = sandbox.requests("POST", "/channels/*/messages")[before:]
    finally:
        await bot.close()
    assert counts is not None and counts.outcomes == {"done": 5, "closed": 1}
    assert state is not None and state.status == AlertStatus.CLOSED
    assert member is not None and member.problem == AlertStatus.CLOSED
    assert sandbox.dms("alex") == []
    for name in MEMBERS:
        if name != "alex":
            assert len(headers(sandbox, name)) == 2
    alex_dm = sandbox.world.find_dm_channel(sandbox.world.user("alex").id)
    assert alex_dm is not None and all(str(alex_dm.id) not in r.path for r in after)


async def test_a_429_mid_fan_out_loses_and_repeats_nothing(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, MEMBERS)
    await load_digest(db, DAILY_DAY, 3)
    sandbox.rate_limit("POST /channels/*/messages", retry_after=0.3, count=2, after=2)
    sandbox.rate_limit("POST /users/@me/channels", retry_after=0.2, global_=True, after=3)
    bot = await started(sandbox, db, SceneClock(DAILY_POST_AT))
    try:
        counts = await cog(bot).service.tick()
    finally:
        await bot.close()
    assert counts is not None and counts.outcomes == {"done": len(MEMBERS)}
    assert len(sandbox.requests(status=429)) == 3
    for name in MEMBERS:
        assert len(headers(sandbox, name)) == 1


async def test_two_processes_on_one_database_send_each_member_one_alert(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    members = [*MEMBERS, *(f"member{i}" for i in range(14))]
    await seed(sandbox, db, members)
    await load_digest(db, DAILY_DAY, 3)
    clock = SceneClock(DAILY_POST_AT)
    a = await started(sandbox, db, clock)
    b = await started(sandbox, db, clock)
    sandbox.config.latency = 0.02  # a round trip long enough for the two to interleave
    for bot in (a, b):
        cog(bot).service.deliverer.concurrency = 2
    try:
        results = await asyncio.gather(cog(a).service.tick(), cog(b).service.tick())
    finally:
        await a.close()
        await b.close()
    done: collections.Counter[str] = collections.Counter()
    for counts in results:
        assert counts is not None
        done.update(counts.outcomes)
    assert done == {"done": len(members)}
    for name in members:
        assert len(headers(sandbox, name)) == 1, name


async def test_80_matching_papers_arrive_split_none_dropped(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, ["minji"])
    await load_digest(db, DAILY_DAY, 80)
    bot = await started(sandbox, db, SceneClock(DAILY_POST_AT))
    try:
        await cog(bot).service.tick()
    finally:
        await bot.close()
    messages = sandbox.dms("minji")
    titles = [str(e["title"]) for m in messages for e in m["embeds"]]
    assert titles == [f"{i}. Paper {i}: learning things at scale, part {i}" for i in range(1, 81)]
    assert len(messages) == 8
    assert "80 matching papers" in str(messages[0]["content"])


async def test_a_claim_refused_by_a_locked_database_ends_only_that_worker(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """One worker meeting "database is locked" (another process past the busy timeout) stops
    for this tick; the run does not break off while the others send, and every member
    gets the alert once."""
    db = tmp_path / "papers.db"
    await seed(sandbox, db, MEMBERS)
    await load_digest(db, DAILY_DAY, 3)
    bot = await started(sandbox, db, SceneClock(DAILY_POST_AT))
    deliverer = cog(bot).service.deliverer
    deliverer.concurrency = 2
    store = deliverer.store
    claim = store.claim
    refused: list[bool] = []

    async def locked_once(**kwargs: Any) -> Any:
        if not refused:
            refused.append(True)
            raise sqlite3.OperationalError("database is locked")
        return await claim(**kwargs)

    store.claim = locked_once  # type: ignore[method-assign]
    try:
        counts = await cog(bot).service.tick()
    finally:
        await bot.close()
    assert refused and counts is not None
    assert counts.outcomes == {"done": len(MEMBERS)}
    for name in MEMBERS:
        assert len(headers(sandbox, name)) == 1, name
