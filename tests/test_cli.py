"""The command line as a user runs it, on real files.

Commands run in this process through `bot.cli.main.main(argv)` (`cli`), with their output,
exit status, working directory and environment as a user's shell would give them. A few run
as real processes (`process`): the end-to-end smoke test, output into a closed pipe, and the
read-only runs that need the process's capabilities dropped (`setpriv`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cli.main import main
from bot.cli.output import count
from bot.store.db import migrations
from tests.conftest import ROOT

SAMPLE = ROOT / "papers_sandbox" / "sample"


def schema_version() -> int:
    return max(version for version, _, _ in migrations())


@dataclass(frozen=True)
class Ran:
    """What a command left: its exit status and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    """os.environ without the test runner's DISCORD_* / PAPERS_BOT_* variables, plus `env`."""
    saved = dict(os.environ)
    for key in [k for k in os.environ if k.startswith(("DISCORD_", "PAPERS_BOT_"))]:
        del os.environ[key]
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Ran:
    """`papers-bot ARGS` run in `cwd` with `env` set, in this process (from a test without an
    event loop of its own: the command runs one)."""
    with contextlib.suppress(RuntimeError):
        asyncio.get_running_loop()
        raise AssertionError("cli() from a coroutine: make the test a plain def")
    out, err = io.StringIO(), io.StringIO()
    endpoints = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)  # `run` points discord.py
    try:
        with (
            _environment(env),
            contextlib.chdir(cwd),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                status = main(list(args))
            except SystemExit as exc:  # argparse's usage errors and --help
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = endpoints
        gc.unfreeze()  # `run` freezes what start-up built, here the test process's objects
    return Ran(status, out.getvalue(), err.getvalue())


def process(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """`papers-bot ARGS` as a separate process (after `prefix`, e.g. setpriv)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PAPERS_BOT_"))}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_sandbox_plays_the_scene_from_any_directory(tmp_path: Path) -> None:
    done = process("sandbox", cwd=tmp_path)  # the end-to-end smoke test: a real process
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "minji › /paper query:2505.03011" in out
    assert "Tiny Recurrent Planners Beat Large Models on Grid Puzzles" in out
    assert "alex › /search query:강화 학습" in out and "강화 학습" in out
    assert "Results 6–9 of 9" in out  # the page turn
    assert "Subscribed #papers" in out
    assert "Daily Papers — 2025-05-09" in out
    assert "Last digest: 2025-05-09 (done" in out
    assert "no Korean digest, so the day is built from Hugging Face" in out
    assert "Daily Papers — 2025-05-12" in out and "Sparse Mixture Routers Learn to Plan" in out
    assert "*(English)*" in out and "Last digest: 2025-05-12 (done" in out
    assert "minji › /follow keyword words:강화 학습" in out  # a follow, then the next day's alert
    assert "(a direct message to minji)" in out and "Daily Papers 2025-05-13: 맞는 논문 1편" in out
    assert "팔로우: 단어 `강화 학습`" in out
    assert "picks '1. Sparse Mixture Routers Learn to Plan' in “Save one of these…”" in out
    assert "🔖 Saved · 1 paper in your list" in out
    assert "📎 saved-papers-2025-05-13.bib" in out and "│ @misc{kim2025_2505.06001," in out
    assert "Traceback" not in out + done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind in the working directory


def test_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    done = cli("run", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
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


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ["search"],
        ["show"],
        ["top", "--limit", "0"],
        ["search", "x", "--since", "2024-13-45"],
        ["search", "x", "--limit", HUGE],
        ["search", "x", "--offset", HUGE],
        ["search", "x", "--min-votes", HUGE],
        ["top", "--offset", HUGE],
        ["author", "x", "--limit", HUGE],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    done = cli(*args, "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_a_broken_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "bot.yaml"
    config.write_text("daily:\n  tiem: '09:00'\n", encoding="utf-8")
    done = cli("stats", "--config", str(config), "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert done.returncode == 2
    assert "daily.tiem" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample digests loaded once; tests copy it before changing anything."""
    folder = tmp_path_factory.mktemp("sample")
    loaded = cli("load", str(SAMPLE), "--db", str(folder / "p.db"), cwd=folder)
    assert loaded.returncode == 0, loaded.stderr
    return folder / "p.db"


def copy_db(sample_db: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_db, to / "p.db")
    return to / "p.db"


@pytest.mark.parametrize("as_json", [False, True])
def test_output_into_a_closed_pipe_stops_quietly(
    sample_db: Path, tmp_path: Path, as_json: bool
) -> None:
    """`papers-bot search 모델 | head -1`: the reader is gone before the output is."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "search", "모델", "--db", str(sample_db)]
            + (["--json"] if as_json else []),
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_folder_as_the_database_is_one_clear_line(tmp_path: Path) -> None:
    for command in (["stats"], ["load", str(SAMPLE)]):
        done = cli(*command, "--db", str(tmp_path), cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr == f"papers-bot: {tmp_path} is a folder, not a database file\n"


def test_a_database_that_cannot_be_opened_is_one_clear_line(
    sample_db: Path, tmp_path: Path
) -> None:
    db = copy_db(sample_db, tmp_path / "db")
    db.chmod(0o000)
    done = process("stats", "--db", str(db), cwd=tmp_path, prefix=_without_root_override())
    assert done.returncode == 2
    assert done.stderr == f"papers-bot: cannot open database {db}: unable to open database file\n"


QUERIES = [["stats"], ["search", "모델"], ["show", "2505.03011"]]  # one open path for all


@pytest.mark.parametrize("command", [*QUERIES, ["sync"]])
def test_only_load_and_run_create_a_database(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "dat" / "papres.db"
    done = cli(*command, "--db", str(typo), cwd=tmp_path, env={"DISCORD_TOKEN": "x.y.z"})
    assert done.returncode == 2
    assert done.stderr.startswith(f"papers-bot: no database at {typo} "), done.stderr
    assert list(tmp_path.iterdir()) == []  # no folder, no empty database


def test_load_creates_the_database_and_its_folders(tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "p.db"
    assert cli("load", str(SAMPLE), "--db", str(db), cwd=tmp_path).returncode == 0
    assert json.loads(cli("stats", "--json", "--db", str(db), cwd=tmp_path).stdout)["papers"] == 12


def test_a_database_name_may_hold_any_character(tmp_path: Path) -> None:
    db = tmp_path / "papers?v=1#a%20b.db"
    assert cli("load", str(SAMPLE), "--db", str(db), cwd=tmp_path).returncode == 0
    assert json.loads(cli("stats", "--json", "--db", str(db), cwd=tmp_path).stdout)["papers"] == 12
    assert [p.name for p in tmp_path.iterdir()] == [db.name]


def _without_root_override() -> tuple[str, ...]:
    """Root writes read-only files anyway: run the command without that capability."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a file read-only")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.mark.parametrize("command", QUERIES)
def test_query_commands_read_a_read_only_database(
    sample_db: Path, tmp_path: Path, command: list[str]
) -> None:
    db = copy_db(sample_db, tmp_path / "ro")
    db.chmod(0o444)
    db.parent.chmod(0o555)
    before = db.stat().st_mtime_ns
    try:
        done = process(
            *command, "--json", "--db", str(db), cwd=tmp_path, prefix=_without_root_override()
        )
    finally:
        db.parent.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
    assert sorted(p.name for p in db.parent.iterdir()) == ["p.db"]  # no -wal, no -shm
    assert db.stat().st_mtime_ns == before


def test_a_query_leaves_nothing_beside_the_database(sample_db: Path, tmp_path: Path) -> None:
    db = copy_db(sample_db, tmp_path / "db")
    assert cli("search", "모델", "--db", str(db), cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["p.db"]  # no -wal, no -shm


def test_a_read_only_database_that_needs_an_upgrade_says_so(
    sample_db: Path, tmp_path: Path
) -> None:
    db = copy_db(sample_db, tmp_path / "ro")
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {schema_version() - 1}")
    conn.close()
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        done = process("stats", "--db", str(db), cwd=tmp_path, prefix=_without_root_override())
    finally:
        db.parent.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr == (
        f"papers-bot: {db} needs upgrading to schema version {schema_version()} and is "
        "read-only here: run any papers-bot load on it once with write access\n"
    )


@pytest.mark.parametrize("command", [["stats"], ["search", "모델"], ["load", str(SAMPLE)], ["run"]])
def test_a_database_newer_than_the_code_is_refused(
    sample_db: Path, tmp_path: Path, command: list[str]
) -> None:
    db = copy_db(sample_db, tmp_path / "db")
    newer = schema_version() + 1
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db.read_bytes()
    done = cli(
        *command,
        "--db",
        str(db),
        cwd=tmp_path,
        env={"DISCORD_TOKEN": "x.y.z", "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"},
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"papers-bot: {db} has schema version {newer}, newer than this papers-bot knows "
        f"({schema_version()}): use a newer papers-bot\n"
    )
    assert db.read_bytes() == before  # not switched to WAL, not migrated, nothing written


def test_an_offset_past_the_end_says_how_many_there_are(sample_db: Path, tmp_path: Path) -> None:
    done = cli("search", "모델", "--offset", "300", "--db", str(sample_db), cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "No results from 301 on: 9 matches in all."


@pytest.mark.parametrize("token", ["MTIz.abc\nX-Evil: 1", "MTIz.a\x07bc", "MTIz ab"])
def test_a_malformed_token_is_named_not_printed(tmp_path: Path, token: str) -> None:
    done = cli(
        "run",
        "--db",
        str(tmp_path / "p.db"),
        cwd=tmp_path,
        env={"DISCORD_TOKEN": token, "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"},
    )
    assert done.returncode == 2
    assert "the token in DISCORD_TOKEN is malformed" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert "MTIz" not in done.stdout + done.stderr


async def test_a_sigterm_while_the_store_closes_still_closes_it() -> None:
    """SIGTERM cancels the command; arriving during the close (a load's worker killed by the
    same signal fails the load first), the close must still finish: an open connection's
    thread would keep the process alive after its last line."""
    from bot.cli.main import _uninterrupted

    release, closed = asyncio.Event(), asyncio.Event()

    async def close() -> None:
        await release.wait()
        closed.set()

    task = asyncio.ensure_future(_uninterrupted(close()))
    await asyncio.sleep(0)  # the close is under way
    task.cancel()
    await asyncio.sleep(0)
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert closed.is_set()


def test_counts_read_as_english() -> None:
    assert [count(1, "paper"), count(2, "paper"), count(1, "match"), count(0, "match")] == [
        "1 paper",
        "2 papers",
        "1 match",
        "0 matches",
    ]
    assert count("more than 20,000", "match") == "more than 20,000 matches"
