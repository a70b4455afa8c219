"""Ingest speed: the real loader against a bare sqlite3 bulk insert into the same schema.

    python bench/ingest.py                      # shared, a 360-day history, 100k papers
    python bench/ingest.py --sizes shared history 100000 1000000

`history` is 360 days of 15 papers (5,400), the size of the source project's whole history.

For each corpus: time `papers-bot load` (read, parse, write, index) into a fresh database,
then time a bare sqlite3 executemany of the same rows (pre-parsed, untimed) into a fresh
database with the same schema, one transaction. Prints papers/s, DB size and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from corpus import ROOT, SHARED, generate

sys.path.insert(0, str(ROOT))
from bot.digest.ingest import find_files, load_files, read_digest
from bot.digest.parse import parse
from bot.models import Entry
from bot.store import PaperStore
from bot.store.db import migrations, sql_functions
from bot.store.text import index_text


async def _loader(files: list[Path], db: Path) -> tuple[float, int]:
    store = await PaperStore.open(db)
    start = time.perf_counter()
    report = await load_files(store, files)
    elapsed = time.perf_counter() - start
    papers = (await store.stats()).papers
    await store.close()
    assert not report.skipped, report.skipped
    return elapsed, papers


def _rows(files: list[Path]) -> list[tuple[str, int, Entry, int]]:
    rows = []
    for file_id, path in enumerate(files, 1):
        for section in parse(read_digest(path)).sections:
            for pos, e in enumerate(section.entries):
                rows.append((section.day.isoformat(), pos, e, file_id))
    return rows


def _bare(files: list[Path], db: Path) -> float:
    rows = _rows(files)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    for name, arguments, function in sql_functions():  # the migrations call them
        conn.create_function(name, arguments, function, deterministic=True)
    for _, _, sql in migrations():
        conn.executescript(sql)
    start = time.perf_counter()
    conn.execute("BEGIN")
    ids: dict[str, int] = {}
    papers, apps, fts, held = [], [], [], []
    for day, pos, e, file_id in rows:
        if e.arxiv_id in ids:
            continue
        pid = ids[e.arxiv_id] = len(ids) + 1
        authors = json.dumps(list(e.authors), ensure_ascii=False)
        papers.append((pid, e.arxiv_id, e.title, authors, e.votes, e.thumbnail, e.url, day, day))
        apps.append(
            (day, pid, pos, e.title, authors, e.votes, e.thumbnail, e.url, e.summary, "f", e.line)
        )
        held.append((day, pid, file_id, pos, None))
        fts.append((pid, index_text(e.title), ", ".join(e.authors), index_text(e.summary)))
    conn.executemany("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?)", papers)
    conn.executemany("INSERT INTO appearances VALUES (?,?,?,?,?,?,?,?,?,?,?)", apps)
    conn.executemany(
        "INSERT INTO digest_files (id, source) VALUES (?, ?)",
        [(i, str(p)) for i, p in enumerate(files, 1)],
    )
    conn.executemany("INSERT INTO holdings VALUES (?,?,?,?,?)", held)
    conn.executemany("INSERT INTO papers_fts (rowid, title, authors, body) VALUES (?,?,?,?)", fts)
    conn.executemany("INSERT INTO titles_fts (rowid, title) VALUES (?,?)", [f[:2] for f in fts])
    conn.executemany(
        "INSERT OR IGNORE INTO paper_authors VALUES (?,?,?,?)",
        [(a, p[7], -1 if p[4] is None else p[4], p[0]) for p in papers for a in json.loads(p[3])],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def bench(name: str, folder: Path) -> None:
    files, _ = find_files([str(folder)])
    with tempfile.TemporaryDirectory() as tmp:
        loader_db, bare_db = Path(tmp) / "loader.db", Path(tmp) / "bare.db"
        loader_s, papers = asyncio.run(_loader(files, loader_db))
        bare_s = _bare(files, bare_db)
        print(
            f"{name:>8}: {len(files):>6} files {papers:>8} papers | loader {loader_s:7.2f} s "
            f"{papers / loader_s:9.0f} papers/s, DB {_size(loader_db) / 2**20:8.1f} MiB | "
            f"bare sqlite3 {bare_s:7.2f} s {papers / bare_s:9.0f} papers/s | "
            f"ratio {loader_s / bare_s:5.2f}x",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["shared", "history", "100000"])
    args = parser.parse_args()
    for size in args.sizes:
        if size == "shared":
            folder = SHARED
        elif size == "history":
            folder = generate(5400, per_day=15)
        else:
            folder = generate(int(size))
        bench(size, folder)


if __name__ == "__main__":
    main()
