"""Answers of recent lookups, kept until the database changes.

Members repeat each other: the same /top period, today's /digest, a popular word, the next
page of a search. The papers change only when digests are loaded, so an answer stays right
until then. `LookupCache` keeps the most recently used answers (immutable values: pages of
frozen dataclasses) and forgets all of them when the store says the data changed: at once
for this process's own loads, and for another process's (`papers-bot load` beside a running
bot) when SQLite's `PRAGMA data_version` moves, checked at most every `check_every` seconds.
"""

from __future__ import annotations

import sqlite3
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

T = TypeVar("T")

ENTRIES = 512  # answers kept; a page of results is tens of KiB at most
CHECK_EVERY = 1.0  # seconds between looks at whether another process wrote


class LookupCache:
    """Least-recently-used answers keyed by the query, dropped whenever the data changes."""

    def __init__(
        self,
        path: str | Path | None,
        *,
        entries: int = ENTRIES,
        check_every: float = CHECK_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.entries = entries
        self.check_every = check_every
        self.hits = 0
        self.misses = 0
        self._clock = clock
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation = 0
        self._checked_at = clock()
        # A connection of its own, only ever asked PRAGMA data_version: that reads the WAL
        # index in shared memory (no query, no lock wait), so it is asked on the event loop.
        self._watch: sqlite3.Connection | None = None
        self._version: int | None = None
        if path is not None and str(path) != ":memory:" and entries > 0:
            self._watch = sqlite3.connect(
                f"file:{quote(str(Path(path).resolve()))}?mode=ro",  # a '?' or '#' in a name
                uri=True,
                check_same_thread=False,
            )
            self._version = self._data_version()

    def _data_version(self) -> int | None:
        if self._watch is None:
            return None
        try:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:  # cannot tell: assume it changed
            return None

    def changed(self) -> None:
        """The data changed (this process wrote): forget every answer."""
        self._generation += 1
        self._answers.clear()

    def _check(self) -> None:
        now = self._clock()
        if self._watch is None or now - self._checked_at < self.check_every:
            return
        self._checked_at = now
        version = self._data_version()
        if version is None or version != self._version:
            self._version = version
            self.changed()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The answer for `key`: remembered, else computed (and remembered unless the data
        changed meanwhile, so an answer from before a load is never kept after it)."""
        if self.entries <= 0:
            return await compute()
        self._check()
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
        if self._watch is not None:
            self._watch.close()
            self._watch = None
