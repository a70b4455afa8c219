"""Command line: parse arguments, load config, set up logging, run one subcommand."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.cli import enrich, load, queries, run, sandbox
from bot.config import Config, ConfigError, load_config
from bot.models import LogLevel
from bot.store import DatabaseUnusable, PaperStore
from bot.store.database import READ_TIMEOUT

log = logging.getLogger("bot")
LONG_RUNNING = {"run"}  # commands that log progress at INFO by default


def _common(defaults: bool) -> argparse.ArgumentParser:
    """Flags every subcommand takes, before or after its name (`--db f search x` or not)."""
    common = argparse.ArgumentParser(add_help=False)
    default = None if defaults else argparse.SUPPRESS
    common.add_argument(
        "--config", type=Path, metavar="PATH", default=default, help="YAML config file"
    )
    common.add_argument(
        "--db", metavar="PATH", default=default, help="SQLite database (overrides config)"
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if defaults else argparse.SUPPRESS,
        help="debug logging",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papers-bot",
        description="Hugging Face Daily Papers digests, searchable, and on Discord.",
        parents=[_common(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"papers-bot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub_with_common = _SubWithParents(sub, _common(defaults=False))
    load.add_parser(sub_with_common)  # type: ignore[arg-type]
    enrich.add_parser(sub_with_common)  # type: ignore[arg-type]
    queries.add_parsers(sub_with_common)  # type: ignore[arg-type]
    run.add_parsers(sub_with_common)  # type: ignore[arg-type]
    sandbox.add_parser(sub_with_common)  # type: ignore[arg-type]
    return parser


class _SubWithParents:
    """Gives every subcommand the common flags, so `papers-bot search x --db f` works."""

    def __init__(
        self,
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        common: argparse.ArgumentParser,
    ) -> None:
        self._sub = sub
        self._common = common

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        return self._sub.add_parser(name, parents=[self._common], **kwargs)  # type: ignore[arg-type]


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    quiet = args.command not in LONG_RUNNING and config.log_level == LogLevel.INFO
    level = logging.DEBUG if args.verbose else logging.WARNING if quiet else config.log_level
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return config


UNLIMITED_READS = {"enrich"}  # a backfill reads every paper due at once: no time limit
CREATES = {"load", "run"}  # the commands that create a missing database; others say it is missing
EXIT_SIGPIPE, EXIT_SIGINT, EXIT_SIGTERM = 128 + 13, 128 + 2, 128 + 15


async def _run_with_store(args: argparse.Namespace, config: Config) -> int:
    db_path = args.db or config.database
    problem = run.token_problem() if args.command in ("run", "sync") else None
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    try:
        store = await PaperStore.open(
            db_path,
            create=args.command in CREATES,
            read_only=args.command in queries.COMMANDS,
            read_timeout=None if args.command in UNLIMITED_READS else READ_TIMEOUT,
        )
    except DatabaseUnusable as exc:
        print(f"papers-bot: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # sqlite3.DatabaseError, OSError: report, do not trace
        print(f"papers-bot: cannot open database {db_path}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "load":
            return await load.run(args, store)
        if args.command == "enrich":
            return await enrich.run(args, config, store)
        if args.command in ("run", "sync"):  # the bot's config names the database it runs on
            config = dataclasses.replace(config, database=str(db_path))
            return await run.run(args, config, store.db)
        return await queries.run(args, store)
    finally:
        await _uninterrupted(store.close())


async def _uninterrupted(closing: Awaitable[None]) -> None:
    """Finish `closing` even when SIGTERM cancels the command meanwhile (then re-raise the
    cancellation): a connection left open keeps its thread, and the process, alive."""
    task = asyncio.ensure_future(closing)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()
    if cancelled:
        raise asyncio.CancelledError


async def _stopped_by_sigterm(work: Coroutine[Any, Any, int]) -> int:
    """Run `work`; SIGTERM cancels it (so it cleans up: closes the store, stops a load's
    worker process) and the command ends with one line and status 143."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        task.cancel()

    loop.add_signal_handler(signal.SIGTERM, stop)
    try:
        return await task
    except asyncio.CancelledError:
        if not stopped:
            raise
        print("papers-bot: stopped (SIGTERM)", file=sys.stderr)
        return EXIT_SIGTERM
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe can still be answered quietly
    except BrokenPipeError:  # `papers-bot search x | head -1`: the reader has all it wants
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit is silent too
        return EXIT_SIGPIPE
    return status


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
    except ConfigError as exc:
        print(f"papers-bot: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "sandbox":
            return asyncio.run(_stopped_by_sigterm(sandbox.run(args)))
        return asyncio.run(_stopped_by_sigterm(_run_with_store(args, config)))
    except KeyboardInterrupt:
        print("papers-bot: interrupted", file=sys.stderr)
        return EXIT_SIGINT
