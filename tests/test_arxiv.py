"""arXiv ids in free text (bot/arxiv.py): what Find papers picks out of a message."""

from __future__ import annotations

import pytest

from bot.arxiv import find_arxiv_ids, published


def test_ids_and_links_in_a_message_are_found_once_in_order() -> None:
    message = (
        "Read 2401.12345v2 (also arXiv:2305.00001 and ARXIV: 2306.00002v1), the PDF "
        "https://arxiv.org/pdf/2402.11111v3.pdf, <https://huggingface.co/papers/2403.22222>, "
        "arxiv.org/abs/hep-th/9901001v2, arXiv:cs/0701001 and again 2401.12345."
    )
    assert find_arxiv_ids(message) == [
        "2401.12345",
        "2305.00001",
        "2306.00002",
        "2402.11111",
        "2403.22222",
        "hep-th/9901001",
        "cs/0701001",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "version 1.2401.12345",
        "2413.12345 has no month 13",
        "pi is 3.14159, not 1234.5678",
        "2401.123456 is too long",
        "path/2401.12345 and 2401.12345/x",
        "10.2401.12345 is a DOI-ish number",
        "hep-th/9901001 without arXiv: could be anything",
    ],
)
def test_numbers_that_are_not_ids_are_left_alone(text: str) -> None:
    assert find_arxiv_ids(text) == []


def test_year_and_month_come_from_the_id() -> None:
    assert published("2505.03011") == (2025, 5)
    assert published("0704.0001") == (2007, 4)
    assert published("hep-th/9901001") == (1999, 1)
    assert published("cs/0701001") == (2007, 1)
