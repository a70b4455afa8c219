"""Follows and the alert ledger on a real store: a day's matches are exactly what /search and
/author would list of that day, at most `most` follows a member, one holder of an alert at a
time, resumed after the messages recorded, a day planned once across processes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.digest.ingest import load_files
from bot.models import AlertStatus, FollowKind
from bot.store import PaperStore
from bot.store.db import migrations
from bot.store.follows import AddOutcome, Follow, FollowStore
from papers_sandbox import __file__ as sandbox_init
from tests.follow_support import found_alone

SAMPLE = sorted((Path(sandbox_init).parent / "sample").glob("*.md"))
NOW = dt.datetime(2025, 5, 9, 12, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=20)
DAY = dt.date(2025, 5, 9)


async def matched(follows: FollowStore, member: int, day: dt.date) -> dict[Follow, set[str]]:
    found: dict[Follow, set[str]] = {}
    for m in await follows.matches(day):
        if m.member_id != member:
            continue
        for arxiv_id, texts in m.papers.items():
            for kind, query in texts:
                found.setdefault(Follow(FollowKind(kind), query), set()).add(arxiv_id)
    return found


async def check_like_search(store: PaperStore, queries: list[Follow], day: dt.date) -> int:
    follows = FollowStore(store.db)
    for i, follow in enumerate(queries):
        assert await follows.add(i, follow, NOW, most=25) == AddOutcome.ADDED
    hits = 0
    by_member = {m.member_id: m for m in await follows.matches(day)}
    for i, follow in enumerate(queries):
        expected = await found_alone(store, follow, day)
        got = set(by_member[i].papers) if i in by_member else set()
        assert got == expected, (follow, got, expected)
        hits += len(got)
    return hits


async def test_matches_are_what_search_and_author_list(store: PaperStore) -> None:
    report = await load_files(store, SAMPLE)
    assert report.ok
    digest = await store.digest(DAY)
    assert digest is not None
    first = digest.papers[0]
    queries = [
        Follow(FollowKind.KEYWORD, "모델"),
        Follow(FollowKind.KEYWORD, "model"),
        Follow(FollowKind.KEYWORD, "models"),
        Follow(FollowKind.KEYWORD, f'"{" ".join(first.title.split()[:2])}"'),
        Follow(FollowKind.KEYWORD, "언어 모델"),
        Follow(FollowKind.KEYWORD, "reasoning"),
        Follow(FollowKind.KEYWORD, "학습"),
        Follow(FollowKind.KEYWORD, "no-such-word-anywhere"),
        Follow(FollowKind.AUTHOR, first.authors[0]),
        Follow(FollowKind.AUTHOR, first.authors[0].split()[-1].upper()),
        Follow(FollowKind.AUTHOR, "zzzz nobody"),
    ]
    assert await check_like_search(store, queries, DAY) > 5


async def test_matches_on_real_digests(store: PaperStore, shared_digests: Path) -> None:
    files = sorted((shared_digests / "2025").rglob("*.md"))[:20]
    report = await load_files(store, files)
    assert report.files == len(files)
    day = (await store.days(limit=1))[0].day
    digest = await store.digest(day)
    assert digest is not None
    names = [p.authors[0] for p in digest.papers[:3] if p.authors]
    words = ["강화 학습", "비디오", "LLM", "diffusion", '"language model"', "에이전트", "벤치마크"]
    queries = [Follow(FollowKind.KEYWORD, w) for w in words]
    queries += [Follow(FollowKind.AUTHOR, n) for n in names]
    assert await check_like_search(store, queries, day) > 0


async def test_a_member_follows_at_most_most(store: PaperStore) -> None:
    follows = FollowStore(store.db)
    for i in range(3):
        assert await follows.add(1, Follow(FollowKind.KEYWORD, f"w{i}"), NOW, most=3) == "added"
    again = await follows.add(1, Follow(FollowKind.KEYWORD, "w0"), NOW, most=3)
    assert again == AddOutcome.EXISTS
    assert await follows.add(1, Follow(FollowKind.AUTHOR, "x"), NOW, most=3) == AddOutcome.FULL
    assert await follows.add(2, Follow(FollowKind.AUTHOR, "x"), NOW, most=3) == AddOutcome.ADDED
    assert [f.query for f in await follows.follows(1)] == ["w0", "w1", "w2"]
    assert await follows.remove(1, Follow(FollowKind.KEYWORD, "w1"))
    assert not await follows.remove(1, Follow(FollowKind.KEYWORD, "w1"))


async def test_a_day_is_planned_once_across_processes(tmp_path: Path) -> None:
    a_store = await PaperStore.open(tmp_path / "p.db")
    b_store = await PaperStore.open(tmp_path / "p.db")
    a, b = FollowStore(a_store.db), FollowStore(b_store.db)
    try:
        assert await a.plan_day(DAY, [(1, 2, 3, b"plan-a")], NOW)
        assert not await b.plan_day(DAY, [(1, 5, 5, b"plan-b"), (2, 1, 1, b"x")], NOW)
        claim = await b.claim(owner="b", now=NOW, lease=LEASE, since=DAY)
        assert claim is not None and claim.plan == b"plan-a" and claim.member_id == 1
        assert await b.claim(owner="b", now=NOW, lease=LEASE, since=DAY) is None
    finally:
        await a_store.close()
        await b_store.close()


async def test_one_holder_then_taken_over_after_the_lease(tmp_path: Path) -> None:
    a_store = await PaperStore.open(tmp_path / "p.db")
    b_store = await PaperStore.open(tmp_path / "p.db")
    a, b = FollowStore(a_store.db), FollowStore(b_store.db)
    try:
        await a.plan_day(DAY, [(7, 3, 30, b"plan")], NOW)
        first = await a.claim(owner="a", now=NOW, lease=LEASE, since=DAY)
        assert first is not None and not first.resumed and first.sent == {}
        await a.record_message(7, DAY, 0, 1001)
        await a.record_message(7, DAY, 1, 1002)
        assert await b.claim(owner="b", now=NOW + LEASE / 2, lease=LEASE, since=DAY) is None
        assert await a.renew("a", NOW + LEASE * 2) == 1
        assert await b.claim(owner="b", now=NOW + LEASE * 1.5, lease=LEASE, since=DAY) is None
        later = NOW + LEASE * 2 + dt.timedelta(seconds=1)  # a died: its lease ran out
        taken = await b.claim(owner="b", now=later, lease=LEASE, since=DAY)
        assert taken is not None and taken.resumed and taken.sent == {0: 1001, 1: 1002}
        await b.record_message(7, DAY, 2, 1003)
        await b.settle(7, DAY, AlertStatus.DONE, later)
        state = await a.alert(7, DAY)
        assert state is not None and state.status == AlertStatus.DONE and state.sent == 3
        assert await a.claim(owner="a", now=later + LEASE * 9, lease=LEASE, since=DAY) is None
    finally:
        await a_store.close()
        await b_store.close()


async def test_days_past_the_window_expire(store: PaperStore) -> None:
    follows = FollowStore(store.db)
    old = DAY - dt.timedelta(days=3)
    await follows.plan_day(old, [(1, 1, 1, b"p")], NOW)
    await follows.plan_day(DAY, [(1, 1, 1, b"p")], NOW)
    assert await follows.expire(DAY - dt.timedelta(days=1), NOW) == 1
    claim = await follows.claim(owner="a", now=NOW, lease=LEASE, since=old)
    assert claim is not None and claim.day == DAY
    state = await follows.alert(1, old)
    assert state is not None and state.status == AlertStatus.EXPIRED


async def test_using_follow_clears_a_delivery_problem(store: PaperStore) -> None:
    follows = FollowStore(store.db)
    assert await follows.seen(5, 100, "ko", NOW) is None
    await follows.set_problem(5, AlertStatus.CLOSED, DAY)
    before = await follows.seen(5, 200, "en-US", NOW)
    assert before is not None and before.problem == AlertStatus.CLOSED
    assert before.problem_day == DAY and before.locale == "ko"
    after = await follows.member(5)
    assert after is not None and after.problem is None and after.locale == "en-US"
    assert await follows.guilds(5) == [100, 200]


async def test_a_database_from_before_follows_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = await PaperStore.open(path)
    await load_files(store, SAMPLE)
    await store.close()
    before = max(v for v, _, _ in migrations() if v < 13)
    with sqlite3.connect(path) as conn:  # as a database before migration 013 left it
        for table in ("alert_messages", "alerts", "alert_days", "follow_guilds"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE follow_members")
        conn.execute("DROP TABLE follows")
        conn.execute(f"PRAGMA user_version = {before}")
    conn.close()

    async with await PaperStore.open(path) as reopened:
        follows = FollowStore(reopened.db)
        assert await follows.add(1, Follow(FollowKind.KEYWORD, "모델"), NOW, most=25) == "added"
        assert [m.member_id for m in await follows.matches(DAY)] == [1]
        assert (await reopened.stats()).papers == 12
