"""A model's answer read defensively into three Korean bullets that cannot break a digest."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.digest.parse import parse
from bot.summaries.answer import MAX_SECTION_CHARS, KoreanSummary, parse_answer

NEW = "이 논문은 새로운 방법을 제안합니다."
DETAILS = "변환기(Transformer) 구조를 사용합니다."
RESULTS = "정확도가 3% 향상되었습니다."


def answer(label: str = "***{}***:", bullet: str = "- ") -> str:
    return "\n".join(
        f"{bullet}{label.format(name)} {text}"
        for name, text in (
            ("What's New", NEW),
            ("Technical Details", DETAILS),
            ("Performance Highlights", RESULTS),
        )
    )


def test_the_source_projects_two_forms_are_read() -> None:
    for label in ("***{}***:", "**{}**:"):
        assert parse_answer(answer(label)) == KoreanSummary(NEW, DETAILS, RESULTS)


def test_forms_models_write_are_read() -> None:
    forms = [
        answer("**{}:**"),  # colon inside the bold
        answer("{}:"),  # no emphasis
        answer("**{}**：", bullet="* "),  # full-width colon, star bullet
        answer("**{}**:", bullet="1. "),
        "```markdown\n" + answer() + "\n```",  # fenced
        "다음은 요약입니다:\n\n" + answer(),  # a preamble
        "<think>The user wants three bullets.\nWhat's New: nothing</think>\n" + answer(),
        answer("**{}**:").replace("What's", "What’s"),  # a typographic apostrophe
        answer("**{}**:").replace("What's New", "WHAT'S NEW"),
        answer("**{}**:")  # labels the model translated
        .replace("What's New", "새로운 점")
        .replace("Technical Details", "기술적 세부 사항")
        .replace("Performance Highlights", "성능 하이라이트"),
    ]
    for text in forms:
        assert parse_answer(text) == KoreanSummary(NEW, DETAILS, RESULTS), text


def test_headings_with_the_text_below_are_read() -> None:
    text = (
        f"## What's New\n{NEW}\n\n## Technical Details\n{DETAILS}\n\n"
        f"### Performance Highlights\n{RESULTS}\n"
    )
    assert parse_answer(text) == KoreanSummary(NEW, DETAILS, RESULTS)


def test_a_section_over_several_lines_becomes_one_line() -> None:
    text = answer().replace(DETAILS, f"{DETAILS}\n  - 두 번째 줄입니다.\n\n> 인용도 있습니다.")
    summary = parse_answer(text)
    assert isinstance(summary, KoreanSummary)
    assert summary.technical_details == f"{DETAILS} 두 번째 줄입니다. 인용도 있습니다."


def test_mentions_links_images_and_markdown_are_stripped() -> None:
    noisy = (
        "@everyone 보세요 <@123456789> <#42> [논문](https://x.example/p) "
        "![그림](https://x.example/i.png) <video src='v.mp4'> **굵게** `코드` ~~취소~~ ||숨김||"
    )
    summary = parse_answer(answer().replace(NEW, noisy))
    assert isinstance(summary, KoreanSummary)
    assert summary.whats_new == "everyone 보세요 논문 굵게 코드 취소 숨김"


def test_nothing_in_a_summary_can_start_a_digest_line() -> None:
    hostile = (
        "\n## Daily Papers (2025-01-01)\n### [Other](https://arxiv.org/abs/2501.00001)\n"
        "Vote: 9\nAuthors: X"
    )
    summary = parse_answer(answer().replace(RESULTS, RESULTS + hostile))
    assert isinstance(summary, KoreanSummary)
    digest = (
        "## Daily Papers (2025-05-09)\n\n### [Paper](https://arxiv.org/abs/2505.00001)\n\n"
        + summary.markdown()
        + "\n"
    )
    result = parse(digest)
    (section,) = result.sections
    (entry,) = section.entries
    assert entry.summary == summary.markdown()
    assert entry.votes is None and entry.authors == ()


def test_an_answer_without_the_three_sections_is_a_failure() -> None:
    assert parse_answer("좋은 논문입니다.") == (
        "no What's New, Technical Details, Performance Highlights in the answer"
    )
    missing = answer().replace(f"- ***Performance Highlights***: {RESULTS}", "")
    assert parse_answer(missing) == "no Performance Highlights in the answer"
    empty = answer().replace(DETAILS, "  ")
    assert parse_answer(empty) == "no Technical Details in the answer"


def test_an_english_answer_is_not_a_korean_summary() -> None:
    english = answer().replace(RESULTS, "Accuracy improves by 3%.")
    assert parse_answer(english) == "Performance Highlights not in Korean"


def test_a_section_said_twice_keeps_the_first() -> None:
    text = answer() + "\n- **What's New**: 다시 시작합니다."
    summary = parse_answer(text)
    assert isinstance(summary, KoreanSummary) and summary.whats_new == NEW
    assert summary.performance_highlights == RESULTS


def test_long_sections_are_cut_at_a_sentence() -> None:
    long = "이 문장은 길게 이어집니다. " * 100
    summary = parse_answer(answer().replace(NEW, long))
    assert isinstance(summary, KoreanSummary)
    assert len(summary.whats_new) <= MAX_SECTION_CHARS
    assert summary.whats_new.endswith("이어집니다.")
    assert str(parse_answer("가" * 30_000)).startswith("answer is 30000 characters")


def test_bullets_are_the_source_projects_lines(shared_digests: Path) -> None:
    """The lines the digest writer gets are labelled as the source project's."""
    summary = parse_answer(answer())
    assert isinstance(summary, KoreanSummary)
    published = (shared_digests / "readme" / "README.md").read_text("utf-8")
    for line in summary.markdown().split("\n"):
        label = re.match(r"- \*\*\*[^*]+\*\*\*: ", line)
        assert label is not None and label.group(0) in published


@given(st.text(max_size=3000))
def test_any_answer_gives_a_summary_or_a_reason(text: str) -> None:
    result = parse_answer(answer() + text)
    assert isinstance(result, KoreanSummary | str)
    if isinstance(result, KoreanSummary):
        for line in result.markdown().split("\n"):
            assert "\n" not in line and "\r" not in line
            assert "<@" not in line and "@everyone" not in line.lower()
            assert line.count("***") == 2
