"""Synthetic digest corpora for the benchmarks, grown from the real shared digests.

Every synthetic day is a real digest file in the published format (YYYY/MM/DD.md), so loading
it exercises the same parser and loader as production. Papers get fresh arXiv ids and random
votes. The pool comes from ../shared/digests/.

- `generate` (bench/dbs.py, the search benchmarks): titles, authors and summaries drawn from
  the real entries, with a numbered suffix on the title ("Title (17)"): each real paper is
  there many times, which costs a query what it would cost, but is no store to rank in.
- `generate_distinct` (bench/relevance.py): no paper is a copy of another. Each title and
  each summary line is new text walked from word pairs of the real ones (a first-order
  Markov chain over their words); authors are drawn from the real names.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
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


_END = ""  # the chain's end of text


def _chain(texts: Iterable[Sequence[str]]) -> tuple[list[str], dict[str, list[str]]]:
    """First items, and each item's successors (with repeats: drawn by frequency)."""
    starts: list[str] = []
    following: dict[str, list[str]] = defaultdict(list)
    for items in texts:
        if not items:
            continue
        starts.append(items[0])
        for item, after in zip(items, [*items[1:], _END], strict=True):
            following[item].append(after)
    return starts, following


def _walk(
    chain: tuple[list[str], dict[str, list[str]]], rng: random.Random, most: int
) -> list[str]:
    starts, following = chain
    items = [rng.choice(starts)]
    while len(items) < most:
        after = rng.choice(following[items[-1]])
        if after == _END:
            break
        items.append(after)
    return items


class _Text:
    """New text in the manner of some real texts (lists of words): a first-order Markov
    chain over their words, where a word that only one real text has (a name such as
    "MeshAnything", a rare term) is replaced, at the rate that keeps the vocabulary
    growing as Heaps' law fitted on the real texts predicts, by a new word walked from the
    letters of such words (a second-order chain): a real store's rare words are its own."""

    def __init__(self, texts: list[list[str]], papers: int, rng: random.Random) -> None:
        self.rng = rng
        self.words = _chain(texts)
        counts = Counter(w.casefold() for t in texts for w in set(t))
        self.rare = {w for t in texts for w in t if counts[w.casefold()] == 1}
        self.known = set(counts)
        self.letters = _chain([["", *w] for w in sorted(self.rare)])  # "" starts a word
        tokens = sum(map(len, texts))
        grown = _heaps(texts, tokens / len(texts) * (len(texts) + papers))
        rare_tokens = sum(w in self.rare for t in texts for w in t) / tokens
        new_rare = rare_tokens * tokens / len(texts) * papers  # rare words the walks draw
        self.fresh = min(1.0, max(0.0, (grown - len(counts)) / new_rare))

    def new(self, least: int, most: int, seen: set[str]) -> str:
        """A text of `least`..`most` words that is none seen so far (casefolded)."""
        while True:
            words = _walk(self.words, self.rng, most)
            words = [self._fresh(w) for w in words]
            text = " ".join(words)
            if len(words) >= least and text.casefold() not in seen:
                seen.add(text.casefold())
                return text

    def _fresh(self, word: str) -> str:
        return self._word() if word in self.rare and self.rng.random() < self.fresh else word

    def _word(self) -> str:
        while True:
            word = "".join(_walk(self.letters, self.rng, 24)[1:])
            if len(word) >= 2 and word.casefold() not in self.known:
                self.known.add(word.casefold())
                return word


def _heaps(texts: list[list[str]], tokens: float) -> float:
    """The vocabulary a body of `tokens` words would have: V = K * N^b, fitted (least
    squares on logs) over the growing prefixes of `texts`."""
    seen: set[str] = set()
    n = 0
    points = []
    for i, t in enumerate(texts, start=1):
        seen.update(w.casefold() for w in t)
        n += len(t)
        if i % 10 == 0:
            points.append((math.log(n), math.log(len(seen))))
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return math.exp(my + b * (math.log(tokens) - mx))


def generate_distinct(papers: int, seed: int = 11, per_day: int = 15) -> Path:
    """Write (once) a corpus of `papers` papers, `per_day` a day, none a copy of another
    or of a real paper (`_Text`); returns its folder."""
    folder = OUT / f"corpus-distinct-{papers}-{per_day}"
    done = folder / ".complete"
    if done.exists():
        return folder
    rng = random.Random(seed)
    entries = list({e.arxiv_id: e for e in pool()}.values())
    lines = [[x.removeprefix("- ").split() for x in e.summary.splitlines()] for e in entries]
    titles = _Text([e.title.split() for e in entries], papers, rng)
    bullets = _Text([[w for x in ls for w in x] for ls in lines], papers, rng)
    bullets.words = _chain(x for ls in lines for x in ls)  # walked a line at a time
    names = [name for e in entries for name in e.authors]
    seen = {e.title.casefold() for e in entries} | {
        " ".join(x).casefold() for ls in lines for x in ls
    }
    day = dt.date(2025, 6, 1)
    n = 0
    while n < papers:
        count = min(per_day, papers - n)
        path = folder / f"{day:%Y/%m/%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        parts = [f"## Daily Papers ({day.isoformat()})\n\n"]
        for _ in range(count):
            arxiv_id = f"{3000 + n // 100000}.{n % 100000:05d}"  # unique per paper
            model = rng.choice(entries)  # its shape: how many lines and authors
            summary = "\n".join(
                "- " + bullets.new(8, 60, seen)
                for _ in range(max(1, len(model.summary.splitlines())))
            )
            entry = Entry(
                arxiv_id=arxiv_id,
                title=titles.new(3, 20, seen),
                url=f"https://arxiv.org/abs/{arxiv_id}",
                line=0,
                authors=tuple(rng.sample(names, min(len(names), max(1, len(model.authors))))),
                summary=summary,
            )
            parts.append(_distinct_md(entry, rng.randint(0, 400)))
            n += 1
        path.write_text("".join(parts), encoding="utf-8")
        day -= dt.timedelta(days=1)
    done.write_text(str(papers))
    return folder


def _distinct_md(e: Entry, votes: int) -> str:
    thumb = f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{e.arxiv_id}.png)"
    return (
        f"### [{e.title}]({e.url})\n\n{thumb}\n\nVote: {votes}\n\n"
        f"Authors: {', '.join(e.authors)}\n\n{e.summary}\n\n"
    )
