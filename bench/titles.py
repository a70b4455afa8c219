"""Title statistics that make known-item search hard, real titles beside synthetic ones.

    python bench/titles.py                      # the shared digests
    python bench/titles.py PAPER_LOGS ...       # also these folders (a checkout's paper_logs)

For each folder of real digests, and for synthetic titles of the same number (bench/corpus.py
`generate_distinct`, written to a temporary folder), prints: words per title (as `str.split`
gives them), query words per title (bench/relevance.py's `title_words`), distinct words and
the share of them in one title only, the share of title words (each title's once) in words of
1, 2, 3-5, 6-20, 21-100 and more titles, and for two title words drawn as bench/relevance.py
draws them (4,000 queries): the share of queries whose two words (as written, lowercased) are
in another title too, in more than five titles, and the success@5 a ranking that knows only
which titles hold them can expect (5 / titles, at most 1).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from corpus import ROOT, SHARED, generate_distinct
from relevance import title_words

sys.path.insert(0, str(ROOT))
from bot.digest.ingest import UnreadableDigest, find_files, read_digest
from bot.digest.parse import parse

BUCKETS = ((1, 1), (2, 2), (3, 5), (6, 20), (21, 100), (101, None))


def titles_of(folder: Path) -> list[str]:
    """Each paper's title once (its first appearance), in file order."""
    files, _ = find_files([str(folder)])
    titles: dict[str, str] = {}
    for path in files:
        try:
            text = read_digest(path)
        except UnreadableDigest:
            continue
        for section in parse(text).sections:
            for e in section.entries:
                titles.setdefault(e.arxiv_id, e.title)
    return list(titles.values())


def row(name: str, titles: list[str], queries: int, seed: int) -> str:
    words = [title_words(t) for t in titles]
    split = Counter(w.casefold() for t in titles for w in set(t.split()))
    df = Counter(w for ws in words for w in ws)
    total = sum(df.values())
    shares = []
    for lo, hi in BUCKETS:
        share = sum(n for n in df.values() if n >= lo and (hi is None or n <= hi)) / total
        shares.append(f"{share:.3f}")
    holding: dict[str, set[int]] = defaultdict(set)
    for i, ws in enumerate(words):
        for w in ws:
            holding[w].add(i)
    rng = random.Random(seed)
    askable = [ws for ws in words if len(ws) >= 2]
    other = crowded = 0
    best = 0.0
    for _ in range(queries):
        a, b = rng.sample(rng.choice(askable), 2)
        n = len(holding[a] & holding[b])
        other += n > 1
        crowded += n > 5
        best += min(1.0, 5 / n)
    once = sum(n == 1 for n in split.values()) / len(split)
    return (
        f"{name:<34} {len(titles):>6} {statistics.mean(len(t.split()) for t in titles):>6.2f} "
        f"{statistics.mean(map(len, words)):>6.2f} {len(split):>6} {once:>6.3f}  "
        f"{' '.join(shares)}  {other / queries:>6.3f} {crowded / queries:>6.3f} "
        f"{best / queries:>6.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, help="more folders of real digests")
    parser.add_argument("--queries", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the benchmark needs the shared digests")
    head = (
        f"{'titles of':<34} {'titles':>6} {'words':>6} {'query':>6} {'vocab':>6} {'once':>6}  "
        f"{'in 1  / 2  / 3-5 / 6-20 / 21-100 / more titles':<41}  {'other':>6} {'> 5':>6} "
        f"{'best':>6}"
    )
    print(head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for folder in [SHARED, *args.folders]:
            real = titles_of(folder)
            print(row(f"{folder.name} (real)", real, args.queries, args.seed))
            synthetic = titles_of(generate_distinct(len(real), out=Path(tmp)))
            print(row("  synthetic, as many", synthetic, args.queries, args.seed))


if __name__ == "__main__":
    main()
