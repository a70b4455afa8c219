"""The enriched card within Discord's limits whatever Hugging Face sends, and its link
buttons only for https URLs Discord takes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.lookup.views import paper_links
from bot.models import Enrichment, Paper
from bot.render import paper_embed
from papers_sandbox.limits import check_embeds
from tests.test_render import (
    ENGLISH_LONG,
    KOREAN_UNBROKEN,
    STRUCTURED,
    WORST,
    assert_embed_ok,
    make_paper,
)

AT = dt.datetime(2025, 5, 10, tzinfo=dt.UTC)


def enrichment(**fields: object) -> Enrichment:
    values: dict[str, object] = {
        "abstract": "We fold paper cranes. " * 10,
        "github_repo": "https://github.com/cranes/fold",
        "github_stars": 12,
        "project_page": "https://cranes.github.io/",
        "upvotes": 99,
    }
    values.update(fields)
    return Enrichment("2406.01234", AT, True, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "paper",
    [
        WORST,
        make_paper(summary=ENGLISH_LONG),
        make_paper(summary=STRUCTURED),
        make_paper(summary=""),
    ],
)
@pytest.mark.parametrize(
    "abstract", ["short.", "A" * 9000, "word " * 3000, KOREAN_UNBROKEN, "*_`|~>" * 500]
)
@pytest.mark.parametrize("locale", ["en", "ko"])
def test_the_card_keeps_every_limit(paper: Paper, abstract: str, locale: str) -> None:
    embed = paper_embed(paper, locale=locale, enrichment=enrichment(abstract=abstract))
    assert_embed_ok(embed)
    assert check_embeds([embed.to_dict()]) == []


@settings(max_examples=60, deadline=None)
@given(summary=st.text(max_size=5000), abstract=st.text(max_size=5000))
def test_any_summary_and_abstract_fit(summary: str, abstract: str) -> None:
    embed = paper_embed(make_paper(summary=summary), enrichment=enrichment(abstract=abstract))
    assert_embed_ok(embed)


def test_a_short_summary_leaves_the_abstract_whole() -> None:
    abstract = "We fold paper cranes with a diffusion model and a planner. " * 30  # ~1,800
    embed = paper_embed(make_paper(summary=STRUCTURED), enrichment=enrichment(abstract=abstract))
    assert (embed.description or "").endswith("**Abstract**\n" + abstract.strip())


def test_not_found_and_missing_fields_add_nothing() -> None:
    plain = paper_embed(make_paper())
    missing = paper_embed(make_paper(), enrichment=Enrichment("2406.01234", AT, found=False))
    assert missing.to_dict() == plain.to_dict()
    bare = paper_embed(make_paper(), enrichment=enrichment(upvotes=None, github_stars=None))
    assert {f.name for f in bare.fields} == {f.name for f in plain.fields}


@pytest.mark.parametrize(
    "url",
    [
        "http://github.com/cranes/fold",
        "javascript:alert(1)",
        "https://localhost/x",
        "https://github.com/" + "a" * 600,
        "ftp://github.com/x",
        "",
    ],
)
def test_only_https_urls_discord_takes_become_buttons(url: str) -> None:
    view = paper_links(make_paper(), "en", enrichment(github_repo=url, project_page=url))
    links = [getattr(item, "label", None) for item in view.children if getattr(item, "url", None)]
    assert links == ["arXiv", "PDF", "Hugging Face"]  # no Code or Project link; Save follows


def test_code_and_project_buttons() -> None:
    view = paper_links(make_paper(), "ko", enrichment())
    links = {getattr(i, "label", None): getattr(i, "url", None) for i in view.children}
    assert links["코드"] == "https://github.com/cranes/fold"
    assert links["프로젝트"] == "https://cranes.github.io/"


def test_a_built_summary_that_has_the_abstract_does_not_repeat_it() -> None:
    built = "*(English)*\n- ***AI Summary***: Cranes, folded.\n- ***Abstract***: We fold cranes."
    plain = paper_embed(make_paper(summary=built))
    embed = paper_embed(make_paper(summary=built), enrichment=enrichment())
    assert embed.description == plain.description
    assert (embed.description or "").count("**Abstract**") == 1
