"""Each set of values is one StrEnum: the config, the commands' choices, plans and stored rows
use its members, and the database keeps the same plain text it always held."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.config import load_config
from bot.digest.ingest import Parsed, read_and_parse
from bot.features.daily.cog import STYLES
from bot.features.daily.plan import select
from bot.features.daily.runner import rules_for
from bot.features.lookup.cog import PERIODS, SORTS, Period
from bot.i18n_text import TEXT
from bot.models import LogLevel, OnMissing, Origin, Paper, PostOrder, PostStatus, PostStyle, Sort
from bot.store import PaperStore, prepare
from bot.store.daily import DailyStore
from bot.store.subscriptions import Subscription

NOW = dt.datetime(2025, 5, 9, 0, 0, tzinfo=dt.UTC)


def stored(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_post_style(tmp_path: Path, store: PaperStore) -> None:
    assert [c.value for c in STYLES] == list(PostStyle)  # /daily subscribe offers each, in order
    text = "daily:\n  style: Thread\n  subscriptions:\n    - {guild: 1, channel: 2, style: compact}"
    daily = load_config(config(tmp_path, text), env={}).daily
    assert daily.style is PostStyle.THREAD
    assert daily.subscriptions[0].style is PostStyle.COMPACT

    ledger = DailyStore(store.db)
    await ledger.save_subscription(Subscription(5, 1, "09:00", "UTC", PostStyle.THREAD), NOW)
    (sub,) = await ledger.subscriptions()
    assert sub.style is PostStyle.THREAD
    assert stored(tmp_path / "papers.db", "SELECT style FROM subscriptions") == [("thread",)]


async def test_post_status(tmp_path: Path, store: PaperStore) -> None:
    ledger, day, lease = DailyStore(store.db), NOW.date(), dt.timedelta(seconds=20)
    await ledger.claim(1, day, owner="a", now=NOW, lease=lease, plan=b"p", planned=1)
    posting = await ledger.post_state(1, day)
    assert posting is not None and posting.status is PostStatus.POSTING
    assert posting.stalled(NOW + lease)  # shown as PostStatus.STALLED, never stored so
    await ledger.finish(1, day, NOW, planned=1)
    await ledger.skip(2, day, "the digest was not out", NOW)
    states = [await ledger.post_state(c, day) for c in (1, 2)]
    assert [s.status if s else None for s in states] == [PostStatus.DONE, PostStatus.SKIPPED]
    assert all(s is not None and type(s.status) is PostStatus for s in states)
    rows = stored(tmp_path / "papers.db", "SELECT status FROM posts ORDER BY channel_id")
    assert rows == [("done",), ("skipped",)]


async def test_origin(tmp_path: Path, store: PaperStore) -> None:
    ledger = DailyStore(store.db)
    mine = Subscription(2, 1, "08:00", "UTC", PostStyle.EMBEDS, origin=Origin.COMMAND)
    await ledger.save_subscription(mine, NOW)
    await ledger.sync_config(
        [Subscription(3, 1, "09:00", "UTC", PostStyle.EMBEDS, origin=Origin.CONFIG)], NOW
    )
    assert [s.origin for s in await ledger.subscriptions()] == [Origin.COMMAND, Origin.CONFIG]
    assert all(type(s.origin) is Origin for s in await ledger.subscriptions())
    rows = stored(tmp_path / "papers.db", "SELECT origin FROM subscriptions ORDER BY channel_id")
    assert rows == [("command",), ("config",)]


def test_sort(capsys: pytest.CaptureFixture[str]) -> None:
    assert [c.value for c in SORTS] == list(Sort)  # /search offers each, in order
    parser = build_parser()
    assert parser.parse_args(["search", "x"]).sort == Sort.RELEVANCE
    with pytest.raises(SystemExit):
        parser.parse_args(["search", "x", "--sort", "random"])
    choices = ", ".join(repr(s.value) for s in Sort)  # the CLI offers each, by its text
    assert f"invalid choice: 'random' (choose from {choices})" in capsys.readouterr().err


def test_daily_order_on_missing_and_log_level(tmp_path: Path) -> None:
    text = "log_level: warning\ndaily:\n  order: Votes\n  on_missing: SKIP\n"
    loaded = load_config(config(tmp_path, text), env={})
    assert loaded.log_level is LogLevel.WARNING
    assert loaded.daily.order is PostOrder.VOTES and loaded.daily.on_missing is OnMissing.SKIP
    sub = Subscription(1, 1, "09:00", "UTC", PostStyle.EMBEDS)
    assert rules_for(sub, loaded.daily).skip_missing
    papers = [Paper(f"2406.0000{v}", "t", (), v, (), None, "", "u") for v in (1, 3, 2)]
    chosen = select(papers, order=loaded.daily.order, min_votes=None, max_papers=None)
    assert [p.votes for p in chosen] == [3, 2, 1]


def test_a_file_read_for_loading_is_a_record(tmp_path: Path) -> None:
    good, bad = tmp_path / "2024-06-12.md", tmp_path / "gone.md"
    good.write_text(
        "## Daily Papers (2024-06-12)\n\n### [A title](https://arxiv.org/abs/2406.00001)\n"
        "- 저자: A\n- 추천수: 3\n\n요약\n",
        encoding="utf-8",
    )
    read, skipped = read_and_parse([str(good), str(bad)])
    assert pickle.loads(pickle.dumps(read)) == read  # it comes back from the worker process
    assert read.source == str(good) and read.result is not None and read.skipped == ""
    assert [e.title for e in read.result.sections[0].entries] == ["A title"]
    assert read.prepared == prepare(read.result)  # the store's own preparation, made there
    assert skipped == Parsed(str(bad), None, skipped=skipped.skipped)
    assert str(bad) in skipped.skipped


def test_period() -> None:
    assert [c.value for c in PERIODS] == list(Period)  # /top and /random offer each, in order
    for language in TEXT.values():  # and title the answer by it in every language
        assert {f"period_{p}" for p in Period} <= language.keys()
    assert Period.of("week") is Period.WEEK
    assert Period.of("decade") is Period.ALL  # a value Discord's choices would not send
