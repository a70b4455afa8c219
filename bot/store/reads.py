"""What every query module shares: reads through the Database, papers from rows, pages
with their counts, and answers remembered until the data changes."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.models import Paper
from bot.store.database import Database
from bot.store.limits import Limits

_PAPER_COLS = """p.id, p.arxiv_id, p.title, p.authors, p.votes, p.thumbnail, p.url,
    (SELECT a.summary FROM appearances a WHERE a.paper_id = p.id AND a.day = p.last_day),
    (SELECT group_concat(day) FROM
        (SELECT day FROM appearances a WHERE a.paper_id = p.id ORDER BY day))"""
# ORDER BY of each sort; votes and newest are the orders of the papers_most_voted and
# papers_newest indexes (migration 003).
ORDER = {
    "relevance": "score, p.last_day DESC",
    "votes": "p.votes DESC, p.last_day DESC",
    "newest": "p.last_day DESC, p.votes DESC",
}
_P = ParamSpec("_P")
_R = TypeVar("_R")
_Q = TypeVar("_Q", bound="Reads")


def remembered(
    method: Callable[Concatenate[_Q, _P], Awaitable[_R]],
) -> Callable[Concatenate[_Q, _P], Awaitable[_R]]:
    """A lookup whose answers the Database's LookupCache keeps until the data changes
    (callers share them: pages are frozen; lists returned must not be changed)."""

    async def lookup(store: _Q, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        return await store.db.cache.get(key, lambda: method(store, *args, **kwargs))

    return functools.update_wrapper(lookup, method)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results, and how many match: exactly `total`, or more than `total`
    when `more` (a query past `Limits.exact`)."""

    papers: tuple[Paper, ...]
    total: int
    more: bool = False


def day_range(since: dt.date | None, until: dt.date | None) -> tuple[str, str]:
    """ISO bounds of a date range (open ends: every day)."""
    return (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()


def paper_row(row: Sequence[Any]) -> Paper:
    return Paper(
        arxiv_id=row[1],
        title=row[2],
        authors=tuple(json.loads(row[3])),
        votes=row[4],
        thumbnail=row[5],
        url=row[6],
        summary=row[7] or "",
        dates=tuple(dt.date.fromisoformat(d) for d in (row[8] or "").split(",") if d),
    )


class Reads:
    """A query module: reads on the Database's readers, under the plans' `Limits`."""

    def __init__(self, database: Database, limits: Limits) -> None:
        self.db = database
        self.limits = limits

    async def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """A read (Database.read: on an idle reader, under the time limit)."""
        return await self.db.read(sql, params)

    async def _papers(self, where: str, params: Sequence[object] = ()) -> list[Paper]:
        return [
            paper_row(r)
            for r in await self._rows(f"SELECT {_PAPER_COLS} FROM papers p {where}", params)
        ]

    async def _by_ids(self, ids: Sequence[int]) -> list[Paper]:
        """The papers, in the order given (one JSON parameter: any number of ids)."""
        if not ids:
            return []
        rows = await self._rows(
            f"SELECT {_PAPER_COLS} FROM json_each(?) j CROSS JOIN papers p ON p.id = j.value "
            "ORDER BY j.key",
            (json.dumps(list(ids)),),
        )
        return [paper_row(r) for r in rows]

    async def _count(self, base: str, params: Sequence[object], cap: int) -> tuple[int, bool]:
        """Rows of `FROM ... WHERE ...`: (count, False) up to `cap`, else (cap, True)."""
        rows = await self._rows(
            f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)", [*params, cap + 1]
        )
        found = int(rows[0][0])
        return (cap, True) if found > cap else (found, False)

    async def _counted(
        self,
        select: str,
        params: Sequence[object],
        limit: int,
        offset: int,
        *,
        base: str,
        base_params: Sequence[object] | None = None,
    ) -> Page:
        """A page from `select` (id, total over all its rows: it sorts every match, at most
        `exact`); an offset past the end counts `FROM base` (default params: `params`)."""
        rows = await self._rows(f"{select} LIMIT ? OFFSET ?", [*params, limit, offset])
        if rows:
            total = int(rows[0][1])
            more = total > self.limits.exact
            papers = tuple(await self._by_ids([r[0] for r in rows]))
            return Page(papers, self.limits.exact if more else total, more)
        if not offset:
            return Page((), 0)
        total, more = await self._count(
            base, params if base_params is None else base_params, self.limits.exact
        )
        return Page((), total, more)
