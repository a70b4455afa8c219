"""Digest URLs Discord would refuse (malformed, not http(s), over 2,048 characters) never
reach it: `/paper` still answers and the daily post still goes out, whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.digest.parse import parse
from bot.store import PaperStore
from papers_sandbox import SandboxServer
from papers_sandbox.scene import SEOUL, SceneClock, running_world

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, posted

THUMBNAILS = [
    "![thumb](javascript:alert(1))",
    "![](https://cdn.example.org/" + "a" * 3000 + ".png)",
    "![x](https://exa mple.org/x.png)",
    '<video src="data:video/mp4;base64,AAAA"></video>',
    "[Watch Video](http://[oops/x.mp4)",
    "![x](https:///x.png)",
    "![x](ftp://cdn.example.org/x.png)",
]


def hostile_digest(day: dt.date) -> str:
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i, thumbnail in enumerate(THUMBNAILS, 1):
        lines += [
            f"### [Hostile thumbnail {i}](https://arxiv.org/abs/2506.{20000 + i})",
            "",
            thumbnail,
            "",
            f"Vote: {10 + i}",
            "",
            "- ***What's New***: A paper whose digest entry carries a URL Discord refuses.",
            "",
        ]
    return "\n".join(lines)


async def load_hostile(store: PaperStore, day: dt.date) -> None:
    result = parse(hostile_digest(day))
    assert not result.problems
    entries = result.sections[0].entries
    assert [e.thumbnail is not None for e in entries] == [True] * len(THUMBNAILS)
    await store.ingest("hostile.md", result)


async def test_paper_answers_for_every_hostile_thumbnail(tmp_path: Path) -> None:
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    async with running_world(clock, tmp_path) as (server, bot):
        await load_hostile(bot.store, dt.date(2025, 5, 6))
        for i in range(1, len(THUMBNAILS) + 1):
            result = await server.invoke_command("paper", {"query": f"2506.{20000 + i}"})
            assert result.answered and result.rejections == [], result.describe()
            (embed,) = result.embeds
            assert embed["title"] == f"Hostile thumbnail {i}"
            assert "image" not in embed and "thumbnail" not in embed
            buttons = [c for row in result.components for c in row["components"]]
            assert [b["label"] for b in buttons] == ["arXiv", "PDF", "Hugging Face", "Save"]


async def test_the_daily_post_of_a_hostile_digest_goes_out_whole(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    async with await PaperStore.open(db) as store:
        await load_hostile(store, DAILY_DAY)
    bot = DailyBot(sandbox, db, SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5)))
    await bot.start()
    try:
        for style in ("embeds", "compact"):
            channel = "papers" if style == "embeds" else "general"
            sub = await bot.subscribe(channel, style=style)
            plan = await bot.plan(channel)

            result = await bot.post(sub)

            assert (result.outcome, result.sent) == ("posted", len(plan)), result
            assert posted(sandbox, sandbox.channel(channel).id) == expected(plan)
        sends = sandbox.requests("POST", "/channels/*/messages")
        assert {r.status for r in sends} == {200}
        cards = [e for _, embeds in posted(sandbox, sandbox.channel("papers").id) for e in embeds]
        assert [e["title"] for e in cards] == [
            f"{i}. Hostile thumbnail {i}" for i in range(1, len(THUMBNAILS) + 1)
        ]
    finally:
        await bot.close()
