"""Synthetic digest corpora for the benchmarks, grown from the real shared digests.

Every synthetic day is a real digest file in the published format (YYYY/MM/DD.md), so loading
it exercises the same parser and loader as production. Papers get fresh arXiv ids and random
votes. The pool comes from ../shared/digests/.

- `generate` (bench/dbs.py, the search benchmarks): titles, authors and summaries drawn from
  the real entries, with a numbered suffix on the title ("Title (17)"): each real paper is
  there many times, which costs a query what it would cost, but is no store to rank in.
- `generate_distinct` (bench/relevance.py): no paper is a copy of another. Each title and
  each summary line is new text walked from word pairs of the real ones (a first-order
  Markov chain over their words); authors are drawn from the real names. A title's rare
  words (those only one real title has) are drawn so that the synthetic titles have the
  vocabulary of the real history's (`HISTORY`, `_Titles`).

`HISTORY` holds the title statistics of the source project's published history (the
paper_logs of l-yohai/daily_papers_ko as of 2026-12-01), measured by `python bench/titles.py
PAPER_LOGS` (which prints the same figures for the synthetic titles at the same size): the
14 shared digests (232 titles) are too few to tell how a vocabulary of 5,500 titles grows
(Heaps' law fitted on them predicts 13,168 distinct words at 5,487 titles; the history has
10,140), and a title's two words are as hard to tell apart as those words are common.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TitleCounts:
    """Word counts of a body of titles, words as `str.split` gives them, casefolded."""

    titles: int
    words: int  # every word of every title
    vocabulary: int  # distinct words
    once: int  # words of one title only


# The published history (see the module docstring): 5,487 papers of 358 days.
HISTORY = TitleCounts(titles=5_487, words=49_794, vocabulary=10_140, once=7_274)

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


class _Titles(_Text):
    """Titles whose words recur as a real vocabulary's do.

    A word that r real titles have would be in r / 232 of the walks' titles, but a word
    seen r times in a small sample is expected fewer times in the next titles (Good-Turing:
    r* = (r + 1) N(r+1) / N(r), N(r) the number of words seen r times, smoothed as a power
    law in r, Gale and Sampson): a walk keeps it with probability r* / r, and otherwise,
    as it does for a word only one real title has, takes a word drawn as in a Pitman-Yor
    process: a word drawn before, in proportion to its draws less `discount`, or else, in
    proportion to `strength` + `discount` x the words drawn so far, a new one (a rare word's
    own the first time, then one walked from letters). So a title's rarer words ("tokenizer",
    "LoRA", a model's name) are in a few titles each and come with varied neighbours, as in
    a real store. `discount` and `strength` are those whose expected numbers of distinct
    words and of words of one title, over `history.titles` titles, are `history`'s."""

    def __init__(
        self, texts: list[list[str]], papers: int, rng: random.Random, history: TitleCounts
    ) -> None:
        super().__init__(texts, papers, rng)
        counts = Counter(w.casefold() for t in texts for w in set(t))
        self.kept = _good_turing(counts)
        drawn = sum(1 - self.kept.get(w.casefold(), 0.0) for t in texts for w in t)
        common = sum(1 for c in counts.values() if c > 1)
        self.discount, self.strength = _pitman_yor(
            round(drawn / len(texts) * history.titles), history.vocabulary - common, history.once
        )
        self.drawn: list[str] = []  # every word drawn, repeated as drawn
        self.draws: Counter[str] = Counter()

    def _fresh(self, word: str) -> str:
        kept = self.kept.get(word.casefold(), 0.0)
        if kept and self.rng.random() < kept:
            return word
        n, k = len(self.drawn), len(self.draws)
        if self.rng.random() * (n + self.strength) < self.strength + self.discount * k:
            own = word in self.rare and word not in self.draws
            drawn = word if own else self._word()
        else:  # a word drawn before, with probability in proportion to its draws - discount
            while True:
                drawn = self.rng.choice(self.drawn)
                if self.rng.random() * self.draws[drawn] >= self.discount:
                    break
        self.drawn.append(drawn)
        self.draws[drawn] += 1
        return drawn


def _good_turing(counts: Counter[str]) -> dict[str, float]:
    """r* / r of each word seen r > 1 times (of one seen once: none): N(r) smoothed as
    A r^b (least squares on logs of Z(r) = N(r) / half the gap to its neighbours, Gale and
    Sampson's "Good-Turing frequency estimation without tears"), so r* / r = (1 + 1/r)^(b+1)."""
    n = Counter(counts.values())
    rs = sorted(n)
    points = []
    for i, r in enumerate(rs):
        before = rs[i - 1] if i else 0
        after = rs[i + 1] if i + 1 < len(rs) else 2 * r - before
        points.append((math.log(r), math.log(2 * n[r] / (after - before))))
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return {w: min(1.0, (1 + 1 / r) ** (b + 1)) for w, r in counts.items() if r > 1}


def _pitman_yor(draws: int, words: int, once: int) -> tuple[float, float]:
    """The discount and strength of a Pitman-Yor process whose `draws` draws are expected
    to give `words` distinct words, `once` of them drawn once (bisection on both)."""

    def rising(x: float, n: int) -> float:  # log of x (x + 1) ... (x + n - 1)
        return math.lgamma(x + n) - math.lgamma(x)

    def distinct(d: float, s: float) -> float:
        return s / d * (math.exp(rising(s + d, draws) - rising(s, draws)) - 1)

    def strength(d: float) -> float:
        lo, hi = 1e-6, 1e9
        for _ in range(100):
            mid = math.sqrt(lo * hi)
            lo, hi = (mid, hi) if distinct(d, mid) < words else (lo, mid)
        return lo

    def singles(d: float) -> float:
        s = strength(d)
        return draws * math.exp(rising(s + d, draws - 1) - rising(s + 1, draws - 1))

    lo, hi = 1e-6, 1 - 1e-6
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if singles(mid) < once else (lo, mid)
    return lo, strength(lo)


def generate_distinct(papers: int, seed: int = 11, per_day: int = 15, out: Path = OUT) -> Path:
    """Write (once, under `out`) a corpus of `papers` papers, `per_day` a day, none a copy
    of another or of a real paper (`_Titles`, `_Text`); returns its folder."""
    folder = out / f"corpus-titles-{papers}-{per_day}"  # corpus-distinct-*: before `_Titles`
    done = folder / ".complete"
    if done.exists():
        return folder
    rng = random.Random(seed)
    entries = list({e.arxiv_id: e for e in pool()}.values())
    lines = [[x.removeprefix("- ").split() for x in e.summary.splitlines()] for e in entries]
    titles = _Titles([e.title.split() for e in entries], papers, rng, HISTORY)
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
