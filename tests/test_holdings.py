"""How a day is made from the files that hold it (pure)."""

from __future__ import annotations

from bot.store.holdings import Held, merge_day, rank, stored_entries


def held(votes: int, line: int = 3) -> Held:
    return Held(line, ("Title", "[]", votes, None, "https://arxiv.org/abs/1", "- 요약"))


def test_the_file_holding_most_leads_then_the_others_extras_in_their_order() -> None:
    files = {
        "README.md": {1: held(5), 9: held(1)},  # the day's first papers, one of its own
        "paper_logs/2024/06/12.md": {1: held(7), 2: held(7), 3: held(7)},
        "b.md": {8: held(1), 2: held(2)},
    }
    merged = merge_day(files)
    assert [p.paper_id for p in merged] == [1, 2, 3, 9, 8]  # a tie (README, b.md): by path
    assert [p.source for p in merged] == [
        "paper_logs/2024/06/12.md",
        "paper_logs/2024/06/12.md",
        "paper_logs/2024/06/12.md",
        "README.md",
        "b.md",
    ]
    assert merged[0].held.content[2] == 7  # paper 1 as the leading file has it
    assert rank(files) == ["paper_logs/2024/06/12.md", "README.md", "b.md"]


def test_a_file_keeps_its_own_copy_only_where_the_day_shows_another() -> None:
    files = {"a.md": {1: held(5), 2: held(5)}, "b.md": {1: held(5), 2: held(6)}}
    stored = stored_entries(files, merge_day(files))
    assert stored[("a.md", 1)] is None and stored[("b.md", 1)] is None
    text = stored[("b.md", 2)]
    assert text is not None and Held.from_stored(text) == held(6)
    assert merge_day({"a.md": {}}) == []


def test_a_built_day_ranks_after_the_published_digest_whichever_holds_more() -> None:
    files = {
        "built/2025/05/12.md": {1: held(5), 2: held(6), 3: held(7)},  # English, every paper
        "paper_logs/2025/05/12.md": {2: held(9), 1: held(9)},  # Korean, two of them
    }
    merged = merge_day(files, built={"built/2025/05/12.md"})
    assert [(p.paper_id, p.source) for p in merged] == [
        (2, "paper_logs/2025/05/12.md"),  # the Korean digest's order and content
        (1, "paper_logs/2025/05/12.md"),
        (3, "built/2025/05/12.md"),  # the paper only the built day has stays
    ]
    assert rank(files, {"built/2025/05/12.md"}) == [
        "paper_logs/2025/05/12.md",
        "built/2025/05/12.md",
    ]
    assert rank(files) == ["built/2025/05/12.md", "paper_logs/2025/05/12.md"]
