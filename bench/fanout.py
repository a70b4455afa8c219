"""Daily-post fan-out: one digest to many channels under Discord's rate limits.

    python bench/fanout.py                       # 1,000 channels, 20 papers (~1 min of posting)
    python bench/fanout.py --channels 200 --papers 10 --style thread --concurrency 16
    python bench/fanout.py --channels 300 --latency 0.5       # a slow Discord (500 ms a request)

The real PapersBot (daily cog, Runner, Poster, Pacer, the SQLite ledger) posts one digest in
the `embeds` style (a header + the cards packed into messages; `--style thread`: a header and
a thread with one message per paper) to every subscribed channel of
a loopback sandbox that enforces Discord's limits: the global 50 requests/s and the
per-channel bucket of 5 messages / 5 s (papers_sandbox/ratelimits.py), answering 429 past them.
`Runner.run_due(now)` is timed from the moment the subscriptions fall due until every post
is settled.

The lower bound is max(total requests / global limit, the time one channel needs for its
messages under the per-channel bucket). Printed: channels, messages, duplicates and lost
messages (both 0 expected), 429s received, time, bound and their ratio (target <= 1.2).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import logging
import math
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import PapersBot
from bot.config import Config, HuggingFaceConfig
from bot.digest.parse import parse
from bot.features.daily.cog import Daily
from bot.features.daily.plan import Planned
from bot.models import LogLevel
from bot.store import PaperStore
from bot.store.daily import DailyStore
from bot.store.subscriptions import Subscription
from papers_sandbox import SandboxServer, World, restore_endpoints
from papers_sandbox.ratelimits import DISCORD_POLICIES
from papers_sandbox.routing import RoutePattern
from papers_sandbox.scene import SceneClock, sample_folder

SEOUL = ZoneInfo("Asia/Seoul")
DAY = dt.date(2025, 6, 2)
POST_AT = dt.datetime(2025, 6, 2, 9, 0, tzinfo=SEOUL).astimezone(dt.UTC)
CHANNELS_PER_GUILD = 100  # Discord allows 500
TOKEN = "bench-token"
CREATE = RoutePattern.parse("POST /channels/*/messages")


def digest_markdown(day: dt.date, count: int) -> str:
    """`count` papers whose text comes from the bundled sample digests (Korean summaries)."""
    samples = [
        e
        for path in sorted(sample_folder().glob("*.md"))
        for section in parse(path.read_text(encoding="utf-8")).sections
        for e in section.entries
    ]
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i in range(count):
        e = samples[i % len(samples)]
        arxiv = f"2506.{10000 + i:05d}"
        lines += [
            f"### [{e.title} ({i + 1})](https://arxiv.org/abs/{arxiv})",
            "",
            f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv}.png)",
            "",
            f"Vote: {e.votes or 0}",
            "",
            f"Authors: {', '.join(e.authors)}",
            "",
            e.summary,
            "",
        ]
    return "\n".join(lines)


def world(channels: int) -> World:
    w = World()
    for g, first in enumerate(range(0, channels, CHANNELS_PER_GUILD)):
        count = min(CHANNELS_PER_GUILD, channels - first)
        w.add_guild(f"Bench {g}", channels=[f"daily-{g}-{c}" for c in range(count)], members=())
    return w


def config(db: Path, server: SandboxServer, rate: float | None) -> Config:
    base = Config()
    daily = base.daily if rate is None else dataclasses.replace(
        base.daily, global_rate_per_second=rate
    )  # fmt: skip
    return dataclasses.replace(
        base,
        database=str(db),
        log_level=LogLevel.WARNING,
        discord=dataclasses.replace(
            base.discord,
            api_base=server.api_base,
            gateway_url=server.gateway_url,
            sync_on_start=False,
        ),
        sources=dataclasses.replace(
            base.sources,
            folders=(),
            url_template=None,
            huggingface=HuggingFaceConfig(enabled=False),
        ),
        daily=daily,
    )


POLICY = next(p for pattern, p in DISCORD_POLICIES if pattern == CREATE)


def channel_bound(messages: int) -> float:
    """Seconds one channel needs for `messages` sends under its bucket (first burst is free)."""
    return (math.ceil(messages / POLICY.limit) - 1) * POLICY.window


def check(server: SandboxServer, plan: list[Planned], channel_ids: list[int]) -> tuple[int, int]:
    """(duplicates, lost) over all channels (and their threads), against the plan."""
    want = collections.Counter(
        (p.content or "", tuple(e.title or "" for e in p.embeds)) for p in plan
    )
    threads = collections.defaultdict(list)
    for channel in server.world.channels.values():
        if channel.is_thread and channel.parent_id is not None:
            threads[channel.parent_id].append(channel.id)
    duplicates = lost = 0
    for channel_id in channel_ids:
        have = collections.Counter(
            (str(m.get("content") or ""), tuple(str(e.get("title", "")) for e in m["embeds"]))
            for target in (channel_id, *threads[channel_id])
            for m in server.world.messages(target)
        )
        duplicates += sum((have - want).values())
        lost += sum((want - have).values())
    return duplicates, lost


async def run(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    server = SandboxServer(
        world(args.channels), enforce_rate_limits=True, global_rate_limit=args.global_limit
    )
    server.config.latency = args.latency
    await server.start()
    snapshot = server.point_discord_py()
    with tempfile.TemporaryDirectory(prefix="fanout-") as tmp:
        db = Path(tmp) / "papers.db"
        store = await PaperStore.open(db)
        await store.ingest("bench.md", parse(digest_markdown(DAY, args.papers)))
        clock = SceneClock(POST_AT - dt.timedelta(hours=1))
        channel_ids = [c.id for c in server.world.channels.values() if c.guild_id is not None]
        daily = DailyStore(store.db)
        for channel_id in channel_ids:
            guild_id = server.world.channels[channel_id].guild_id
            assert guild_id is not None
            sub = Subscription(channel_id, guild_id, "09:00", "Asia/Seoul", args.style)
            await daily.save_subscription(sub, clock())
        bot = PapersBot(config(db, server, args.rate), store.db, clock=clock, guild_ready_timeout=1)
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            cog = bot.get_cog("Daily")
            assert isinstance(cog, Daily)
            cog.tick.cancel()  # the bench calls run_due itself
            cog.poll.cancel()
            if args.concurrency is not None:
                cog.service.runner._slots = asyncio.Semaphore(args.concurrency)
            sub0 = await daily.subscription(channel_ids[0])
            digest = await store.digest(DAY)
            target = bot.get_channel(channel_ids[0])
            assert sub0 is not None and digest is not None
            plan = cog.service.runner.plan(sub0, digest, target)  # type: ignore[arg-type]
            server.limiter.reset()
            before = len(server.requests())

            clock.now = POST_AT + dt.timedelta(seconds=5)
            start = time.perf_counter()
            results, _ = await cog.service.runner.run_due(clock())
            elapsed = time.perf_counter() - start
        finally:
            await bot.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, 5)
            await store.close()
        requests = server.requests()[before:]
        await server.stop()
        restore_endpoints(snapshot)

    outcomes = collections.Counter(r.outcome for r in results.values())
    duplicates, lost = check(server, plan, channel_ids)
    answered = [r for r in requests if r.status != 429]
    limited = [r for r in requests if r.status == 429]
    global_429 = sum(1 for r in limited if isinstance(r.response, dict) and r.response["global"])
    in_thread = sum(1 for p in plan if p.in_thread)
    per_channel = len(plan) + (1 if in_thread else 0)  # + creating the thread
    total = len(channel_ids) * per_channel  # the requests the post needs at the least
    by_global = total / args.global_limit
    by_channel = max(channel_bound(len(plan) - in_thread), channel_bound(in_thread))
    bound = max(by_global, by_channel)
    rate = "default" if args.rate is None else f"{args.rate:g}"
    conc = "default" if args.concurrency is None else str(args.concurrency)
    print(
        f"pacer rate {rate}/s, runner concurrency {conc}, global limit {args.global_limit}/s, "
        f"latency {args.latency * 1000:g} ms"
    )
    print(f"channels    {len(channel_ids)} ({dict(outcomes)})")
    shape = f"{len(plan) - in_thread} in the channel, {in_thread} in a thread"
    print(f"messages    {len(channel_ids) * len(plan)} ({len(plan)} per channel, {shape}; "
          f"style {args.style}, {args.papers} papers)")  # fmt: skip
    print(f"requests    {len(answered)} answered + {len(limited)} x 429")
    print(f"duplicates  {duplicates}")
    print(f"lost        {lost}")
    print(f"429s        {len(limited)} ({global_429} global, {len(limited) - global_429} bucket)")
    print(f"time        {elapsed:.1f} s ({len(answered) / elapsed:.1f} requests/s)")
    bucket = f"{POLICY.limit} / {POLICY.window:g} s"
    print(f"bound       {bound:.1f} s (global {total} / {args.global_limit} per s = "
          f"{by_global:.1f} s; per channel {max(len(plan) - in_thread, in_thread)} messages "
          f"to one target at {bucket} = {by_channel:.1f} s)")  # fmt: skip
    print(f"ratio       {elapsed / bound:.2f}x")
    start_at = min(r.time for r in requests)
    per5 = collections.Counter(int((r.time - start_at) // 5) for r in answered)
    print(f"per 5 s     {[per5[i] for i in range(max(per5) + 1)]} (requests answered)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--style", choices=("embeds", "thread", "compact"), default="embeds")
    parser.add_argument("--rate", type=float, help="daily.global_rate_per_second (Pacer)")
    parser.add_argument("--concurrency", type=int, help="Runner slots (default: Runner's)")
    parser.add_argument("--global-limit", type=int, default=50, help="sandbox's global limit")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per REST answer")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
