"""Result pages: Previous/Next for the member who asked, a menu to open a paper, expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import simcord

from bot.app import PapersBot
from bot.store import PaperStore
from bot.store.reads import Reads

from .support import (
    UNEXPECTED,
    World,
    button,
    card_titles,
    components,
    header,
    link_buttons,
    picked,
    response,
    result_lists,
    select_menu,
    synthetic_entries,
    synthetic_result,
)

COUNT = 23  # five pages of five: 1–5 … 21–23
NOT_YOURS = "Only the member who ran the command can use these buttons."


@pytest.fixture
async def paper_store(tmp_path: Path) -> AsyncIterator[PaperStore]:
    """23 `Transformer Study Number NN` papers with votes 3*NN, on 2025-06-01."""
    store = await PaperStore.open(tmp_path / "big.db")
    await store.ingest("synthetic", synthetic_result(dt.date(2025, 6, 1), synthetic_entries(COUNT)))
    yield store
    await store.close()


def numbers(message: simcord.ResponseMessage) -> list[int]:
    """The NN of each card (`3. Transformer Study Number 20` -> 20)."""
    return [int(title.rsplit(" ", 1)[1]) for title in card_titles(message)]


async def search(world: World) -> simcord.ResponseMessage:
    result = await world.alice.slash(world.channel, "search", query="transformer", sort="votes")
    return response(result)


async def test_next_and_previous_turn_the_pages(world: World) -> None:
    message = await search(world)
    assert header(message) == f"Results 1–5 of {COUNT} for `transformer`"
    assert numbers(message) == [22, 21, 20, 19, 18]
    assert card_titles(message)[0] == "1. Transformer Study Number 22"
    assert button(message, "Previous")["disabled"] and not button(message, "Next")["disabled"]

    turned = await world.alice.click(message, label="Next")

    assert turned.response is not None and turned.response.id == message.id  # edited in place
    page = response(turned)
    assert header(page) == f"Results 6–10 of {COUNT} for `transformer`"
    assert numbers(page) == [17, 16, 15, 14, 13]
    assert card_titles(page)[0] == "6. Transformer Study Number 17"
    assert not button(page, "Previous")["disabled"] and not button(page, "Next")["disabled"]
    assert [o["value"] for o in select_menu(page)["options"]] == [
        f"2506.{10000 + n}" for n in (17, 16, 15, 14, 13)
    ]

    for _ in range(3):
        page = response(await world.alice.click(page, label="Next"))
    assert header(page) == f"Results 21–23 of {COUNT} for `transformer`"
    assert numbers(page) == [2, 1, 0]
    assert button(page, "Next")["disabled"] and not button(page, "Previous")["disabled"]
    with pytest.raises(simcord.SetupError, match="disabled"):
        await world.alice.click(page, label="Next")

    page = response(await world.alice.click(page, label="Previous"))
    assert header(page) == f"Results 16–20 of {COUNT} for `transformer`"
    assert numbers(page) == [7, 6, 5, 4, 3]
    assert len(world.channel.history()) == 1  # one message, edited; nothing new posted
    assert world.env.errors == []


async def test_top_and_digest_page_the_same_way(world: World) -> None:
    top = response(await world.alice.slash(world.channel, "top", period="all"))
    assert numbers(top) == [22, 21, 20, 19, 18]
    top = response(await world.alice.click(top, label="Next"))
    assert numbers(top) == [17, 16, 15, 14, 13]

    digest = response(await world.alice.slash(world.channel, "digest"))
    assert header(digest) == f"**Daily Papers — 2025-06-01** · 1–5 of {COUNT}"
    assert numbers(digest) == [0, 1, 2, 3, 4]  # published order
    for _ in range(4):
        digest = response(await world.alice.click(digest, label="Next"))
    assert numbers(digest) == [20, 21, 22]
    assert button(digest, "Next")["disabled"]


async def test_another_member_cannot_turn_the_pages(world: World) -> None:
    message = await search(world)
    before = [e.to_dict() for e in message.embeds]

    refused = await world.bob.click(message, label="Next")

    assert refused.ephemeral and response(refused).content == NOT_YOURS
    assert [e.to_dict() for e in response(refused).embeds] == []
    assert [e.to_dict() for e in world.channel.history()[0].embeds] == before
    # The member who asked still can.
    turned = await world.alice.click(message, label="Next")
    assert header(response(turned)) == f"Results 6–10 of {COUNT} for `transformer`"
    refused = await world.bob.click(response(turned), label="Previous")
    assert refused.ephemeral and response(refused).content == NOT_YOURS
    assert header(world.channel.history()[0]) == f"Results 6–10 of {COUNT} for `transformer`"
    assert world.env.errors == []


async def test_menu_opens_the_full_paper_only_for_the_chooser(world: World) -> None:
    message = await search(world)

    opened = picked(await world.alice.select(message, ["2506.10021"]))

    (card,) = opened.embeds
    assert card.title == "Transformer Study Number 21"
    assert {f.name: f.value for f in card.fields}["Votes"] == "63"
    assert (card.description or "").startswith("**What's New**\n합성 논문 21번.")
    assert link_buttons(opened)["PDF"] == "https://arxiv.org/pdf/2506.10021"
    assert header(world.channel.history()[0]) == f"Results 1–5 of {COUNT} for `transformer`"

    # Opening a paper changes nothing for others, so anyone reading the list may do it.
    for_bob = picked(await world.bob.select(message, ["2506.10018"]))
    assert for_bob.embeds[0].title == "Transformer Study Number 18"
    assert world.env.errors == []


async def test_pages_expire_after_three_idle_minutes(world: World, simcord_bot: PapersBot) -> None:
    message = await search(world)
    assert len(result_lists(simcord_bot)) == 1  # a small record per message, no live view
    page = response(await world.alice.click(message, label="Next"))

    await world.env.advance_time(170)
    page = response(await world.alice.click(page, label="Previous"))  # use restarts the clock
    await world.env.advance_time(170)
    assert not button(world.channel.history()[0], "Next")["disabled"]

    await world.env.advance_time(11)

    expired = world.channel.history()[0]
    assert len(result_lists(simcord_bot)) == 0
    assert header(expired) == f"Results 1–5 of {COUNT} for `transformer`"  # content kept
    assert all(c["disabled"] for c in components(expired))
    with pytest.raises(simcord.SetupError, match="disabled"):
        await world.alice.click(expired, label="Previous")
    with pytest.raises(simcord.SetupError, match="disabled"):
        await world.alice.select(expired, ["2506.10022"])
    assert world.env.errors == []


async def test_a_failure_while_turning_is_answered(
    world: World,
    paper_store: PaperStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = await search(world)

    async def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(Reads, "_rows", broken)  # every read of the paper store fails
    result = await world.alice.click(message, label="Next")

    # Not "This interaction failed": an ephemeral note with a code to quote to the admins.
    answer = response(result)
    assert result.ephemeral and answer.content.startswith(UNEXPECTED[0])
    code = answer.content.split("error `")[1].split("`")[0]
    (logged,) = [r for r in caplog.records if code in r.getMessage()]  # the admins' side
    assert logged.exc_info is not None and isinstance(logged.exc_info[1], RuntimeError)
    assert header(world.channel.history()[0]) == f"Results 1–5 of {COUNT} for `transformer`"


async def test_two_result_lists_page_independently(world: World) -> None:
    alices = await search(world)
    bobs = response(
        await world.bob.slash(world.channel, "search", query="transformer", sort="votes")
    )

    await world.alice.click(alices, label="Next")
    await world.bob.click(bobs, label="Next")
    await world.bob.click(bobs, label="Next")

    by_id = {m.id: m for m in world.channel.history()}
    assert header(by_id[alices.id]) == f"Results 6–10 of {COUNT} for `transformer`"
    assert header(by_id[bobs.id]) == f"Results 11–15 of {COUNT} for `transformer`"
    refused = await world.alice.click(bobs, label="Previous")
    assert refused.ephemeral and response(refused).content == NOT_YOURS
    assert world.env.errors == []


async def test_results_that_shrank_since_are_shown_as_they_are_now(
    world: World, paper_store: PaperStore
) -> None:
    message = await search(world)
    # The day is loaded again with three of its papers: the other twenty leave the store.
    await paper_store.ingest(
        "synthetic", synthetic_result(dt.date(2025, 6, 1), synthetic_entries(3))
    )

    gone = picked(await world.alice.select(message, ["2506.10021"]))
    assert gone.content.startswith("That paper is no longer available.")

    stayed = response(await world.alice.click(message, label="Next"))
    assert header(stayed) == "Results 1–3 of 3 for `transformer`"
    assert numbers(stayed) == [2, 1, 0]
    assert button(stayed, "Previous")["disabled"] and button(stayed, "Next")["disabled"]
    assert world.env.errors == []


async def test_buttons_sent_before_lists_had_keys_say_they_expired(
    world: World, simcord_bot: PapersBot
) -> None:
    """A message from before the upgrade (custom id `results:next`) is answered, not failed."""
    old = discord.ui.View(timeout=None)
    old.add_item(discord.ui.Button(label="Next", custom_id="results:next"))
    old.stop()
    channel = simcord_bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("Results 1–5 of 23 for `transformer`", view=old)

    pressed = await world.alice.click(world.channel.history()[0], label="Next")

    assert pressed.ephemeral
    assert response(pressed).content.startswith("These results have expired.")
    assert world.env.errors == []
