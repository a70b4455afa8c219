"""/digest, /top, /author and /random over the three sample days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import discord
import pytest

from bot.store import PaperStore

from .support import (
    World,
    card_titles,
    embeds,
    header,
    link_buttons,
    refusal,
    response,
    synthetic_entries,
    synthetic_result,
)

DAY_07 = [
    "Tiny Recurrent Planners Beat Large Models on Grid Puzzles",
    "Speculative Decoding with Draft Heads that Learn When to Stop",
    "OpenClinic: A Multilingual Benchmark for Medical Dialogue Safety",
    "Rendering Fog and Smoke with Gaussian Splats",
]
DAY_08 = [
    "Curriculum Reinforcement Learning for Long-Horizon Web Agents",
    "Tiny Recurrent Planners Beat Large Models on Grid Puzzles",
    "A Field Guide to Data Contamination in Code Benchmarks",
    "Listening to Materials: Audio-Visual Models that Hear Texture",
]
DAY_09 = [
    "Sparse Mixture-of-Experts Diffusion Models for High-Resolution Images",
    "KoBench-Reason: Evaluating Korean Reasoning in Language Models",
    "Reward Models Are Easily Fooled by Formatting",
    "Streaming Speech Translation with a Single Decoder",
    "Agents that Write Their Own Unit Tests",
]


def numbered(titles: list[str]) -> list[str]:
    return [f"{i}. {t}" for i, t in enumerate(titles, 1)]


def footer_votes(result_embeds: Sequence[discord.Embed]) -> list[str]:
    """`👍 41` from each card of a results page (the header embed skipped)."""
    return [(e.footer.text or "").split(" · ")[0] for e in result_embeds[1:]]


# --- /digest ------------------------------------------------------------------------------


async def test_digest_defaults_to_the_newest_day_in_published_order(world: World) -> None:
    result = await world.alice.slash(world.channel, "digest")

    message = response(result)
    assert not result.ephemeral
    assert header(message) == "**Daily Papers — 2025-05-09** · 1–5 of 5"
    assert card_titles(message) == numbered(DAY_09)


async def test_digest_of_a_given_day_shows_that_days_votes(world: World) -> None:
    result = await world.alice.slash(world.channel, "digest", date="2025-05-07", ephemeral=True)

    assert result.ephemeral
    assert card_titles(response(result)) == numbered(DAY_07)
    # 2505.03011 had 41 votes that day (66 the next): the digest shows it as published.
    assert footer_votes(embeds(result)) == ["👍 41", "👍 27", "👍 12", "👍 9"]

    day_08 = await world.alice.slash(world.channel, "digest", date=" 2025-05-08 ")
    assert card_titles(response(day_08)) == numbered(DAY_08)
    assert footer_votes(embeds(day_08))[2] == "👍 –"


async def test_digest_date_autocomplete_lists_days(world: World, paper_store: PaperStore) -> None:
    days = await world.alice.autocomplete(world.channel, "digest", "date", "")
    assert days == [
        {"name": "2025-05-09 · 5 papers", "value": "2025-05-09"},
        {"name": "2025-05-08 · 4 papers", "value": "2025-05-08"},
        {"name": "2025-05-07 · 4 papers", "value": "2025-05-07"},
    ]
    one = await world.alice.autocomplete(world.channel, "digest", "date", "2025-05-08")
    assert [c["value"] for c in one] == ["2025-05-08"]
    assert await world.alice.autocomplete(world.channel, "digest", "date", "2024") == []

    await paper_store.ingest("one", synthetic_result(dt.date(2025, 4, 1), synthetic_entries(1)))
    april = await world.alice.autocomplete(world.channel, "digest", "date", "2025-04")
    assert april == [{"name": "2025-04-01 · 1 paper", "value": "2025-04-01"}]


async def test_digest_unknown_day_says_so(world: World) -> None:
    result = await world.alice.slash(world.channel, "digest", date="2025-01-01")

    text = refusal(world.env, result)
    assert text.startswith("There is no digest for 2025-01-01.")
    assert "/digest" in text


async def test_digest_bad_date_names_the_format(world: World) -> None:
    result = await world.alice.slash(world.channel, "digest", date="2024-13-45")

    assert refusal(world.env, result) == (
        "`2024-13-45` is not a date. Use YYYY-MM-DD, e.g. 2025-05-09."
    )


# --- /top ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "title", "total", "votes"),
    [
        ("day", "Top papers of the newest day", 5, [73, 35, 21, 14, 6]),
        ("week", "Top papers of the last 7 days", 12, [73, 66, 58, 35, 27]),
        ("all", "Top papers of all time", 12, [73, 66, 58, 35, 27]),
    ],
)
async def test_top_periods(
    world: World, period: str, title: str, total: int, votes: list[int]
) -> None:
    result = await world.alice.slash(world.channel, "top", period=period)

    message = response(result)
    assert header(message) == f"**{title}** · 1–5 of {total}"
    assert footer_votes(message.embeds) == [f"👍 {v}" for v in votes]


async def test_top_defaults_to_a_week_and_periods_reach_back_from_the_newest_day(
    world: World, paper_store: PaperStore
) -> None:
    old = dataclasses.replace(synthetic_entries(1)[0], title="An Old Favourite", votes=999)
    await paper_store.ingest("old", synthetic_result(dt.date(2025, 1, 15), (old,)))

    default = response(await world.alice.slash(world.channel, "top"))
    assert header(default) == "**Top papers of the last 7 days** · 1–5 of 12"
    month = response(await world.alice.slash(world.channel, "top", period="month"))
    assert card_titles(month)[0] == f"1. {DAY_09[0]}"
    year = response(await world.alice.slash(world.channel, "top", period="year"))
    assert card_titles(year)[0] == "1. An Old Favourite"
    assert header(year) == "**Top papers of the last 365 days** · 1–5 of 13"


# --- /author ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("seo", [DAY_09[1], DAY_07[0]]),  # Seoyeon Han, Hana Seo; newest first
        ("HANA SEO", [DAY_07[0]]),
        ("alvarez", [DAY_07[0]]),  # Tomás Álvarez
        ("Álvarez", [DAY_07[0]]),
        ("o'connor", [DAY_07[2]]),
    ],
)
async def test_author_partial_and_case_insensitive(
    world: World, name: str, titles: list[str]
) -> None:
    result = await world.alice.slash(world.channel, "author", name=name)

    assert card_titles(response(result)) == numbered(titles)
    assert world.env.errors == []


async def test_author_unknown(world: World) -> None:
    result = await world.alice.slash(world.channel, "author", name="Nobody Atall")

    assert refusal(world.env, result) == (
        "No author matches `Nobody Atall`. Try the family name only."
    )


async def test_author_autocomplete(world: World) -> None:
    async def names(typed: str) -> list[str]:
        choices = await world.alice.autocomplete(world.channel, "author", "name", typed)
        assert all(c["name"] == c["value"] for c in choices)
        return [c["name"] for c in choices]

    assert await names("hana") == ["Hana Seo"]
    assert await names("HANA") == ["Hana Seo"]
    assert await names("tomas") == ["Tomás Álvarez"]
    assert (await names("t"))[:2] == ["Taeho Yoon", "Tomás Álvarez"]  # starting with it first
    assert await names("seo") == ["Seoyeon Han", "Hana Seo"]  # then names containing it
    assert len(await names("")) == 25  # 45 authors, capped at Discord's 25


# --- /random ------------------------------------------------------------------------------


async def test_random_paper(world: World) -> None:
    everything = {*DAY_07, *DAY_08, *DAY_09}
    for _ in range(5):
        result = await world.alice.slash(world.channel, "random")
        (card,) = embeds(result)
        assert card.title in everything
        assert set(link_buttons(response(result))) == {"arXiv", "PDF", "Hugging Face"}
    for _ in range(5):
        (card,) = embeds(await world.alice.slash(world.channel, "random", period="day"))
        assert card.title in DAY_09
    ephemeral = await world.alice.slash(world.channel, "random", ephemeral=True)
    assert ephemeral.ephemeral
    assert world.env.errors == []
