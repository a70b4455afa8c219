"""Database: reads past the time limit are stopped; writes share one lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store import Database, ReadTimedOut
from bot.store.database import READERS
from bot.store.db import READER_CACHE_KIB
from bot.store.follows import FollowStore
from bot.store.writes import OnWriter

# Counting to this many takes SQLite several seconds: a read that would end only long
# after any limit the tests set, and still ends if the limit does not work.
LONG_COUNT = 30_000_000
COUNT = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ?) SELECT count(*) FROM c"
)


async def test_a_read_past_the_time_limit_is_stopped_and_the_reader_reads_again(
    tmp_path: Path,
) -> None:
    async with await Database.open(tmp_path / "p.db", read_timeout=0.05) as db:
        with pytest.raises(ReadTimedOut, match=r"longer than 0\.05 s"):
            await db.read(COUNT, (LONG_COUNT,))
        assert await db.read(COUNT, (10,)) == [(10,)]  # short reads still answer


async def test_without_a_limit_a_long_read_runs_to_the_end(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "p.db", read_timeout=None) as db:
        assert await db.read(COUNT, (300_000,)) == [(300_000,)]


async def test_a_transaction_and_a_lone_write_never_interleave(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "p.db") as db:
        await db.writer.execute("CREATE TABLE t (x)")
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (1)")
            lone = asyncio.ensure_future(_lone_write(db))
            await asyncio.sleep(0)
            assert not lone.done()  # waits for the transaction's lock
        await lone
        assert await db.read("SELECT x FROM t ORDER BY x") == [(1,), (2,)]


async def _lone_write(db: Database) -> None:
    async with db.write_lock:
        await db.writer.execute("INSERT INTO t VALUES (2)")


async def test_every_reader_keeps_the_pages_a_dense_words_doclists_need(tmp_path: Path) -> None:
    """A word most papers hold has doclists of megabytes at 1M papers: a reader with
    SQLite's default 2,000 KiB of pages copied them in from the file on every query."""
    async with await Database.open(tmp_path / "p.db") as db:
        sizes = {tuple(await db.read("PRAGMA cache_size")) for _ in range(READERS)}
    assert sizes == {((-READER_CACHE_KIB,),)} and READER_CACHE_KIB >= 16_384


async def test_reads_on_the_writer_never_meet_another_process_as_a_locked_database(
    tmp_path: Path,
) -> None:
    """The ledgers read on the writer (they must see their own writes at once). A read there
    and a write of another task on the same connection, while a second process commits,
    used to fail with "database is locked" at once (the read's snapshot was held until it
    was fetched, and the write could not move past the other process's commit)."""
    path = tmp_path / "papers.db"
    a, b = await Database.open(path), await Database.open(path)
    async with a.transaction() as conn:
        await conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        await conn.executemany("INSERT INTO t (id, n) VALUES (?, 0)", [(i,) for i in range(200)])
    ledger, follows, other = OnWriter(a), FollowStore(a), OnWriter(b)
    bump = "UPDATE t SET n = n + 1 WHERE id = ?"
    try:
        for i in range(300):
            await asyncio.gather(
                ledger._rows("SELECT id, n FROM t"),
                ledger._write(bump, (i % 200,)),
                other._write(bump, ((i + 1) % 200,)),
                follows._rows("SELECT id, n FROM t"),
                follows._write(bump, ((i + 2) % 200,)),
            )
        rows = await a.read("SELECT sum(n) FROM t")
        assert rows[0][0] == 900
    finally:
        await a.close()
        await b.close()
