"""/search: Korean and English words, sorting, date ranges, bad dates, ephemeral answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.errors import unwrap
from bot.i18n_text import text
from bot.store import PaperStore, ReadTimedOut

from .support import (
    MessageLike,
    World,
    button,
    card_titles,
    header,
    refusal,
    response,
    synthetic_entries,
    synthetic_result,
)

# The sample papers whose summary or title contains 모델, by the days they were featured.
MODEL_PAPERS = {
    "Tiny Recurrent Planners Beat Large Models on Grid Puzzles": {"05-07", "05-08"},
    "OpenClinic: A Multilingual Benchmark for Medical Dialogue Safety": {"05-07"},
    "Curriculum Reinforcement Learning for Long-Horizon Web Agents": {"05-08"},
    "A Field Guide to Data Contamination in Code Benchmarks": {"05-08"},
    "Listening to Materials: Audio-Visual Models that Hear Texture": {"05-08"},
    "Sparse Mixture-of-Experts Diffusion Models for High-Resolution Images": {"05-09"},
    "KoBench-Reason: Evaluating Korean Reasoning in Language Models": {"05-09"},
    "Reward Models Are Easily Fooled by Formatting": {"05-09"},
    "Streaming Speech Translation with a Single Decoder": {"05-09"},
}


def titles(message: MessageLike) -> list[str]:
    """Card titles without their `1. ` numbers."""
    return [re.sub(r"^\d+\. ", "", t) for t in card_titles(message)]


def votes(message: MessageLike) -> list[int | None]:
    """The 👍 count in each card's footer (None for `–`)."""
    found: list[int | None] = []
    for embed in message.embeds[1:]:
        count = (embed.footer.text or "").split(" · ")[0].removeprefix("👍 ")
        found.append(None if count == "–" else int(count))
    return found


async def test_search_korean_word_finds_it_with_any_particle(world: World) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델")

    message = response(result)
    assert not result.ephemeral
    assert header(message) == "Results 1–5 of 9 for `모델`"
    assert len(message.embeds) == 6  # the header and five cards
    assert set(titles(message)) <= set(MODEL_PAPERS)
    assert card_titles(message)[0].startswith("1. ")


async def test_search_korean_phrase(world: World) -> None:
    result = await world.alice.slash(world.channel, "search", query="강화 학습")

    message = response(result)
    assert header(message) == "Results 1–2 of 2 for `강화 학습`"
    assert set(titles(message)) == {
        "Speculative Decoding with Draft Heads that Learn When to Stop",
        "Curriculum Reinforcement Learning for Long-Horizon Web Agents",
    }
    assert button(message, "Next")["disabled"] and button(message, "Previous")["disabled"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reward models", ["Reward Models Are Easily Fooled by Formatting"]),
        ("FORMATTING", ["Reward Models Are Easily Fooled by Formatting"]),
        ('"gaussian splats"', ["Rendering Fog and Smoke with Gaussian Splats"]),
        ("Sung-min Jeon", ["Reward Models Are Easily Fooled by Formatting"]),  # an author
    ],
)
async def test_search_english(world: World, query: str, expected: list[str]) -> None:
    result = await world.alice.slash(world.channel, "search", query=query)

    assert titles(response(result)) == expected


async def test_search_sorted_by_votes(world: World) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델", sort="votes")

    message = response(result)
    assert votes(message) == [73, 66, 58, 35, 21]
    await world.alice.click(message, label="Next")
    page_two = response(result)
    assert header(page_two) == "Results 6–9 of 9 for `모델`"
    assert votes(page_two) == [14, 12, 8, None]  # no votes (`Vote: -`) sorts last


async def test_search_sorted_by_newest(world: World) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델", sort="newest")

    days = [MODEL_PAPERS[t] for t in titles(response(result))]
    assert days[:4] == [{"05-09"}] * 4


@pytest.mark.parametrize(
    ("since", "until", "days"),
    [
        ("2025-05-09", None, {"05-09"}),
        (None, "2025-05-07", {"05-07"}),
        ("2025-05-08", "2025-05-08", {"05-08"}),
    ],
)
async def test_search_date_range(
    world: World, since: str | None, until: str | None, days: set[str]
) -> None:
    options = {k: v for k, v in {"since": since, "until": until}.items() if v}

    result = await world.alice.slash(world.channel, "search", query="모델", **options)

    found = titles(response(result))
    expected = [t for t, featured in MODEL_PAPERS.items() if featured & days]
    assert sorted(found) == sorted(expected)
    assert header(response(result)).endswith(f" of {len(expected)} for `모델`")


async def test_search_range_with_nothing_in_it(world: World) -> None:
    result = await world.alice.slash(
        world.channel, "search", query="모델", since="2024-01-01", until="2024-12-31"
    )

    assert refusal(world.env, result).startswith("Nothing found for `모델`.")


@pytest.mark.parametrize("option", ["since", "until"])
@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "09/05/2025"])
async def test_search_bad_date_names_the_format(world: World, option: str, bad: str) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델", **{option: bad})

    text = refusal(world.env, result)
    assert text == f"`{bad}` is not a date. Use YYYY-MM-DD, e.g. 2025-05-09."


async def test_search_ephemeral_answer_still_pages(world: World) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델", ephemeral=True)

    message = response(result)
    assert result.ephemeral and message.ephemeral
    turned = await world.alice.click(message, label="Next")
    assert header(response(turned)) == "Results 6–9 of 9 for `모델`"
    assert response(turned).ephemeral


async def test_a_search_past_the_read_time_limit_is_stopped_and_says_so(
    world: World, paper_store: PaperStore
) -> None:
    many = synthetic_result(dt.date(2025, 6, 1), synthetic_entries(500))
    await paper_store.ingest("many", many)
    paper_store.db.read_timeout = 0.0  # every read is past it at its first look at the clock

    result = await world.alice.slash(world.channel, "search", query="Transformer")

    message = response(result)
    assert result.ephemeral and not message.embeds
    assert message.content == text("en-US", "err_slow", seconds="0")
    assert [type(unwrap(e)) for e in world.env.errors] == [ReadTimedOut]  # and only that
