"""Saved papers and member data in the store (bot/store/saved.py, bot/store/members.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.models import Entry, ParseResult, PostStyle, Section
from bot.store import PaperStore
from bot.store.daily import DailyStore
from bot.store.members import MemberStore
from bot.store.saved import SavedStore, Saving
from bot.store.subscriptions import Subscription

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ALICE, BOB = 1001, 1002


def entry(arxiv_id: str, title: str) -> Entry:
    return Entry(arxiv_id, title, f"https://arxiv.org/abs/{arxiv_id}", 1, authors=("A Kim",))


async def with_papers(store: PaperStore, count: int) -> list[str]:
    ids = [f"2505.{i:05d}" for i in range(1, count + 1)]
    entries = tuple(entry(i, f"Paper {n}") for n, i in enumerate(ids, start=1))
    await store.ingest("day.md", ParseResult((Section(dt.date(2025, 5, 9), 1, entries),)))
    return ids


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


async def test_a_list_is_newest_saved_first_and_a_paper_is_kept_once(store: PaperStore) -> None:
    ids = await with_papers(store, 3)
    saved = SavedStore(store.db)
    assert (await saved.save(ALICE, ids[0], at(0))).outcome is Saving.ADDED
    await saved.save(ALICE, ids[1], at(1))
    assert (await saved.save(ALICE, ids[1], at(2))).outcome is Saving.ALREADY
    again = await saved.save(ALICE, ids[0], at(3))
    assert again.outcome is Saving.ALREADY and again.count == 2
    await saved.save(ALICE, ids[2], at(4))
    await saved.save(BOB, ids[0], at(5))

    mine = await saved.papers(ALICE)
    assert [s.arxiv_id for s in mine] == [ids[2], ids[1], ids[0]]  # saving again kept its place
    assert mine[2].saved_at == at(0) and mine[2].title == "Paper 1"
    page = await saved.page(ALICE, offset=1, limit=1)
    assert [p.arxiv_id for p in page.papers] == [ids[1]] and page.total == 3
    assert await saved.count(BOB) == 1


async def test_a_list_holds_at_most_its_limit(store: PaperStore) -> None:
    ids = await with_papers(store, 4)
    saved = SavedStore(store.db, limit=3)
    results = [await saved.save(ALICE, i, at(n)) for n, i in enumerate(ids)]
    assert [r.outcome for r in results] == [Saving.ADDED] * 3 + [Saving.FULL]
    assert results[-1].count == 3 and await saved.count(ALICE) == 3
    assert (await saved.save(ALICE, ids[0], at(9))).outcome is Saving.ALREADY  # still in
    assert await saved.remove(ALICE, ids[0]) == (True, 2)
    assert (await saved.save(ALICE, ids[3], at(10))).outcome is Saving.ADDED


async def test_removing_and_suggestions_cover_the_members_own_list(store: PaperStore) -> None:
    ids = await with_papers(store, 12)
    saved = SavedStore(store.db)
    for n, i in enumerate(ids):
        await saved.save(ALICE, i, at(n))
    await saved.save(BOB, "2505.99999", at(20))  # not in the store: kept by id

    assert [s.arxiv_id for s in await saved.suggestions(ALICE, "paper 1")] == [
        ids[11],
        ids[10],
        ids[9],
        ids[0],
    ]  # Paper 12, 11, 10, 1: newest saved first
    assert [s.arxiv_id for s in await saved.suggestions(ALICE, "2505.0000")] == ids[8::-1]
    assert await saved.suggestions(ALICE, "2505.99999") == []  # Bob's
    assert len(await saved.suggestions(ALICE, "", limit=25)) == 12
    assert await saved.remove(ALICE, "2505.99999") == (False, 12)
    (bobs,) = await saved.papers(BOB)
    assert bobs.paper is None and bobs.title == "arXiv:2505.99999"
    (stub,) = (await saved.page(BOB, offset=0, limit=5)).papers
    assert stub.url == "https://arxiv.org/abs/2505.99999"


async def test_a_saved_paper_stays_when_its_digest_file_is_reloaded_without_it(
    store: PaperStore,
) -> None:
    ids = await with_papers(store, 2)
    saved = SavedStore(store.db)
    await saved.save(ALICE, ids[1], at(0))
    only_first = ParseResult((Section(dt.date(2025, 5, 9), 1, (entry(ids[0], "Paper 1"),)),))
    await store.ingest("day.md", only_first)
    (kept,) = await saved.papers(ALICE)
    assert kept.arxiv_id == ids[1] and kept.paper is None


async def test_forgetting_a_member_deletes_their_rows_and_nobody_elses(store: PaperStore) -> None:
    ids = await with_papers(store, 2)
    saved, members = SavedStore(store.db), MemberStore(store.db)
    ledger = DailyStore(store.db)
    for i in ids:
        await saved.save(ALICE, i, at(0))
        await saved.save(BOB, i, at(0))
    sub = Subscription(555, 777, "09:00", "Asia/Seoul", PostStyle.EMBEDS, created_by=ALICE)
    await ledger.save_subscription(sub, T0)
    await store.db.writer.execute(
        "INSERT INTO members (member_id, locale, created_at) VALUES (?, 'ko', ?)",
        (ALICE, T0.isoformat()),
    )

    held = {h.table: h.count for h in await members.held(ALICE)}
    assert held == {"saved_papers": 2, "subscriptions": 1, "members": 1}
    gone = {h.table: h.count for h in await members.forget(ALICE)}
    assert gone == held
    assert await members.held(ALICE) == []
    assert await saved.count(BOB) == 2
    kept = await ledger.subscription(555)
    assert kept is not None and kept.created_by is None  # the server's channel keeps its post
    assert await members.forget(ALICE) == []


async def test_migration_014_upgrades_a_database_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with await PaperStore.open(path) as store:
        ids = await with_papers(store, 1)
    with sqlite3.connect(path) as conn:  # as a database before 014 left it
        conn.execute("DROP TABLE saved_papers")
        conn.execute("PRAGMA user_version = 13")
    conn.close()
    async with await PaperStore.open(path) as store:
        saved = SavedStore(store.db)
        assert (await saved.save(ALICE, ids[0], T0)).outcome is Saving.ADDED
        assert (await store.stats()).papers == 1
