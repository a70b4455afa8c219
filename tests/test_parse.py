"""The digest parser on small invented digests, one per format variant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.digest.parse import parse
from bot.models import Entry, ParseResult, Problem

DATA = Path(__file__).parent / "data" / "digests"


def load(name: str) -> ParseResult:
    return parse((DATA / name).read_text(encoding="utf-8"))


def entries(result: ParseResult) -> list[Entry]:
    return [e for s in result.sections for e in s.entries]


def by_id(result: ParseResult) -> dict[str, Entry]:
    return {e.arxiv_id: e for e in entries(result)}


# --- 2023-11 style: no thumbnail, vote or authors; no blank line between entries -------------


def test_entries_without_fields_and_without_blank_lines_between_them() -> None:
    result = load("plain_no_fields.md")
    assert result.problems == ()
    [section] = result.sections
    assert (section.day, section.line) == (dt.date(2023, 11, 2), 1)
    assert [(e.arxiv_id, e.line) for e in section.entries] == [
        ("2311.00101", 3),
        ("2311.00202", 7),
        ("2311.00303", 14),
    ]
    first = section.entries[0]
    assert first.title == "Tiny Owls: Sparse Attention for Night Vision Models"
    assert first.url == "https://arxiv.org/abs/2311.00101"
    assert (first.thumbnail, first.votes, first.authors) == (None, None, ())
    assert first.summary == (
        "- 야간 영상에서 희소 어텐션을 이용해 물체를 찾는 작은 모델을 제안합니다.\n"
        "- 제안된 방법은 기존 모델보다 세 배 빠르게 동작합니다."
    )
    assert section.entries[2].summary == "- 잡음 없는 그래디언트 추정 방법을 소개합니다."


def test_nested_bullets_are_kept_with_their_indentation() -> None:
    boats = by_id(load("plain_no_fields.md"))["2311.00202"]
    assert boats.summary.splitlines() == [
        "- 종이접기 규칙을 사전 지식으로 사용하여 3차원 형상을 생성합니다.",
        "- 이 방법은 네 가지 핵심 요소로 구성됩니다:",
        "  - (1) 접는 선을 예측하는 모듈.",
        "  - (2) 접힌 면을 정렬하는 모듈.",
        "- 코드는 https://example.org/paper-boats 에서 공개됩니다.",
    ]


# --- thumbnails (image, video link + HTML video, bare video tag) and votes ------------------


def test_video_thumbnail_takes_the_watch_link_and_consumes_the_html_line() -> None:
    teapots = by_id(load("thumbnails_votes.md"))["2312.01001"]
    assert teapots.thumbnail == "https://cdn.example.org/uploads/teapot-dance.mp4"
    assert teapots.votes == 21
    assert "video" not in teapots.summary
    assert teapots.summary.startswith("- 주전자가")


def test_plus_placeholder_author_is_kept_as_published() -> None:
    teapots = by_id(load("thumbnails_votes.md"))["2312.01001"]
    assert teapots.authors == ("Mira Solberg", "Jonas Brandt", "+")


def test_image_thumbnail_and_dash_vote() -> None:
    marbles = by_id(load("thumbnails_votes.md"))["2312.01002"]
    assert marbles.thumbnail == "https://cdn.example.org/thumbs/marbles.png"
    assert marbles.votes is None
    assert marbles.authors == ("Amélie Durand", "Søren Kjær", "Zoë Ng")


def test_image_syntax_with_a_video_file_and_zero_votes() -> None:
    clouds = by_id(load("thumbnails_votes.md"))["2312.01003"]
    assert clouds.thumbnail == "https://cdn.example.org/thumbs/clouds.webm"
    assert clouds.votes == 0


def test_bare_video_tag_without_blank_lines() -> None:
    result = load("thumbnails_votes.md")
    assert result.problems == ()
    silent = by_id(result)["2312.01004"]
    assert silent.line == 35
    assert silent.thumbnail == "https://cdn.example.org/uploads/silent.mp4"
    assert (silent.votes, silent.authors) == (3, ("Pat Quill", "Robin Vale"))
    assert silent.summary == "- 독립된 비디오 태그만 있는 항목입니다."


def test_second_different_thumbnail_stays_in_the_summary() -> None:
    text = (
        "## Daily Papers (2024-01-01)\n"
        "### [Two Pictures](https://arxiv.org/abs/2401.00001)\n"
        "![](https://x.example/a.png)\n"
        "- 요약\n"
        "![figure](https://x.example/b.png)\n"
        '<div><video controls src="https://x.example/a.png"></video></div>\n'
    )
    [entry] = entries(parse(text))
    assert entry.thumbnail == "https://x.example/a.png"
    assert entry.summary == "- 요약\n![figure](https://x.example/b.png)"


# --- authors as a list literal, What's New bullets, numbered lines, control characters --------


def test_list_literal_authors_with_quotes_commas_accents_and_empty_names() -> None:
    lanterns = by_id(load("list_authors.md"))["2410.02001"]
    assert lanterns.authors == (
        "Dana Whitfield",
        "Conor O'Brien, Jr.",
        "Élodie Marchand",
        "Kenji Sato",
    )
    assert lanterns.votes == 1204
    assert lanterns.thumbnail == "https://cdn.example.org/social/2410.02001.png"


def test_broken_list_literal_falls_back_to_a_careful_split() -> None:
    broken = by_id(load("list_authors.md"))["2410.02003"]
    assert broken.authors == ("Ada Byron", "Grace O'Hara, Sr.", "Unclosed Quote")
    assert broken.summary == "- 닫히지 않은 따옴표가 있는 저자 목록입니다."


def test_summary_keeps_markup_code_spans_tab_and_internal_blank_line() -> None:
    lanterns = by_id(load("list_authors.md"))["2410.02001"]
    assert lanterns.summary == (
        "- ***What's New***: 조명 사전 지식을 사용하여 장면을 편집하는 `LanternNet`을 제안합니다.\n"
        "- ***Technical Details***: 손실 함수는 \\textbf{두 항}과 \textit 항으로 구성됩니다.\n"
        "\n"
        "- ***Performance Highlights***: 세 가지 벤치마크에서 최고 성능을 기록했습니다."
    )
    assert "\t" in lanterns.summary


def test_numbered_lines_and_fields_after_the_summary() -> None:
    result = load("list_authors.md")
    assert result.problems == ()
    sheep = by_id(result)["2410.02002"]
    assert sheep.line == 15
    assert (sheep.votes, sheep.authors) == (7, ("Ines Moreau",))
    assert sheep.thumbnail == "https://cdn.example.org/social/2410.02002.png"
    assert sheep.summary.splitlines() == [
        "- **What's New**: 수면 단계를 분류하는 새로운 파이프라인입니다.",
        "- **Technical Details**: 파이프라인은 다음 단계로 이루어집니다:",
        "1. **Filter**: 잡음을 제거합니다.",
        "2. **Segment**: 구간을 나눕니다.",
        "- **Performance Highlights**: 정확도가 5% 향상되었습니다.",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Authors: a, , b,", ("a", "b")),
        ("Authors:", ()),
        ("Authors: []", ()),
        ("Authors: ['  x  ', '', \"y\"]", ("x", "y")),
        ("Authors: [1, 'two']", ("1", "two")),
        ("Authors: ['bad\\q escape', 'ok']", ("bad\\q escape", "ok")),
        ("authors : Solo Person", ("Solo Person",)),
    ],
)
def test_author_line_forms(line: str, expected: tuple[str, ...]) -> None:
    text = f"## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n{line}\n"
    [entry] = entries(parse(text))
    assert entry.authors == expected
    assert entry.summary == ""


# --- two sections, README wrapper --------------------------------------------------------------


def test_two_sections_of_the_same_day_and_a_third_of_another_day() -> None:
    result = load("two_sections.md")
    assert result.problems == ()
    assert [(s.day, s.line, len(s.entries)) for s in result.sections] == [
        (dt.date(2024, 10, 4), 1, 1),
        (dt.date(2024, 10, 4), 13, 2),
        (dt.date(2024, 10, 5), 31, 1),
    ]
    first, second, third = result.sections
    assert first.entries[0].authors == ("Noor Haddad", "Felix Grün")
    # The same paper in two sections is not a parse problem; the store merges days.
    assert [e.arxiv_id for e in second.entries] == ["2410.03002", "2410.03001"]
    assert second.entries[1].votes == 13
    assert third.entries[0].summary == "- 다음 날의 논문입니다."


def test_readme_wrapper_ignores_header_and_footers_but_reports_a_stray_paper() -> None:
    result = load("readme_wrapper.md")
    [section] = result.sections
    assert (section.day, section.line) == (dt.date(2025, 1, 20), 9)
    assert [(e.arxiv_id, e.votes) for e in section.entries] == [
        ("2501.10001", 30),
        ("2501.10002", 8),
    ]
    assert section.entries[1].summary == "- **What's New**: 작은 모델의 초기화 방법을 다룹니다."
    assert result.problems == (Problem(43, "paper 2501.10003 outside a Daily Papers section"),)


# --- links, titles, problems -------------------------------------------------------------------


def test_title_with_brackets_and_pdf_and_hf_links_with_versions() -> None:
    found = by_id(load("problems.md"))
    bracketed = found["2402.18001"]
    assert bracketed.title == "Bracketed [Title] (with notes): A Study"
    assert bracketed.url == "https://arxiv.org/abs/2402.18001"
    assert (bracketed.line, bracketed.votes) == (6, 9)
    pdf = found["2402.18002"]
    assert (pdf.url, pdf.votes) == ("https://arxiv.org/pdf/2402.18002v3.pdf", 5)
    hf = found["2402.18003"]
    assert hf.url == "https://huggingface.co/papers/2402.18003v2"
    assert hf.summary == "- 허깅페이스 링크입니다."


def test_problems_have_reasons_and_line_numbers_and_the_rest_still_parses() -> None:
    result = load("problems.md")
    assert result.problems == (
        Problem(3, "text outside any paper: 'This line is an introduction that no paper owns.'"),
        Problem(22, "heading is not a paper: 'Just Some Words'"),
        Problem(27, "no arXiv id in link 'https://example.org/blog/post'"),
        Problem(31, "duplicate arXiv id 2402.18001: first listed on line 6"),
        Problem(37, "unreadable vote for 2402.18004: 'lots'"),
        Problem(39, "second Vote line for 2402.18004: 'Vote: 3'"),
        Problem(43, "second Authors line for 2402.18004: 'Authors: Somebody Else'"),
        Problem(47, "no valid date in section heading 'Daily Papers (2024-02-30)'"),
        Problem(49, "paper 2402.18005 outside a Daily Papers section"),
    )
    [section] = result.sections
    assert [e.arxiv_id for e in section.entries] == [
        "2402.18001",
        "2402.18002",
        "2402.18003",
        "2402.18004",
    ]
    odd = section.entries[3]
    assert (odd.votes, odd.authors) == (None, ("Kim Mina",))
    # Lines under skipped headings belong to nobody: not to the entry before them.
    assert section.entries[2].summary == "- 허깅페이스 링크입니다."


@pytest.mark.parametrize(
    ("heading", "arxiv_id", "url"),
    [
        ("### [A](https://arxiv.org/abs/2401.12345v2)", "2401.12345", None),
        ("### [A](http://arxiv.org/pdf/2401.12345)", "2401.12345", None),
        ("### [A](https://huggingface.co/papers/2401.01234)", "2401.01234", None),
        (
            "### [A](<https://arxiv.org/abs/2401.12345>)",
            "2401.12345",
            "https://arxiv.org/abs/2401.12345",
        ),
        (
            '### [A](https://arxiv.org/abs/2401.12345 "t")',
            "2401.12345",
            "https://arxiv.org/abs/2401.12345",
        ),
        ("###[A](https://arxiv.org/abs/2401.12345)", "2401.12345", None),
        ("   ### [A](https://arxiv.org/abs/2401.12345)   ", "2401.12345", None),
        ("### [A [b] (c)](https://arxiv.org/abs/hep-th/9901001v1)", "hep-th/9901001", None),
    ],
)
def test_heading_link_forms(heading: str, arxiv_id: str, url: str | None) -> None:
    result = parse(f"## Daily Papers (2024-01-01)\n{heading}\nVote: 1\n")
    assert result.problems == ()
    [entry] = entries(result)
    assert (entry.arxiv_id, entry.line, entry.votes) == (arxiv_id, 2, 1)
    if url is not None:
        assert entry.url == url


@pytest.mark.parametrize(
    ("vote", "expected", "problem"),
    [
        ("Vote: 12", 12, False),
        ("Vote:  -  ", None, False),
        ("Vote:", None, False),
        ("Votes: 3", 3, False),
        ("Vote: 12,345", 12345, False),
        ("Vote: -3", None, True),
        ("Vote: 1.5k", None, True),
        ("Vote: " + "9" * 5000, None, True),
    ],
)
def test_vote_forms(vote: str, expected: int | None, problem: bool) -> None:
    result = parse(
        f"## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n{vote}\n"
    )
    [entry] = entries(result)
    assert entry.votes == expected
    assert bool(result.problems) is problem
    assert entry.summary == ""


# --- line endings, BOM, NUL, code fences, degenerate input -------------------------------------


def test_crlf_and_bom_give_the_same_result_as_lf() -> None:
    text = (DATA / "list_authors.md").read_text(encoding="utf-8")
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert parse(crlf) == parse(text)
    raw = (DATA / "list_authors.md").read_bytes()
    assert parse(("\ufeff" + raw.decode()).replace("\n", "\r\n")).sections[0].line == 1


def test_mixed_line_endings_keep_line_numbers() -> None:
    text = "\ufeff## Daily Papers (2024-01-01)\r\n\r\n### [T](https://arxiv.org/abs/2401.00001)\n"
    text += "Vote: 4\r\n- a\r\n\n### [U](https://arxiv.org/abs/2401.00002)\r\n"
    result = parse(text)
    assert [(e.line, e.votes, e.summary) for e in entries(result)] == [
        (3, 4, "- a"),
        (7, None, ""),
    ]


def test_nul_is_removed_other_control_characters_are_kept() -> None:
    text = "## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n"
    text += "- a\x00b\x07c\n\x0c\n- d\n"
    [entry] = entries(parse(text))
    assert entry.summary == "- ab\x07c\n\x0c\n- d"


def test_blank_runs_in_a_summary_collapse_to_one_and_edges_are_trimmed() -> None:
    text = "## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n\n\n"
    text += "- a\n \n\t\n\n- b\n\n\n"
    [entry] = entries(parse(text))
    assert entry.summary == "- a\n\n- b"


def test_code_fences_in_a_summary_hold_headings_and_fields() -> None:
    result = load("code_fence.md")
    assert result.problems == ()
    found = by_id(result)
    snippets = found["2407.00011"]
    assert snippets.votes == 2
    assert snippets.summary.splitlines() == [
        "- 예시 코드는 다음과 같습니다:",
        "```python",
        "# 모델을 불러옵니다",
        "## not a section heading",
        "Vote: 99",
        'model = load("tiny")',
        "```",
        "#### 세부 사항",
        "- 코드 블록 뒤의 요약입니다.",
    ]
    assert found["2407.00012"].summary == "- 다음 논문입니다."


def test_an_unclosed_fence_does_not_swallow_the_next_paper() -> None:
    found = by_id(load("code_fence.md"))
    assert found["2407.00013"].summary == "```\n# 닫히지 않은 코드 블록"
    still = found["2407.00014"]
    assert (still.line, still.votes, still.summary) == (25, 6, "")


@pytest.mark.parametrize(
    "text",
    ["", "\n", "\ufeff", "just words\n", "# Title\n\nText.\n", "### [T](https://x.example/a)\n"],
)
def test_text_without_sections_gives_nothing(text: str) -> None:
    assert parse(text) == ParseResult((), ())


def test_section_without_entries_is_returned_empty() -> None:
    result = parse("## Daily Papers (2024-03-01)\n\n## License\n")
    assert [(s.day, s.entries) for s in result.sections] == [(dt.date(2024, 3, 1), ())]
    assert result.problems == ()


def test_deeper_headings_are_summary_text() -> None:
    text = "## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n"
    text += "#### Sub\n####### seven\n- x\n"
    [entry] = entries(parse(text))
    assert entry.summary == "#### Sub\n####### seven\n- x"


def test_other_second_level_heading_ends_the_section_silently() -> None:
    text = "## Daily Papers (2024-01-01)\n### [T](https://arxiv.org/abs/2401.00001)\n- a\n"
    text += "## Notes\n- not a summary line\nVote: 5\n"
    result = parse(text)
    assert result.problems == ()
    [entry] = entries(result)
    assert (entry.summary, entry.votes) == ("- a", None)


def test_a_digest_built_from_hugging_face_says_so_on_its_first_line() -> None:
    body = "## Daily Papers (2025-05-12)\n\n### [T](https://arxiv.org/abs/2505.00001)\n"
    mark = "<!-- papers-bot: built from Hugging Face Daily Papers (x) -->\n"
    assert parse(mark + body).built
    assert parse("\ufeff" + mark + body).built
    assert not parse(body).built
    assert not parse("\n" + mark + body).built  # only the first line counts
    assert len(parse(mark + body).sections[0].entries) == 1
