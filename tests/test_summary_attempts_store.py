"""SummaryAttemptStore on a real SQLite file: failures counted apart from transient ones, a
success forgetting them, a built day's Korean summaries counted; migration 015 in place."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import ENGLISH_MARK, write_day
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore
from bot.store.summary_attempts import Attempts, SummaryAttemptStore

T0 = dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 1, 2)
BULLETS = ("***What's New***: 새로운 점.",)


async def test_counted_and_transient_failures_and_a_success(tmp_path: Path) -> None:
    async with await PaperStore.open(tmp_path / "p.db") as store:
        attempts = SummaryAttemptStore(store.db)
        later = T0 + dt.timedelta(hours=1)
        await attempts.record(counted={"2601.00001": "unusable"}, transient={"2601.00002": "503"},
                              now=T0)  # fmt: skip
        await attempts.record(transient={"2601.00001": "timeout", "2601.00002": "429"}, now=later)
        await attempts.record(counted={"2601.00001": "unusable again"}, now=later)
        got = await attempts.attempts(["2601.00001", "2601.00002", "2601.00003"])
        assert got == {
            "2601.00001": Attempts("2601.00001", 2, 0, "unusable again", later),
            "2601.00002": Attempts("2601.00002", 0, 2, "429", later),
        }
        await attempts.record(succeeded=["2601.00002"], now=later)
        assert list(await attempts.attempts(["2601.00001", "2601.00002"])) == ["2601.00001"]


async def test_the_newest_built_days_korean_summaries_are_counted(tmp_path: Path) -> None:
    async with await PaperStore.open(tmp_path / "p.db") as store:
        attempts = SummaryAttemptStore(store.db)
        assert await attempts.newest_built_day() is None
        papers = [HfPaper(f"2601.0000{n}", f"Built {n}", "An abstract.") for n in range(1, 4)]
        for day in (DAY - dt.timedelta(days=1), DAY):
            text = write_day(day, papers, {"2601.00001": BULLETS}, complete=True)
            await store.ingest(f"built/{day.isoformat()}.md", parse(text))
        await attempts.record(counted={"2601.00002": "unusable"}, now=T0)
        await attempts.record(counted={"2601.00001": "before it worked"}, now=T0)  # in Korean
        assert await attempts.newest_built_day() == DAY
        state = await attempts.day_summaries(DAY, english_mark=ENGLISH_MARK)
        assert (state.papers, state.korean) == (3, 1)
        assert [a.arxiv_id for a in state.failing] == ["2601.00002"]


async def test_migration_015_upgrades_a_database_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with await PaperStore.open(path) as store:
        text = write_day(DAY, [HfPaper("2601.00001", "Built", "An abstract.")], complete=True)
        await store.ingest("built/2026/01/02.md", parse(text))
    with sqlite3.connect(path) as conn:  # as a database before 015 left it
        conn.execute("DROP TABLE summary_attempts")
        conn.execute("DROP TABLE enrich_runs")
        conn.execute("PRAGMA user_version = 14")
    conn.close()
    async with await PaperStore.open(path) as store:
        await SummaryAttemptStore(store.db).record(counted={"2601.00001": "x"}, now=T0)
        await EnrichmentStore(store.db).record_run(T0, "HTTP 503")
        run = await EnrichmentStore(store.db).last_run()
        assert run is not None and run.problem == "HTTP 503"
        assert (await store.stats()).papers == 1
