"""The parser on the real digests in ../shared/digests, checked against an independent scan."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.digest.parse import parse
from bot.models import Entry, ParseResult

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "digests"
DAY_FILES = sorted(SHARED.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9].md"))
README = SHARED / "readme" / "README.md"
ALL_FILES = [*DAY_FILES, README]
PAPER_LINK = re.compile(r"(arxiv\.org/(abs|pdf)|huggingface\.co/papers)/\d{4}\.\d{4,5}")
FIELD_PREFIXES = ("Vote:", "Authors:", "![](", "[Watch Video](", "<div><video")
TOTAL_DAY_ENTRIES = 232  # 14 day files, counted by hand from their `### [` lines

pytestmark = pytest.mark.skipif(
    not DAY_FILES or not README.is_file(),
    reason=f"../shared/digests not present: {SHARED}",
)


def rel(path: Path) -> str:
    return str(path.relative_to(SHARED))


@dataclass
class Block:
    """What a plain scan of the file says about one paper heading and the lines below it."""

    line: int
    body: list[str]  # the lines up to the next heading

    def field(self, prefix: str) -> str | None:
        return next((b[len(prefix) :].strip() for b in self.body if b.startswith(prefix)), None)

    def votes(self) -> int | None:
        value = self.field("Vote:")
        return None if value in (None, "-") else int(value)

    def authors(self) -> tuple[str, ...]:
        value = self.field("Authors:")
        if value is None:
            return ()
        if value.startswith("["):
            quoted = re.findall(r"'([^']*)'|\"([^\"]*)\"", value)
            return tuple(a or b for a, b in quoted)
        return tuple(name.strip() for name in value.split(","))

    def thumbnail(self) -> str | None:
        for b in self.body:
            for prefix in ("![](", "[Watch Video]("):
                if b.startswith(prefix):
                    return b[len(prefix) : -1]
        return None

    def summary_lines(self) -> list[str]:
        return [b for b in self.body if b.strip() and not b.startswith(FIELD_PREFIXES)]


def scan(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Paper blocks inside Daily Papers sections, and the other non-empty lines in sections."""
    blocks: list[Block] = []
    loose: list[tuple[int, str]] = []
    in_section = False
    current: Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(("# ", "## ")):
            in_section = line.startswith("## Daily Papers (")
            current = None
            continue
        if not in_section:
            continue
        if line.startswith("### [") and PAPER_LINK.search(line):
            current = Block(number, [])
            blocks.append(current)
        elif current is not None:
            current.body.append(line)
        elif line.strip():
            loose.append((number, line))
    return blocks, loose


def all_entries(result: ParseResult) -> list[Entry]:
    return [e for s in result.sections for e in s.entries]


Parsed = dict[Path, tuple[str, ParseResult]]


@pytest.fixture(scope="module")
def parsed() -> Parsed:
    out: Parsed = {}
    for path in ALL_FILES:
        text = path.read_text(encoding="utf-8")
        out[path] = (text, parse(text))
    return out


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_real_file_parses_without_problems(path: Path, parsed: Parsed) -> None:
    _, result = parsed[path]
    assert result.problems == ()
    assert result.sections


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_every_paper_heading_becomes_an_entry(path: Path, parsed: Parsed) -> None:
    text, result = parsed[path]
    headings = [
        n
        for n, line in enumerate(text.split("\n"), start=1)
        if line.startswith("### [") and PAPER_LINK.search(line)
    ]
    assert [e.line for e in all_entries(result)] == headings
    lines = text.split("\n")
    for entry in all_entries(result):
        assert entry.arxiv_id in lines[entry.line - 1]


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_fields_match_an_independent_scan(path: Path, parsed: Parsed) -> None:
    text, result = parsed[path]
    blocks, _ = scan(text)
    found = all_entries(result)
    assert len(found) == len(blocks)
    for entry, block in zip(found, blocks, strict=True):
        where = f"{rel(path)}:{block.line}"
        assert entry.line == block.line, where
        assert entry.votes == block.votes(), where
        assert entry.authors == block.authors(), where
        assert entry.thumbnail == block.thumbnail(), where
        assert entry.title and entry.url.startswith("https://"), where


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_nothing_is_lost(path: Path, parsed: Parsed) -> None:
    """Every non-empty line in a section is a heading, a field, or in its entry's summary."""
    text, result = parsed[path]
    blocks, loose = scan(text)
    assert loose == []
    for entry, block in zip(all_entries(result), blocks, strict=True):
        kept = [line for line in entry.summary.split("\n") if line.strip()]
        assert kept == block.summary_lines(), f"{rel(path)}:{block.line}"
        assert entry.summary == entry.summary.strip("\n")
        assert "\n\n\n" not in entry.summary


def test_summary_keeps_markup_and_control_characters(parsed: Parsed) -> None:
    summaries = [e.summary for _, r in parsed.values() for e in all_entries(r)]
    assert any("\t" in s for s in summaries)  # a broken \textit in 2024-06-17
    assert any("\n  - " in s for s in summaries)  # nested bullets in 2023-11-20
    assert any(re.search(r"^1\. \*\*", s, re.M) for s in summaries)  # numbered, 2024-08-15
    assert any("- ***What's New***:" in s for s in summaries)
    assert any("- **What's New**:" in s for s in summaries)


def test_two_sections_of_the_same_day(parsed: Parsed) -> None:
    _, result = parsed[SHARED / "2024" / "10" / "18.md"]
    assert [s.day for s in result.sections] == [dt.date(2024, 10, 18)] * 2
    assert [len(s.entries) for s in result.sections] == [7, 2]
    assert [s.line for s in result.sections] == [1, 87]


def test_readme_holds_one_section_of_twenty_entries(parsed: Parsed) -> None:
    _, result = parsed[README]
    [section] = result.sections
    assert (section.day, section.line, len(section.entries)) == (dt.date(2025, 5, 9), 9, 20)


def test_day_files_hold_the_expected_number_of_entries(parsed: Parsed) -> None:
    total = sum(len(all_entries(parsed[p][1])) for p in DAY_FILES)
    assert len(DAY_FILES) == 14
    assert total == TOTAL_DAY_ENTRIES


def test_votes_dash_video_and_placeholder_author_are_read(parsed: Parsed) -> None:
    found = [e for _, r in parsed.values() for e in all_entries(r)]
    assert any(e.votes is None and e.thumbnail for e in found)  # `Vote: -`
    assert any(e.thumbnail and e.thumbnail.endswith(".mp4") for e in found)
    assert any("+" in e.authors for e in found)
    assert all(e.arxiv_id == e.arxiv_id.lower() and "v" not in e.arxiv_id for e in found)


def test_a_full_history_worth_of_digests_parses_whole() -> None:
    """About 360 days / 5,500 entries / 15 MB (the real files, repeated): every entry comes
    back (the speed of parsing and loading is measured by bench/ingest.py, not here)."""
    texts = [p.read_text(encoding="utf-8") for p in DAY_FILES]
    history: list[str] = []
    size = papers = 0
    while size < 15_000_000 or papers < 5_500:
        history.extend(texts)
        size += sum(len(t.encode()) for t in texts)
        papers += TOTAL_DAY_ENTRIES
    count = sum(len(all_entries(parse(t))) for t in history)
    assert count == papers >= 5_500
