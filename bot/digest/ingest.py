"""Loading digest files into the store: find files, read them safely, parse, write, report."""

from __future__ import annotations

import asyncio
import fnmatch
import glob
import logging
import multiprocessing
import multiprocessing.context
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bot.digest.parse import parse
from bot.models import ParseResult
from bot.store import IngestStats, PaperChanges, PaperStore, Prepared, prepare

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 8 * 1024 * 1024  # the largest real digest is ~100 KB
BATCH_FILES = 32  # files written per transaction
PARALLEL_MIN_FILES = 4 * BATCH_FILES  # fewer load faster without starting a second process
Progress = Callable[[int, int, str], None]


class UnreadableDigest(Exception):
    """A file that is not a digest we can read (binary, not UTF-8, empty, too large)."""


@dataclass
class LoadReport(PaperChanges):
    """Totals over a load, and every place something could not be taken."""

    files: int = 0
    sections: int = 0
    entries: int = 0
    rejected: list[str] = field(default_factory=list)  # "file:line: why"
    skipped: list[str] = field(default_factory=list)  # "file: why"
    notes: list[str] = field(default_factory=list)  # files that hold no digest section
    # arXiv id -> (in the store before the load, in it now), of every paper the load changed
    papers: dict[str, tuple[bool, bool]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.skipped

    def summary_line(self) -> str:
        line = (
            f"{self.files} files, {self.sections} sections, {self.entries} entries: "
            f"{self.new_papers} new papers, {self.updated_papers} updated, "
            f"{self.removed_papers} removed, "
            f"{len(self.rejected)} rejected entries, {len(self.skipped)} skipped files"
        )
        return line


def find_files(args: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files named directly, found under folders (recursive *.md) or matched by globs.

    Walks never follow a symlink to a folder (`a -> .` would never end, `up -> ..` would
    reach everything above), and a file reached twice (two arguments, a symlinked file) is
    listed once, under the first name it was found by.
    """
    files: list[Path] = []
    missing: list[str] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            files.extend(sorted(p for p in _walk(path) if p.name.endswith(".md")))
        elif path.is_file():
            files.append(path)
        elif glob.has_magic(arg):
            matched = _glob(arg)
            files.extend(matched) if matched else missing.append(f"{arg}: no files match")
        else:
            missing.append(f"{arg}: no such file or folder")
    return _unique(files), missing


def _walk(root: Path) -> Iterator[Path]:
    """Every file under `root`, not descending into symlinked folders."""
    for folder, _, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                yield path


def _glob(pattern: str) -> list[Path]:
    """glob.glob(pattern, recursive=True) without following symlinked folders for `**`."""
    if "**" not in pattern:
        return sorted(p for p in map(Path, glob.glob(pattern)) if p.is_file())
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = Path(*parts[:fixed]) if fixed else Path()
    rest = parts[fixed:]
    return sorted(p for p in _walk(root) if _matches(p.relative_to(root).parts, rest))


def _matches(names: Sequence[str], patterns: Sequence[str]) -> bool:
    """Path components against glob components, as glob does: `**` spans any number of
    folders, and no wildcard matches a name starting with a dot."""
    if not patterns:
        return not names
    first, rest = patterns[0], patterns[1:]
    if first == "**":
        return any(
            _matches(names[k:], rest)
            for k in range(len(names) + 1)
            if not any(n.startswith(".") for n in names[:k])
        )
    if not names or (names[0].startswith(".") and not first.startswith(".")):
        return False
    return fnmatch.fnmatchcase(names[0], first) and _matches(names[1:], rest)


def _unique(files: list[Path]) -> list[Path]:
    seen: set[tuple[int, int]] = set()
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:  # gone meanwhile: reading it will say so
            out.append(path)
            continue
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            out.append(path)
    return out


def decode_digest(data: bytes, name: str) -> str:
    """Digest text from raw bytes; raises UnreadableDigest with a reason a person can act on."""
    if len(data) > MAX_FILE_BYTES:  # before anything that copies the buffer (strip, decode)
        raise UnreadableDigest(f"{name}: {len(data)} bytes is over the {MAX_FILE_BYTES} byte cap")
    if not data.strip():
        raise UnreadableDigest(f"{name}: empty file")
    if b"\x00" in data:
        raise UnreadableDigest(f"{name}: binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDigest(f"{name}: not UTF-8 (byte {exc.start})") from None


def read_digest(path: Path) -> str:
    """Text of a digest file, refusing anything we should not parse."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableDigest(f"{path}: {size} bytes is over the {MAX_FILE_BYTES} byte cap")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDigest(f"{path}: {exc.strerror or exc}") from None
    return decode_digest(data, str(path))


def _account(report: LoadReport, source: str, result: ParseResult, stats: IngestStats) -> None:
    report.files += 1
    if not result.sections and not result.problems:
        report.notes.append(f"{source}: no '## Daily Papers (YYYY-MM-DD)' section, nothing to load")
    report.sections += stats.sections
    report.entries += stats.entries
    for arxiv_id, (before, after) in stats.papers.items():  # a paper counts once per load
        report.papers[arxiv_id] = (report.papers.get(arxiv_id, (before, after))[0], after)
    report.rejected.extend(f"{source}:{p.line}: {p.reason}" for p in stats.problems)


async def load_parsed(
    store: PaperStore, source: str, result: ParseResult, report: LoadReport
) -> None:
    """Write one parsed digest, possibly narrowed by its caller (the days it has no section
    for keep what `source` held there), and account for it."""
    _account(report, source, result, await store.ingest(source, result, partial=True))


async def load_files(
    store: PaperStore, files: list[Path], progress: Progress | None = None
) -> LoadReport:
    """Load every file (a batch per transaction); unreadable ones are reported and skipped.

    Many files are read and parsed in a second process while this one writes: on two cores
    the parsing (and the store's own preparation of each file, `prepare`) overlaps the
    SQLite work instead of adding to it.
    """
    report = LoadReport()
    batches = [files[i : i + BATCH_FILES] for i in range(0, len(files), BATCH_FILES)]
    done = 0

    async def write(parsed: list[Parsed]) -> None:
        nonlocal done
        batch = []
        prepared = []
        for one_file in parsed:
            if one_file.result is None:
                log.warning("skipped %s", one_file.skipped)
                report.skipped.append(one_file.skipped)
            else:
                batch.append((one_file.source, one_file.result))
            if one_file.prepared is not None:
                prepared.append(one_file.prepared)
        stats = await store.ingest_many([(_file_key(s), r) for s, r in batch], prepared=prepared)
        for (source, result), one in zip(batch, stats, strict=True):
            _account(report, source, result, one)
        done += len(parsed)
        if progress and parsed:
            progress(done, len(files), parsed[-1].source)

    if len(files) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        for batch in batches:
            await write(read_and_parse([str(p) for p in batch], index=False))
        return report
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_worker_start)
    later: list[asyncio.Future[list[Parsed]]] = []
    try:
        for batch in batches[1:]:  # one by one: a pool broken meanwhile fails the next submit
            later.append(loop.run_in_executor(pool, read_and_parse, [str(p) for p in batch]))
        await write(read_and_parse([str(p) for p in batches[0]], index=False))  # worker starts
        for future in later:
            await write(await future)
    except BaseException:  # cancelled (SIGTERM, Ctrl-C) or failed: stop the worker now
        _stop(pool, later)
        raise
    pool.shutdown(wait=False)
    return report


def _file_key(source: str) -> str:
    """The store's name for a file: one name however the path was spelled (relative, through
    a symlink), since a file replaces only what the same name contributed."""
    try:
        return str(Path(source).resolve())
    except (OSError, RuntimeError):  # a symlink loop: the file was read, keep its name
        return source


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file as `read_and_parse` read it (in the worker process, so it pickles)."""

    source: str  # the path as given
    result: ParseResult | None  # None: the file was skipped
    skipped: str = ""  # why it was skipped, naming the file
    prepared: Prepared | None = None  # what the store prepared of it (`prepare`), if asked


def read_and_parse(paths: list[str], *, index: bool = True) -> list[Parsed]:
    """Read and parse files; with `index`, also what the store prepares ahead of writing
    them (`bot.store.prepare`: worth it in a second process)."""
    out: list[Parsed] = []
    for path in paths:
        try:
            result = parse(read_digest(Path(path)))
        except UnreadableDigest as exc:
            out.append(Parsed(path, None, skipped=str(exc)))
            continue
        out.append(Parsed(path, result, prepared=prepare(result) if index else None))
    return out


def _worker_start() -> None:
    """Ctrl-C reaches the whole process group: the loading process alone decides to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor, futures: list[asyncio.Future[list[Parsed]]]) -> None:
    """End the worker mid-batch instead of letting it finish the queue; nothing it would
    have returned is waited for or reported."""
    for future in futures:
        if future.done() and not future.cancelled():
            future.exception()  # retrieved: no "Future exception was never retrieved"
        future.cancel()
    for process in list((pool._processes or {}).values()):  # no public way before 3.14
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one: no fork of this threaded process (aiosqlite's thread)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
