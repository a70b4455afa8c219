"""Bulk loads: many files are parsed in a second process; the store ends up the same."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.digest import ingest
from bot.digest.parse import parse
from bot.store import PaperStore
from tests.test_cli import cli

FIRST = dt.date(2025, 3, 3)


def _day_text(day: dt.date, n: int) -> str:
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i in range(3):
        arxiv_id = f"2503.{1000 + n * 10 + i:05d}" if i else "2503.00001"  # one on every day
        lines += [
            f"### [Study {n}-{i}: 확산 모델의 추론](https://arxiv.org/abs/{arxiv_id})",
            f"Vote: {n + i}",
            "",
            f"- Authors: Hana Seo, Author {n}",
            "",
            f"- ***What's New***: 언어 모델을 {n}번 개선했습니다. diffusion step {i}",
            "",
        ]
    return "\n".join(lines)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "paper_logs"
    for n in range(40):
        day = FIRST + dt.timedelta(days=n)
        path = root / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_day_text(day, n), encoding="utf-8")
    (root / "2025" / "03" / "broken.md").write_bytes(b"\xff\xfe\x00binary\x00")
    return root


async def _load(db: Path, folder: Path) -> tuple[ingest.LoadReport, list[object]]:
    files, _ = ingest.find_files([str(folder)])
    async with await PaperStore.open(db) as store:
        report = await ingest.load_files(store, files)
        page = await store.search("모델", limit=1000)
        everything = [p.to_json() for p in page.papers]
        shared = await store.get("2503.00001")
        assert shared is not None
        return report, [*everything, shared.to_json(), (await store.stats()).to_json()]


async def test_a_load_in_two_processes_equals_one_in_one(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, stored_alone = await _load(tmp_path / "one.db", folder)
    monkeypatch.setattr(ingest, "BATCH_FILES", 4)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 8)
    shared, stored_shared = await _load(tmp_path / "two.db", folder)

    assert stored_shared == stored_alone
    assert shared.summary_line() == alone.summary_line()
    assert shared.files == 40 and shared.new_papers == 81
    assert len(shared.skipped) == 1 and "broken.md" in shared.skipped[0]
    featured = stored_shared[-2]
    assert isinstance(featured, dict) and len(featured["dates"]) == 40
    assert featured["votes"] == 39  # the latest day's


async def test_progress_counts_every_file(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BATCH_FILES", 4)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 8)
    files, _ = ingest.find_files([str(folder)])
    seen: list[int] = []
    async with await PaperStore.open(tmp_path / "p.db") as store:
        await ingest.load_files(store, files, lambda done, total, _name: seen.append(done))
    assert seen == sorted(seen) and seen[-1] == len(files) == 41


DAY = dt.date(2025, 5, 9)


def _checkout(root: Path, shared: Path, first: int = 8) -> tuple[Path, Path]:
    """A checkout of the source project: its README carrying the day's first `first` papers,
    paper_logs/2025/05/09.md all 20, and other markdown (README.md, docs) with no digest."""
    readme = (shared / "readme" / "README.md").read_text(encoding="utf-8")
    head, heading, rest = readme.partition(f"## Daily Papers ({DAY.isoformat()})")
    day_text, footer_heading, footer = rest.partition("\n## License")
    pre, *entries = day_text.split("\n### [")
    partial = pre + "".join("\n### [" + e for e in entries[:first])
    (root / "README.md").write_text(head + heading + partial + footer_heading + footer, "utf-8")
    logs = root / "paper_logs" / "2025" / "05" / "09.md"
    logs.parent.mkdir(parents=True)
    logs.write_text((shared / "2025" / "05" / "09.md").read_text(encoding="utf-8"), "utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("# Notes\n\nNothing to load here.\n", "utf-8")
    return root / "README.md", logs


@pytest.mark.parametrize("order", ["readme first", "paper_logs first", "one load"])
async def test_a_readme_holding_part_of_a_day_takes_none_of_it_away(
    tmp_path: Path, shared_digests: Path, order: str
) -> None:
    readme, logs = _checkout(tmp_path, shared_digests)
    async with await PaperStore.open(tmp_path / "p.db") as store:
        if order == "one load":
            files, _ = ingest.find_files([str(tmp_path)])
            reports = [await ingest.load_files(store, files)]
        else:
            pair = [readme, logs] if order == "readme first" else [logs, readme]
            reports = [await ingest.load_files(store, [path]) for path in pair]
        digest = await store.digest(DAY)
        days = await store.days()
        papers = (await store.stats()).papers
    published = parse(logs.read_text(encoding="utf-8")).sections[0].entries
    assert digest is not None
    assert [p.arxiv_id for p in digest.papers] == [e.arxiv_id for e in published]
    assert papers == 20 and sum(r.new_papers for r in reports) == 20
    assert [(d.day, d.papers, d.sources) for d in days] == [(DAY, 20, (str(logs), str(readme)))]


async def test_an_entry_leaves_a_day_only_when_no_file_holds_it(
    tmp_path: Path, shared_digests: Path
) -> None:
    source = (shared_digests / "2025" / "05" / "09.md").read_text(encoding="utf-8")
    pre, *entries = source.split("\n### [")
    logs, copy = tmp_path / "09.md", tmp_path / "copy.md"
    logs.write_text(pre + "".join("\n### [" + e for e in entries[:16]), "utf-8")
    copy.write_text(pre + "\n### [" + entries[1], "utf-8")  # a copy of its second paper
    async with await PaperStore.open(tmp_path / "p.db") as store:
        first = await ingest.load_files(store, [logs, copy])
        published = parse(logs.read_text("utf-8")).sections[0].entries
        gone = published[2:16]
        logs.write_text(pre + "\n### [" + entries[0], "utf-8")  # 15 of its 16 entries removed
        again = await ingest.load_files(store, [logs])
        digest = await store.digest(DAY)
        stats = await store.stats()
        assert digest is not None
        assert [p.arxiv_id for p in digest.papers] == [e.arxiv_id for e in published[:2]]
        names = {a for p in digest.papers for a in p.authors}
        orphans = {a for e in gone for a in e.authors} - names
        offered = {n for a in orphans for n in await store.author_suggestions(a)}
    assert (first.new_papers, first.updated_papers, first.removed_papers) == (16, 0, 0)
    assert (again.new_papers, again.updated_papers, again.removed_papers) == (0, 0, 14)
    assert "0 new papers, 0 updated, 14 removed" in again.summary_line()
    assert stats.papers == 2 and stats.authors == len(names)
    assert orphans and not offered & orphans  # no name that would answer "No papers match"


def test_loading_a_whole_checkout_of_the_source_project(
    tmp_path: Path, shared_digests: Path
) -> None:
    root = tmp_path / "daily_papers_ko"
    root.mkdir()
    readme, logs = _checkout(root, shared_digests)
    db = str(tmp_path / "p.db")
    loaded = cli("load", str(root), "--db", db, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "3 files, 2 sections, 28 entries: 20 new papers, 0 updated, 0 removed" in loaded.stdout
    days = cli("days", "--db", db, cwd=tmp_path).stdout.splitlines()
    assert days == [f"2025-05-09   20 papers  {logs}, {readme}", "1 days"]
    listed = json.loads(cli("days", "--json", "--db", db, cwd=tmp_path).stdout)
    assert listed == [{"date": "2025-05-09", "papers": 20, "sources": [str(logs), str(readme)]}]


async def test_a_file_is_one_file_however_its_path_is_spelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = tmp_path / "paper_logs" / "2025" / "03" / "03.md"
    logs.parent.mkdir(parents=True)
    logs.write_text(_day_text(FIRST, 0), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    async with await PaperStore.open(tmp_path / "p.db") as store:
        await ingest.load_files(store, [Path("paper_logs/2025/03/03.md")])
        head, first, *_ = _day_text(FIRST, 0).split("\n### [")
        logs.write_text(head + "\n### [" + first, encoding="utf-8")  # its first paper only
        report = await ingest.load_files(store, [logs])
        days = await store.days()
    assert report.removed_papers == 2
    assert [(d.papers, d.sources) for d in days] == [(1, (str(logs),))]


async def test_a_file_with_no_digest_left_withdraws_what_it_held(tmp_path: Path) -> None:
    digest = tmp_path / "2025-03-03.md"
    digest.write_text(_day_text(FIRST, 0), encoding="utf-8")
    async with await PaperStore.open(tmp_path / "p.db") as store:
        await ingest.load_files(store, [digest])
        digest.write_text("# Moved\n\nThe digests live in paper_logs/ now.\n", encoding="utf-8")
        report = await ingest.load_files(store, [digest])
        stats = await store.stats()
    assert report.removed_papers == 3 and "nothing to load" in report.notes[0]
    assert (stats.papers, stats.days, stats.authors) == (0, 0, 0)
