"""Cached benchmark databases: a synthetic corpus plus the shared real digests, loaded once.

    python bench/dbs.py 100000 1000000      # build (or reuse) bench/out/db-100000.db, ...

Each database is loaded through the real loader (`bot.digest.ingest.load_files`): the
synthetic corpus first, then the shared digests, so every real digest day is intact (the
synthetic days that fall on a real day, ~16 x 50 papers, are replaced by the real day).
A database is built under a temporary name and renamed when complete, so an interrupted
build is never reused. Later migrations (bot/store/migrations) are applied when the
store is opened, as in production.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

from corpus import OUT, ROOT, SHARED, generate

sys.path.insert(0, str(ROOT))
from bot.digest.ingest import find_files, load_files
from bot.store import PaperStore


def db_path(papers: int) -> Path:
    return OUT / f"db-{papers}.db"


async def _load(db: Path, folders: list[Path]) -> None:
    store = await PaperStore.open(db)
    try:
        for folder in folders:
            files, _ = find_files([str(folder)])
            start = time.perf_counter()
            last = [start]

            def progress(
                done: int, total: int, name: str, last: list[float] = last, start: float = start
            ) -> None:
                now = time.perf_counter()
                if now - last[0] > 30 or done == total:
                    last[0] = now
                    print(f"  {done}/{total} files, {now - start:.0f} s", flush=True)

            report = await load_files(store, files, progress)
            print(f"  {folder}: {report.summary_line()} in {time.perf_counter() - start:.0f} s")
            assert not report.skipped, report.skipped
        stats = await store.stats()
        print(f"  {stats.to_json()}", flush=True)
    finally:
        await store.close()


def build(papers: int) -> Path:
    """The database with `papers` synthetic papers plus the shared digests (built once)."""
    path = db_path(papers)
    if path.exists():
        return path
    folder = generate(papers)
    tmp = path.with_suffix(".building")
    for old in tmp.parent.glob(tmp.name + "*"):
        old.unlink()
    print(f"building {path} from {folder} + {SHARED}", flush=True)
    asyncio.run(_load(tmp, [folder, SHARED]))
    conn = sqlite3.connect(tmp)  # fold any WAL left behind into the file before renaming
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(path)
    return path


def main() -> None:
    for arg in sys.argv[1:] or ["100000"]:
        start = time.perf_counter()
        path = build(int(arg))
        took = time.perf_counter() - start
        print(f"{path}: {path.stat().st_size / 2**20:.0f} MiB ({took:.0f} s)")


if __name__ == "__main__":
    main()
