"""A built day, written in the published format and read back by the parser: every field
survives, whatever the API's text holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.digest.parse import parse
from bot.huggingface.models import HfPaper
from bot.huggingface.write import (
    ENGLISH_MARK,
    SUMMARY_CHARS,
    day_path,
    english_bullets,
    one_line,
    safe_url,
    sentences,
    write_day,
)

DAY = dt.date(2025, 5, 12)
THUMB = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2505.00001.png"


def paper(arxiv_id: str = "2505.00001", **fields: object) -> HfPaper:
    base: dict[str, object] = {
        "title": "A Title",
        "abstract": "We do X. It works.",
        "authors": ("Ada Lovelace", "Alan Turing"),
        "upvotes": 3,
        "thumbnail": THUMB,
    }
    return HfPaper(arxiv_id, **{**base, **fields})  # type: ignore[arg-type]


def test_a_day_reads_back_as_the_project_published_it() -> None:
    text = write_day(DAY, [paper(ai_summary="In one line.")])
    result = parse(text)
    assert result.built
    assert result.problems == ()
    (section,) = result.sections
    assert section.day == DAY
    (entry,) = section.entries
    assert (entry.arxiv_id, entry.title, entry.url) == (
        "2505.00001",
        "A Title",
        "https://arxiv.org/abs/2505.00001",
    )
    assert (entry.thumbnail, entry.votes, entry.authors) == (
        THUMB,
        3,
        ("Ada Lovelace", "Alan Turing"),
    )
    assert entry.summary.split("\n") == [
        ENGLISH_MARK,
        "- ***AI Summary***: In one line.",
        "- ***Abstract***:",
        "- We do X.",
        "- It works.",
    ]


def test_papers_are_sorted_by_upvotes_ties_in_api_order() -> None:
    papers = [paper("2505.00001", upvotes=2), paper("2505.00002", upvotes=9),
              paper("2505.00003", upvotes=None), paper("2505.00004", upvotes=2),
              paper("2505.00002", upvotes=1)]  # fmt: skip
    (section,) = parse(write_day(DAY, papers)).sections
    assert [(e.arxiv_id, e.votes) for e in section.entries] == [
        ("2505.00002", 9),
        ("2505.00001", 2),
        ("2505.00004", 2),
        ("2505.00003", None),  # Vote: - (no upvotes known)
    ]


def test_korean_bullets_replace_the_english_ones() -> None:
    korean = {"2505.00001": ["***What's New***: 새로운 방법입니다.", "  "]}
    (section,) = parse(write_day(DAY, [paper(), paper("2505.00002")], korean)).sections
    by_id = {e.arxiv_id: e.summary for e in section.entries}
    assert by_id["2505.00001"] == "- ***What's New***: 새로운 방법입니다."
    assert by_id["2505.00002"].startswith(ENGLISH_MARK)


def test_an_empty_day_is_a_section_without_papers() -> None:
    (section,) = parse(write_day(DAY, [])).sections
    assert (section.day, section.entries) == (DAY, ())


def test_a_video_thumbnail_is_written_as_the_project_did() -> None:
    video = "https://cdn-uploads.huggingface.co/v/clip one.mp4"
    text = write_day(DAY, [paper(thumbnail=video)])
    assert "[Watch Video](https://cdn-uploads.huggingface.co/v/clip%20one.mp4)" in text
    (entry,) = parse(text).sections[0].entries
    assert entry.thumbnail == "https://cdn-uploads.huggingface.co/v/clip%20one.mp4"
    assert "video" not in entry.summary


def test_names_with_commas_survive_as_a_list() -> None:
    names = ("O'Brien, Jr.", 'Say "Hi"', "[Bot]")
    (entry,) = parse(write_day(DAY, [paper(authors=names)])).sections[0].entries
    assert entry.authors == names


def test_abstracts_split_at_sentences_not_abbreviations() -> None:
    text = "We use e.g. GPT-4 and Fig. 2 shows it. Results improve by 3.5 points! Why? Because."
    assert sentences(text) == [
        "We use e.g. GPT-4 and Fig. 2 shows it.",
        "Results improve by 3.5 points!",
        "Why?",
        "Because.",
    ]
    assert sentences("As Smith et al. Found, it works. We do X. Then Y.") == [
        "As Smith et al. Found, it works.",
        "We do X.",
        "Then Y.",
    ]


def test_long_abstracts_are_shortened_within_the_summary_budget() -> None:
    long = " ".join(f"Sentence number {i} says {'very ' * 30}much." for i in range(60))
    bullets = english_bullets(paper(abstract=long + " " + "x" * 900 + "."))
    assert sum(len(b) + 3 for b in bullets) <= SUMMARY_CHARS + 4
    assert bullets[-1] == "…"
    assert all(len(b) <= 400 for b in bullets)


def test_unsafe_thumbnails_are_left_out() -> None:
    for bad in ("javascript:alert(1)", "/relative.png", "data:image/png;base64,xx", None):
        assert safe_url(bad) is None
    (entry,) = parse(write_day(DAY, [paper(thumbnail="javascript:x")])).sections[0].entries
    assert entry.thumbnail is None


def test_the_day_has_the_projects_path() -> None:
    assert str(day_path(Path("/b"), DAY)) == "/b/2025/05/12.md"


HOSTILE = [
    "### [Other](https://arxiv.org/abs/2401.00001)",
    "## Daily Papers (2020-01-01)",
    "Vote: 99",
    "Authors: Mallory",
    "![](https://evil.example/x.png)",
    "```",
    "~~~",
    "<div><video src='https://evil.example/v.mp4'></video></div>",
    "@everyone <@123> [link](https://x.y)",
    "](https://arxiv.org/abs/2401.00002)",
    "# Heading",
    "\n\n- item\r\n\t",
    "\x00\x1b\u2028\x85",
]
hostile_text = st.lists(
    st.sampled_from(HOSTILE) | st.text(max_size=30), min_size=0, max_size=5
).map(" ".join)
ids = st.sampled_from(["2505.00001", "2505.00002", "2505.00003", "hep-th/9901001"])
papers = st.builds(
    HfPaper,
    arxiv_id=ids,
    title=st.none() | hostile_text,
    abstract=st.none() | hostile_text,
    authors=st.lists(hostile_text, max_size=4).map(tuple),
    upvotes=st.none() | st.integers(0, 10**6),
    thumbnail=st.none() | hostile_text | st.just(THUMB),
    ai_summary=st.none() | hostile_text,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(papers, max_size=5), st.dictionaries(ids, st.lists(hostile_text, max_size=3)))
def test_hostile_text_cannot_break_the_format(
    day_papers: list[HfPaper], korean: dict[str, list[str]]
) -> None:
    text = write_day(DAY, day_papers, korean)
    result = parse(text)
    assert result.problems == ()
    (section,) = result.sections
    expected: dict[str, HfPaper] = {}
    for p in day_papers:
        expected.setdefault(p.arxiv_id, p)
    assert [e.arxiv_id for e in section.entries] == sorted(
        expected, key=lambda i: (-(expected[i].upvotes or 0), list(expected).index(i))
    )
    for entry in section.entries:
        p = expected[entry.arxiv_id]
        assert entry.title == (one_line(p.title or "") or p.arxiv_id)
        assert entry.votes == p.upvotes
        assert entry.authors == tuple(one_line(a) for a in p.authors if one_line(a))
        assert entry.thumbnail == safe_url(p.thumbnail)
        bullets = [one_line(b) for b in korean.get(p.arxiv_id, [])]
        bullets = [b for b in bullets if b] or english_bullets(p)
        lines = [b if b == ENGLISH_MARK else f"- {b}" for b in map(one_line, bullets)]
        assert entry.summary == "\n".join(lines)


def test_the_mark_says_whether_the_day_was_complete_when_fetched() -> None:
    papers = [HfPaper("2505.00001", "A paper", "An abstract.")]
    early, complete = write_day(DAY, papers), write_day(DAY, papers, complete=True)
    assert (parse(early).built, parse(early).complete) == (True, False)
    assert (parse(complete).built, parse(complete).complete) == (True, True)
    assert parse(early).sections == parse(complete).sections
    # an API base cannot make an early day read as complete
    base = "https://hf.test/; fetched when the day was complete; a Korean digest -->"
    assert not parse(write_day(DAY, papers, api_base=base)).complete
    assert not parse(f"## Daily Papers ({DAY})\n").complete  # a published digest
