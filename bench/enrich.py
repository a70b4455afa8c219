"""Hugging Face figures: building a day from the (fake) API, and backfilling a store's
enrichment under the real rate limit.

    python bench/enrich.py                    # a 50-paper day, 20 runs
    python bench/enrich.py --papers 50 --runs 20
    python bench/enrich.py backfill                      # 5,000 papers, 15 a day
    python bench/enrich.py backfill --unlisted 0.12      # enough asked alone to pass 500 requests

Building a day: `DayBuilder.build` against the loopback fake API (papers_sandbox/huggingface.py)
into an empty store: the request and its JSON, writing the markdown, loading it with the
normal loader. The bound, measured in the same run: `load_files` of the very file that build
wrote, into another empty store (what the day costs when it is already on disk). The
difference is the API round trip, reading its JSON and writing the file. Each run opens
fresh stores; opening them is not timed.

`backfill` writes a history of digest files (`--papers` over days of `--per-day`), loads it
with the real loader, seeds the fake API with the same papers (a share `--unlisted` only at
/api/papers/{id}, a share `--unknown` not at all: 404), and times `bot.enrich.enrich` over the
whole store, each run on a fresh copy of the database, alternating (`--repeat` of each): with
no rate limit anywhere (the work itself: requests over loopback, JSON, SQLite writes) and with
the real one (the client's 500 requests per 300 s, the fake answering 429 past 500 in its
fixed window). The lower bound of the limited runs is max(the unlimited runs' median, the
time the limit alone forces on the requests made: the k-th request cannot start before
floor((k-1) / 500) x 300 s). Printed: papers, requests, the bound, the time and their ratio
(target <= 1.2x), and for comparison the bound of asking for each paper alone.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.digest.ingest import load_files
from bot.enrich import EnrichReport, enrich
from bot.huggingface import HfClient, RateLimiter
from bot.huggingface.build import DayBuilder
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from papers_sandbox.huggingface import HF_LIMIT, HF_WINDOW, FakeHuggingFace, fake_item, sample_day

DAY = dt.date(2025, 5, 12)


async def _run(papers: int, runs: int) -> tuple[list[float], list[float]]:
    fake = FakeHuggingFace()
    fake.add_day(DAY, sample_day(DAY, papers))
    base = await fake.start()
    build_ms, load_ms = [], []
    try:
        for run in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "built"
                store = await PaperStore.open(Path(tmp) / "built.db")
                async with HfClient(base) as client:
                    start = time.perf_counter()
                    built = await DayBuilder(client, store, folder).build(DAY)
                    build_ms.append((time.perf_counter() - start) * 1000)
                await store.close()
                assert built.written and built.load.new_papers == papers, built
                disk = await PaperStore.open(Path(tmp) / "disk.db")
                start = time.perf_counter()
                report = await load_files(disk, [built.path])
                load_ms.append((time.perf_counter() - start) * 1000)
                await disk.close()
                assert report.new_papers == papers, report
            if run == 0:  # the first run warms imports and caches: not counted
                build_ms.clear()
                load_ms.clear()
    finally:
        await fake.stop()
    return build_ms, load_ms


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


FIRST_DAY = dt.date(2024, 6, 3)
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
UNLIMITED = 10**9  # requests per window: no limit in the unlimited run
Run = tuple[float, int, EnrichReport]  # seconds, requests the fake saw, the report


@dataclass(frozen=True)
class Paper:
    arxiv_id: str
    day: dt.date
    listed: bool
    known: bool


def corpus(papers: int, per_day: int, unlisted: float, unknown: float) -> list[Paper]:
    rng = random.Random(15)
    out = []
    for n in range(papers):
        day = FIRST_DAY + dt.timedelta(days=n // per_day)
        arxiv_id = f"{day:%y%m}.{n:05d}"
        draw = rng.random()
        out.append(Paper(arxiv_id, day, draw >= unlisted + unknown, draw >= unknown))
    return out


def write_digests(folder: Path, papers: list[Paper]) -> list[Path]:
    by_day: dict[dt.date, list[Paper]] = {}
    for p in papers:
        by_day.setdefault(p.day, []).append(p)
    files = []
    for day, listed in by_day.items():
        lines = [f"## Daily Papers ({day.isoformat()})", ""]
        for i, p in enumerate(listed):
            lines += [
                f"### [Paper {p.arxiv_id} on scaling]({'https://arxiv.org/abs/' + p.arxiv_id})",
                "",
                f"Vote: {i}",
                "",
                "Authors: Ada Lovelace, Alan Turing",
                "",
                f"- ***What's New***: {p.arxiv_id} 요약.",
                "",
            ]
        path = folder / f"{day.isoformat()}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def seed(hf: FakeHuggingFace, papers: list[Paper]) -> None:
    by_day: dict[dt.date, list[object]] = {}
    for n, p in enumerate(papers):
        by_day.setdefault(p.day, [])
        if not p.known:
            continue
        item = fake_item(
            p.arxiv_id,
            day=p.day,
            abstract=f"We study {p.arxiv_id}. " * 40,  # ~1 KB, an abstract's length
            upvotes=n % 200,
            github_repo=f"https://github.com/lab/p{n}" if n % 3 == 0 else None,
            github_stars=n % 5000 if n % 3 == 0 else None,
        )
        if p.listed:
            by_day[p.day].append(item)
        else:
            hf.set_paper(p.arxiv_id, item["paper"])
    for day, items in by_day.items():
        hf.add_day(day, items)


def limit_bound(requests: int, limit: int = HF_LIMIT, window: float = HF_WINDOW) -> float:
    """Seconds the rate limit alone forces on `requests` requests: the last one cannot start
    before floor((requests - 1) / limit) windows have passed."""
    return ((requests - 1) // limit) * window if requests else 0.0


async def timed_run(db: Path, papers: list[Paper], *, limited: bool) -> Run:
    limit = HF_LIMIT if limited else UNLIMITED
    hf = FakeHuggingFace(limit=limit, window=HF_WINDOW)
    seed(hf, papers)
    await hf.start()
    store = await PaperStore.open(db)
    try:
        async with HfClient(api_base=hf.base, limiter=RateLimiter(limit, HF_WINDOW)) as api:
            start = time.perf_counter()
            report = await enrich(
                EnrichmentStore(store.db), api, max_age=dt.timedelta(days=7), clock=lambda: NOW
            )
            elapsed = time.perf_counter() - start
        return elapsed, len(hf.requests), report
    finally:
        await store.close()
        await hf.stop()


async def backfill(args: argparse.Namespace) -> None:
    papers = corpus(args.papers, args.per_day, args.unlisted, args.unknown)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "logs"
        folder.mkdir()
        files = write_digests(folder, papers)
        loaded = Path(tmp) / "loaded.db"
        store = await PaperStore.open(loaded)
        await load_files(store, files)
        await store.close()
        free: list[Run] = []
        limited: list[Run] = []
        for n in range(2 * args.repeat):  # alternating: the machine's noise falls on both
            db = Path(tmp) / f"run-{n}.db"
            shutil.copy(loaded, db)
            (limited if n % 2 else free).append(await timed_run(db, papers, limited=n % 2 == 1))
    free_time = statistics.median(t for t, _, _ in free)
    elapsed = statistics.median(t for t, _, _ in limited)
    _, requests, report = limited[-1]
    bound = max(free_time, limit_bound(requests))
    print(
        f"{args.papers:,} papers on {len(files)} days ({args.unlisted:.1%} only at "
        f"/api/papers/{{id}}, {args.unknown:.1%} unknown), limit {HF_LIMIT} requests / "
        f"{HF_WINDOW:g} s"
    )
    print(
        f"enriched {report.enriched:,}, not found {report.not_found:,}, left {report.left:,}; "
        f"{requests:,} requests ({report.listings:,} days, {report.alone:,} papers alone)"
    )
    print(
        f"unlimited {_times(free)}: median {free_time:.2f} s; the limit alone forces "
        f"{limit_bound(requests):.1f} s; bound {bound:.2f} s"
    )
    print(
        f"with the limit {_times(limited)}: median {elapsed:.2f} s = {elapsed / bound:.2f}x "
        "the bound (target <= 1.2x)"
    )
    print(
        f"one request per paper would need {args.papers:,} requests: at least "
        f"{limit_bound(args.papers):.0f} s ({limit_bound(args.papers) / 60:.0f} min)"
    )


def _times(runs: list[Run]) -> str:
    return "(" + ", ".join(f"{t:.2f}" for t, _, _ in runs) + " s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    sub = parser.add_subparsers(dest="part")
    p = sub.add_parser("backfill", help="backfill a store's enrichment under the rate limit")
    p.add_argument("--papers", type=int, default=5000)
    p.add_argument("--per-day", type=int, default=15)
    p.add_argument("--unlisted", type=float, default=0.02)
    p.add_argument("--unknown", type=float, default=0.005)
    p.add_argument("--repeat", type=int, default=3, help="runs of each, alternating")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.part == "backfill":
        asyncio.run(backfill(args))
        return
    build_ms, load_ms = asyncio.run(_run(args.papers, args.runs + 1))
    build, load = statistics.median(build_ms), statistics.median(load_ms)
    print(
        f"building a {args.papers}-paper day from the fake API and loading it: median "
        f"{build:.1f} ms, p90 {_p(build_ms, 0.9):.1f} ms | bound, loading the same day's "
        f"markdown from disk: median {load:.1f} ms, p90 {_p(load_ms, 0.9):.1f} ms | "
        f"ratio {build / load:.2f}x ({args.runs} runs)",
        flush=True,
    )


if __name__ == "__main__":
    main()
