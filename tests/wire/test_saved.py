"""Saved papers on the wire: the real PapersBot on the loopback server. The export goes out as
a multipart upload, Find papers gets the message in `resolved.messages` (no message-content
intent), and Save on a daily post (each style) still works after the bot restarted."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from bot.app import PapersBot, intents
from papers_sandbox import SandboxServer
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.scene import SEOUL, SceneClock, running_world

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, load_digest

TINY_ID = "2505.03011"
REWARD_ID = "2505.04410"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[SandboxServer, PapersBot]]:
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 0, tzinfo=SEOUL))
    async with running_world(clock, tmp_path) as (server, bot):
        yield server, bot


async def save(server: SandboxServer, arxiv_id: str, user: str) -> dict[str, Any]:
    card = await server.invoke_command("paper", {"query": arxiv_id}, user="alex")
    assert card.message is not None
    pressed = await server.click(card.message, f"save:{arxiv_id}", user=user)
    assert pressed.answered and pressed.ephemeral and pressed.rejections == []
    assert pressed.message is not None
    return pressed.message


async def test_export_is_an_ephemeral_file_upload_that_reads_back(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    server, _ = world
    await save(server, TINY_ID, "minji")
    await save(server, REWARD_ID, "minji")

    files = {}
    for fmt in ("bibtex", "markdown", "csv"):
        result = await server.invoke_command(
            "saved", {"format": fmt}, user="minji", subcommand="export"
        )
        assert result.answered and result.ephemeral and result.rejections == [], result.describe()
        assert result.message is not None
        (attachment,) = result.message["attachments"]
        assert attachment["ephemeral"] is True
        (sent,) = server.files(result.message)
        files[fmt] = sent
    uploads = [r for r in server.requests() if r.uploads]
    assert [r.files for r in uploads] == [[f.filename] for f in files.values()]

    bib = files["bibtex"]
    assert bib.filename.startswith("saved-papers-") and bib.filename.endswith(".bib")
    entries = parse_string(bib.text).entries
    assert [e.fields_dict["eprint"].value for e in entries] == [REWARD_ID, TINY_ID]
    assert entries[1].fields_dict["author"].value.startswith("Hana Seo and Marcus Bell")
    assert files["markdown"].head(1) == ["# Saved papers (2)"]
    rows = list(csv.DictReader(io.StringIO(files["csv"].text, newline="")))
    assert [r["url"] for r in rows] == [f"https://arxiv.org/abs/{i}" for i in (REWARD_ID, TINY_ID)]


async def test_find_papers_reads_the_message_the_interaction_carries(
    world: tuple[SandboxServer, PapersBot],
) -> None:
    server, _ = world
    assert not intents().message_content
    target = server.say(
        f"new: arXiv:{TINY_ID}v2 and https://huggingface.co/papers/{REWARD_ID}, old: 2401.99999",
        user="alex",
        channel_id="papers",
    )

    result = await server.invoke_message_command("Find papers", target, user="minji")

    assert result.answered and result.ephemeral and result.rejections == [], result.describe()
    footers = [e["footer"]["text"].rsplit("arXiv:", 1)[1] for e in result.embeds]
    assert footers == [TINY_ID, REWARD_ID]
    assert "• arXiv:2401.99999 · <https://arxiv.org/abs/2401.99999>" in (result.content or "")
    assert result.message is not None
    assert custom_ids(result.components) == [f"save:{TINY_ID}", f"save:{REWARD_ID}"]
    pressed = await server.click(result.message, f"save:{REWARD_ID}", user="minji")
    assert pressed.answered and (pressed.content or "").startswith("🔖 Saved · 1 paper")

    korean = await server.invoke_message_command("논문 찾기", target, user="alex", locale="ko")
    assert (korean.content or "").startswith("이 메시지의 논문: 논문 2편.")


@pytest.mark.parametrize("style", ["embeds", "thread", "compact"])
async def test_save_on_a_daily_post_works_after_a_restart(
    sandbox: SandboxServer, tmp_path: Path, style: str
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 12)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    first = await DailyBot(sandbox, db, clock).start()
    sub = await first.subscribe("papers", style=style)
    await first.post(sub)
    await first.wait_settled("papers")
    await first.close()  # the process that posted is gone

    second = await DailyBot(sandbox, db, clock).start()
    try:
        papers = sandbox.channel("papers")
        if style == "embeds":
            cards = [m for m in sandbox.messages("papers") if m.get("embeds")]
            assert len(cards) == 2  # 10 cards, then 2
            chosen = "2506.10011"
            pressed = await sandbox.click(cards[1], "save:pick", user="minji", values=[chosen])
        elif style == "compact":
            (post,) = sandbox.messages("papers")  # 12 lines, one menu of 12
            chosen = "2506.10012"
            pressed = await sandbox.click(post, "save:pick", user="minji", values=[chosen])
        else:
            thread = next(c for c in sandbox.world.channels.values() if c.parent_id == papers.id)
            cards = sandbox.messages(thread.id)
            chosen = "2506.10003"
            pressed = await sandbox.click(cards[2], f"save:{chosen}", user="minji")
        assert pressed.answered and pressed.ephemeral and pressed.rejections == []
        assert (pressed.content or "").startswith("🔖 Saved · 1 paper in your list\n**Paper ")
        await second.bot.sync_commands()  # the harness's bots skip it at start
        listed = await sandbox.invoke_command("saved", {}, user="minji", subcommand="list")
        assert listed.embeds[1]["footer"]["text"].endswith(f"arXiv:{chosen}")
    finally:
        await second.close()
