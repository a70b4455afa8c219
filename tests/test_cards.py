"""Save on paper cards (bot/cards.py): custom ids that a restarted bot still understands."""

from __future__ import annotations

import re

import pytest

from bot.cards import PICK_ID, PICK_TEMPLATE, SAVE_TEMPLATE, SaveOffer, save_button, save_id


@pytest.mark.parametrize(
    "arxiv_id", ["2505.03011", "0704.0001", "hep-th/9901001", "math.gt/0309136"]
)
def test_a_save_button_carries_its_paper(arxiv_id: str) -> None:
    button = save_button(arxiv_id, "ko")
    assert button.custom_id == save_id(arxiv_id)
    assert button.label == "저장" and str(button.emoji) == "🔖"
    match = re.fullmatch(SAVE_TEMPLATE, button.custom_id)
    assert match is not None and match["id"] == arxiv_id
    assert not re.fullmatch(PICK_TEMPLATE, button.custom_id)
    assert len(button.custom_id) <= 100  # Discord's limit


def test_one_paper_is_offered_as_a_button_several_as_a_menu() -> None:
    one = SaveOffer((("2505.03011", "Tiny Planners"),), "en").view()
    (button,) = one.children
    assert button.to_component_dict()["custom_id"] == "save:2505.03011"

    titles = [(f"2505.{i:05d}", f"A {'very ' * 40}long title {i}") for i in range(30)]
    many = SaveOffer(tuple(titles), "en", numbered_from=11).view()
    (menu,) = many.children
    data = menu.to_component_dict()
    assert data["custom_id"] == PICK_ID and data["placeholder"] == "Save one of these…"
    options = data["options"]
    assert len(options) == 25  # Discord's most; a daily message holds at most 10 cards
    assert options[0]["label"].startswith("11. A very") and options[0]["value"] == "2505.00000"
    assert all(len(o["label"]) <= 100 for o in options)


def test_an_offer_survives_the_plan_store() -> None:
    offer = SaveOffer((("2505.03011", "작은 모델"), ("hep-th/9901001", "Old")), "ko", 4)
    assert SaveOffer.from_json(offer.to_json()) == offer


def test_an_id_too_long_for_a_custom_id_gets_no_save_rather_than_a_refused_message() -> None:
    odd = "hep-th/" + "9" * 600
    assert SaveOffer(((odd, "Odd"),), "en").view().children == []
    (menu,) = SaveOffer(((odd, "Odd"), ("2505.03011", "Fine")), "en").view().children
    assert [o["value"] for o in menu.to_component_dict()["options"]] == ["2505.03011"]
    assert SaveOffer(((odd, "Odd"), (odd + "1", "Odder")), "en").view().children == []
