"""Do two store implementations answer alike on a large database? (the fast paths' check)

    python bench/compare.py --rev 0cff223 --db bench/out/db-100000.db

The tests use small stores, where every query takes the plain sorted path; the paths for
large match sets (index walks, probes, the relevance pool) only run on big data. This runs
the same queries through the store of `--rev` (git) and the working tree's on one database
and compares: totals, the sort keys of every page (ties may list different papers with the
same key), and that each paper returned satisfies the query under the old store's rules.
Relevance is compared exactly where at most the pool's size (2000) match, and otherwise
reported as an intended difference (the new store ranks the newest 2000 matches).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from storeimpl import ROOT, store_class

sys.path.insert(0, str(ROOT))
from bot.store import PaperStore
from bot.store.text import match_query

Query = Callable[[Any], Awaitable[Any]]


def _key(sort: str, paper: Any) -> tuple[object, ...]:
    last = max(paper.dates) if paper.dates else None
    if sort == "votes":
        return (paper.votes, last)
    if sort in ("newest", "author"):
        return (last, paper.votes)
    if sort == "titles":
        return ()
    return (paper.arxiv_id,)


def _call(method: str, *args: object, **options: object) -> Query:
    """A query calling `method` with these arguments on a store of any revision."""
    return lambda store: getattr(store, method)(*args, **options)


def queries(newest: dt.date) -> list[tuple[str, str, Query]]:
    month = newest - dt.timedelta(days=29)
    year = newest - dt.timedelta(days=364)
    out: list[tuple[str, str, Query]] = []
    words = [
        "모델",
        "확산",
        "diffusion",
        "model",
        "강화 학습",
        "뇌",
        "zxq",
        "제안",
        "대규모 언어 모델",
    ]
    for w in words:
        for sort in ("votes", "newest"):
            for offset in (0, 20, 990):
                out.append(
                    (
                        sort,
                        f"search {w!r} {sort} @{offset}",
                        _call("search", w, sort=sort, offset=offset),
                    )
                )
            out.append(
                (
                    sort,
                    f"search {w!r} {sort} 30d",
                    _call("search", w, sort=sort, since=month, until=newest),
                )
            )
            out.append(
                (sort, f"search {w!r} {sort} year", _call("search", w, sort=sort, since=year))
            )
            out.append(
                (
                    sort,
                    f"search {w!r} {sort} votes>=300",
                    _call("search", w, sort=sort, min_votes=300),
                )
            )
        out.append(("relevance", f"search {w!r}", _call("search", w)))
        out.append(
            ("relevance", f"search {w!r} 30d", _call("search", w, since=month, until=newest))
        )
    for name in ["Wang", "wang", "zhang y", "yann lecun", "Li", "a", "ang", "Börje", "kim"]:
        for offset in (0, 20):
            out.append(
                ("author", f"author {name!r} @{offset}", _call("by_author", name, offset=offset))
            )
    for since in (None, year, month, newest - dt.timedelta(days=6)):
        for offset in (0, 30):
            out.append(
                ("votes", f"top since {since} @{offset}", _call("top", since=since, offset=offset))
            )
    for text in ["", "a", "t", "z", "tr", "diff", "large lang", "모델", "모", "2505.0", "scal"]:
        out.append(("titles", f"titles {text!r}", _call("title_suggestions", text)))
    return out


async def run(db: Path, rev: str) -> int:
    old = await store_class(rev).open(db)
    new = await PaperStore.open(db)
    stats = await new.stats()
    assert stats.last_day is not None
    problems = 0
    try:
        for sort, label, query in queries(stats.last_day):
            a, b = await query(old), await query(new)
            if sort == "titles":
                same = a == b or await _titles_equivalent(new, label, a, b)
                note = "" if same else f"\n    old {a[:5]}\n    new {b[:5]}"
                print(f"{'ok ' if same else 'DIFF'} {label}: {len(a)} / {len(b)}{note}")
                problems += not same
                continue
            keys_a = [_key(sort, p) for p in a.papers]
            keys_b = [_key(sort, p) for p in b.papers]
            same = a.total == b.total and keys_a == keys_b
            intended = sort == "relevance" and a.total > 1000
            tag = "ok " if same else "pool" if intended else "DIFF"
            print(f"{tag} {label}: total {a.total} / {b.total}, {len(a.papers)} papers")
            if not same and not intended:
                problems += 1
                print(f"    old {keys_a[:6]}\n    new {keys_b[:6]}")
    finally:
        await old.close()
        await new.close()
    print(f"{problems} unexpected differences")
    return 1 if problems else 0


async def _titles_equivalent(
    store: PaperStore, label: str, a: list[tuple[str, str]], b: list[tuple[str, str]]
) -> bool:
    """Same days in the same order (papers of one day come in no set order), and every
    suggestion a match of the words (or of the id prefix)."""
    text = label.split(" ", 1)[1].strip("'")
    expr = match_query(text, column="title", prefix=True)

    async def days(pairs: list[tuple[str, str]]) -> list[str]:
        sql = "SELECT last_day FROM papers WHERE arxiv_id = ?"
        return [str(await _value(store, sql, (arxiv_id,))) for arxiv_id, _ in pairs]

    if len(a) != len(b) or await days(a) != await days(b):
        return False
    for arxiv_id, _ in b:
        if expr is None or arxiv_id.startswith(text):
            continue
        matches = await _value(
            store,
            "SELECT count(*) FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid "
            "WHERE p.arxiv_id = ? AND papers_fts MATCH ?",
            (arxiv_id, expr),
        )
        if matches != 1:
            return False
    return True


async def _value(store: PaperStore, sql: str, params: tuple[object, ...]) -> object:
    """The value of a query that selects one row of one column."""
    async with store.db.writer.execute(sql, params) as cur:
        row = await cur.fetchone()
    if row is None:
        raise LookupError(f"no row for {sql} {params}")
    return row[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rev", default="0cff223", help="git revision of the reference store")
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "db-100000.db"))
    args = parser.parse_args()
    sys.exit(asyncio.run(run(Path(args.db), args.rev)))


if __name__ == "__main__":
    main()
