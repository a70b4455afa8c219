"""Follows and alerts: matching many follows against a day, and the DM fan-out.

    python bench/alerts.py match                 # 100,000 follows against a 60-paper day
    python bench/alerts.py fanout                # 10,000 members' alert DMs, global limit 50/s
    python bench/alerts.py fanout --members 1000 --papers 3

match: a store of the shared real digests (the published history, when present beside the
repository; else the bundled samples) plus a 60-paper day built from their entries, and
`--follows` follows of `--follows / 5` members: a realistic mix drawn from the store's own
words and names, Zipf-weighted (a few popular follows, a long tail): Korean and English
words, two-word phrases and quoted phrases (60 %), authors' full and family names (40 %).
Timed: FollowStore.matches(day), what the alerts tick runs once per new day: every member's
papers and the follows that matched each, built in full (bot/store/follow_match.py). Printed
against a bound measured in the same run on the same database: reading every follow once
(`SELECT member_id, kind, query FROM follows` on a reader), the least any matcher that looks
at each follow must spend; and, for scale, /search of each distinct keyword restricted to
that day, timed on a sample and extrapolated (what matching through the store's search one
follow at a time would cost). The matcher itself reads each distinct follow text once and
then only the (member, follow) rows of the texts that matched, so on a day that matches few
follows it can beat the bound; this mix matches some 13 papers a member, so its result
(~270,000 member-paper entries, ~2.7 per follow read) is what the time above the bound buys.

fanout: the real PapersBot (follows cog, Deliverer, the bot's Pacer, the SQLite ledger)
sends one day's alerts to `--members` members of a loopback sandbox that enforces Discord's
global limit (50 requests/s, 429 past it). Each member follows a word of `--papers` matching
papers. The lower bound is the requests the limit lets through: per member 2 requests for a
new DM channel (the member lookup that checks they still share a server, and opening the
channel) plus 1 per message, over the global limit. Printed: members, messages, duplicates
and lost messages (0 expected), 429s, time, bound and ratio (target <= 1.2).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import itertools
import logging
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fanout import config as bot_config  # the fan-out bench's bot: no sources, Hugging Face off

from bot.app import PapersBot
from bot.digest.ingest import load_files
from bot.digest.parse import parse
from bot.features.follows.cog import Follows
from bot.models import Entry, FollowKind
from bot.store import Database, PaperStore
from bot.store.follows import Follow, FollowStore
from papers_sandbox import SandboxServer, World, restore_endpoints
from papers_sandbox.scene import SceneClock, sample_folder

SHARED = ROOT.parent / "shared" / "digests"
DAY = dt.date(2030, 1, 2)  # after every real digest: the new day
NOW = dt.datetime(2030, 1, 2, 12, 0, tzinfo=dt.UTC)
_LATIN = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_HANGUL = re.compile(r"[\uac00-\ud7a3]{2,4}")
_STOP = {"with", "from", "that", "this", "into", "using", "for", "through", "towards", "their"}
# A Korean run ending so is a verb or a noun with its particle, not what a member follows.
_ENDINGS = set("다는을를의에로가이은고며서여한된인와과도")
GENERIC = 40  # the most frequent words (model, learning, 모델 ...) are followed like the rest,
# but as one word among the Zipf tail's head: members follow topics, not "model"


def day_markdown(day: dt.date, entries: list[Entry], count: int, rng: random.Random) -> str:
    """`count` papers of the day, their text taken from real entries."""
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i, e in enumerate(rng.sample(entries, count)):
        arxiv = f"3001.{10000 + i:05d}"
        lines += [
            f"### [{e.title}](https://arxiv.org/abs/{arxiv})",
            "",
            f"Vote: {e.votes or 0}",
            "",
            f"Authors: {', '.join(e.authors)}",
            "",
            e.summary,
            "",
        ]
    return "\n".join(lines)


def digest_files() -> list[Path]:
    if SHARED.is_dir():
        return sorted(p for p in SHARED.rglob("*.md") if p.name[:1].isdigit())
    return sorted(sample_folder().glob("*.md"))


def zipf(items: list[str], rng: random.Random, k: int) -> list[str]:
    weights = [1.0 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=k)


def realistic_follows(entries: list[Entry], count: int, rng: random.Random) -> list[Follow]:
    """Follows as members write them, from the words and names of the digests."""
    latin: collections.Counter[str] = collections.Counter()
    hangul: collections.Counter[str] = collections.Counter()
    names: collections.Counter[str] = collections.Counter()
    pairs: collections.Counter[str] = collections.Counter()
    for e in entries:
        title_words = [w.lower() for w in _LATIN.findall(e.title)]
        latin.update(w for w in title_words if w not in _STOP)
        pairs.update(" ".join(p) for p in itertools.pairwise(title_words))
        runs = _HANGUL.findall(e.summary)
        hangul.update(r for r in runs if r[-1] not in _ENDINGS)
        names.update(e.authors)

    def top(counts: collections.Counter[str], n: int, skip: int = GENERIC) -> list[str]:
        ranked = [w for w, _ in counts.most_common(n + skip)]
        return ranked[skip:]

    en, ko, two = top(latin, 3000), top(hangul, 3000), top(pairs, 2000)
    people = top(names, 20000, 0)
    kinds = rng.choices(["en", "ko", "two", "phrase", "ko2", "name", "family"],
                        weights=[25, 22, 8, 5, 5, 30, 5], k=count)  # fmt: skip
    out: list[Follow] = []
    for kind in kinds:
        if kind == "en":
            out.append(Follow(FollowKind.KEYWORD, zipf(en, rng, 1)[0]))
        elif kind == "ko":
            out.append(Follow(FollowKind.KEYWORD, zipf(ko, rng, 1)[0]))
        elif kind == "two":
            out.append(Follow(FollowKind.KEYWORD, zipf(two, rng, 1)[0]))
        elif kind == "phrase":
            out.append(Follow(FollowKind.KEYWORD, f'"{zipf(two, rng, 1)[0]}"'))
        elif kind == "ko2":
            out.append(Follow(FollowKind.KEYWORD, " ".join(zipf(ko, rng, 2))))
        elif kind == "name":
            out.append(Follow(FollowKind.AUTHOR, zipf(people, rng, 1)[0]))
        else:
            out.append(Follow(FollowKind.AUTHOR, zipf(people, rng, 1)[0].split()[-1]))
    return out


async def insert_follows(store: PaperStore, follows: list[Follow], per_member: int) -> int:
    """The follows, `per_member` to a member (duplicates within a member dropped)."""
    rows: dict[tuple[int, str, str], None] = {}
    for i, f in enumerate(follows):
        rows[(i // per_member, f.kind.value, f.query)] = None
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO follows (member_id, kind, query, created_at) VALUES (?, ?, ?, ?)",
            [(m + 1, k, q, NOW.isoformat()) for m, k, q in rows],
        )
    return len(rows)


async def match(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="alerts-") as tmp:
        store = await PaperStore.open(Path(tmp) / "papers.db")
        files = digest_files()
        report = await load_files(store, files)
        entries = [
            e
            for path in files
            for section in parse(path.read_text(encoding="utf-8")).sections
            for e in section.entries
        ]
        await store.ingest("bench-day.md", parse(day_markdown(DAY, entries, args.papers, rng)))
        stats = await store.stats()
        follows = realistic_follows(entries, args.follows, rng)
        stored = await insert_follows(store, follows, 5)
        fstore = FollowStore(store.db)
        distinct = await store.db.read(
            "SELECT (SELECT count(*) FROM (SELECT DISTINCT kind, query FROM follows)), "
            "(SELECT count(DISTINCT member_id) FROM follows)"
        )

        times, floors, result = [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            rows = await store.db.read("SELECT member_id, kind, query FROM follows")
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = await fstore.matches(DAY)
            times.append(time.perf_counter() - start)
        assert len(rows) == stored

        keywords = sorted({f.query for f in follows if f.kind == FollowKind.KEYWORD})
        sampled = rng.sample(keywords, min(args.search_sample, len(keywords)))
        start = time.perf_counter()
        for q in sampled:
            await store.search(q, since=DAY, until=DAY, limit=100)
        naive = (time.perf_counter() - start) / len(sampled) * len(keywords)
        await store.close()

    members = len(result)
    pairs = sum(len(m.papers) for m in result)
    best, floor = min(times), min(floors)
    load = os.getloadavg()
    print(f"store       {stats.papers} papers ({report.files} digest files), day {DAY}: "
          f"{args.papers} papers")  # fmt: skip
    texts, following = int(distinct[0][0]), int(distinct[0][1])
    print(f"follows     {stored} of {following} members ({texts} distinct), "
          f"{sum(f.kind == FollowKind.KEYWORD for f in follows)} keywords")  # fmt: skip
    print(f"matched     {members} members, {pairs} (member, paper) alerts")
    median = sorted(times)[len(times) // 2]
    print(f"match       best {best * 1000:.0f} ms, median {median * 1000:.0f} ms of "
          f"{args.runs} runs (target < 1000 ms)")  # fmt: skip
    print(f"bound       {floor * 1000:.0f} ms to read every follow once; ratio {best / floor:.2f}x")
    print(f"naive       {naive:.1f} s: /search of each of {len(keywords)} distinct keywords on "
          f"the day (from {len(sampled)} timed)")  # fmt: skip
    print(f"load        {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min) on "
          f"{os.cpu_count()} cores")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    m = sub.add_parser("match", help="matching follows against a day")
    m.add_argument("--follows", type=int, default=100_000)
    m.add_argument("--papers", type=int, default=60)
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--search-sample", type=int, default=300)
    m.add_argument("--seed", type=int, default=16)
    f = sub.add_parser("fanout", help="alert DMs to many members")
    f.add_argument("--members", type=int, default=10_000)
    f.add_argument("--papers", type=int, default=3)
    f.add_argument("--global-limit", type=int, default=50, help="sandbox's global limit")
    f.add_argument("--rate", type=float, help="daily.global_rate_per_second (the Pacer)")
    f.add_argument("--latency", type=float, default=0.0, help="seconds per REST answer")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(match(args) if args.what == "match" else fanout(args))


def fanout_world(members: int) -> World:
    w = World()
    w.add_guild("Bench", channels=["papers"], members=[f"member{i:05d}" for i in range(members)])
    return w


def received(server: SandboxServer) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    """recipient id -> (content, card titles) of each DM the bot sent them."""
    out: dict[int, list[tuple[str, tuple[str, ...]]]] = collections.defaultdict(list)
    for channel in list(server.world.channels.values()):
        if channel.guild_id is None and channel.recipient_ids:
            for m in server.world.messages(channel.id):
                titles = tuple(str(e.get("title", "")) for e in m.get("embeds") or [])
                out[channel.recipient_ids[0]].append((str(m.get("content") or ""), titles))
    return out


async def fanout(args: argparse.Namespace) -> None:
    server = SandboxServer(
        fanout_world(args.members), enforce_rate_limits=True, global_rate_limit=args.global_limit
    )
    server.config.latency = args.latency
    await server.start()
    snapshot = server.point_discord_py()
    guild = server.world.default_guild
    member_ids = [u.id for u in server.world.users.values() if u.username.startswith("member")]
    with tempfile.TemporaryDirectory(prefix="alerts-fanout-") as tmp:
        db = Path(tmp) / "papers.db"
        database = await Database.open(db)
        rows = [(m, FollowKind.KEYWORD.value, "learning", NOW.isoformat()) for m in member_ids]
        async with database.transaction() as conn:
            await conn.executemany(
                "INSERT INTO follows (member_id, kind, query, created_at) VALUES (?, ?, ?, ?)",
                rows,
            )
            await conn.executemany(
                "INSERT INTO follow_members (member_id, locale, updated_at) VALUES (?, 'en', ?)",
                [(m, NOW.isoformat()) for m in member_ids],
            )
            await conn.executemany(
                "INSERT INTO follow_guilds (member_id, guild_id) VALUES (?, ?)",
                [(m, guild.id) for m in member_ids],
            )
        markdown = "\n".join(
            [f"## Daily Papers ({DAY.isoformat()})", ""]
            + [
                line
                for i in range(args.papers)
                for line in (
                    f"### [Paper {i + 1}: learning at scale](https://arxiv.org/abs/3001.{i:05d})",
                    "",
                    "Authors: Ada Lovelace",
                    "",
                    f"- ***What's New***: 학습 방법 {i + 1}. " + "A sentence. " * 20,
                    "",
                )
            ]
        )
        await PaperStore(database).ingest("bench.md", parse(markdown))
        clock = SceneClock(NOW)
        bot = PapersBot(bot_config(db, server, args.rate), database, clock=clock,
                        guild_ready_timeout=1)  # fmt: skip
        task = asyncio.create_task(bot.start("bench-token"))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            cog = bot.get_cog("Follows")
            assert isinstance(cog, Follows)
            cog.tick.cancel()  # the bench runs the tick itself
            server.limiter.reset()
            before = len(server.requests())
            start = time.perf_counter()
            await cog.service.plan_new_days(DAY)
            planned = time.perf_counter() - start
            counts = await cog.service.tick()
            elapsed = time.perf_counter() - start
            sent = await database.read("SELECT count(*), sum(planned) FROM alerts")
        finally:
            await bot.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, 5)
            await database.close()
        requests = server.requests()[before:]
        got = received(server)
        await server.stop()
        restore_endpoints(snapshot)

    per_member = int(sent[0][1]) // max(1, int(sent[0][0]))
    want = args.members * per_member
    have = sum(len(v) for v in got.values())
    duplicates = sum(max(0, len(v) - len(set(v))) for v in got.values())
    lost = sum(max(0, per_member - len(set(got.get(m, [])))) for m in member_ids)
    answered = [r for r in requests if r.status != 429]
    limited = [r for r in requests if r.status == 429]
    total = args.members * (2 + per_member)
    bound = total / args.global_limit
    load = os.getloadavg()
    rate = "default (45)" if args.rate is None else f"{args.rate:g}"
    print(f"pacer rate {rate}/s, global limit {args.global_limit}/s, "
          f"latency {args.latency * 1000:g} ms")  # fmt: skip
    print(f"members     {args.members} ({counts.outcomes if counts else None})")
    print(f"messages    {have} of {want} ({per_member} per member, {args.papers} papers)")
    print(f"requests    {len(answered)} answered + {len(limited)} x 429")
    print(f"duplicates  {duplicates}")
    print(f"lost        {lost}")
    print(f"time        {elapsed:.1f} s ({len(answered) / elapsed:.1f} requests/s; "
          f"planning {planned:.1f} s of it)")  # fmt: skip
    print(f"bound       {bound:.1f} s ({args.members} x (2 + {per_member}) = {total} requests "
          f"/ {args.global_limit} per s)")  # fmt: skip
    print(f"ratio       {elapsed / bound:.2f}x")
    print(f"load        {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min) on "
          f"{os.cpu_count()} cores")  # fmt: skip


if __name__ == "__main__":
    main()
