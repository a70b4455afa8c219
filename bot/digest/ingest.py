"""Loading digest files into the store: find files, read them safely, parse, write, report."""

from __future__ import annotations

import glob
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.digest.parse import parse
from bot.models import ParseResult
from bot.store import IngestStats, PaperStore

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 8 * 1024 * 1024  # the largest real digest is ~100 KB
BATCH_FILES = 32  # files written per transaction
Progress = Callable[[int, int, str], None]


class UnreadableDigest(Exception):
    """A file that is not a digest we can read (binary, not UTF-8, empty, too large)."""


@dataclass
class LoadReport:
    """Totals over a load, and every place something could not be taken."""

    files: int = 0
    sections: int = 0
    entries: int = 0
    new_papers: int = 0
    updated_papers: int = 0
    rejected: list[str] = field(default_factory=list)  # "file:line: why"
    skipped: list[str] = field(default_factory=list)  # "file: why"
    notes: list[str] = field(default_factory=list)  # files that hold no digest section

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.skipped

    def summary_line(self) -> str:
        line = (
            f"{self.files} files, {self.sections} sections, {self.entries} entries: "
            f"{self.new_papers} new papers, {self.updated_papers} updated, "
            f"{len(self.rejected)} rejected entries, {len(self.skipped)} skipped files"
        )
        return line


def find_files(args: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files named directly, found under folders (recursive *.md) or matched by globs."""
    files: list[Path] = []
    missing: list[str] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            files.append(path)
        elif glob.has_magic(arg):
            matched = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
            files.extend(matched) if matched else missing.append(f"{arg}: no files match")
        else:
            missing.append(f"{arg}: no such file or folder")
    return list(dict.fromkeys(files)), missing


def decode_digest(data: bytes, name: str) -> str:
    """Digest text from raw bytes; raises UnreadableDigest with a reason a person can act on."""
    if not data.strip():
        raise UnreadableDigest(f"{name}: empty file")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDigest(f"{name}: {len(data)} bytes is over the {MAX_FILE_BYTES} byte cap")
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
    report.new_papers += stats.new_papers
    report.updated_papers += stats.updated_papers
    report.rejected.extend(f"{source}:{p.line}: {p.reason}" for p in stats.problems)


async def load_text(store: PaperStore, source: str, text: str, report: LoadReport) -> None:
    """Parse one digest text and write it; problems go into the report as file:line."""
    result = parse(text)
    _account(report, source, result, await store.ingest(source, result))


async def load_files(
    store: PaperStore, files: list[Path], progress: Progress | None = None
) -> LoadReport:
    """Load every file (a batch per transaction); unreadable ones are reported and skipped."""
    report = LoadReport()
    for start in range(0, len(files), BATCH_FILES):
        batch: list[tuple[str, ParseResult]] = []
        for path in files[start : start + BATCH_FILES]:
            try:
                batch.append((str(path), parse(read_digest(path))))
            except UnreadableDigest as exc:
                log.warning("skipped %s", exc)
                report.skipped.append(str(exc))
        for (source, result), stats in zip(batch, await store.ingest_many(batch), strict=True):
            _account(report, source, result, stats)
        if progress:
            done = min(start + BATCH_FILES, len(files))
            progress(done, len(files), str(files[done - 1]))
    return report
