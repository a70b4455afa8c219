"""A day's follows matched at once are exactly what each follow alone finds with /search and
/author: random follows of every kind (words, "phrases", Korean, authors' full and family
names, and words nobody wrote), several to a member and shared between members, over the
bundled samples and the real digests. Each member gets every paper any of their follows
matched, in the digest's order, each with the follows that matched it in the order the
member made them (as /follow list shows them)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from bot.digest.ingest import load_files
from bot.features.follows.plan import plan_alert
from bot.models import FollowKind, Paper
from bot.store import PaperStore
from bot.store.follows import AddOutcome, Follow, FollowStore, MemberMatches
from papers_sandbox import __file__ as sandbox_init
from tests.follow_support import found_alone

SAMPLE = sorted((Path(sandbox_init).parent / "sample").glob("*.md"))
NOW = dt.datetime(2025, 5, 9, 12, 0, tzinfo=dt.UTC)
_LATIN = re.compile(r"[A-Za-z][\w-]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
Expected = list[tuple[int, list[tuple[str, tuple[tuple[str, str], ...]]]]]


def follows_from(papers: list[Paper], rng: random.Random, count: int) -> list[Follow]:
    """Follows as members type them, from the papers' words and names."""
    titles = [p.title for p in papers]
    latin = sorted({w for t in titles for w in _LATIN.findall(t)})
    hangul = sorted({w for p in papers for w in _HANGUL.findall(p.summary)})
    names = sorted({n for p in papers for n in p.authors})
    runs = [t.split() for t in titles if len(t.split()) > 2]
    out: list[Follow] = []
    for _ in range(count):
        kind = rng.randrange(14)
        run = rng.choice(runs)
        at = rng.randrange(len(run) - 1)
        ko = rng.choice(hangul)
        name = rng.choice(names)
        out.append(
            [
                Follow(FollowKind.KEYWORD, rng.choice(latin)),
                Follow(FollowKind.KEYWORD, rng.choice(latin).upper()),
                Follow(FollowKind.KEYWORD, f"{rng.choice(latin)} {rng.choice(latin)}"),
                Follow(FollowKind.KEYWORD, f'"{run[at]} {run[at + 1]}"'),
                Follow(FollowKind.KEYWORD, f'"{run[at]} AND {run[at + 1]}"'),
                Follow(FollowKind.KEYWORD, ko),
                Follow(FollowKind.KEYWORD, ko[: rng.randint(1, max(1, len(ko) - 1))]),
                Follow(FollowKind.KEYWORD, f"{ko} {rng.choice(latin).lower()}"),
                Follow(FollowKind.KEYWORD, f'"{ko} {rng.choice(hangul)}"'),
                Follow(FollowKind.KEYWORD, rng.choice(["zzqx", "없는말씀", "OR", "-", '"'])),
                Follow(FollowKind.AUTHOR, name),
                Follow(FollowKind.AUTHOR, name.split()[-1].upper()),
                Follow(FollowKind.AUTHOR, "  ".join(name.split()[:2]).lower()),
                Follow(FollowKind.AUTHOR, rng.choice(["Zz Nobody", "ü", name[1:4]])),
            ][kind]
        )
    return out


async def follow_randomly(
    store: PaperStore, follows: list[Follow], rng: random.Random, members: int
) -> dict[int, list[Follow]]:
    """Each follow to one or two random members (popular follows repeat), in order."""
    fstore = FollowStore(store.db)
    made: dict[int, list[Follow]] = {}
    for follow in follows:
        for member in rng.sample(range(1, members + 1), rng.choice([1, 1, 2])):
            if await fstore.add(member, follow, NOW, most=25) == AddOutcome.ADDED:
                made.setdefault(member, []).append(follow)
    return made


async def expected(store: PaperStore, made: dict[int, list[Follow]], day: dt.date) -> Expected:
    """What each member's alert holds, from each follow alone."""
    digest = await store.digest(day)
    assert digest is not None
    found = {f: await found_alone(store, f, day) for fs in made.values() for f in fs}
    out: Expected = []
    for member in sorted(made):
        papers = [
            (p.arxiv_id, tuple((f.kind, f.query) for f in made[member] if p.arxiv_id in found[f]))
            for p in digest.papers
        ]
        if any(by for _, by in papers):
            out.append((member, [(a, by) for a, by in papers if by]))
    return out


def got(matches: list[MemberMatches]) -> Expected:
    return [(m.member_id, list(m.papers.items())) for m in matches]


async def check_days(store: PaperStore, seed: int, days: list[dt.date], count: int) -> int:
    """Random follows of the days' papers; every day's matches as expected. Returns the
    (member, paper) matches seen, having seen papers that several of a member's follows
    matched (their order is checked too)."""
    rng = random.Random(seed)
    papers = [p for d in days if (g := await store.digest(d)) for p in g.papers]
    made = await follow_randomly(store, follows_from(papers, rng, count), rng, count // 3)
    matched = several = 0
    for day in days:
        want = await expected(store, made, day)
        assert got(await FollowStore(store.db).matches(day)) == want, day
        matched += sum(len(papers) for _, papers in want)
        several += sum(len(by) > 1 for _, papers in want for _, by in papers)
    assert several > 0
    return matched


async def test_random_follows_match_as_search_and_author_on_the_samples(
    store: PaperStore,
) -> None:
    assert (await load_files(store, SAMPLE)).ok
    days = [d.day for d in await store.days(limit=10)]
    assert len(days) == 3
    for seed in range(3):
        await store.db.writer.execute("DELETE FROM follows")
        assert await check_days(store, seed, days, 150) > 50


def digest_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.name[:1].isdigit())


async def test_random_follows_match_as_search_and_author_on_real_digests(
    store: PaperStore, shared_digests: Path
) -> None:
    files = digest_files(shared_digests)
    assert (await load_files(store, files)).files == len(files)
    days = [d.day for d in await store.days(limit=100)]
    rng = random.Random(16)
    assert await check_days(store, 16, rng.sample(days, min(4, len(days))), 600) > 200


async def test_a_card_lists_a_members_follows_in_the_order_they_made_them(
    store: PaperStore,
) -> None:
    assert (await load_files(store, SAMPLE)).ok
    day = dt.date(2025, 5, 9)
    digest = await store.digest(day)
    assert digest is not None
    first = digest.papers[0]
    fstore = FollowStore(store.db)
    family = first.authors[0].split()[-1]
    word = _LATIN.findall(first.title)[0]
    for follow in (Follow(FollowKind.AUTHOR, family), Follow(FollowKind.KEYWORD, word)):
        assert await fstore.add(1, follow, NOW, most=25) == AddOutcome.ADDED
    (mine,) = await fstore.matches(day)
    messages = plan_alert(day, digest.papers, mine.papers, locale="en")
    card = next(e for m in messages for e in m.embeds if first.title[:20] in (e.title or ""))
    assert card.fields[-1].value == f"author `{family}` · words `{word}`"
