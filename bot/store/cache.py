"""Answers of recent lookups, kept until the database changes.

Members repeat each other: the same /top period, today's /digest, a popular word, the next
page of a search. The papers change only when digests are loaded, so an answer stays right
until then. `LookupCache` keeps the most recently used answers (immutable values: pages of
frozen dataclasses) and forgets all of them when the data changed: at once for this process's
own loads (and any other write of this process that changes what lookups read: it calls
`changed()`, as loading and enrichment do), and for another process's (`papers-bot load`
beside a running bot) when `PRAGMA data_version` moves on the Database's writer connection,
checked at most every `check_every` seconds. That value moves for commits by any *other*
connection and never for the writer's own, so this process's writes of members' data (saved
papers, the daily ledger) leave the answers in place (bench/interactions.py --mix both).
"""

from __future__ import annotations

import sqlite3
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
# The data version other connections' commits move (None: not now, look again later).
VersionSource = Callable[[], Awaitable[int | None]]

ENTRIES = 512  # answers kept; a page of results is tens of KiB at most
CHECK_EVERY = 1.0  # seconds between looks at whether another process wrote


class LookupCache:
    """Least-recently-used answers keyed by the query, dropped whenever the data changes."""

    def __init__(
        self,
        watch: VersionSource | None,
        *,
        entries: int = ENTRIES,
        check_every: float = CHECK_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`watch`: how to read the data version (Database.data_version); None: the data
        never changes but through `changed()` (an in-memory database, a test)."""
        self.entries = entries
        self.check_every = check_every
        self.hits = 0
        self.misses = 0
        self._clock = clock
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation = 0
        self._checked_at: float | None = None  # the first lookup reads the version
        self._watch = watch if entries > 0 else None
        self._version: int | None = None
        self._looking = False

    def changed(self) -> None:
        """The data changed (this process wrote): forget every answer."""
        self._generation += 1
        self._answers.clear()

    async def _check(self) -> None:
        now = self._clock()
        if self._watch is None or self._looking:
            return
        if self._checked_at is not None and now - self._checked_at < self.check_every:
            return
        self._looking = True
        try:
            version = await self._watch()
        except sqlite3.Error:  # cannot tell: assume it changed
            version = -1
        finally:
            self._looking = False
        if version is None:  # a write of this process is under way: look at the next lookup
            return
        self._checked_at = now
        if version != self._version or version == -1:
            self._version = version
            self.changed()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The answer for `key`: remembered, else computed (and remembered unless the data
        changed meanwhile, so an answer from before a load is never kept after it)."""
        if self.entries <= 0:
            return await compute()
        await self._check()
        if key in self._answers:
            self.hits += 1
            self._answers.move_to_end(key)
            return self._answers[key]  # type: ignore[no-any-return]
        self.misses += 1
        generation = self._generation
        value = await compute()
        if generation == self._generation:
            self._answers[key] = value
            if len(self._answers) > self.entries:
                self._answers.popitem(last=False)
        return value

    def close(self) -> None:
        self._answers.clear()
        self._watch = None
