"""Members at once: slash-command latency of the real bot against the sandbox, big store.

    python bench/interactions.py                           # 1M papers, 50 members, both modes
    python bench/interactions.py --papers 100000 --mode split --commands 2000
    python bench/interactions.py --think 1.0               # each member pauses ~1 s between
    python bench/interactions.py --mode split --think 1.0 --mix both   # without, then with

The store is the cached database of bench/dbs.py: the synthetic corpus (`--papers`) plus the
shared real digests. `--members` members of the sandbox guild each issue commands from a
fixed mix (/paper by id and by title words, /search in Korean and English with every sort,
/author, /top, /digest, and the autocompletes of /paper, /author and /digest) until
`--commands` have been issued in all. `--mix members` adds the members' own commands:
/follow (adding words or an author, list, status), Save presses on paper cards (public
`/paper` answers made before the run) and `/saved list`; `--mix both` runs the mix without
them, then with them, against the same database. A member waits for each answer (plus
`--think` seconds on average, exponential) before the next: a closed loop, `--members` in
flight.
With `--think`, each member also pauses so before its first command: members come in as
they go on, rather than all firing in the same millisecond when the run starts
(`--together` keeps that burst: 50 commands at once, then the answers' knock-on waves).

Latency is the sandbox's own: from the INTERACTION_CREATE dispatch to the interaction
callback request arriving (InteractionResult.latency), i.e. what a member's client waits for.
In split mode this process pauses its own garbage collector while the commands run (see
`_harness_gc_paused`); the bot's full collections are counted and timed and printed.

Modes (`--mode`):
  split   the bot runs in its own process (bench/botproc.py): the sandbox server and the
          members share this process's event loop; the bot has its own loop and core.
  inline  bot, server and members in one process and one event loop (what a test does):
          the figure includes the server's and the members' work, queued on the same loop.
Printed per mode: p50/p99/max per command kind and overall, unanswered interactions,
commands/s, and the bot's CPU time per command.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import gc
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botproc import GcWatch, LoopStalls, start_bot, stop_bot
from dbs import build
from search import pad, percentile
from storeimpl import ROOT

sys.path.insert(0, str(ROOT))
from bot.store.cache import ENTRIES
from papers_sandbox.endpoints import current_endpoints, restore_endpoints
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.interaction_state import InteractionRecord
from papers_sandbox.models import Json
from papers_sandbox.server import SandboxServer

KO_QUERIES = [
    "모델",
    "확산",
    "강화 학습",
    "대규모 언어 모델",
    "에이전트",
    "비디오 생성",
    "추론",
    "제안",
]
EN_QUERIES = ["diffusion", "transformer", "reinforcement learning", '"large language models"',
              "agent", "benchmark", "video generation", "reasoning"]  # fmt: skip
TITLE_PREFIXES = ["a", "di", "diff", "large lang", "vid", "reason", "multimodal", "agent", "tr"]
PERIODS = ["day", "week", "month", "year", "all"]
_captured: contextvars.ContextVar[list[InteractionRecord]] = contextvars.ContextVar("captured")


@dataclass
class Sample:
    """What the commands are about: ids, title words, author names, days of the store."""

    ids: list[str]
    title_words: list[str]
    authors: list[str]
    days: list[str]
    real_days: list[str]
    cards: list[Json] = field(default_factory=list)  # paper cards with Save, made before a run


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unanswered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


def sample(db: Path, rng: random.Random) -> Sample:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        count = conn.execute("SELECT max(id) FROM papers").fetchone()[0]
        picks = [rng.randint(1, count) for _ in range(400)]
        marks = ",".join("?" * len(picks))
        rows = conn.execute(
            f"SELECT arxiv_id, title FROM papers WHERE id IN ({marks})", picks
        ).fetchall()
        words = [" ".join(t.split()[:3]) for _, t in rows]
        authors = [r[0] for r in conn.execute("SELECT name FROM author_names LIMIT 2000")]
        days = [r[0] for r in conn.execute("SELECT day FROM days ORDER BY day DESC LIMIT 400")]
        real = [
            r[0]
            for r in conn.execute(
                "SELECT day FROM days WHERE source NOT LIKE '%corpus-%' ORDER BY day"
            )
        ]
    finally:
        conn.close()
    return Sample([r[0] for r in rows], words, authors, days, real or days)


Action = Callable[[SandboxServer, str, random.Random, Sample], Awaitable[object]]


def _command(name: str, options: Callable[[random.Random, Sample], dict[str, Any]]) -> Action:
    async def act(server: SandboxServer, user: str, rng: random.Random, s: Sample) -> object:
        return await server.invoke_command(
            name,
            options(rng, s),
            user=user,
            channel_id="papers",
            locale=rng.choice(["ko", "en-US"]),
            settle=0.0,
        )

    return act


def _autocomplete(name: str, option: str, value: Callable[[random.Random, Sample], str]) -> Action:
    async def act(server: SandboxServer, user: str, rng: random.Random, s: Sample) -> object:
        return await server.autocomplete(
            name, option, value(rng, s), user=user, channel_id="papers"
        )

    return act


def _author_part(rng: random.Random, s: Sample) -> str:
    name = rng.choice(s.authors)
    return rng.choice([name, name.split()[-1], name[: max(2, len(name) // 2)]])


def _follow() -> Action:
    """/follow as members use it: mostly adding words or an author, sometimes list or status."""

    async def act(server: SandboxServer, user: str, rng: random.Random, s: Sample) -> object:
        sub = rng.choices(["keyword", "author", "list", "status"], weights=[4, 2, 2, 2])[0]
        options: dict[str, Any] = {}
        if sub == "keyword":
            options = {"words": rng.choice(KO_QUERIES + EN_QUERIES)}
        elif sub == "author":
            options = {"name": _author_part(rng, s)}
        return await server.invoke_command(
            "follow",
            options,
            user=user,
            channel_id="papers",
            subcommand=sub,
            locale=rng.choice(["ko", "en-US"]),
            settle=0.0,
        )

    return act


# (kind, weight, action)
MIX: list[tuple[str, int, Action]] = [
    ("paper id", 12, _command("paper", lambda r, s: {"query": r.choice(s.ids)})),
    ("paper title", 4, _command("paper", lambda r, s: {"query": r.choice(s.title_words)})),
    ("search ko", 14, _command("search", lambda r, s: {"query": r.choice(KO_QUERIES)})),
    ("search en", 8, _command("search", lambda r, s: {"query": r.choice(EN_QUERIES)})),
    ("search sort", 5, _command("search", lambda r, s: {
        "query": r.choice(KO_QUERIES + EN_QUERIES), "sort": r.choice(["votes", "newest"])})),
    ("search dates", 4, _command("search", lambda r, s: {
        "query": r.choice(KO_QUERIES), "since": r.choice(s.days[:60])})),
    ("author", 8, _command("author", lambda r, s: {"name": _author_part(r, s)})),
    ("top", 8, _command("top", lambda r, s: {"period": r.choice(PERIODS)})),
    ("digest", 8, _command("digest", lambda r, s: (
        {} if r.random() < 0.3 else {"date": r.choice(s.real_days + s.days[:20])}))),
    ("ac paper", 14, _autocomplete("paper", "query", lambda r, s: r.choice(
        [*TITLE_PREFIXES, r.choice(s.ids)[:6], r.choice(s.title_words)[:8]]))),
    ("ac author", 4, _autocomplete("author", "name", lambda r, s: _author_part(r, s)[:4])),
    ("ac digest", 2, _autocomplete("digest", "date", lambda r, s: r.choice(s.days)[:7])),
]  # fmt: skip


async def _press_save(server: SandboxServer, user: str, rng: random.Random, s: Sample) -> object:
    card = rng.choice(s.cards)
    (save,) = [i for i in custom_ids(card["components"]) if i.startswith("save:")]
    return await server.click(card, save, user=user, locale=rng.choice(["ko", "en-US"]), settle=0.0)


def _saved_list() -> Action:
    async def act(server: SandboxServer, user: str, rng: random.Random, s: Sample) -> object:
        return await server.invoke_command(
            "saved", {}, user=user, channel_id="papers", subcommand="list",
            locale=rng.choice(["ko", "en-US"]), settle=0.0,
        )  # fmt: skip

    return act


# The members' own commands (--mix members): /follow, Save on a card, then their list.
MEMBER_MIX: list[tuple[str, int, Action]] = [
    ("follow", 5, _follow()),
    ("save press", 6, _press_save),
    ("saved list", 3, _saved_list()),
]
CARDS = 60  # public /paper answers the Save presses are made on


async def _make_cards(server: SandboxServer, user: str, s: Sample) -> list[Json]:
    cards = []
    for arxiv_id in s.ids[:CARDS]:
        result = await server.invoke_command(
            "paper", {"query": arxiv_id}, user=user, channel_id="papers"
        )
        if result.message and any(i.startswith("save:") for i in custom_ids(
                result.message.get("components") or [])):  # fmt: skip
            cards.append(result.message)
    return cards


def _capture(server: SandboxServer) -> None:
    """Keep each member's InteractionRecords (autocomplete returns only the choices)."""
    registry = server.ctx.interactions
    create = registry.create

    def capturing(**kwargs: Any) -> InteractionRecord:
        record = create(**kwargs)
        box = _captured.get(None)
        if box is not None:
            box.append(record)
        return record

    registry.create = capturing  # type: ignore[method-assign]


async def _member(
    server: SandboxServer,
    user: str,
    seed: int,
    s: Sample,
    budget: list[int],
    think: float,
    out: Outcome,
    together: bool = False,
    mix: list[tuple[str, int, Action]] = MIX,
) -> None:
    rng = random.Random(seed)
    kinds = [k for k, _, _ in mix]
    weights = [w for _, w, _ in mix]
    actions = {k: a for k, _, a in mix}
    box: list[InteractionRecord] = []
    _captured.set(box)
    if think > 0 and not together:  # members come in as they go on, not all at t=0
        await asyncio.sleep(rng.expovariate(1 / think))
    while budget[0] > 0:
        budget[0] -= 1
        kind = rng.choices(kinds, weights)[0]
        try:
            await actions[kind](server, user, rng, s)
        except Exception as exc:  # an unanswered autocomplete raises; counted below
            if len(out.errors) < 5:
                out.errors.append(f"{kind}: {type(exc).__name__}: {str(exc)[:160]}")
        record = box.pop() if box else None
        if record is None or record.callback_at is None:
            out.unanswered[kind] += 1
        else:
            out.latencies[kind].append((record.callback_at - record.dispatched_at) * 1000)
        box.clear()
        if think > 0:
            await asyncio.sleep(rng.expovariate(1 / think))


def _cpu_of(pid: int | None) -> float:
    """CPU seconds (user + system) of a process; this one (all threads) if pid is None."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _wait_synced(server: SandboxServer, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while not (server.ctx.gateway.live_sessions() and server.world.commands.find("paper", None)):
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not connect and sync its commands")
        await asyncio.sleep(0.1)


async def run_mode(
    mode: str, db: Path, args: argparse.Namespace, s: Sample, members: bool = False
) -> None:
    server = SandboxServer()
    await server.start()
    snapshot = current_endpoints()
    guild = server.world.default_guild
    users = [f"member{i:02d}" for i in range(args.members)]
    for user in users:
        server.world.add_member(guild.id, user)
    _capture(server)
    proc: asyncio.subprocess.Process | None = None
    inline: Any = None
    try:
        started = time.perf_counter()
        if mode == "split":
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(Path(__file__).with_name("botproc.py")),
                "--db", str(db), "--api", server.api_base, "--gateway", server.gateway_url,
                "--cache", str(args.cache), stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
        else:
            inline = await start_bot(db, server.api_base, server.gateway_url, args.cache)
            watch = GcWatch()
        await _wait_synced(server)
        print(f"  bot ready in {time.perf_counter() - started:.1f} s", flush=True)
        mix = MIX + MEMBER_MIX if members else MIX
        if members:
            s.cards = await _make_cards(server, users[0], s)
        warm = Outcome()
        await asyncio.gather(
            *(_member(server, u, 1000 + i, s, [3], 0, warm) for i, u in enumerate(users[:10]))
        )
        out = Outcome()
        budget = [args.commands]
        pid = proc.pid if proc else None
        cpu0 = _cpu_of(pid)
        start = time.perf_counter()
        with _harness_gc_paused(mode == "split"):
            stalls = LoopStalls()
            await asyncio.gather(
                *(
                    _member(server, u, i, s, budget, args.think, out, args.together, mix)
                    for i, u in enumerate(users)
                )
            )
            harness_stalls = stalls.stats("harness")
        elapsed = time.perf_counter() - start
        cpu = _cpu_of(pid) - cpu0
        if proc is not None:
            cache = await _stop(proc) | harness_stalls
            proc = None
        else:
            store = inline[1]
            cache = {"cache_hits": store.cache.hits, "cache_misses": store.cache.misses}
            cache |= watch.stats() | harness_stalls
        report(f"{mode}, {'with' if members else 'without'} /follow, Save and /saved", args, out,
               elapsed, cpu, cache)  # fmt: skip
    finally:
        if proc is not None:
            await _stop(proc)
        if inline is not None:
            await stop_bot(*inline)
        await server.stop()
        restore_endpoints(snapshot)


@contextlib.contextmanager
def _harness_gc_paused(split: bool) -> Iterator[None]:
    """In split mode, this process is only the sandbox and the members, standing in for
    Discord: its own garbage collections (~80 ms each over the records it keeps) would be
    counted as the bot's latency, so they wait until the run is over, as timeit does.
    Inline, the bot shares this process and its collections are part of the figure."""
    if not split:
        yield
        return
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def _stop(proc: asyncio.subprocess.Process) -> dict[str, int]:
    """Stop the bot process; its lookup cache's hits and misses (its last line of output)."""
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    output = b""
    with contextlib.suppress(TimeoutError):
        output, _ = await asyncio.wait_for(proc.communicate(), 15)
    for line in reversed(output.decode(errors="replace").splitlines()):
        with contextlib.suppress(ValueError):
            found = json.loads(line)
            if isinstance(found, dict):
                return {k: int(v) for k, v in found.items()}
    return {}


def report(
    mode: str,
    args: argparse.Namespace,
    out: Outcome,
    elapsed: float,
    cpu: float,
    cache: dict[str, int],
) -> None:
    done = sum(len(v) for v in out.latencies.values())
    missed = sum(out.unanswered.values())
    who = "bot process" if mode == "split" else "whole process (bot + server + members)"
    print(
        f"\n[{mode}] {args.members} members, {done + missed} commands in {elapsed:.1f} s: "
        f"{(done + missed) / elapsed:.1f} commands/s, think {args.think} s | "
        f"CPU of the {who}: {cpu:.1f} s, {cpu / max(done, 1) * 1000:.1f} ms per command"
    )
    header = (
        f"{'command':<13} {'n':>5} {'mean ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'unanswered':>10}"
    )
    print(header)
    print("-" * len(header))
    rows = [(k, sorted(v)) for k, v in sorted(out.latencies.items())]
    rows.append(("all", sorted(x for v in out.latencies.values() for x in v)))
    for kind, values in rows:
        if not values:
            continue
        missed_kind = missed if kind == "all" else out.unanswered.get(kind, 0)
        print(
            f"{pad(kind, 13)} {len(values):>5} {statistics.fmean(values):8.1f} "
            f"{percentile(values, 0.5):8.1f} {percentile(values, 0.99):8.1f} "
            f"{values[-1]:8.1f} {missed_kind:>10}"
        )
    hits, misses = cache.get("cache_hits", 0), cache.get("cache_misses", 0)
    if args.cache <= 0:
        print("lookup cache: off")
    elif hits + misses:
        print(
            f"lookup cache ({args.cache} entries): {hits} of {hits + misses} store lookups "
            f"answered from memory ({hits / (hits + misses):.0%}), warm-up included"
        )
    if "gc_full" in cache:
        print(
            f"full garbage collections in the bot: {cache['gc_full']}, longest "
            f"{cache['gc_full_max_us'] / 1000:.1f} ms, {cache['gc_full_total_us'] / 1000:.1f} ms "
            f"in all; {cache['gc_objects']:,} live objects at the end (warm-up included)"
        )
    for who in ("bot", "harness"):
        if f"{who}_stalls" in cache:
            print(
                f"event-loop stalls over 20 ms in the {who}"
                f"{' process' if who == 'bot' else ' (sandbox and members)'}: "
                f"{cache[f'{who}_stalls']}, longest {cache[f'{who}_stall_max_us'] / 1000:.1f} ms, "
                f"{cache[f'{who}_stall_total_us'] / 1000:.1f} ms in all"
            )
    for error in out.errors:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=1000000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between commands")
    parser.add_argument("--mode", choices=["split", "inline", "both"], default="both")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--together", action="store_true", help="every member's first command at the same instant"
    )
    parser.add_argument(
        "--cache", type=int, default=ENTRIES, help="the bot's lookup cache entries (0: off)"
    )
    parser.add_argument("--db", type=Path, help="this database instead of the cached one")
    parser.add_argument(
        "--mix", choices=["base", "members", "both"], default="base",
        help="members: add Save presses and /saved list; both: without, then with them",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1, help="runs of each mix, alternating")
    args = parser.parse_args()
    db = args.db or build(args.papers)
    s = sample(db, random.Random(args.seed))
    print(
        f"{db.name} ({args.papers} synthetic papers + shared digests), {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    mixes = {"base": [False], "members": [True], "both": [False, True]}[args.mix] * args.rounds
    for mode in ["split", "inline"] if args.mode == "both" else [args.mode]:
        for members in mixes:
            asyncio.run(run_mode(mode, db, args, s, members))


if __name__ == "__main__":
    main()
