"""Synthetic digest corpora for the benchmarks, grown from the real shared digests.

Every synthetic day is a real digest file in the published format (YYYY/MM/DD.md), so loading
it exercises the same parser and loader as production. Papers get fresh arXiv ids; titles,
authors and summaries are drawn from the real entries (with a numbered suffix on the title so
titles stay distinct), votes are random. The pool comes from ../shared/digests/.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "digests"
OUT = ROOT / "bench" / "out"
PAPERS_PER_DAY = 50
sys.path.insert(0, str(ROOT))

from bot.digest.ingest import find_files, read_digest
from bot.digest.parse import parse
from bot.models import Entry


def shared_files() -> list[Path]:
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the benchmarks need the shared digests")
    files, _ = find_files([str(SHARED)])
    return files


def pool() -> list[Entry]:
    entries: list[Entry] = []
    for path in shared_files():
        for section in parse(read_digest(path)).sections:
            entries.extend(section.entries)
    return entries


def _entry_md(e: Entry, arxiv_id: str, n: int, votes: int) -> str:
    authors = ", ".join(e.authors) or "Anonymous"
    thumb = f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png)"
    return (
        f"### [{e.title} ({n})](https://arxiv.org/abs/{arxiv_id})\n\n{thumb}\n\n"
        f"Vote: {votes}\n\nAuthors: {authors}\n\n{e.summary}\n\n"
    )


def generate(papers: int, seed: int = 7, per_day: int = PAPERS_PER_DAY) -> Path:
    """Write (once) a corpus of `papers` papers, `per_day` a day; returns its folder."""
    folder = (
        OUT / f"corpus-{papers}"
        if per_day == PAPERS_PER_DAY
        else OUT / f"corpus-{papers}-{per_day}"
    )
    done = folder / ".complete"
    if done.exists():
        return folder
    rng = random.Random(seed)
    entries = pool()
    day = dt.date(2025, 6, 1)
    n = 0
    while n < papers:
        count = min(per_day, papers - n)
        path = folder / f"{day:%Y/%m/%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        parts = [f"## Daily Papers ({day.isoformat()})\n\n"]
        for _ in range(count):
            arxiv_id = f"{1000 + n // 100000}.{n % 100000:05d}"  # unique per paper
            parts.append(_entry_md(rng.choice(entries), arxiv_id, n, rng.randint(0, 400)))
            n += 1
        path.write_text("".join(parts), encoding="utf-8")
        day -= dt.timedelta(days=1)
    done.write_text(str(papers))
    return folder
