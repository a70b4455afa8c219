"""What query modules on the writer share: reads there see the writes before them at once
(daily posting reads its ledger back right after writing it), and writes take the write lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.store.database import Database


def iso(now: dt.datetime) -> str:
    """A time as stored: ISO text in UTC."""
    return now.astimezone(dt.UTC).isoformat()


class OnWriter:
    """A query module whose reads and writes run on the Database's writer connection."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._conn = database.writer

    async def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        # One call on the connection's thread: a SELECT stepped by execute() holds a read
        # snapshot until fetched, and a write queued between the two (another task's) would
        # then meet another process's commit as "database is locked" at once.
        return list(await self._conn.execute_fetchall(sql, params))

    async def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        async with self._db.write_lock, self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)

    async def _write_in_tx(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return int(cur.rowcount)
