"""Opening the database: pragmas, custom functions and numbered migrations."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.store.text import fold, index_text

log = logging.getLogger(__name__)
_MIGRATION = re.compile(r"^(\d{3})-[\w-]+\.sql$")
# A migration may say how to tell it was applied: one numbered below a database's version
# but merged after it (a database at 010 that never saw 008) is then applied all the same.
BUSY_TIMEOUT_MS = 5000


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for item in resources.files("bot.store").joinpath("migrations").iterdir():
        m = _MIGRATION.match(item.name)
        if m:
            found.append((int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open (creating if needed) and migrate the database at `path` (":memory:" works)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.create_function("index_text", 1, index_text, deterministic=True)
        await conn.create_function("fold", 1, fold, deterministic=True)
        await _migrate(conn)
    except BaseException:
        await conn.close()
        raise
    return conn


async def connect_reader(path: str | Path) -> aiosqlite.Connection:
    """A read-only connection to a database `connect` opened (and migrated) already."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA query_only = ON")
        await conn.create_function("index_text", 1, index_text, deterministic=True)
        await conn.create_function("fold", 1, fold, deterministic=True)
    except BaseException:
        await conn.close()
        raise
    return conn


async def _migrate(conn: aiosqlite.Connection) -> None:
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    for version, name, sql in migrations():
        if version <= current:
            continue
        log.info("applying migration %s", name)
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (complete_statement keeps triggers whole)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") for ln in buf.strip().splitlines()):
        out.append(buf.strip())
    return out


_LOCKS: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(conn: aiosqlite.Connection) -> asyncio.Lock:
    """One lock per connection: a transaction and a lone write never interleave on it."""
    lock = _LOCKS.get(conn)
    if lock is None:
        lock = _LOCKS[conn] = asyncio.Lock()
    return lock


@asynccontextmanager
async def transaction(conn: aiosqlite.Connection) -> AsyncIterator[None]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error), exclusive on this connection."""
    async with write_lock(conn):
        await conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
