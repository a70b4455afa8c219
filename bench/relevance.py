"""Known-item search: does the paper a member has in mind come up on the first page?

    python bench/relevance.py                   # 400 queries of each kind
    python bench/relevance.py --queries 1000 --seed 3
    python bench/relevance.py --real PAPER_LOGS  # also a real history (a checkout's paper_logs)
    python bench/relevance.py --failures 10     # and 10 missed queries of each kind

Each corpus is loaded by the real loader into a fresh store, each paper there once as in a
real store: the shared digests alone (232 papers); the history, the shared digests plus 5,400
synthetic papers none of which is a copy of another (bench/corpus.py `generate_distinct`:
titles and summary lines walked from word pairs of the real ones, titles with the real
history's vocabulary; bench/titles.py compares them); and each `--real` folder alone. For
papers drawn at random, two kinds of query are made as a member would type them:

- title: two words of its title (in title order, lowercased; not a stop word or a number),
  each word of the title equally likely;
- title, telling words: the same, but a word is picked with probability proportional to its
  inverse document frequency over titles, the "discriminative" selection of simulated
  known-item queries (Azzopardi, de Rijke and Balog, "Building simulated queries for
  known-item topics", SIGIR 2007): a member who has one paper in mind types the words that
  tell it apart (its name, its rarer terms) more often than "model" or "generation";
- Korean: two Korean words of its summary, particles dropped (`모델을` -> `모델`).

success@5 is the share of queries whose paper is among the first five results. A plain
BM25 baseline ranks the same papers in the same run: an in-memory FTS5 table of title,
authors and summaries (`porter unicode61`, text as published) and `bm25()` with its default
weights, the words ANDed. For title queries, "> 5 titles" is the share whose two words (their
stems) more than five titles hold, "by titles" the success@5 a ranking that knows only which
titles hold them can expect, and "ceiling" the best any ranking that sees only the query can
have (`Ceiling`): the words could come from any title holding both in that order, the query
model tells how likely each title is to give them, and the five likeliest hold the paper
meant with probability their share.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import ROOT, SHARED, generate_distinct
from storeimpl import store_class

sys.path.insert(0, str(ROOT))
from bot.digest.ingest import find_files, load_files
from bot.store import PaperStore

SYNTHETIC = 5400  # papers beside the shared digests: about the size of the published history
STOP = set(
    """a an and are as at be by for from how in into is it its of on or our the their this to
    via vs we what when where which while with without""".split()  # noqa: SIM905
)
PARTICLES = sorted(  # longest first
    """에서는 으로는 에게서 에서 으로 에게 까지 부터 보다 처럼 이나
    과 와 을 를 이 가 은 는 의 에 로 도 만""".split(),  # noqa: SIM905
    key=len,
    reverse=True,
)
LETTER = re.compile(r"[A-Za-z]")
EDGES = "".join(c for c in map(chr, range(33, 127)) if not c.isalnum())  # "(Title):" -> title
AMBIGUOUS = 5  # a title query whose words are in more titles than this: see `measure`
HANGUL = re.compile(r"[\uac00-\ud7a3]+")


@dataclass(frozen=True)
class Known:
    arxiv_id: str
    title: str
    authors: str
    summary: str


def title_words(title: str) -> list[str]:
    """The words of a title as written there ("3DitScene", "GPT-4.5"), lowercased, once each."""
    words = [w.strip(EDGES).lower() for w in title.split()]
    words = [w for w in words if LETTER.search(w) and w not in STOP and len(w) > 2]
    return list(dict.fromkeys(words))


def title_query(p: Known, rng: random.Random) -> str | None:
    """Two words of the title, each equally likely, in title order."""
    words = title_words(p.title)
    if len(words) < 2:
        return None
    picked = sorted(rng.sample(range(len(words)), 2))
    return " ".join(words[i] for i in picked)


def telling_query(idf: dict[str, float]) -> Callable[[Known, random.Random], str | None]:
    """Two words of the title drawn without replacement with probability proportional to
    their idf over titles, in title order."""

    def make(p: Known, rng: random.Random) -> str | None:
        words = title_words(p.title)
        if len(words) < 2:
            return None
        first = rng.choices(range(len(words)), weights=[idf[w] for w in words])[0]
        rest = [i for i in range(len(words)) if i != first]
        second = rng.choices(rest, weights=[idf[words[i]] for i in rest])[0]
        return " ".join(words[i] for i in sorted((first, second)))

    return make


def title_idf(papers: list[Known]) -> dict[str, float]:
    """log(N / df) of each title word over the papers' titles."""
    df = Counter(w for p in papers for w in title_words(p.title))
    return {w: math.log(len(papers) / n) for w, n in df.items()}


Likelihood = Callable[[list[str], int, int], float]


def uniform_likelihood(words: list[str], i: int, j: int) -> float:
    """How likely `title_query` is to pick words i < j of a title of these words."""
    return 2 / (len(words) * (len(words) - 1))


def telling_likelihood(idf: dict[str, float]) -> Likelihood:
    """How likely `telling_query` is to pick words i < j of a title of these words."""

    def likelihood(words: list[str], i: int, j: int) -> float:
        w = [idf[x] for x in words]
        total = sum(w)
        first = [(a, b) for a, b in ((i, j), (j, i)) if total > w[a]]
        return sum(w[a] / total * w[b] / (total - w[a]) for a, b in first)

    return likelihood


class Ceiling:
    """The best success@k that any ranking which sees only the query can have, for title
    queries made as `title_query` or `telling_query` make them. A query's words could come
    from each title that has both in that order, with a known likelihood; the best any
    ranking can do is list the k likeliest, which hold the paper meant with probability
    their share of the likelihood (Bayes, the papers equally likely to be meant)."""

    def __init__(self, papers: list[Known], likelihood: Likelihood) -> None:
        self.likelihood = likelihood
        self.words = [title_words(p.title) for p in papers]
        self.holding: dict[str, set[int]] = defaultdict(set)
        for n, words in enumerate(self.words):
            for w in words:
                self.holding[w].add(n)

    def __call__(self, query: str, k: int) -> float:
        a, b = query.split(" ")
        odds = []
        for n in self.holding[a] & self.holding[b]:
            words = self.words[n]
            i, j = words.index(a), words.index(b)
            if i < j:
                odds.append(self.likelihood(words, i, j))
        if not odds:
            return 1.0
        return sum(sorted(odds, reverse=True)[:k]) / sum(odds)


def stem(word: str) -> str:
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def korean_query(p: Known, rng: random.Random) -> str | None:
    words = list(dict.fromkeys(stem(w) for w in HANGUL.findall(p.summary) if len(w) >= 2))
    words = [w for w in words if len(w) >= 2]
    if len(words) < 2:
        return None
    return " ".join(rng.sample(words, 2))


def baseline(papers: list[Known]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE plain USING fts5 (arxiv_id UNINDEXED, title, authors, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO plain VALUES (?, ?, ?, ?)",
        [(p.arxiv_id, p.title, p.authors, p.summary) for p in papers],
    )
    return conn


def baseline_top(conn: sqlite3.Connection, query: str, k: int) -> list[str]:
    expr = _all_words(query)
    rows = conn.execute(
        "SELECT arxiv_id FROM plain WHERE plain MATCH ? ORDER BY bm25(plain) LIMIT ?", (expr, k)
    )
    return [r[0] for r in rows]


async def run(
    queries: int, seed: int, k: int, rev: str | None, real: list[Path], failures: int
) -> None:
    corpora = [
        ("shared digests alone", [SHARED]),
        (
            f"history: shared digests + {SYNTHETIC} synthetic",
            [generate_distinct(SYNTHETIC), SHARED],
        ),
        *((f"real: {folder}", [folder]) for folder in real),
    ]
    for name, folders in corpora:
        with tempfile.TemporaryDirectory() as tmp:
            store = await store_class(rev).open(Path(tmp) / "papers.db", cache_entries=0)
            try:
                for folder in folders:
                    files, _ = find_files([str(folder)])
                    await load_files(store, files)
                papers = await _papers(store)
                print(f"\n{name}: {len(papers)} papers, seed {seed}")
                await measure(store, papers, queries, seed, k, failures)
            finally:
                await store.close()


async def _papers(store: PaperStore) -> list[Known]:
    async with store.db.writer.execute(
        "SELECT p.arxiv_id, p.title, p.authors, (SELECT group_concat(summary, "
        "char(10)) FROM (SELECT DISTINCT summary FROM appearances a "
        "WHERE a.paper_id = p.id)) FROM papers p ORDER BY p.id"
    ) as cur:
        return [Known(r[0], r[1], r[2], r[3] or "") async for r in cur]


def _all_words(query: str) -> str:
    """The words ANDed, each an FTS5 string (its own phrase if it holds "-" or ".")."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in query.split())


def in_titles(conn: sqlite3.Connection, query: str) -> int:
    """How many titles hold the words (their stems, as FTS5 `porter` matches them)."""
    expr = _all_words(query)
    row = conn.execute("SELECT count(*) FROM plain WHERE plain MATCH ?", (f"title : ({expr})",))
    return int(row.fetchone()[0])


async def measure(
    store: PaperStore, papers: list[Known], queries: int, seed: int, k: int, failures: int = 0
) -> None:
    """success@k of the bot and of BM25. For title queries also: the share whose two words
    are in more than `AMBIGUOUS` titles, and the best success@k a ranking that knows only
    which titles hold the words can expect (the paper among n such titles: k / n). With
    `failures`, that many missed queries of each kind, with the bot's first page."""
    plain = baseline(papers)
    header = (
        f"{'kind':<8} {'queries':>7} {'bot s@' + str(k):>9} {'BM25 s@' + str(k):>9} "
        f"{'bot ms':>7} {'> ' + str(AMBIGUOUS) + ' titles':>11} {'by titles':>9} {'ceiling':>7}"
    )
    print(header)
    print("-" * len(header))
    idf = title_idf(papers)
    kinds: list[tuple[str, Callable[[Known, random.Random], str | None], Ceiling | None]] = [
        ("title", title_query, Ceiling(papers, uniform_likelihood)),
        ("telling", telling_query(idf), Ceiling(papers, telling_likelihood(idf))),
        ("Korean", korean_query, None),
    ]
    titles = {p.arxiv_id: p.title for p in papers}
    missed: list[str] = []
    for kind, make, ceiling in kinds:
        rng = random.Random(seed)
        asked = ours = theirs = ambiguous = 0
        took = best = bayes = 0.0
        while asked < queries:
            target = rng.choice(papers)
            query = make(target, rng)
            if query is None:
                continue
            asked += 1
            start = time.perf_counter()
            page = await store.search(query, limit=k)
            took += time.perf_counter() - start
            found = any(p.arxiv_id == target.arxiv_id for p in page.papers)
            ours += found
            theirs += target.arxiv_id in baseline_top(plain, query, k)
            if ceiling is not None:
                n = max(1, in_titles(plain, query))
                ambiguous += n > AMBIGUOUS
                best += min(1.0, k / n)
                bayes += ceiling(query, k)
            if not found and len(missed) < failures * (1 + [x[0] for x in kinds].index(kind)):
                shown = "; ".join(titles[p.arxiv_id] for p in page.papers)
                missed.append(f"[{kind}] {query!r} -> {target.title!r}\n    got: {shown}")
        extra = (
            f"{ambiguous / asked:>11.3f} {best / asked:>9.3f} {bayes / asked:>7.3f}"
            if ceiling is not None
            else ""
        )
        print(
            f"{kind:<8} {asked:>7} {ours / asked:>9.3f} {theirs / asked:>9.3f} "
            f"{took / asked * 1000:>7.2f} {extra}"
        )
    for line in missed:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=400, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--k", type=int, default=5, help="the first page's length")
    parser.add_argument("--rev", help="git revision of the store to measure (default: tree)")
    parser.add_argument(
        "--real",
        type=Path,
        action="append",
        default=[],
        help="also a folder of real digests alone (e.g. a checkout's paper_logs); repeatable",
    )
    parser.add_argument("--failures", type=int, default=0, help="print this many misses a kind")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the benchmark needs the shared digests")
    print(f"store: {args.rev or 'working tree'}")
    asyncio.run(run(args.queries, args.seed, args.k, args.rev, args.real, args.failures))


if __name__ == "__main__":
    main()
