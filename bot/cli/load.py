"""`papers-bot load PATH...`: files, folders and globs into the store, with progress."""

from __future__ import annotations

import argparse
import asyncio
import sys
from concurrent.futures.process import BrokenProcessPool
from typing import TextIO

from bot.digest.ingest import LoadReport, find_files, load_files
from bot.store import PaperStore

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("load", help="load digest files, folders (YYYY/MM/DD.md) or globs")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


class ProgressBar:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, stream: TextIO | None = None, *, unit: str = "files") -> None:
        stream = stream or sys.stderr
        self._stream = stream
        self._on = stream.isatty()
        self._unit = unit
        self._open = False  # a line is drawn and not ended yet

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self._on:
            return
        filled = int(30 * done / max(total, 1))
        bar = "#" * filled + "-" * (30 - filled)
        self._stream.write(f"\r[{bar}] {done}/{total} {self._unit}  {name[-40:]:<40}")
        self._open = done != total
        if not self._open:
            self._stream.write("\n")
        self._stream.flush()

    def end(self) -> None:
        """End a line left short (a run that stopped before the total)."""
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False


async def run(args: argparse.Namespace, store: PaperStore) -> int:
    files, missing = find_files(args.paths)
    for problem in missing:
        print(f"papers-bot load: {problem}", file=sys.stderr)
    if not files:
        print("papers-bot load: nothing to load", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = await load_files(store, files, ProgressBar())
    except BrokenProcessPool:  # killed from outside, e.g. by SIGTERM to the process group
        await asyncio.sleep(0.2)  # whose SIGTERM to this process then cancels this, and says so
        print("papers-bot load: the parsing process was killed; load again", file=sys.stderr)
        return EXIT_REJECTED
    _print_report(report, args.json)
    if missing:
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_REJECTED


def _print_report(report: LoadReport, as_json: bool) -> None:
    if as_json:
        from bot.cli.output import print_json

        print_json(
            {
                "files": report.files,
                "sections": report.sections,
                "entries": report.entries,
                "new_papers": report.new_papers,
                "updated_papers": report.updated_papers,
                "removed_papers": report.removed_papers,
                "rejected": report.rejected,
                "skipped": report.skipped,
                "notes": report.notes,
            }
        )
        return
    for line in [*report.notes, *report.skipped, *report.rejected]:
        print(line, file=sys.stderr)
    print(report.summary_line())
