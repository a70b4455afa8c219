"""The real PapersBot against a sandbox server, for bench/interactions.py.

    python bench/botproc.py --db bench/out/db-1000000.db --api http://127.0.0.1:PORT/api/v10 \
        --gateway ws://127.0.0.1:PORT/gateway

`config(...)` and `start_bot(...)` are shared with the single-process mode of the benchmark;
run as a script it is the bot's own process (its own event loop and core), stopped with
SIGTERM. The configuration is the default one pointed at the sandbox, with no digest
sources: no folder to watch and no URL to poll (no network), so only member commands load it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import json
import signal
import sys
import time
from pathlib import Path

from storeimpl import ROOT

sys.path.insert(0, str(ROOT))
from bot.app import PapersBot, keep_startup_objects
from bot.config import Config, HuggingFaceConfig
from bot.endpoints import point_discord_py_at
from bot.models import LogLevel
from bot.store import PaperStore
from bot.store.cache import ENTRIES

TOKEN = "bench-token"


class GcWatch:
    """Full (generation 2) garbage collections while installed: how many, how long.

    A full collection stops the whole process, every command in flight with it, for a time
    that grows with the number of live container objects.
    """

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._started)

    def stats(self) -> dict[str, int]:
        gc.callbacks.remove(self._on_gc)
        return {
            "gc_full": len(self.pauses),
            "gc_full_max_us": round(max(self.pauses, default=0.0) * 1e6),
            "gc_full_total_us": round(sum(self.pauses) * 1e6),
            "gc_objects": len(gc.get_objects()),
        }


class LoopStalls:
    """Event-loop stalls while running: how often a 5 ms sleep came back more than
    `threshold` late, and the longest. Every interaction handled by the loop waits that long.
    """

    def __init__(self, threshold: float = 0.02, tick: float = 0.005) -> None:
        self.threshold, self.tick = threshold, tick
        self.stalls: list[float] = []
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.tick)
            late = time.perf_counter() - before - self.tick
            if late > self.threshold:
                self.stalls.append(late)

    def stats(self, prefix: str) -> dict[str, int]:
        self._task.cancel()
        return {
            f"{prefix}_stalls": len(self.stalls),
            f"{prefix}_stall_max_us": round(max(self.stalls, default=0.0) * 1e6),
            f"{prefix}_stall_total_us": round(sum(self.stalls) * 1e6),
        }


def config(db: Path, api_base: str, gateway_url: str) -> Config:
    base = Config()
    return dataclasses.replace(
        base,
        database=str(db),
        log_level=LogLevel.WARNING,
        discord=dataclasses.replace(base.discord, api_base=api_base, gateway_url=gateway_url),
        sources=dataclasses.replace(
            base.sources,
            folders=(),
            url_template=None,
            huggingface=HuggingFaceConfig(enabled=False),
        ),
    )


async def start_bot(
    db: Path, api_base: str, gateway_url: str, cache_entries: int = ENTRIES
) -> tuple[PapersBot, PaperStore, asyncio.Task[None]]:
    """Open the store, start the bot, wait until it is ready (commands synced)."""
    point_discord_py_at(api_base, gateway_url)
    store = await PaperStore.open(db, cache_entries=cache_entries)
    bot = PapersBot(config(db, api_base, gateway_url), store.db, guild_ready_timeout=0.2)
    task = asyncio.create_task(bot.start(TOKEN))
    await asyncio.wait_for(bot.wait_until_ready(), 60)
    return bot, store, task


async def stop_bot(bot: PapersBot, store: PaperStore, task: asyncio.Task[None]) -> None:
    await bot.close()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    await store.close()


async def _main(args: argparse.Namespace) -> None:
    bot, store, task = await start_bot(Path(args.db), args.api, args.gateway, args.cache)
    keep_startup_objects()  # as `papers-bot run` does before connecting
    watch = GcWatch()
    stalls = LoopStalls()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await asyncio.wait(
        [asyncio.create_task(stop.wait()), task], return_when=asyncio.FIRST_COMPLETED
    )
    stats = {"cache_hits": store.cache.hits, "cache_misses": store.cache.misses}
    print(json.dumps(stats | watch.stats() | stalls.stats("bot")))
    await stop_bot(bot, store, task)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--cache", type=int, default=ENTRIES, help="lookup cache entries")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
