"""Database: reads past the time limit are stopped; writes share one lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store import Database, ReadTimedOut
from bot.store.database import READERS
from bot.store.db import READER_CACHE_KIB

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
