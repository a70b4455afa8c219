"""The prompt: the bundled file, or the operator's, refused with a clear reason when unusable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.summaries.prompt import (
    MAX_PROMPT_BYTES,
    PromptError,
    default_prompt,
    messages,
    read_prompt,
)


def test_the_bundled_prompt_asks_for_the_three_sections_in_korean() -> None:
    prompt = read_prompt(None)
    assert prompt == default_prompt()
    for label in ("***What's New***", "***Technical Details***", "***Performance Highlights***"):
        assert label in prompt
    assert "Korean" in prompt and "title and abstract" in prompt


def test_an_operators_file_replaces_it(tmp_path: Path) -> None:
    mine = tmp_path / "prompt.md"
    mine.write_text("\ufeff요약해 주세요: What's New, Technical Details, Performance Highlights\n")
    assert (
        read_prompt(mine)
        == "요약해 주세요: What's New, Technical Details, Performance Highlights\n"
    )
    assert read_prompt(str(mine)) == read_prompt(mine)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: None, "not found"),
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: p.write_bytes(b"\xff\xfe bad"), "is not UTF-8"),
        (lambda p: p.write_text("  \n\n"), "is empty"),
        (lambda p: p.write_text("x" * (MAX_PROMPT_BYTES + 1)), f"is over {MAX_PROMPT_BYTES} bytes"),
    ],
)
def test_an_unusable_file_is_refused_saying_why(
    tmp_path: Path, make: Callable[[Path], object], why: str
) -> None:
    path = tmp_path / "prompt.md"
    make(path)
    with pytest.raises(PromptError) as caught:
        read_prompt(path)
    assert str(caught.value).startswith(f"prompt file {str(path)!r} {why}")


def test_the_paper_goes_as_the_question_on_one_line() -> None:
    sent = messages("  the prompt\n", "A  Title\nsplit", "An abstract\n\nin two paragraphs. " * 2)
    assert sent[0] == {"role": "system", "content": "the prompt"}
    assert sent[1]["role"] == "user"
    assert sent[1]["content"] == (
        "Title: A Title split\n\n"
        "Abstract: An abstract in two paragraphs. An abstract in two paragraphs."
    )
    huge = messages("p", "t" * 10_000, "a" * 100_000)[1]["content"]
    assert len(huge) <= 6_500
