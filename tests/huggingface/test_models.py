"""Reading Hugging Face's paper JSON: every field typed, nothing unreadable ever raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.huggingface.models import HfPaper, daily_item, paper_info
from papers_sandbox.huggingface import fake_item


def test_a_daily_item_gives_every_field() -> None:
    item = fake_item(
        "2505.04921",
        day=dt.date(2025, 5, 9),
        title="Perception,   Reason,\n Think",
        abstract="First sentence. Second one.",
        authors=["Lanqing Hong", "Zheng Zhang"],
        upvotes=75,
        ai_summary="A survey of multimodal reasoning.",
        ai_keywords=["LMRM", "MCoT"],
        github_repo="https://github.com/x/y",
        github_stars=12,
        project_page="https://x.github.io",
        num_comments=3,
    )
    paper = daily_item(item)
    assert paper == HfPaper(
        arxiv_id="2505.04921",
        title="Perception, Reason, Think",
        abstract="First sentence. Second one.",
        authors=("Lanqing Hong", "Zheng Zhang"),
        upvotes=75,
        published_at=dt.datetime(2025, 5, 7, 3, 14, tzinfo=dt.UTC),
        submitted_at=dt.datetime(2025, 5, 9, 3, 14, tzinfo=dt.UTC),
        ai_summary="A survey of multimodal reasoning.",
        ai_keywords=("LMRM", "MCoT"),
        github_repo="https://github.com/x/y",
        github_stars=12,
        project_page="https://x.github.io",
        thumbnail="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2505.04921.png",
        num_comments=3,
    )


def test_a_paper_page_reads_the_same_fields_without_a_daily_item() -> None:
    paper = paper_info(fake_item("2505.04921", upvotes=9)["paper"])
    assert paper is not None
    assert (paper.arxiv_id, paper.upvotes, paper.thumbnail) == ("2505.04921", 9, None)
    assert paper.submitted_at == dt.datetime(2025, 5, 12, 3, 14, tzinfo=dt.UTC)


def test_wrong_types_are_none_not_errors() -> None:
    item = {
        "paper": {
            "id": "2401.00001v2",
            "title": 5,
            "summary": ["no"],
            "authors": [{"name": 3}, "Plain Name", {"nom": "x"}, {"name": "  "}, None],
            "upvotes": True,
            "publishedAt": "yesterday",
            "submittedOnDailyAt": "2025-05-09T12:00:00",
            "ai_keywords": "not a list",
            "githubStars": "12",
        },
        "thumbnail": {"url": "x"},
        "numComments": 2.5,
    }
    paper = daily_item(item)
    assert paper == HfPaper(
        arxiv_id="2401.00001",
        authors=("Plain Name",),
        submitted_at=dt.datetime(2025, 5, 9, 12, tzinfo=dt.UTC),  # no offset: read as UTC
    )


def test_an_item_without_a_readable_id_is_left_out() -> None:
    assert daily_item({"paper": {"title": "No id"}}) is None
    assert daily_item({"paper": {"id": "not-an-arxiv-id"}}) is None
    assert daily_item(["not", "an", "object"]) is None
    assert paper_info(None) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=8,
)
keys = st.sampled_from(
    ["id", "title", "summary", "authors", "upvotes", "publishedAt", "submittedOnDailyAt",
     "ai_summary", "ai_keywords", "githubRepo", "githubStars", "projectPage", "numComments",
     "thumbnail", "paper"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, json_values), st.dictionaries(keys, json_values))
def test_any_json_reads_without_raising(paper: dict[str, object], item: dict[str, object]) -> None:
    item["paper"] = paper
    result = daily_item(item)
    assert result is None or isinstance(result, HfPaper)
    paper_info(paper)
