"""/paper: one paper by id, link or title words; autocomplete; hostile input; no pings."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.store import PaperStore

from .support import (
    UNEXPECTED,
    World,
    embeds,
    link_buttons,
    message_payloads,
    refusal,
    response,
    synthetic_entries,
    synthetic_result,
    user_errors,
)

TINY = "Tiny Recurrent Planners Beat Large Models on Grid Puzzles"
TINY_ID = "2505.03011"


@pytest.mark.parametrize(
    "query",
    [
        "2505.03011",
        "2505.03011v2",
        "arXiv:2505.03011",
        "https://arxiv.org/abs/2505.03011v1",
        "https://arxiv.org/pdf/2505.03011.pdf",
        "https://huggingface.co/papers/2505.03011",
        "tiny recurrent planners",
        "Grid Puzzles",
    ],
)
async def test_paper_found_by_id_link_or_title(world: World, query: str) -> None:
    result = await world.alice.slash(world.channel, "paper", query=query)

    message = response(result)
    assert not result.ephemeral
    (card,) = message.embeds
    assert card.title == TINY
    assert card.url == f"https://arxiv.org/abs/{TINY_ID}"
    fields = {f.name: f.value for f in card.fields}
    assert fields["Authors"] == "Hana Seo, Marcus Bell, Priya Raman, Tomás Álvarez"
    assert fields["Votes"] == "66"  # the newest appearance's votes
    assert fields["Featured"] == "2025-05-07, 2025-05-08"
    assert card.image.url == (
        "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2505.03011.png"
    )
    assert card.footer.text == f"arXiv:{TINY_ID}"
    # The summary's `- ***What's New***: ...` structure reads as headed paragraphs.
    description = card.description or ""
    assert description.startswith("**What's New**\n작은 순환 계획 모델이")
    assert "\n\n**Technical Details**\n개정판(v2)" in description
    assert "\n\n**Performance Highlights**\n" in description
    assert "***" not in description
    assert link_buttons(message) == {
        "arXiv": f"https://arxiv.org/abs/{TINY_ID}",
        "PDF": f"https://arxiv.org/pdf/{TINY_ID}",
        "Hugging Face": f"https://huggingface.co/papers/{TINY_ID}",
    }
    assert world.env.errors == []


async def test_paper_video_thumbnail_is_a_link_field(world: World) -> None:
    result = await world.alice.slash(world.channel, "paper", query="2505.01964")

    (card,) = embeds(result)
    assert card.title == "Rendering Fog and Smoke with Gaussian Splats"
    assert card.image.url is None and card.thumbnail.url is None  # a video is no image
    video = next(f for f in card.fields if f.name == "Video")
    assert video.value == (
        "[Watch the video](https://cdn-uploads.huggingface.co/production/uploads/sample/"
        "fog-splats.mp4)"
    )
    assert "<video" not in (card.description or "")  # the HTML player line is dropped


async def test_paper_without_votes_or_labels(world: World) -> None:
    result = await world.alice.slash(world.channel, "paper", query="2505.03555")

    (card,) = embeds(result)
    assert card.title == "A Field Guide to Data Contamination in Code Benchmarks"
    assert {f.name: f.value for f in card.fields}["Votes"] == "–"
    assert (card.description or "").startswith("- 코드 생성 벤치마크의 문제 중")


async def test_paper_ephemeral_option(world: World) -> None:
    result = await world.alice.slash(world.channel, "paper", query=TINY_ID, ephemeral=True)

    assert result.ephemeral and response(result).ephemeral
    assert embeds(result)[0].title == TINY


@pytest.mark.parametrize("query", ["2401.99999", "quantum origami llamas"])
async def test_paper_unknown_is_a_helpful_ephemeral_message(world: World, query: str) -> None:
    result = await world.alice.slash(world.channel, "paper", query=query)

    text = refusal(world.env, result)
    assert text.startswith(f"No paper matches `{query}`.")
    assert "2505.03011" in text and f"/search {query}" in text  # how to find it instead


HOSTILE = [
    "AND(",
    '"',
    '"unclosed phrase',
    "*",
    "NEAR",
    "NEAR(planners grid, 2)",
    "title:tiny",
    "{title}: tiny",
    "tiny OR 1",
    "' OR 1=1; --",
    "'; DROP TABLE papers; --",
    "%_\\",
    "x" * 6000,
    ("planners " * 700)[:6000],  # Discord caps string options at 6000
    "\x00\x01\x1b[31m\x7f",
    "\u200b\u200d\ufeff\u2060",
    "\u200b\u202e",  # a right-to-left override
    'AND( "NEAR *',
    "tiny\u200brecurrent",
    "🔥🚀🤖",
    "👩‍🔬 grid",
    "`@everyone` <@&1> ||x||",
    "모델 AND(",
]


async def test_paper_hostile_input_never_breaks(world: World) -> None:
    for query in HOSTILE:
        result = await world.alice.slash(world.channel, "paper", query=query)
        message = response(result)
        if result.ephemeral:
            assert message.content.startswith("No paper matches `"), (query, message.content)
            assert len(message.content) < 2000
            assert "@everyone" not in message.content
        else:
            assert len(message.embeds) == 1 and message.embeds[0].title, query
        assert not any(text in message.content for text in UNEXPECTED), query
    user_errors(world.env)  # every refusal was a UserFacingError, nothing else was raised


async def test_search_and_author_hostile_input_never_breaks(world: World) -> None:
    for query in HOSTILE:
        for command, option in (("search", "query"), ("author", "name")):
            result = await world.alice.slash(world.channel, command, **{option: query})
            message = response(result)
            assert result.ephemeral or message.embeds, (command, query)
            if result.ephemeral:
                assert message.content.startswith(("Nothing found for `", "No author matches `"))
            assert not any(text in message.content for text in UNEXPECTED), (command, query)
            assert "@everyone" not in message.content
    user_errors(world.env)


async def test_autocomplete_hostile_input_offers_valid_choices(world: World) -> None:
    for query in HOSTILE:
        for command, option in (("paper", "query"), ("author", "name"), ("digest", "date")):
            choices = await world.alice.autocomplete(world.channel, command, option, query[:100])
            assert len(choices) <= 25
            assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in choices)
    assert world.env.errors == []


async def test_paper_autocomplete_title_fragment_and_id_prefix(world: World) -> None:
    by_title = await world.alice.autocomplete(world.channel, "paper", "query", "grid puz")
    assert by_title == [{"name": f"{TINY} ({TINY_ID})", "value": TINY_ID}]

    korean_title = await world.alice.autocomplete(world.channel, "paper", "query", "KoBench")
    assert [c["value"] for c in korean_title] == ["2505.04777"]

    by_id = await world.alice.autocomplete(world.channel, "paper", "query", "2505.04")
    assert [c["value"] for c in by_id] == ["2505.04120", "2505.04410", "2505.04777", "2505.04902"]

    anything = await world.alice.autocomplete(world.channel, "paper", "query", "")
    assert len(anything) == 12  # every paper, newest first
    assert anything[0]["value"] == "2505.05031"  # the newest day's most-voted paper

    nothing = await world.alice.autocomplete(world.channel, "paper", "query", "zzzzqx")
    assert nothing == []


async def test_paper_autocomplete_many_and_long_titles(
    world: World, paper_store: PaperStore
) -> None:
    long_title = "Transformer " + "with a very long descriptive title " * 5
    many = synthetic_entries(30)
    long_entry = dataclasses.replace(synthetic_entries(1, start=20000)[0], title=long_title)
    await paper_store.ingest(
        "synthetic", synthetic_result(dt.date(2025, 6, 1), (*many, long_entry))
    )

    choices = await world.alice.autocomplete(world.channel, "paper", "query", "transformer")

    assert len(choices) == 25
    assert all(1 <= len(c["name"]) <= 100 for c in choices)
    long_choice = await world.alice.autocomplete(world.channel, "paper", "query", "descriptive")
    (choice,) = long_choice
    assert choice["value"] == "2506.20000"
    # Cut to fit, the choice still names the paper's id so near-identical titles stay apart.
    assert len(choice["name"]) <= 100 and choice["name"].endswith("(2506.20000)")
    assert choice["name"].startswith("Transformer with a very long")


async def test_mentions_are_disabled_for_a_summary_with_everyone(world: World) -> None:
    mark = len(world.env.http_requests)

    result = await world.alice.slash(world.channel, "paper", query="2505.05288")

    (card,) = embeds(result)
    assert card.title == "Agents that Write Their Own Unit Tests"
    assert "@\u200beveryone" in (card.description or "")  # shown, defused
    assert "@everyone" not in (card.description or "")
    sent = list(message_payloads(world.env, mark))
    assert sent, world.env.http_requests[mark:]
    assert all(payload.get("allowed_mentions") == {"parse": []} for payload in sent), sent
    message = response(result).message
    assert not message.mention_everyone
    assert message.mentions == [] and message.role_mentions == []


async def test_mentions_disabled_on_result_pages_too(world: World) -> None:
    mark = len(world.env.http_requests)

    result = await world.alice.slash(world.channel, "search", query="알림")  # the @everyone one
    assert embeds(result)[1].title == "1. Agents that Write Their Own Unit Tests"
    await world.alice.select(response(result), ["2505.05288"])

    sent = list(message_payloads(world.env, mark))
    assert len(sent) >= 2
    assert all(payload.get("allowed_mentions") == {"parse": []} for payload in sent), sent
