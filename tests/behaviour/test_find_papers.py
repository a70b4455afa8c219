"""Find papers (논문 찾기): the papers any message mentions, as cards with Save, only for the
member who asked (simcord)."""

from __future__ import annotations

import discord
import pytest

from bot.app import PapersBot
from bot.store import PaperStore

from .support import World, button, components, make_config, refusal, response

TINY_ID = "2505.03011"
FOG_ID = "2505.01964"


@pytest.fixture
def simcord_bot(paper_store: PaperStore) -> PapersBot:
    features = ("bot.features.lookup", "bot.features.saved")
    return PapersBot(make_config(), paper_store.db, features=features)


def footer_ids(embeds: list[discord.Embed]) -> list[str]:
    return [str(e.footer.text).rsplit("arXiv:", 1)[1] for e in embeds]


async def test_ids_and_links_in_a_message_become_cards_with_save(world: World) -> None:
    message = await world.alice.send(
        world.channel,
        f"Worth reading: arXiv:{TINY_ID}v2, https://huggingface.co/papers/{FOG_ID} "
        f"and the PDF https://arxiv.org/pdf/{TINY_ID}.pdf (same one), plus 2401.99999 "
        "which is older than these digests.",
    )

    result = await world.bob.context_menu(world.channel, "Find papers", message)

    answer = response(result)
    assert result.ephemeral and answer.ephemeral
    assert footer_ids(answer.embeds) == [TINY_ID, FOG_ID]
    assert [e.title for e in answer.embeds] == [
        "1. Tiny Recurrent Planners Beat Large Models on Grid Puzzles",
        "2. Rendering Fog and Smoke with Gaussian Splats",
    ]
    assert answer.content == (
        "Papers in this message: 2 papers.\n"
        "Outside the digests (not loaded in this bot), on arXiv:\n"
        "• arXiv:2401.99999 · <https://arxiv.org/abs/2401.99999>"
    )
    assert button(answer, "Save 1")["custom_id"] == f"save:{TINY_ID}"
    assert button(answer, "Save 2")["custom_id"] == f"save:{FOG_ID}"

    saved = response(await world.bob.click(answer, label="Save 2"))
    assert saved.content.startswith("🔖 Saved · 1 paper in your list\n**Rendering Fog")
    assert len(world.channel.history()) == 1  # nothing posted for everyone
    assert world.env.errors == []


async def test_a_bot_card_is_read_through_its_embeds(world: World) -> None:
    card = response(await world.alice.slash(world.channel, "paper", query=TINY_ID))

    answer = response(await world.bob.context_menu(world.channel, "Find papers", card))
    assert footer_ids(answer.embeds) == [TINY_ID]
    assert answer.content == "Papers in this message: 1 paper."


async def test_korean_members_get_the_answer_in_korean(
    world: World, locales: dict[int, str]
) -> None:
    locales[world.bob.id] = "ko"
    message = await world.alice.send(world.channel, f"{TINY_ID} 읽어 보세요, 2401.99999도")
    answer = response(await world.bob.context_menu(world.channel, "Find papers", message))
    assert answer.content.startswith("이 메시지의 논문: 논문 1편.\n다이제스트에 없는 논문")
    assert button(answer, "1번 저장")


async def test_a_message_without_papers_says_so(world: World) -> None:
    message = await world.alice.send(world.channel, "version 1.2401.12345, pi 3.14159, lunch?")
    result = await world.bob.context_menu(world.channel, "Find papers", message)
    assert refusal(world.env, result) == (
        "No arXiv ids or arXiv / Hugging Face paper links in this message."
    )


async def test_only_papers_outside_the_digests_are_listed_with_their_links(world: World) -> None:
    message = await world.alice.send(world.channel, "arXiv:2401.99999 and arXiv:hep-th/9901001")
    answer = response(await world.bob.context_menu(world.channel, "Find papers", message))
    assert answer.embeds == [] and not components(answer)
    assert answer.content.splitlines()[1:] == [
        "• arXiv:2401.99999 · <https://arxiv.org/abs/2401.99999>",
        "• arXiv:hep-th/9901001 · <https://arxiv.org/abs/hep-th/9901001>",
    ]


SAMPLE = "03011 02877 02510 01964 04120 03555 03902 05031 04777 04410 04902 05288"
SAMPLE_IDS = [f"2505.{n}" for n in SAMPLE.split()]  # the 12 sample papers, in loading order


async def test_many_papers_go_out_ten_cards_a_message_each_with_its_save_buttons(
    world: World,
) -> None:
    message = await world.alice.send(world.channel, " ".join(SAMPLE_IDS))
    result = await world.bob.context_menu(world.channel, "Find papers", message)
    first = response(result)
    (rest,) = result.followups
    assert first.ephemeral and rest.ephemeral
    assert footer_ids(first.embeds) + footer_ids(rest.embeds) == SAMPLE_IDS
    assert len(first.embeds) == 10
    assert [c["label"] for c in components(first)] == [f"Save {n}" for n in range(1, 11)]
    assert [c["custom_id"] for c in components(rest)] == [f"save:{i}" for i in SAMPLE_IDS[10:]]
    saved = response(await world.bob.click(rest, label="Save 12"))
    assert saved.content.startswith("🔖 Saved · 1 paper in your list\n**Agents that Write")


async def test_a_message_naming_more_than_25_ids_says_how_many_were_left_out(
    world: World,
) -> None:
    ids = [f"2505.{n:05d}" for n in range(1, 31)]
    message = await world.alice.send(world.channel, " ".join([TINY_ID, *ids]))
    result = await world.bob.context_menu(world.channel, "Find papers", message)
    answer = response(result)
    assert answer.content is not None
    assert answer.content.splitlines()[0] == "Papers in this message: 1 paper."
    assert answer.content.endswith("… and 6 more ids, not shown.")  # 25 looked up of 31
    assert len(answer.content.splitlines()) == 2 + 24 + 1
