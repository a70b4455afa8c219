"""What enrichment shows members: /paper with the abstract under the Korean summary, upvotes,
stars and Code / Project buttons (https links only), and /search has_code."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot import render
from bot.models import Enrichment
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore

from .support import (
    World,
    embeds,
    header,
    link_buttons,
    picked,
    refusal,
    response,
    synthetic_entries,
    synthetic_result,
)
from .test_search import titles

TINY = "2505.03011"
TINY_TITLE = "Tiny Recurrent Planners Beat Large Models on Grid Puzzles"
OPENCLINIC = "OpenClinic: A Multilingual Benchmark for Medical Dialogue Safety"
AT = dt.datetime(2025, 5, 10, 3, 0, tzinfo=dt.UTC)
REPO = "https://github.com/hana-seo/tiny-planners"
ABSTRACT = "Small recurrent planners solve grid puzzles that stump large models. We show how."


def enriched(arxiv_id: str, **fields: object) -> Enrichment:
    values: dict[str, object] = {
        "abstract": ABSTRACT,
        "github_repo": REPO,
        "github_stars": 1234,
        "project_page": "https://tiny-planners.github.io/",
        "upvotes": 321,
    }
    values.update(fields)
    return Enrichment(arxiv_id, AT, True, **values)  # type: ignore[arg-type]


async def arxiv_id_of(store: PaperStore, title: str) -> str:
    found = await store.by_title(title)
    assert found is not None
    return found.arxiv_id


async def test_paper_shows_the_abstract_under_the_summary_with_upvotes_stars_and_links(
    world: World, paper_store: PaperStore
) -> None:
    await EnrichmentStore(paper_store.db).record([enriched(TINY)])
    result = await world.alice.slash(world.channel, "paper", query=TINY)

    (card,) = embeds(result)
    description = card.description or ""
    assert description.startswith("**What's New**\n작은 순환 계획 모델이")
    summary, abstract = description.split("\n\n**Abstract**\n")
    assert "**Performance Highlights**" in summary  # the whole Korean summary, then the abstract
    assert abstract == ABSTRACT
    fields = {f.name: f.value for f in card.fields}
    assert fields["Votes"] == "66"  # the digest's, as published
    assert fields["Upvotes on Hugging Face"] == "321"
    assert fields["GitHub stars"] == "⭐ 1,234"
    links = link_buttons(response(result))
    assert links["Code"] == REPO
    assert links["Project"] == "https://tiny-planners.github.io/"
    assert {"arXiv", "PDF", "Hugging Face"} <= set(links)


async def test_a_paper_not_enriched_looks_as_before(world: World, paper_store: PaperStore) -> None:
    result = await world.alice.slash(world.channel, "paper", query=TINY)
    (card,) = embeds(result)
    assert "**Abstract**" not in (card.description or "")
    assert {f.name for f in card.fields} == {"Authors", "Votes", "Featured", "Links"}
    assert set(link_buttons(response(result))) == {"arXiv", "PDF", "Hugging Face"}


async def test_links_that_are_not_https_get_no_button(
    world: World, paper_store: PaperStore
) -> None:
    hostile = enriched(
        TINY,
        github_repo="http://github.com/hana-seo/tiny-planners",
        project_page="javascript:alert(1)",
        github_stars=None,
    )
    await EnrichmentStore(paper_store.db).record([hostile])
    result = await world.alice.slash(world.channel, "paper", query=TINY)
    assert set(link_buttons(response(result))) == {"arXiv", "PDF", "Hugging Face"}
    (card,) = embeds(result)
    assert "GitHub stars" not in {f.name for f in card.fields}


async def test_a_long_summary_and_abstract_share_the_card_within_discords_limits(
    world: World, paper_store: PaperStore
) -> None:
    body = "\n".join(f"- ***Part {i}***: " + "요약 문장입니다. " * 40 for i in range(12))
    (long,) = synthetic_entries(1, word="Verbose", start=20000)
    entry = dataclasses.replace(long, summary=body)
    await paper_store.ingest("long.md", synthetic_result(dt.date(2025, 5, 10), (entry,)))
    abstract = "We study long abstracts. " * 200
    await EnrichmentStore(paper_store.db).record([enriched(entry.arxiv_id, abstract=abstract)])

    result = await world.alice.slash(world.channel, "paper", query=entry.arxiv_id)
    (card,) = embeds(result)
    description = card.description or ""
    assert len(description) <= render.DESCRIPTION_LIMIT and len(card) <= render.EMBED_TOTAL_LIMIT
    assert "[Read the full summary](https://arxiv.org/abs/2506.20000)" in description
    assert description.endswith("[Read the abstract](https://arxiv.org/abs/2506.20000)")
    assert "\n\n**Abstract**\nWe study long abstracts." in description


async def test_without_a_summary_the_abstract_is_the_description(
    world: World, paper_store: PaperStore
) -> None:
    (bare,) = synthetic_entries(1, word="Bare", start=30000)
    entry = dataclasses.replace(bare, summary="")
    await paper_store.ingest("bare.md", synthetic_result(dt.date(2025, 5, 10), (entry,)))
    await EnrichmentStore(paper_store.db).record(
        [enriched(entry.arxiv_id, abstract="An *abstract* with @everyone in it.")]
    )
    result = await world.alice.slash(world.channel, "paper", query=entry.arxiv_id)
    (card,) = embeds(result)
    assert card.description == "**Abstract**\nAn \\*abstract\\* with @\u200beveryone in it."


async def test_the_card_speaks_korean(
    world: World, paper_store: PaperStore, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "ko"
    await EnrichmentStore(paper_store.db).record([enriched(TINY)])
    result = await world.alice.slash(world.channel, "paper", query=TINY)
    (card,) = embeds(result)
    assert "\n\n**초록 (영문)**\n" in (card.description or "")
    assert {"Hugging Face 추천", "GitHub 스타"} <= {f.name for f in card.fields}
    assert {"코드", "프로젝트"} <= set(link_buttons(response(result)))


async def test_search_has_code_keeps_papers_with_code_and_counts_them_exactly(
    world: World, paper_store: PaperStore
) -> None:
    clinic = await arxiv_id_of(paper_store, OPENCLINIC)
    reward = await arxiv_id_of(paper_store, "Reward Models Are Easily Fooled by Formatting")
    no_code = enriched(reward, github_repo=None)
    clinic_code = enriched(clinic, github_repo="https://github.com/open/clinic")
    await EnrichmentStore(paper_store.db).record([enriched(TINY), clinic_code, no_code])
    for sort in ("relevance", "votes", "newest"):
        result = await world.alice.slash(
            world.channel, "search", query="모델", has_code=True, sort=sort
        )
        message = response(result)
        assert header(message) == "Results 1–2 of 2 for `모델`"
        assert set(titles(message)) == {TINY_TITLE, OPENCLINIC}
    everything = response(await world.alice.slash(world.channel, "search", query="모델"))
    assert header(everything) == "Results 1–5 of 9 for `모델`"


async def test_search_has_code_on_a_store_never_enriched_finds_nothing(
    world: World,
) -> None:
    result = await world.alice.slash(world.channel, "search", query="모델", has_code=True)
    assert refusal(world.env, result).startswith("Nothing found for `모델`.")


async def test_search_has_code_false_is_every_match(world: World, paper_store: PaperStore) -> None:
    await EnrichmentStore(paper_store.db).record([enriched(TINY)])
    result = await world.alice.slash(world.channel, "search", query="모델", has_code=False)
    assert header(response(result)) == "Results 1–5 of 9 for `모델`"


async def test_a_paper_opened_from_search_results_shows_its_enrichment(
    world: World, paper_store: PaperStore
) -> None:
    await EnrichmentStore(paper_store.db).record([enriched(TINY)])
    results = response(await world.alice.slash(world.channel, "search", query="모델"))
    opened = picked(await world.bob.select(results, [TINY]))
    (card,) = opened.embeds
    assert (card.description or "").endswith(f"\n\n**Abstract**\n{ABSTRACT}")
    assert link_buttons(opened)["Code"] == REPO
