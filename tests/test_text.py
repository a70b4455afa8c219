"""Korean search text: the index and the queries cut Hangul into the same bigrams."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.store import PaperStore, Prepared
from bot.store.text import index_text, match_query
from tests.test_store import day, entry

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
WORD = st.text(HANGUL, min_size=1, max_size=8) | st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True)


def indexed_tokens(text: str) -> str:
    return " ".join(index_text(text).split())


@given(st.text(HANGUL, min_size=2, max_size=12))
def test_a_korean_word_is_queried_by_the_bigrams_it_is_indexed_as(word: str) -> None:
    assert match_query(word) == f'"{indexed_tokens(word)}"'


@given(st.lists(WORD, min_size=1, max_size=6))
def test_a_quoted_phrase_is_the_tokens_its_text_is_indexed_as(words: list[str]) -> None:
    text = " ".join(words)
    assert match_query(f'"{text}"') == f'"{indexed_tokens(text)}"'


async def test_the_store_indexes_what_the_loader_computed_for_it(tmp_path: Path) -> None:
    """The loader's parsing process hands the store what the store prepared of a file there;
    the store's writer uses it, and computes the index text of anything else."""
    store = await PaperStore.open(tmp_path / "p.db")
    try:
        parsed = day(dt.date(2025, 5, 9), entry("2505.00001", "Plain title", summary="- 모델을"))
        handed = Prepared((("Plain title", "handed over"),))
        await store.ingest_many([("a.md", parsed)], prepared=[handed])
        assert [p.arxiv_id for p in (await store.search("handed")).papers] == ["2505.00001"]
        assert (await store.search("Plain")).total == 0  # the title went in as handed over
        assert (await store.search("모델")).total == 1  # the summary was computed here
        again = day(dt.date(2025, 5, 10), entry("2505.00002", "Plain title again"))
        await store.ingest_many([("b.md", again)])  # nothing handed over: computed
        assert [p.arxiv_id for p in (await store.search("again")).papers] == ["2505.00002"]
    finally:
        await store.close()
