"""Bulk loads: many files are parsed in a second process; the store ends up the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.digest import ingest
from bot.store import PaperStore

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
