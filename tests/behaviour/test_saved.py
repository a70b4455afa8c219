"""Save on paper cards, /saved list, remove and export: what a member sees (simcord)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import simcord
from bibtexparser.entrypoint import parse_string

from bot.app import PapersBot
from bot.models import Entry, ParseResult, Section
from bot.store import PaperStore
from bot.store.saved import LIMIT

from .support import (
    World,
    button,
    card_titles,
    components,
    header,
    make_config,
    picked,
    refusal,
    response,
)

MEMBER_FEATURES = ("bot.features.lookup", "bot.features.saved", "bot.features.privacy")
TINY = "Tiny Recurrent Planners Beat Large Models on Grid Puzzles"
TINY_ID = "2505.03011"
FOG_ID = "2505.01964"
REWARD_ID = "2505.04410"


@pytest.fixture
def simcord_bot(paper_store: PaperStore) -> PapersBot:
    return PapersBot(make_config(), paper_store.db, features=MEMBER_FEATURES)


def footer_ids(page: simcord.ResponseMessage) -> list[str]:
    """The arXiv id of each card of a results page (its footer ends `arXiv:ID`)."""
    return [(e.footer.text or "").rsplit("arXiv:", 1)[1] for e in page.embeds[1:]]


async def save_from_paper(
    world: World, member: simcord.MemberActor, arxiv_id: str
) -> simcord.InteractionResult:
    card = response(await world.alice.slash(world.channel, "paper", query=arxiv_id))
    return await member.click(card, custom_id=f"save:{arxiv_id}")


async def test_save_on_a_paper_card_answers_only_the_member_with_undo(world: World) -> None:
    card = response(await world.alice.slash(world.channel, "paper", query=TINY_ID))
    save = button(card, "Save")
    assert save["custom_id"] == f"save:{TINY_ID}"

    first = await world.bob.click(card, label="Save")
    answer = response(first)
    assert first.ephemeral and answer.ephemeral
    assert answer.content == f"🔖 Saved · 1 paper in your list\n**{TINY}** · arXiv:{TINY_ID}"
    assert button(answer, "Undo")["custom_id"] == f"saved:undo:{TINY_ID}"

    again = response(await world.bob.click(card, label="Save"))
    assert again.content.startswith("🔖 Already in your list · 1 paper\n")
    other = response(await save_from_paper(world, world.bob, FOG_ID))
    assert other.content.startswith("🔖 Saved · 2 papers in your list\n")

    undone = response(await world.bob.click(answer, label="Undo"))
    assert undone.id == answer.id  # the answer itself says so
    assert undone.content == f"Removed from your list · 1 paper\n**{TINY}** · arXiv:{TINY_ID}"
    assert not components(undone)  # the Undo is gone with it
    assert world.env.errors == []


async def test_a_paper_opened_from_results_and_a_random_one_have_save(world: World) -> None:
    page = response(await world.alice.slash(world.channel, "search", query="planners"))
    opened = picked(await world.bob.select(page, [TINY_ID]))
    assert button(opened, "Save")["custom_id"] == f"save:{TINY_ID}"
    saved = response(await world.bob.click(opened, label="Save"))
    assert saved.content.startswith("🔖 Saved · 1 paper")

    random = response(await world.alice.slash(world.channel, "random"))
    assert button(random, "Save")["custom_id"].startswith("save:2505.")


async def test_korean_members_get_korean_save_and_answers(
    world: World, locales: dict[int, str]
) -> None:
    locales[world.bob.id] = "ko"
    card = response(await world.bob.slash(world.channel, "paper", query=TINY_ID))
    saved = response(await world.bob.click(card, label="저장"))
    assert saved.content.startswith("🔖 저장했습니다 · 내 목록 논문 1편\n")
    assert button(saved, "되돌리기")


async def test_saved_list_is_newest_first_and_pages_only_for_its_owner(world: World) -> None:
    ids = [TINY_ID, FOG_ID, REWARD_ID, "2505.02877", "2505.02510", "2505.04120"]
    for arxiv_id in ids:
        await save_from_paper(world, world.bob, arxiv_id)
    await save_from_paper(world, world.alice, "2505.03555")

    result = await world.bob.slash(world.channel, "saved list")
    page = response(result)
    assert result.ephemeral
    assert header(page) == "**Your saved papers** · 1–5 of 6"
    assert (
        card_titles(page)[0] == "1. Curriculum Reinforcement Learning for Long-Horizon Web Agents"
    )
    assert footer_ids(page) == ids[::-1][:5]  # newest saved first

    second = response(await world.bob.click(page, label="Next"))
    assert header(second) == "**Your saved papers** · 6–6 of 6"
    assert footer_ids(second) == [TINY_ID]
    with pytest.raises(simcord.SetupError, match="not visible"):  # nobody else sees the list
        await world.alice.click(second, label="Previous")


async def test_an_empty_list_says_how_to_fill_it(world: World) -> None:
    for command in ("saved list", "saved export"):
        options = {"format": "csv"} if command == "saved export" else {}
        result = await world.alice.slash(world.channel, command, **options)
        assert refusal(world.env, result).startswith("Your list is empty. Press 🔖 Save")


async def test_remove_offers_only_the_members_own_papers(world: World) -> None:
    await save_from_paper(world, world.bob, TINY_ID)
    await save_from_paper(world, world.bob, REWARD_ID)
    await save_from_paper(world, world.alice, FOG_ID)

    offered = await world.bob.autocomplete(world.channel, "saved remove", "paper", "")
    assert [c["value"] for c in offered] == [REWARD_ID, TINY_ID]
    assert offered[1]["name"] == f"{TINY} ({TINY_ID})"
    typed = await world.bob.autocomplete(world.channel, "saved remove", "paper", "tiny")
    assert [c["value"] for c in typed] == [TINY_ID]
    assert await world.bob.autocomplete(world.channel, "saved remove", "paper", "fog") == []

    removed = response(await world.bob.slash(world.channel, "saved remove", paper=TINY_ID))
    assert removed.ephemeral
    assert removed.content == f"Removed from your list · 1 paper left\n**{TINY}** · arXiv:{TINY_ID}"
    again = await world.bob.slash(world.channel, "saved remove", paper=TINY_ID)
    assert refusal(world.env, again).startswith(f"`{TINY_ID}` is not in your saved papers.")
    hers = await world.bob.slash(world.channel, "saved remove", paper=FOG_ID)
    assert refusal(world.env, hers).startswith(f"`{FOG_ID}` is not in your saved papers.")
    link = f"https://arxiv.org/abs/{REWARD_ID}v2"
    assert (
        "0 papers left"
        in response(await world.bob.slash(world.channel, "saved remove", paper=link)).content
    )


@pytest.mark.parametrize(
    ("fmt", "extension"), [("bibtex", "bib"), ("markdown", "md"), ("csv", "csv")]
)
async def test_export_answers_with_the_list_as_a_file(
    world: World, fmt: str, extension: str
) -> None:
    await save_from_paper(world, world.bob, TINY_ID)
    await save_from_paper(world, world.bob, REWARD_ID)

    result = await world.bob.slash(world.channel, "saved export", format=fmt)
    answer = response(result)
    assert result.ephemeral and answer.ephemeral
    (attachment,) = answer.attachments
    today = world.env.now().date().isoformat()
    assert attachment.filename == f"saved-papers-{today}.{extension}"
    assert f"`saved-papers-{today}.{extension}`" in answer.content
    text = (await attachment.read()).decode("utf-8")
    if fmt == "bibtex":
        entries = parse_string(text).entries
        assert [e.fields_dict["eprint"].value for e in entries] == [REWARD_ID, TINY_ID]
        assert entries[1].fields_dict["title"].value == TINY
    elif fmt == "markdown":
        assert text.splitlines()[2].startswith(
            f"1. [Reward Models Are Easily Fooled by Formatting](https://arxiv.org/abs/{REWARD_ID})"
        )
        assert "   - Featured: 2025-05-09" in text
    else:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert [r["arxiv_id"] for r in rows] == [REWARD_ID, TINY_ID]
        assert rows[1]["title"] == TINY and rows[1]["featured_days"] == "2025-05-07; 2025-05-08"


async def test_a_full_list_says_so_and_keeps_what_it_has(
    world: World, paper_store: PaperStore
) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    async with paper_store.db.transaction() as conn:  # a list filled up long ago
        await conn.executemany(
            "INSERT INTO saved_papers (member_id, arxiv_id, saved_at) VALUES (?, ?, ?)",
            [(world.bob.id, f"2401.{i:05d}", now) for i in range(LIMIT)],
        )
    full = response(await save_from_paper(world, world.bob, TINY_ID))
    assert full.content.startswith("Your list is full: it holds at most 1,000 papers.")
    assert "/saved remove" in full.content and not components(full)
    removed = await world.bob.slash(world.channel, "saved remove", paper="2401.00007")
    assert "999 papers left" in response(removed).content
    saved = response(await save_from_paper(world, world.bob, TINY_ID))
    assert saved.content.startswith("🔖 Saved · 1,000 papers in your list")


async def test_a_save_for_a_paper_no_digest_holds_any_more_says_so(
    world: World, paper_store: PaperStore
) -> None:
    day = dt.date(2025, 5, 10)
    extra = Entry("2505.09001", "A Paper Withdrawn Later", "https://arxiv.org/abs/2505.09001", 3)
    other = Entry("2505.09002", "Its Replacement", "https://arxiv.org/abs/2505.09002", 3)
    await paper_store.ingest("extra.md", ParseResult((Section(day, 1, (extra,)),)))
    card = response(await world.alice.slash(world.channel, "paper", query="2505.09001"))
    await paper_store.ingest("extra.md", ParseResult((Section(day, 1, (other,)),)))

    gone = await world.bob.click(card, label="Save")
    assert gone.ephemeral
    assert response(gone).content == (
        "arXiv:2505.09001 is not in the digests any more, so it cannot be saved."
    )
    assert world.env.errors == []
