"""The compact daily post on the wire: every message carries a "Save one of these…" menu of
the papers it lists, within Discord's limits however many papers the day has; a member's
choice saves the paper (ephemeral, with Undo); a post resumed after a crash keeps its menus,
and one whose plan an older version stored (without them) still finishes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from bot.digest.parse import parse
from bot.features.daily.plan import Planned, encode_plan
from bot.features.daily.poster import LEASE
from bot.store import PaperStore
from papers_sandbox import SandboxServer
from papers_sandbox.models import Json
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, digest_markdown, expected, posted

ABS = re.compile(r"\(<https://arxiv\.org/abs/([^>]+)>\)")
PAPERS = 80


async def load_short_titles(db: Path, count: int) -> None:
    """A day of `count` papers with short titles: 2,000 characters would hold more lines than
    one menu has options."""
    text = re.sub(r"### \[Paper (\d+): [^\]]*\]", r"### [P\1]", digest_markdown(DAILY_DAY, count))
    store = await PaperStore.open(db)
    try:
        result = parse(text)
        assert not result.problems, result.problems
        await store.ingest(f"{DAILY_DAY.isoformat()}.md", result)
    finally:
        await store.close()


def menu(message: Json) -> Json:
    """The message's one component: its "Save one of these…" select."""
    (row,) = message["components"]
    (select,) = row["components"]
    assert select["type"] == 3 and select["custom_id"] == "save:pick"
    return dict(select)


def listed(message: Json) -> list[str]:
    """The arXiv ids of the lines of a compact message, in order."""
    return ABS.findall(str(message.get("content") or ""))


def offered(plan: list[Planned]) -> list[list[str]]:
    return [[i for i, _ in p.save.papers] if p.save else [] for p in plan]


def stored_menus(sandbox: SandboxServer) -> list[list[str]]:
    return [
        [o["value"] for o in menu(m)["options"]] if m.get("components") else []
        for m in sandbox.messages("papers")
    ]


async def test_a_compact_post_of_many_papers_offers_each_message_its_papers(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_short_titles(db, PAPERS)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    bot = await DailyBot(sandbox, db, clock).start()
    try:
        sub = await bot.subscribe("papers", style="compact")
        result = await bot.post(sub)
        assert result.outcome == "posted"
        sends = sandbox.requests("POST", "/channels/*/messages")
        assert [r.status for r in sends] == [200] * len(sends)  # Discord took every one

        messages = sandbox.messages("papers")
        assert len(messages) == 4  # 25 lines each, then 5
        ids = []
        for message in messages:
            select = menu(message)
            assert select["placeholder"] == "Save one of these…"
            values = [o["value"] for o in select["options"]]
            assert values == listed(message) and len(values) <= 25
            ids += values
        assert ids == [f"2506.{10000 + i:05d}" for i in range(1, PAPERS + 1)]  # each once

        last = messages[-1]
        chosen = listed(last)[-1]
        pressed = await sandbox.click(last, "save:pick", user="minji", values=[chosen])
        assert pressed.answered and pressed.ephemeral and pressed.rejections == []
        assert (pressed.content or "") == (
            f"🔖 Saved · 1 paper in your list\n**P{PAPERS}** · arXiv:{chosen}"
        )
        assert pressed.message is not None
        await bot.bot.sync_commands()  # the harness's bots skip it at start
        listing = await sandbox.invoke_command("saved", {}, user="minji", subcommand="list")
        assert [e["footer"]["text"].rsplit(" ", 1)[-1] for e in listing.embeds[1:]] == [
            f"arXiv:{chosen}"
        ]

        undone = await sandbox.click(pressed.message, f"saved:undo:{chosen}", user="minji")
        assert undone.answered and undone.rejections == []
        assert (undone.content or "").startswith("Removed from your list · 0 papers\n")
        empty = await sandbox.invoke_command("saved", {}, user="minji", subcommand="list")
        assert (empty.content or "").startswith("Your list is empty.")
        assert len(sandbox.messages("papers")) == 4  # the post itself is unchanged
    finally:
        await bot.close()


async def killed_after(
    sandbox: SandboxServer, db: Path, clock: SceneClock, k: int
) -> tuple[list[Planned], int]:
    """A bot posting the compact post to #papers, killed while message k+1 is on the wire."""
    first = await DailyBot(sandbox, db, clock).start()
    await first.subscribe("papers", style="compact")
    plan = await first.plan("papers")
    channel = sandbox.channel("papers").id
    held = sandbox.hold(f"POST /channels/{channel}/messages", skip=k)
    clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
    first.run_due()
    await held.wait_held()
    await first.kill()
    assert posted(sandbox, channel) == expected(plan)[:k]
    return plan, channel


async def resumed(sandbox: SandboxServer, db: Path, clock: SceneClock) -> None:
    """A new process, once the dead holder's lease ran out, finishes the post."""
    second = await DailyBot(sandbox, db, clock).start()
    try:
        clock.now += LEASE + dt.timedelta(minutes=1)
        await second.runner.run_due(clock())
        await second.wait_settled("papers")
        state = await second.ledger.post_state(sandbox.channel("papers").id, DAILY_DAY)
        assert state is not None and state.status == "done"
    finally:
        await second.close()


async def test_a_compact_post_resumed_after_a_crash_keeps_its_menus(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_short_titles(db, PAPERS)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    plan, channel = await killed_after(sandbox, db, clock, 2)
    assert len(plan) == 4

    await resumed(sandbox, db, clock)

    assert posted(sandbox, channel) == expected(plan)
    assert stored_menus(sandbox) == offered(plan)
    assert all(stored_menus(sandbox))


async def test_a_compact_plan_an_older_version_stored_still_finishes(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_short_titles(db, 30)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    bot = await DailyBot(sandbox, db, clock).start()
    await bot.subscribe("papers", style="compact")
    plan = await bot.plan("papers")
    assert all(p.save for p in plan)
    old = [Planned(p.seq, content=p.content) for p in plan]  # as compact posts were planned
    channel = sandbox.channel("papers").id
    # The older process claimed the post with its plan and died before sending anything.
    claim = await bot.ledger.claim(
        channel,
        DAILY_DAY,
        owner="papers-bot-older",
        now=clock() - LEASE,
        lease=LEASE,
        plan=encode_plan(old),
        planned=len(old),
    )
    assert claim is not None
    await bot.close()

    await resumed(sandbox, db, clock)

    assert posted(sandbox, channel) == expected(old)
    messages: list[Any] = sandbox.messages("papers")
    assert [m.get("components") or [] for m in messages] == [[] for _ in old]
