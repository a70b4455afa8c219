"""/privacy show and forget-me: what is stored about a member, and deleting it (simcord)."""

from __future__ import annotations

import pytest

from bot.app import PapersBot
from bot.store import PaperStore

from .support import World, button, components, make_config, response

TINY_ID = "2505.03011"
FOG_ID = "2505.01964"


@pytest.fixture
def simcord_bot(paper_store: PaperStore) -> PapersBot:
    features = (
        "bot.features.lookup",
        "bot.features.follows",
        "bot.features.saved",
        "bot.features.privacy",
    )
    return PapersBot(make_config(), paper_store.db, features=features)


async def save(world: World, arxiv_id: str) -> None:
    card = response(await world.alice.slash(world.channel, "paper", query=arxiv_id))
    saved = response(await world.bob.click(card, label="Save"))
    assert saved.content.startswith("🔖 Saved")


async def test_show_lists_what_is_stored_and_nothing_when_nothing_is(world: World) -> None:
    empty = await world.bob.slash(world.channel, "privacy show")
    (embed,) = response(empty).embeds
    assert empty.ephemeral
    assert embed.title == "What papers-bot stores about you"
    assert embed.description == "Nothing: papers-bot stores no data about you."
    assert "/privacy forget-me" in (embed.footer.text or "")

    await save(world, TINY_ID)
    await save(world, FOG_ID)
    (embed,) = response(await world.bob.slash(world.channel, "privacy show")).embeds
    assert embed.description == (
        "• Saved papers: 2 (the arXiv id and when you saved it), for `/saved`"
    )


async def test_forget_me_deletes_everything_after_the_confirmation(world: World) -> None:
    await save(world, TINY_ID)
    card = response(await world.alice.slash(world.channel, "paper", query=FOG_ID))
    await world.alice.click(card, label="Save")  # alice's own list stays

    asked = await world.bob.slash(world.channel, "privacy forget-me")
    question = response(asked)
    assert asked.ephemeral
    assert question.content == (
        "Delete everything papers-bot stores about you?\n"
        "• Saved papers: 1 (the arXiv id and when you saved it), for `/saved`\n"
        "This cannot be undone."
    )
    assert button(question, "Delete everything")["style"] == 4  # danger
    done = response(await world.bob.click(question, label="Delete everything"))
    assert done.content.startswith(
        "Deleted. papers-bot stores nothing about you now.\n• Saved papers: 1"
    )
    assert not components(done)

    (embed,) = response(await world.bob.slash(world.channel, "privacy show")).embeds
    assert embed.description == "Nothing: papers-bot stores no data about you."
    listed = response(await world.alice.slash(world.channel, "saved list"))
    assert (listed.embeds[1].footer.text or "").endswith(f"arXiv:{FOG_ID}")
    nothing = response(await world.bob.slash(world.channel, "privacy forget-me"))
    assert nothing.content == "papers-bot stores nothing about you: there is nothing to delete."
    assert world.env.errors == []


async def test_keep_it_deletes_nothing(world: World) -> None:
    await save(world, TINY_ID)
    question = response(await world.bob.slash(world.channel, "privacy forget-me"))
    kept = response(await world.bob.click(question, label="Keep it"))
    assert kept.content == "Nothing was deleted." and not components(kept)
    listed = response(await world.bob.slash(world.channel, "saved list"))
    assert len(listed.embeds) == 2  # the header and the one card


async def test_forget_me_deletes_follows_with_the_saved_papers(world: World) -> None:
    followed = await world.bob.slash(world.channel, "follow keyword", words="diffusion")
    assert response(followed).content.startswith("Following the words `diffusion`")
    await world.bob.slash(world.channel, "follow author", name="Kim")
    await save(world, TINY_ID)
    await world.alice.slash(world.channel, "follow keyword", words="robots")  # alice's stays

    (embed,) = response(await world.bob.slash(world.channel, "privacy show")).embeds
    shown = embed.description or ""
    assert "• Follows: 2 (the words or author names), for `/follow`" in shown
    assert "• Servers you used `/follow` in: 1" in shown
    assert "• Saved papers: 1" in shown

    question = response(await world.bob.slash(world.channel, "privacy forget-me"))
    assert "• Follows: 2" in (question.content or "")
    await world.bob.click(question, label="Delete everything")

    (embed,) = response(await world.bob.slash(world.channel, "privacy show")).embeds
    assert embed.description == "Nothing: papers-bot stores no data about you."
    mine = response(await world.bob.slash(world.channel, "follow list"))
    assert "You follow nothing yet" in (mine.content or "") + "".join(
        e.description or "" for e in mine.embeds
    )
    theirs = response(await world.alice.slash(world.channel, "follow list"))
    assert "robots" in "".join(e.description or "" for e in theirs.embeds) + (theirs.content or "")
    assert world.env.errors == []
