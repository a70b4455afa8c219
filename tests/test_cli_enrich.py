"""`papers-bot enrich` in this process against the fake Hugging Face API (in a thread of its
own), and the enrichment fields of the JSON output; one real process stopped with Ctrl-C
mid-run and run again."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.cli.load import ProgressBar
from papers_sandbox.huggingface import FakeHuggingFace
from tests.conftest import ROOT
from tests.enrich_support import Listed, abstract_of, corpus, fake_in_thread, seed, write_digests
from tests.polling import eventually
from tests.test_cli import cli


def enriched_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        (n,) = conn.execute("SELECT count(*) FROM enrichment").fetchone()
    conn.close()
    return int(n)


def test_enrich_backfills_and_json_output_carries_the_fields(tmp_path: Path) -> None:
    base = corpus(3, 3)
    unknown = Listed(base[4].arxiv_id, base[4].day, known=False)
    papers = [unknown if p == base[4] else p for p in base]
    write_digests(tmp_path / "logs", papers)
    assert cli("load", "logs", cwd=tmp_path).returncode == 0
    hf = FakeHuggingFace()
    seed(hf, papers)
    with fake_in_thread(hf) as url:
        env = {"PAPERS_BOT_HF_API": url}
        ran = cli("enrich", cwd=tmp_path, env=env)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.startswith(
            "enriched 8 papers (3 with code), 1 not on Hugging Face, 0 left for a later run; "
            "0 enriched recently, not asked; 3 days read, 1 paper asked alone"
        )
        again = cli("enrich", "--json", cwd=tmp_path, env=env)
    assert again.returncode == 0
    assert json.loads(again.stdout) | {"problems": []} == {
        "due": 0,
        "fresh": 9,
        "enriched": 0,
        "with_code": 0,
        "not_found": 0,
        "left": 0,
        "listings": 0,
        "alone": 0,
        "problems": [],
    }
    assert hf.count("/api/daily_papers") == 3  # the second run asked nothing

    coded = papers[0]
    shown = json.loads(cli("show", coded.arxiv_id, "--json", cwd=tmp_path).stdout)
    assert shown["abstract"] == abstract_of(coded.arxiv_id)
    assert (shown["github_repo"], shown["github_stars"], shown["upvotes"]) == (
        coded.github_repo,
        7,
        100,
    )
    assert shown["project_page"].startswith("https://") and shown["enriched_at"]
    assert shown["votes"] == 1  # the digest's own field, as published
    found = json.loads(cli("search", "Paper", "--json", "--limit", "100", cwd=tmp_path).stdout)
    missing = next(p for p in found if p["arxiv_id"] == unknown.arxiv_id)
    assert missing["abstract"] is None and missing["enriched_at"]  # asked: not on Hugging Face
    day = json.loads(cli("digest", papers[0].day.isoformat(), "--json", cwd=tmp_path).stdout)
    assert [p["abstract"] for p in day] == [abstract_of(p.arxiv_id) for p in papers[:3]]


def test_enrich_limits_to_the_days_asked_and_checks_its_options(tmp_path: Path) -> None:
    papers = corpus(4, 2)
    write_digests(tmp_path / "logs", papers)
    assert cli("load", "logs", cwd=tmp_path).returncode == 0
    hf = FakeHuggingFace()
    seed(hf, papers)
    hf.faults.rate_limited, hf.faults.retry_after = 2, 0.05  # two 429s first: waited out
    with fake_in_thread(hf) as url:
        env = {"PAPERS_BOT_HF_API": url}
        second, third = papers[2].day.isoformat(), papers[4].day.isoformat()
        ran = cli("enrich", "--since", second, "--until", third, cwd=tmp_path, env=env)
        assert ran.returncode == 0 and ran.stdout.startswith("enriched 4 papers")
        backwards = cli("enrich", "--since", third, "--until", second, cwd=tmp_path, env=env)
        assert backwards.returncode == 2
        assert "--since is after --until" in backwards.stderr
        bad = cli("enrich", "--since", "2025-02-30", cwd=tmp_path, env=env)
        assert bad.returncode == 2 and "not a date; use YYYY-MM-DD" in bad.stderr
        none = cli("enrich", "--db", "nowhere.db", cwd=tmp_path, env=env)
        assert none.returncode == 2 and "no database at nowhere.db" in none.stderr
    assert [r.status for r in hf.requests] == [429, 429, 200, 200]
    assert sorted(r.query["date"] for r in hf.requests[2:]) == [second, third]
    assert enriched_rows(tmp_path / "papers.db") == 4


def test_the_progress_bar_counts_papers_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen, unit="papers")
    bar(0, 4, "day 2025-03-03")
    bar(2, 4, "2503.00001")
    bar.end()  # stopped short: the line is ended
    assert screen.getvalue() == (
        f"\r[{'-' * 30}] 0/4 papers  {'day 2025-03-03':<40}"
        f"\r[{'#' * 15}{'-' * 15}] 2/4 papers  {'2503.00001':<40}\n"
    )
    assert not ProgressBar(io.StringIO()).__dict__["_on"]


async def test_ctrl_c_keeps_what_was_fetched_and_a_rerun_continues(tmp_path: Path) -> None:
    papers = corpus(40, 3)
    write_digests(tmp_path / "logs", papers)
    db = tmp_path / "papers.db"
    hf = FakeHuggingFace()
    seed(hf, papers)
    await hf.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PAPERS_BOT_"))}
    env |= {"PYTHONPATH": str(ROOT), "PAPERS_BOT_HF_API": hf.base}

    async def papers_bot(*args: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, "--db", str(db), cwd=tmp_path, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip

    try:
        load = await papers_bot("load", "logs")
        assert await load.wait() == 0
        hf.faults.delay = 0.05  # a slow API: the run is under way when Ctrl-C comes
        first = await papers_bot("enrich")
        await eventually(lambda: db.exists() and enriched_rows(db) >= 9, 60, "no progress")
        first.send_signal(signal.SIGINT)
        _, err = await first.communicate()
        assert first.returncode == 130, err.decode()
        kept = enriched_rows(db)
        assert 9 <= kept < 120
        assert "run it again to continue" in err.decode()
        assert "Traceback" not in err.decode()
        asked = hf.count("/api/daily_papers")
        hf.faults.delay = 0.0
        second = await papers_bot("enrich")
        out, err = await second.communicate()
        assert second.returncode == 0, err.decode()
    finally:
        await hf.stop()
    assert out.decode().startswith(f"enriched {120 - kept} papers")
    assert enriched_rows(db) == 120
    # the rerun read only the days left (the one cut short, at most, again)
    assert asked + 40 - kept // 3 <= hf.count("/api/daily_papers") <= asked + 41 - kept // 3
