"""Save pressed on an alert DM, on the wire: the real PapersBot gets the press as Discord sends
it from a DM (no guild, no member, context BOT_DM), answers only the member with Undo, and
the paper is in their `/saved list` until they undo it."""

from __future__ import annotations

from pathlib import Path

import pytest

from papers_sandbox import InteractionResult, SandboxServer
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.models import Json
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, load_digest
from .test_alerts import seed, started, tick_until_planned


def card_message(sandbox: SandboxServer, name: str) -> Json:
    """The alert's message of cards (after its header) in the member's DM."""
    (cards,) = [m for m in sandbox.dms(name) if m.get("embeds")]
    return cards


async def saved_ids(sandbox: SandboxServer, name: str) -> list[str]:
    listed = await sandbox.invoke_command("saved", {}, user=name, subcommand="list")
    assert listed.answered and listed.rejections == [], listed.describe()
    return [str(e["footer"]["text"]).rsplit("arXiv:", 1)[1] for e in listed.embeds[1:]]


def from_a_dm(pressed: InteractionResult, dm_id: str) -> None:
    payload = pressed.record.payload
    assert payload["context"] == 1 and payload["channel"]["type"] == 1
    assert payload["channel_id"] == dm_id
    assert "guild_id" not in payload and "member" not in payload and payload["user"]


@pytest.mark.parametrize("papers", [1, 3])  # one card: its Save button; several: the menu
async def test_save_pressed_on_an_alert_dm_saves_for_the_member_and_undo_removes(
    sandbox: SandboxServer, tmp_path: Path, papers: int
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, ["minji"])
    bot = await started(sandbox, db, SceneClock(DAILY_POST_AT))
    try:
        await bot.bot.sync_commands()  # the harness's bots skip it at start
        await load_digest(db, DAILY_DAY, papers)  # the day arrives; the bot notices it
        await tick_until_planned(bot, DAILY_DAY)
        cards = card_message(sandbox, "minji")
        chosen = f"2506.{10000 + papers:05d}"  # the last card
        if papers == 1:
            assert custom_ids(cards["components"]) == [f"save:{chosen}"]
            pressed = await sandbox.click(cards, f"save:{chosen}", user="minji")
        else:
            assert custom_ids(cards["components"]) == ["save:pick"]
            pressed = await sandbox.click(cards, "save:pick", user="minji", values=[chosen])

        from_a_dm(pressed, cards["channel_id"])
        assert pressed.answered and pressed.ephemeral and pressed.rejections == []
        assert pressed.callback_type == 4  # a new message, only to her: the alert is unchanged
        assert (pressed.content or "") == (
            f"🔖 Saved · 1 paper in your list\n"
            f"**Paper {papers}: learning things at scale, part {papers}** · arXiv:{chosen}"
        )
        assert pressed.message is not None
        assert custom_ids(pressed.components) == [f"saved:undo:{chosen}"]
        assert await saved_ids(sandbox, "minji") == [chosen]
        assert await saved_ids(sandbox, "alex") == []  # hers alone

        undone = await sandbox.click(pressed.message, f"saved:undo:{chosen}", user="minji")

        from_a_dm(undone, cards["channel_id"])
        assert undone.answered and undone.rejections == []
        assert (undone.content or "").startswith("Removed from your list · 0 papers\n")
        assert undone.components == []  # the Undo is gone with it
        empty = await sandbox.invoke_command("saved", {}, user="minji", subcommand="list")
        assert (empty.content or "").startswith("Your list is empty.")
        assert sandbox.dms("minji")[-1] == cards  # the alert itself is as it was sent
    finally:
        await bot.close()


async def test_save_on_an_alert_dm_works_after_a_restart(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await seed(sandbox, db, ["minji"])
    await load_digest(db, DAILY_DAY, 1)
    clock = SceneClock(DAILY_POST_AT)
    first = await started(sandbox, db, clock)
    await tick_until_planned(first, DAILY_DAY)
    await first.close()  # the process that sent the alert is gone

    second = await started(sandbox, db, clock)
    try:
        cards = card_message(sandbox, "minji")
        pressed = await sandbox.click(cards, "save:2506.10001", user="minji")
        assert pressed.answered and pressed.ephemeral and pressed.rejections == []
        assert (pressed.content or "").startswith("🔖 Saved · 1 paper in your list\n")
        await second.bot.sync_commands()
        assert await saved_ids(sandbox, "minji") == ["2506.10001"]
    finally:
        await second.close()
