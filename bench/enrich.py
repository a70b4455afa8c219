"""Hugging Face as a source: building a day from the (fake) API, beside what loading the same
day from disk costs.

    python bench/enrich.py                    # a 50-paper day, 20 runs
    python bench/enrich.py --papers 50 --runs 20

Building a day: `DayBuilder.build` against the loopback fake API (papers_sandbox/huggingface.py)
into an empty store: the request and its JSON, writing the markdown, loading it with the
normal loader. The bound, measured in the same run: `load_files` of the very file that build
wrote, into another empty store (what the day costs when it is already on disk). The
difference is the API round trip, reading its JSON and writing the file. Each run opens
fresh stores; opening them is not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.digest.ingest import load_files
from bot.huggingface import HfClient
from bot.huggingface.build import DayBuilder
from bot.store import PaperStore
from papers_sandbox.huggingface import FakeHuggingFace, sample_day

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
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
