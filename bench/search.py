"""Query latency of the store at 100k and 1M papers, through PaperStore (aiosqlite).

    python bench/search.py                          # 100k and 1M, 200 runs per query
    python bench/search.py --sizes 100000 --runs 50
    python bench/search.py --rev HEAD               # the store as committed (before/after)
    python bench/search.py --only ko                # rows whose kind contains "ko"
    python bench/search.py --dir /tmp/copies        # db-N.db files there, not bench/out's

Databases are the cached ones of bench/dbs.py (synthetic corpus + shared digests, built on
first use). Each query runs a few times untimed (warm cache, as on a running bot), then
`--runs` times, one at a time, each call timed from the `await` to its result, the way a
command handler calls the store. `matches` is the exact number of papers the words match
(uncapped FTS count) or the range size, to show how common a term is; `total` is what the
store returned as Page.total (exact up to Limits.exact, 20,000; "20000+" past it, or
"1000+" past it with a vote or date filter). `cpu ms` is the CPU time the process spent
per call (its threads: the reader's, the event loop's), which others' load on a shared
machine changes far less than the times. The "all ranked" rows are queries with
close to 20,000 matches at 1M papers, every one of them ranked: they measure the budget.
Figures only: no thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import inspect
import platform
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbs import build, db_path
from storeimpl import ROOT, store_class

sys.path.insert(0, str(ROOT))
from bot.store import Page, PaperStore
from bot.store.text import match_query

Call = Callable[[PaperStore, int], Awaitable[Any]]


@dataclass
class Case:
    kind: str
    label: str
    call: Call
    fts: str | None = None  # what to count matches of (FTS expression)
    count_sql: tuple[str, tuple[object, ...]] | None = None  # or this count


def pad(text: str, width: int) -> str:
    """Left-align in a terminal column: Hangul and other wide characters take two cells."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _search(query: str, **kw: Any) -> Call:
    async def call(store: PaperStore, i: int) -> Page:
        return await store.search(query, **kw)

    return call


def cases(ids: list[str], newest: dt.date) -> list[Case]:
    week = newest - dt.timedelta(days=6)
    month = newest - dt.timedelta(days=29)
    year = newest - dt.timedelta(days=364)
    fts = match_query

    async def by_id(store: PaperStore, i: int) -> object:
        return await store.get(ids[i % len(ids)])

    async def by_link(store: PaperStore, i: int) -> object:
        return await store.get(f"https://huggingface.co/papers/{ids[i % len(ids)]}")

    def author(name: str) -> Call:
        async def call(store: PaperStore, i: int) -> Page:
            return await store.by_author(name)

        return call

    def top(since: dt.date | None) -> Call:
        async def call(store: PaperStore, i: int) -> Page:
            return await store.top(since=since, until=newest if since else None)

        return call

    def titles(text: str) -> Call:
        async def call(store: PaperStore, i: int) -> object:
            return await store.title_suggestions(text, limit=25)

        return call

    def authors(text: str) -> Call:
        async def call(store: PaperStore, i: int) -> object:
            return await store.author_suggestions(text, limit=25)

        return call

    async def digest(store: PaperStore, i: int) -> object:
        return await store.digest(None)

    async def days(store: PaperStore, i: int) -> object:
        return await store.days(limit=25, prefix="2024-0")

    in_range = "SELECT count(DISTINCT paper_id) FROM appearances WHERE day BETWEEN ? AND ?"

    def by_name(name: str) -> str | None:
        return match_query(name, column="authors", prefix=True)

    return [
        Case("id", "get(random id)", by_id),
        Case("id", "get(hf link)", by_link),
        Case("en word", "diffusion", _search("diffusion"), fts("diffusion")),
        Case("en word", "model", _search("model"), fts("model")),
        Case("en words", "language model", _search("language model"), fts("language model")),
        Case(
            "en phrase",
            '"large language models"',
            _search('"large language models"'),
            fts('"large language models"'),
        ),
        Case("en none", "zxqvbnm", _search("zxqvbnm"), fts("zxqvbnm")),
        Case("ko word", "확산", _search("확산"), fts("확산")),
        Case("ko common", "모델", _search("모델"), fts("모델")),
        Case("ko common", "모델 page 3", _search("모델", offset=20), fts("모델")),
        Case("ko common", "제안", _search("제안"), fts("제안")),
        Case("ko multi", "강화 학습", _search("강화 학습"), fts("강화 학습")),
        Case("ko multi", "대규모 언어 모델", _search("대규모 언어 모델"), fts("대규모 언어 모델")),
        Case("ko 1-syl", "뇌", _search("뇌"), fts("뇌")),
        Case("all ranked", "robot", _search("robot"), fts("robot")),
        Case("all ranked", "음성 언어 모델", _search("음성 언어 모델"), fts("음성 언어 모델")),
        Case(
            "all ranked",
            "음성 언어 모델 page 3",
            _search("음성 언어 모델", offset=20),
            fts("음성 언어 모델"),
        ),
        Case("sort votes", "모델 votes", _search("모델", sort="votes"), fts("모델")),
        Case("sort votes", "diffusion votes", _search("diffusion", sort="votes"), fts("diffusion")),
        Case("sort newest", "모델 newest", _search("모델", sort="newest"), fts("모델")),
        Case("sort newest", "확산 newest", _search("확산", sort="newest"), fts("확산")),
        Case("date", "모델 last 30 d", _search("모델", since=month, until=newest), fts("모델")),
        Case("date", "확산 last year", _search("확산", since=year, until=newest), fts("확산")),
        Case("date", "모델 votes, 30 d", _search("모델", since=month, sort="votes"), fts("모델")),
        Case("min votes", "모델 >= 300", _search("모델", min_votes=300), fts("모델")),
        Case("author", "Wang (prefix)", author("Wang"), by_name("Wang")),
        Case("author", "yann lecun", author("yann lecun"), by_name("yann lecun")),
        Case("author", "zhang y", author("zhang y"), by_name("zhang y")),
        Case("top", "all time", top(None), count_sql=("SELECT count(*) FROM papers", ())),
        Case("top", "last week", top(week), count_sql=(in_range, (str(week), str(newest)))),
        Case("top", "last year", top(year), count_sql=(in_range, (str(year), str(newest)))),
        Case("autocomplete", "'' (empty)", titles("")),
        Case("autocomplete", "'diff'", titles("diff")),
        Case("autocomplete", "'large lang'", titles("large lang")),
        Case("autocomplete", "'a'", titles("a")),
        Case("autocomplete", "'모델'", titles("모델")),
        Case("autocomplete", "'2505.0'", titles("2505.0")),
        Case("author ac", "'wa'", authors("wa")),
        Case("digest", "newest day", digest),
        Case("days", "prefix 2024-0", days),
    ]


async def _count(store: PaperStore, case: Case) -> str:
    conn = store.db.writer
    params: tuple[object, ...]
    if case.fts:
        sql, params = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", (case.fts,)
    elif case.count_sql:
        sql, params = case.count_sql
    else:
        return "-"
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return "-" if row is None else str(row[0])


def _total(result: object) -> str:
    total = getattr(result, "total", None)  # a Page (of whichever store implementation)
    if isinstance(total, int):
        return f"{total}+" if getattr(result, "more", False) else str(total)
    if isinstance(result, list):
        return str(len(result))
    return "1" if result is not None else "0"


async def bench_db(
    db: Path, cls: type[PaperStore], runs: int, warmup: int, budget: float, only: str | None
) -> None:
    # Each query is computed every time: the lookup cache (where this revision has one) is off.
    uncached = "cache_entries" in inspect.signature(cls.open).parameters
    store = await (cls.open(db, cache_entries=0) if uncached else cls.open(db))
    try:
        stats = await store.stats()
        size = db.stat().st_size  # noqa: ASYNC240 (once, before timing)
        assert stats.last_day is not None
        async with store.db.writer.execute(
            "SELECT arxiv_id FROM papers ORDER BY random() LIMIT ?", (max(runs, 1),)
        ) as cur:
            ids = [r[0] for r in await cur.fetchall()]
        print(
            f"\n{db.name}: {stats.papers} papers, {stats.days} days "
            f"({stats.first_day} .. {stats.last_day}), {size / 2**30:.2f} GiB"
        )
        header = (
            f"{'kind':<13} {'query':<24} {'matches':>8} {'total':>6} "
            f"{'n':>4} {'mean ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'cpu ms':>7}"
        )
        print(header)
        print("-" * len(header))
        worst: dict[str, float] = {}
        for case in cases(ids, stats.last_day):
            if only and only not in case.kind:
                continue
            for i in range(warmup):
                start = time.perf_counter()
                await case.call(store, i)
                if time.perf_counter() - start > budget / 10:
                    break
            samples: list[float] = []
            result: object = None
            deadline = time.perf_counter() + budget
            cpu = time.process_time()
            for i in range(runs):
                start = time.perf_counter()
                result = await case.call(store, i)
                samples.append((time.perf_counter() - start) * 1000)
                if start > deadline and len(samples) >= 3:
                    break  # a very slow query: fewer runs, shown in the n column
            cpu = (time.process_time() - cpu) * 1000 / len(samples)
            samples.sort()
            p99 = percentile(samples, 0.99)
            worst[case.kind] = max(worst.get(case.kind, 0.0), p99)
            print(
                f"{case.kind:<13} {pad(case.label, 24)} {await _count(store, case):>8} "
                f"{_total(result):>6} {len(samples):>4} {statistics.fmean(samples):8.2f} "
                f"{percentile(samples, 0.5):8.2f} {p99:8.2f} {samples[-1]:8.2f} {cpu:7.2f}",
                flush=True,
            )
        over = {k: round(v, 1) for k, v in worst.items() if v >= 50}
        print(f"worst p99 per kind >= 50 ms: {over or 'none'}")
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[100000, 1000000])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds per query before cutting runs short"
    )
    parser.add_argument("--rev", help="git revision of the store to measure (default: tree)")
    parser.add_argument("--only", help="only kinds containing this text")
    parser.add_argument(
        "--dir",
        type=Path,
        help="measure the db-N.db files of this folder (e.g. copies migrated by a newer "
        "revision) instead of the cached ones of bench/dbs.py",
    )
    args = parser.parse_args()
    cls = store_class(args.rev)
    print(
        f"store: {args.rev or 'working tree'} | {platform.processor() or platform.machine()}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version} | {args.runs} runs per query"
    )
    random.seed(1)
    for size in args.sizes:
        db = args.dir / db_path(size).name if args.dir else build(size)
        asyncio.run(bench_db(db, cls, args.runs, args.warmup, args.budget, args.only))


if __name__ == "__main__":
    main()
