"""Bulk loads: many files are parsed in a second process; the store ends up the same."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.digest import ingest
from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import day_path, write_day
from bot.store import PaperStore
from tests.conftest import ROOT
from tests.polling import eventually_blocking
from tests.test_cli import cli

FIRST = dt.date(2025, 3, 3)
BUILT_DAY = dt.date(2025, 5, 12)


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
    assert days == [f"2025-05-09   20 papers  {logs}, {readme}", "1 day"]
    listed = json.loads(cli("days", "--json", "--db", db, cwd=tmp_path).stdout)
    sources = [str(logs), str(readme)]
    assert listed == [
        {"date": "2025-05-09", "papers": 20, "sources": sources, "built": [], "complete": []}
    ]


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


# -- finding files --------------------------------------------------------------------------------


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs"
    for day in ("01", "02"):
        path = root / "2025" / "05" / f"{day}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_day_text(FIRST, int(day)), encoding="utf-8")
    (tmp_path / "elsewhere.md").write_text(_day_text(FIRST, 9), encoding="utf-8")
    return root


REAL = ["2025/05/01.md", "2025/05/02.md"]


@pytest.mark.parametrize(
    ("link", "target"),
    [("2025/loop", "."), ("2025/05/loop", "../.."), ("up", ".."), ("2025/05/up", "../../..")],
)
def test_walks_and_globs_do_not_follow_symlinked_folders(
    logs: Path, link: str, target: str
) -> None:
    (logs / link).symlink_to(target, target_is_directory=True)
    for arg in (f"{logs}/**/*.md", f"{logs}/**", str(logs)):
        files, missing = ingest.find_files([arg])
        assert [p.relative_to(logs).as_posix() for p in files] == REAL, arg
        assert missing == []


def test_a_file_reached_twice_is_loaded_once(logs: Path) -> None:
    (logs / "2025" / "05" / "again.md").symlink_to("01.md")
    args = [str(logs), f"{logs}/2025/05/01.md", f"{logs}/2025/*/*.md", f"{logs}/2025/../2025"]
    files, _ = ingest.find_files(args)
    assert [p.relative_to(logs).as_posix() for p in files] == REAL


def test_recursive_globs_match_as_glob_does(logs: Path) -> None:
    (logs / ".git").mkdir()
    (logs / ".git" / "x.md").write_text("hidden", encoding="utf-8")
    (logs / "2025" / "05" / "notes.txt").write_text("not markdown", encoding="utf-8")
    found = {
        pattern: [p.relative_to(logs).as_posix() for p in ingest.find_files([pattern])[0]]
        for pattern in (f"{logs}/**/0[12].md", f"{logs}/2025/**/02.md", f"{logs}/**/*.txt")
    }
    assert list(found.values()) == [REAL, ["2025/05/02.md"], ["2025/05/notes.txt"]]
    assert ingest.find_files([f"{logs}/**/*.pdf"]) == ([], [f"{logs}/**/*.pdf: no files match"])


# -- stopping a load ------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize(
    ("how", "status", "line"),
    [
        ("SIGTERM to the process", 143, "papers-bot: stopped (SIGTERM)"),
        ("SIGTERM to the group", 143, "papers-bot: stopped (SIGTERM)"),  # docker, systemd
        ("Ctrl-C (SIGINT to the group)", 130, "papers-bot: interrupted"),
    ],
)
def test_a_signal_stops_a_parallel_load_and_every_process_it_started(
    tmp_path: Path, how: str, status: int, line: str
) -> None:
    folder = tmp_path / "paper_logs"
    for n in range(5 * ingest.PARALLEL_MIN_FILES):  # well past the point a worker starts
        day = FIRST + dt.timedelta(days=n)
        path = folder / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_day_text(day, n), encoding="utf-8")
    load = subprocess.Popen(
        [sys.executable, "-m", "bot", "load", str(folder), "--db", str(tmp_path / "p.db")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        # resource tracker, forkserver and the worker it forked: the pool is up
        eventually_blocking(lambda: len(_descendants(load.pid)) >= 3 or load.poll() is not None, 60)
        started = _descendants(load.pid)
        assert load.poll() is None, load.communicate()
        if how == "SIGTERM to the process":
            load.send_signal(signal.SIGTERM)
        else:  # Ctrl-C: a terminal signals the whole foreground group
            os.killpg(load.pid, signal.SIGTERM if how.startswith("SIGTERM") else signal.SIGINT)
        out, err = load.communicate(timeout=30)  # no child may hold stdout or stderr open
        assert (load.returncode, out, err) == (status, "", line + "\n")
        eventually_blocking(lambda: not any(_running(pid) for pid in started), 5)
    finally:  # whatever failed, leave nothing of this test running
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(load.pid, signal.SIGKILL)
        load.wait()


def test_a_folder_of_built_days_loads_as_built_and_days_says_so(tmp_path: Path) -> None:
    korean, built = tmp_path / "paper_logs" / "12.md", day_path(tmp_path / "built", BUILT_DAY)
    korean.parent.mkdir()
    built.parent.mkdir(parents=True)
    korean.write_text(
        "## Daily Papers (2025-05-12)\n\n### [K](https://arxiv.org/abs/2505.00001)\n\n- 요약\n"
    )
    papers = [HfPaper("2505.00001", "B", "Abstract."), HfPaper("2505.00002", "C", "Other.")]
    built.write_text(write_day(BUILT_DAY, papers))
    db = str(tmp_path / "p.db")
    assert (
        cli("load", str(tmp_path / "built"), str(korean), "--db", db, cwd=tmp_path).returncode == 0
    )
    days = cli("days", "--db", db, cwd=tmp_path).stdout.splitlines()
    early = "(built from Hugging Face, before the day was complete)"
    assert days == [f"2025-05-12    2 papers  {korean}, {built} {early}", "1 day"]
    (listed,) = json.loads(cli("days", "--json", "--db", db, cwd=tmp_path).stdout)
    assert (listed["sources"], listed["built"]) == ([str(korean), str(built)], [str(built)])
    assert listed["complete"] == []
    built.write_text(write_day(BUILT_DAY, papers, complete=True))
    assert cli("load", str(built), "--db", db, cwd=tmp_path).returncode == 0
    days = cli("days", "--db", db, cwd=tmp_path).stdout.splitlines()
    assert days == [f"2025-05-12    2 papers  {korean}, {built} (built from Hugging Face)", "1 day"]
    (listed,) = json.loads(cli("days", "--json", "--db", db, cwd=tmp_path).stdout)
    assert listed["complete"] == [str(built)]
    shown = json.loads(cli("digest", "2025-05-12", "--json", "--db", db, cwd=tmp_path).stdout)
    assert [p["title"] for p in shown] == ["K", "C"]  # the Korean digest leads its day
