"""The command line as a user runs it: real processes, real files."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import keep_startup_objects
from tests.conftest import ROOT

SAMPLE = ROOT / "bot" / "sandbox" / "sample"


def cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PAPERS_BOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_sandbox_plays_the_scene_from_any_directory(tmp_path: Path) -> None:
    done = cli("sandbox", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "minji › /paper query:2505.03011" in out
    assert "Tiny Recurrent Planners Beat Large Models on Grid Puzzles" in out
    assert "alex › /search query:강화 학습" in out and "강화 학습" in out
    assert "Results 6–9 of 9" in out  # the page turn
    assert "Subscribed #papers" in out
    assert "Daily Papers — 2025-05-09" in out
    assert "Last digest: 2025-05-09 (done" in out
    assert "Traceback" not in out + done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind in the working directory


def test_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    done = cli("run", "--db", str(tmp_path / "p.db"), cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    assert "DISCORD_TOKEN is not set" in done.stderr and "papers-bot sandbox" in done.stderr


def test_run_with_a_refused_token_never_prints_it(tmp_path: Path) -> None:
    secret = "MTIz.secret-token-value.abc"
    done = cli(
        "run",
        "--db",
        str(tmp_path / "p.db"),
        cwd=tmp_path,
        env={"DISCORD_TOKEN": secret, "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"},
        timeout=60,
    )
    assert done.returncode == 1
    assert "cannot reach Discord" in done.stderr
    assert secret not in done.stdout + done.stderr


def test_load_then_query_as_json(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    loaded = cli("load", str(SAMPLE), "--db", db, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "3 files, 3 sections, 13 entries: 12 new papers, 0 updated, 0 removed" in loaded.stdout
    again = cli("--db", db, "load", str(SAMPLE), cwd=tmp_path)
    assert "0 new papers, 0 updated" in again.stdout
    paper = json.loads(
        cli("show", "https://arxiv.org/pdf/2505.03011v2", "--json", "--db", db, cwd=tmp_path).stdout
    )
    assert paper["arxiv_id"] == "2505.03011" and paper["votes"] == 66
    assert paper["dates"] == ["2025-05-07", "2025-05-08"]
    assert set(paper) >= {"title", "authors", "thumbnail", "summary", "url"}
    found = json.loads(
        cli("search", "모델", "--json", "--limit", "100", "--db", db, cwd=tmp_path).stdout
    )
    assert len(found) == 9
    top = json.loads(cli("top", "--limit", "2", "--json", "--db", db, cwd=tmp_path).stdout)
    assert [p["votes"] for p in top] == [73, 66]
    day = json.loads(cli("digest", "2025-05-08", "--json", "--db", db, cwd=tmp_path).stdout)
    assert [p["arxiv_id"] for p in day][:2] == ["2505.04120", "2505.03011"]
    stats = json.loads(cli("stats", "--json", "--db", db, cwd=tmp_path).stdout)
    assert (stats["papers"], stats["days"], stats["appearances"]) == (12, 3, 13)


def test_load_reports_bad_files_and_entries_and_still_loads_the_rest(tmp_path: Path) -> None:
    good = tmp_path / "2025" / "05" / "09.md"
    good.parent.mkdir(parents=True)
    good.write_text(
        "## Daily Papers (2025-05-09)\n\n### [Good](https://arxiv.org/abs/2505.00001)\n\n- 요약\n\n"
        "### [Not a paper](https://example.org/x)\n\n- lost?\n",
        encoding="utf-8",
    )
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.md").write_bytes("## Daily Papers (2025-05-08)\ncaf\xe9".encode("latin-1"))
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    done = cli("load", str(tmp_path), "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{good}:7: " in done.stderr
    assert (
        "binary file" in done.stderr and "not UTF-8" in done.stderr and "empty file" in done.stderr
    )
    assert "1 new papers" in done.stdout


@pytest.mark.parametrize(
    "args",
    [["search"], ["show"], ["top", "--limit", "0"], ["search", "x", "--since", "2024-13-45"]],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    done = cli(*args, "--db", str(tmp_path / "p.db"), cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_a_broken_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "bot.yaml"
    config.write_text("daily:\n  tiem: '09:00'\n", encoding="utf-8")
    done = cli(
        "stats", "--config", str(config), "--db", str(tmp_path / "p.db"), cwd=tmp_path, timeout=30
    )
    assert done.returncode == 2
    assert "daily.tiem" in done.stderr and "Traceback" not in done.stderr


def test_start_up_objects_are_left_out_of_full_collections() -> None:
    gc.unfreeze()
    try:
        keep_startup_objects()
        assert gc.get_freeze_count() > 1000  # at least the modules' functions and classes
    finally:
        gc.unfreeze()
