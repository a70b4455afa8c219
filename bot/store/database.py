"""Database: the papers file's connections, its write lock, its lookup cache and its read
time limit, in one object that every query module takes.

One writer connection makes every write, one at a time under `write_lock` (a transaction
and a lone write never interleave on it). Reads run on `READERS` read-only connections,
each in its own thread (SQLite reads in parallel under WAL), so one slow query does not
hold up the rest; a read that runs past `read_timeout` seconds is stopped (SQLite's
progress handler) and raises `ReadTimedOut`. Every connection has the same custom SQL
functions (`db.sql_functions`), registered as it opens. The writer's `index_text` answers
from `index_memo` when the loader prepared a file's index texts in its parsing process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store import db
from bot.store.cache import ENTRIES, LookupCache

READERS = 6  # read-only connections beside the writing one
# A read running longer than this is stopped: no query the bot makes comes near it at 1M
# papers (bench/search.py), so it only stops a runaway one, and the member still gets an
# answer well inside the 15 minutes a deferred interaction stays open (bot/answer.py).
READ_TIMEOUT = 5.0
_PROGRESS_STEPS = 1000  # SQLite virtual-machine steps between looks at the clock
# Elapsed real time (a monotonic clock); not time.monotonic, which test harnesses that
# simulate Discord's clock (simcord) move ahead of real time.
_now = time.perf_counter


class ReadTimedOut(Exception):
    """A read ran past the database's time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query took longer than {seconds:g} s and was stopped")
        self.seconds = seconds


class _Deadline:
    """When the read running on one reader must stop (None: no read, or no limit)."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at: float | None = None

    def passed(self) -> int:  # SQLite's progress handler: nonzero interrupts the statement
        return 1 if self.at is not None and _now() > self.at else 0


class Database:
    """The papers database. Open with `await Database.open(path)`; close when done."""

    def __init__(
        self,
        writer: aiosqlite.Connection,
        readers: Sequence[aiosqlite.Connection] = (),
        cache: LookupCache | None = None,
        *,
        index_memo: dict[str, str] | None = None,
        read_timeout: float | None = READ_TIMEOUT,
    ) -> None:
        """`index_memo`: the dict the writer's index_text answers from (db.sql_functions)."""
        self.writer = writer
        self.cache = cache or LookupCache(None)
        self.read_timeout = read_timeout
        self.write_lock = asyncio.Lock()
        self.index_memo = {} if index_memo is None else index_memo
        self._readers = tuple(readers)
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._deadlines: dict[aiosqlite.Connection, _Deadline] = {}
        for reader in self._readers:
            self._idle.put_nowait(reader)

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        cache_entries: int = ENTRIES,
        create: bool = True,
        read_only: bool = False,
        read_timeout: float | None = READ_TIMEOUT,
    ) -> Database:
        """Open (migrating; creating it if `create`) the database; `cache_entries` answers
        are remembered until the data changes (0: none). `read_only`: one connection that
        never writes (it must exist), no cache and no time limit: for one-shot queries from
        the command line, on a read-only file too. `read_timeout`: seconds a read may run
        (None: no limit; an in-memory database has none, having no separate readers).
        Raises db.DatabaseUnusable with a message for a person."""
        if read_only:
            conn = await db.connect_read_only(path)
            return cls(conn, (), LookupCache(None, entries=0), read_timeout=None)
        memo: dict[str, str] = {}
        conn = await db.connect(path, create=create, index_memo=memo)
        readers: list[aiosqlite.Connection] = []
        try:
            if str(path) != ":memory:":
                readers = [await db.connect_reader(path) for _ in range(READERS)]
            database = cls(conn, readers, None, index_memo=memo, read_timeout=read_timeout)
            watch = database.data_version if str(path) != ":memory:" else None  # a file only
            database.cache = LookupCache(watch, entries=cache_entries)
            await database._limit_reads()
        except BaseException:
            for reader in readers:
                await reader.close()
            await conn.close()
            raise
        return database

    async def data_version(self) -> int | None:
        """SQLite's `PRAGMA data_version` on the writer: it moves when another connection
        (another process) commits, never for this process's own writes (bot/store/cache.py).
        None while a write of this process holds the writer: ask again later."""
        if self.write_lock.locked():
            return None
        rows = await self.writer.execute_fetchall("PRAGMA data_version")
        return int(next(iter(rows))[0])

    async def _limit_reads(self) -> None:
        for reader in self._readers:
            deadline = self._deadlines[reader] = _Deadline()
            await reader.set_progress_handler(deadline.passed, _PROGRESS_STEPS)

    @property
    def connections(self) -> tuple[aiosqlite.Connection, ...]:
        """The writer, then the readers."""
        return (self.writer, *self._readers)

    async def close(self) -> None:
        self.cache.close()
        for reader in self._readers:
            await reader.close()
        await self.writer.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """The rows of a query, on an idle reader (the writer when there is none), stopped
        with ReadTimedOut past `read_timeout`."""
        if not self._readers:
            return list(await self.writer.execute_fetchall(sql, params))
        reader = await self._idle.get()
        deadline = self._deadlines[reader]
        if self.read_timeout is not None:
            deadline.at = _now() + self.read_timeout
        try:  # one trip to the connection's thread: execute, fetch and close there
            return list(await reader.execute_fetchall(sql, params))
        except sqlite3.OperationalError as exc:
            if self.read_timeout is not None and str(exc) == "interrupted":
                raise ReadTimedOut(self.read_timeout) from None
            raise
        finally:
            deadline.at = None
            self._idle.put_nowait(reader)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error) on the writer, under the write lock."""
        async with self.write_lock:
            await self.writer.execute("BEGIN IMMEDIATE")
            try:
                yield self.writer
            except BaseException:
                await self.writer.execute("ROLLBACK")
                raise
            await self.writer.execute("COMMIT")

    @asynccontextmanager
    async def indexed(self, index: dict[str, str]) -> AsyncIterator[None]:
        """Writes meanwhile answer index_text from `index` (texts prepared elsewhere), and
        the lookup cache forgets its answers afterwards (the data changed)."""
        self.index_memo.update(index)
        try:
            yield
        finally:
            self.index_memo.clear()
            self.cache.changed()
