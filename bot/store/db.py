"""Opening connections to the database file: pragmas, custom functions and numbered
migrations (bot/store/database.py holds the open connections)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.store.text import exact_words, fold, in_typed_order, index_text, title_length

log = logging.getLogger(__name__)
_MIGRATION = re.compile(r"^(\d{3})-[\w-]+\.sql$")
BUSY_TIMEOUT_MS = 5000
# Pages a reader keeps (KiB; SQLite's default is 2,000): a query over the words most papers
# hold walks their whole doclists (모델 and 언어 together ~12 MB at 1M papers), which then stay
# in the reader instead of being copied in from the file on every query (a quarter of
# `음성 언어 모델`'s time at 1M, bench/search.py). Allocated only as pages are read.
READER_CACHE_KIB = 16_384


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for item in resources.files("bot.store").joinpath("migrations").iterdir():
        m = _MIGRATION.match(item.name)
        if m:
            found.append((int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


class DatabaseUnusable(Exception):
    """The database cannot be opened as asked; the message names the file and says why."""


def schema_version() -> int:
    """The newest schema this code knows (the last migration's number)."""
    return max(version for version, _, _ in migrations())


def _uri(path: str | Path, query: str) -> str:
    return f"file:{urllib.parse.quote(str(Path(path).resolve()))}?{query}"


def _check_path(path: str | Path, *, create: bool) -> None:
    p = Path(path)
    if p.is_dir():
        raise DatabaseUnusable(f"{path} is a folder, not a database file")
    if not create and not p.exists():
        raise DatabaseUnusable(
            f"no database at {path} (create one with: papers-bot load PATH --db {path})"
        )


async def _open(database: str, *, uri: bool) -> aiosqlite.Connection:
    pending = aiosqlite.connect(database, uri=uri, isolation_level=None)
    try:
        return await pending
    except BaseException:
        # aiosqlite stops its thread on a failed open without waiting for it: wait here, or
        # the thread reports to a closed event loop ("Event loop is closed") at exit.
        await asyncio.to_thread(pending._thread.join, 5)
        raise


SqlFunction = tuple[str, int, Callable[..., str | int | None]]  # name, arguments, function


def sql_functions(index_memo: Mapping[str, str] | None = None) -> list[SqlFunction]:
    """The custom SQL functions every connection has (the migrations, the loader's SQL and
    the queries call them). `index_memo`: texts whose `index_text` a loader computed already
    (in its parsing process), answered from there."""
    index: Callable[[str | None], str] = index_text
    if index_memo is not None:
        memo = index_memo

        def index(text: str | None) -> str:
            found = memo.get(text) if text is not None else None
            return index_text(text) if found is None else found

    return [
        ("index_text", 1, index),
        ("fold", 1, fold),
        ("exact_words", 2, exact_words),
        ("in_typed_order", 2, in_typed_order),
        ("title_length", 1, title_length),
    ]


async def _setup(conn: aiosqlite.Connection, index_memo: Mapping[str, str] | None = None) -> None:
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    for name, arguments, function in sql_functions(index_memo):
        await conn.create_function(name, arguments, function, deterministic=True)


async def _version(conn: aiosqlite.Connection, path: str | Path) -> int:
    """The schema version of `path`, refusing one newer than this code (it would be
    misread and written to as an older schema)."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    latest = schema_version()
    if current > latest:
        raise DatabaseUnusable(
            f"{path} has schema version {current}, newer than this papers-bot knows "
            f"({latest}): use a newer papers-bot"
        )
    return current


async def connect(
    path: str | Path, *, create: bool = True, index_memo: Mapping[str, str] | None = None
) -> aiosqlite.Connection:
    """Open and migrate the database at `path` (":memory:" works); with `create`, a missing
    file (and its folders) is created, otherwise it is a DatabaseUnusable. `index_memo`: see
    sql_functions."""
    memory = str(path) == ":memory:"
    if not memory:
        _check_path(path, create=create)
        if create:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    database = str(path) if memory else _uri(path, "mode=rwc" if create else "mode=rw")
    conn = await _open(database, uri=not memory)
    try:
        await _setup(conn, index_memo)
        current = await _version(conn, path)
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await _migrate(conn, current)
    except BaseException:
        await conn.close()
        raise
    return conn


async def connect_reader(path: str | Path) -> aiosqlite.Connection:
    """A read-only connection to a database `connect` opened (and migrated) already."""
    conn = await _open(str(path), uri=False)
    try:
        await _setup(conn)
        await conn.execute("PRAGMA query_only = ON")
        await conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
        await _version(conn, path)
    except BaseException:
        await conn.close()
        raise
    return conn


async def connect_read_only(path: str | Path) -> aiosqlite.Connection:
    """A connection that only reads an existing database, and never writes to the file:
    query commands work on a read-only file or folder. A database older than this code is
    migrated first, which needs write access once."""
    _check_path(path, create=False)
    conn = await _open_read_only(path)
    try:
        if await _version(conn, path) == schema_version():
            return conn
    except BaseException:
        await conn.close()
        raise
    await conn.close()
    try:
        conn = await connect(path, create=False)
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc):
            raise
        raise DatabaseUnusable(
            f"{path} needs upgrading to schema version {schema_version()} and is read-only "
            "here: run any papers-bot load on it once with write access"
        ) from None
    await conn.execute("PRAGMA query_only = ON")
    return conn


async def _open_read_only(path: str | Path) -> aiosqlite.Connection:
    """A query_only connection: mode=rw where the file and folder are writable (so that the
    last connection to close removes the -wal and -shm files, as a writer's does), else
    mode=ro, else immutable=1 when SQLite cannot make the -shm file a WAL database needs (a
    read-only folder): safe then, since no -wal file means nobody is writing."""
    for query in _read_only_modes(path):
        conn = await _open(_uri(path, query), uri=True)
        try:
            await _setup(conn)
            await conn.execute("PRAGMA query_only = ON")
            await conn.execute_fetchall("SELECT count(*) FROM sqlite_schema")  # reads the file
            return conn
        except sqlite3.OperationalError as exc:
            await conn.close()
            if query != "mode=ro" or not _immutable_will_do(exc, path):
                raise
        except BaseException:
            await conn.close()
            raise
    raise AssertionError("unreachable")


def _read_only_modes(path: str | Path) -> list[str]:
    p = Path(path).resolve()
    writable = os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)
    return (["mode=rw"] if writable else []) + ["mode=ro", "immutable=1"]


def _immutable_will_do(exc: sqlite3.OperationalError, path: str | Path) -> bool:
    if exc.sqlite_errorcode not in (sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_CANTOPEN):
        return False
    if Path(f"{path}-wal").exists():
        raise DatabaseUnusable(
            f"{path} is in a read-only folder and has changes in {path}-wal that are not in "
            "the file yet: open it once where it can be written"
        ) from None
    return True


async def _migrate(conn: aiosqlite.Connection, current: int) -> None:
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
