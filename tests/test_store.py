"""The store against a real SQLite file: ingest semantics, lookups and search."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Entry, ParseResult, Section, Sort
from bot.store import PaperStore

D1, D2, D3 = dt.date(2024, 6, 12), dt.date(2024, 6, 13), dt.date(2024, 7, 1)


def entry(
    arxiv_id: str,
    title: str,
    votes: int | None = 1,
    summary: str = "",
    *,
    line: int = 3,
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing"),
    thumbnail: str | None = None,
) -> Entry:
    return Entry(
        arxiv_id=arxiv_id,
        title=title,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        line=line,
        votes=votes,
        summary=summary,
        authors=authors,
        thumbnail=thumbnail,
    )


def day(d: dt.date, *entries: Entry) -> ParseResult:
    return ParseResult((Section(d, 1, tuple(entries)),))


CORPUS = [
    day(
        D1,
        entry(
            "2406.00001", "Scaling Diffusion Transformers", 52, "- 확산 모델을 대규모로 학습합니다."
        ),
        entry(
            "2406.00002",
            "Reinforcement Learning from Feedback",
            7,
            "- 강화 학습으로 언어 모델은 개선된다.",
        ),
        entry(
            "2406.00003",
            "A Survey of Prompting",
            None,
            "- **What's New**: language models and prompting techniques.",
            authors=("Börje Karlsson", "Sander Schulhoff"),
        ),
    ),
    day(D2, entry("2406.00001", "Scaling Diffusion Transformers", 80, "- 확산 모델을 다시 소개.")),
    day(D3, entry("2407.00009", "Video Generation at Scale", 3, "- 비디오 생성 모델")),
]


@pytest.fixture
async def loaded(store: PaperStore) -> PaperStore:
    for i, result in enumerate(CORPUS):
        await store.ingest(f"day{i}.md", result)
    return store


async def test_a_paper_on_two_days_keeps_both_appearances_and_latest_votes(
    loaded: PaperStore,
) -> None:
    paper = await loaded.get("2406.00001")
    assert paper is not None
    assert paper.dates == (D1, D2)
    assert paper.votes == 80
    assert paper.summary == "- 확산 모델을 다시 소개."
    first_day = await loaded.digest(D1)
    assert first_day is not None
    assert first_day.papers[0].votes == 52  # that day's votes, as published


@pytest.mark.parametrize(
    "text",
    [
        "2406.00001",
        "2406.00001v3",
        "arXiv:2406.00001",
        "https://arxiv.org/abs/2406.00001v2",
        "https://arxiv.org/pdf/2406.00001.pdf",
        "https://huggingface.co/papers/2406.00001",
    ],
)
async def test_lookup_by_id_version_or_link(loaded: PaperStore, text: str) -> None:
    paper = await loaded.get(text)
    assert paper is not None and paper.arxiv_id == "2406.00001"


async def test_unknown_id_is_none(loaded: PaperStore) -> None:
    assert await loaded.get("2401.99999") is None
    assert await loaded.get("not an id") is None


async def test_reloading_the_same_file_changes_nothing(loaded: PaperStore) -> None:
    before = await loaded.stats()
    stats = await loaded.ingest("day0.md", CORPUS[0])
    assert (stats.new_papers, stats.updated_papers) == (0, 0)
    assert await loaded.stats() == before


async def test_a_second_section_appended_updates_the_day(loaded: PaperStore) -> None:
    grown = ParseResult(
        (
            *CORPUS[0].sections,
            Section(D1, 40, (entry("2406.00004", "Late Addition", 2, "- 추가된 논문"),)),
        )
    )
    stats = await loaded.ingest("day0.md", grown)
    assert (stats.new_papers, stats.updated_papers) == (1, 0)
    digest = await loaded.digest(D1)
    assert digest is not None
    assert [p.arxiv_id for p in digest.papers] == [
        "2406.00001",
        "2406.00002",
        "2406.00003",
        "2406.00004",
    ]
    assert (await loaded.stats()).papers == 5


async def test_changed_votes_update_without_duplicating(loaded: PaperStore) -> None:
    changed = day(D3, entry("2407.00009", "Video Generation at Scale", 30, "- 비디오 생성 모델"))
    stats = await loaded.ingest("day2.md", changed)
    assert (stats.new_papers, stats.updated_papers) == (0, 1)
    paper = await loaded.get("2407.00009")
    assert paper is not None and paper.votes == 30
    assert (await loaded.stats()).papers == 4


async def test_same_day_twice_in_one_file_is_one_digest_and_repeats_are_reported(
    store: PaperStore,
) -> None:
    result = ParseResult(
        (
            Section(D1, 1, (entry("2406.00001", "A", line=3),)),
            Section(D1, 20, (entry("2406.00001", "A", line=22), entry("2406.00002", "B", line=30))),
        )
    )
    stats = await store.ingest("f.md", result)
    assert stats.entries == 2
    assert [(p.line, "line 3" in p.reason) for p in stats.problems] == [(22, True)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("확산", {"2406.00001"}),
        ("모델", {"2406.00001", "2406.00002", "2407.00009"}),  # 모델을, 모델은, 모델
        ("언어 모델", {"2406.00002"}),
        ("강화 학습", {"2406.00002"}),
        ("diffusion", {"2406.00001"}),
        ("language models", {"2406.00003"}),
        ('"prompting techniques"', {"2406.00003"}),
        ("turing", {"2406.00001", "2406.00002", "2407.00009"}),
        ("nothing-like-this", set()),
    ],
)
async def test_search_korean_and_english(
    loaded: PaperStore, query: str, expected: set[str]
) -> None:
    page = await loaded.search(query, limit=50)
    assert {p.arxiv_id for p in page.papers} == expected
    assert page.total == len(expected)


async def test_title_matches_rank_above_summary_matches(store: PaperStore) -> None:
    await store.ingest(
        "f.md",
        day(
            D1,
            entry("2406.00010", "Other Work", 1, "- we mention diffusion once"),
            entry("2406.00011", "Diffusion Everywhere", 1, "- nothing"),
        ),
    )
    page = await store.search("diffusion")
    assert [p.arxiv_id for p in page.papers] == ["2406.00011", "2406.00010"]


async def test_search_filters_and_sorts(loaded: PaperStore) -> None:
    by_votes = await loaded.search("모델", sort=Sort.VOTES)
    assert [p.arxiv_id for p in by_votes.papers] == ["2406.00001", "2406.00002", "2407.00009"]
    newest = await loaded.search("모델", sort=Sort.NEWEST)
    assert newest.papers[0].arxiv_id == "2407.00009"
    assert {p.arxiv_id for p in (await loaded.search("모델", min_votes=10)).papers} == {
        "2406.00001"
    }
    july = await loaded.search("모델", since=dt.date(2024, 7, 1))
    assert [p.arxiv_id for p in july.papers] == ["2407.00009"]
    june12 = await loaded.search("모델", until=D1)
    assert {p.arxiv_id for p in june12.papers} == {"2406.00001", "2406.00002"}


async def test_pagination_is_stable(loaded: PaperStore) -> None:
    first = await loaded.search("모델", sort=Sort.VOTES, limit=2)
    second = await loaded.search("모델", sort=Sort.VOTES, limit=2, offset=2)
    assert first.total == second.total == 3
    assert [p.arxiv_id for p in first.papers + second.papers] == [
        "2406.00001",
        "2406.00002",
        "2407.00009",
    ]


async def test_author_lookup_is_case_and_accent_insensitive_and_partial(loaded: PaperStore) -> None:
    for name in ("börje", "BORJE", "Karlsson", "borje karl"):
        page = await loaded.by_author(name)
        assert [p.arxiv_id for p in page.papers] == ["2406.00003"], name
    assert (await loaded.by_author("Nobody Here")).papers == ()
    assert await loaded.author_suggestions("bör") == ["Börje Karlsson"]
    assert await loaded.author_suggestions("  LOVE ") == ["Ada Lovelace"]
    await loaded.ingest("cjk.md", day(D3, entry("2407.00010", "X", authors=("李\U00020000明",))))
    assert await loaded.author_suggestions("李") == ["李\U00020000明"]  # beyond U+FFFF
    assert await loaded.author_suggestions("a", limit=3) == [
        "Ada Lovelace",
        "Alan Turing",
        "Börje Karlsson",  # starting with "a" first, then containing it
    ]


async def test_top_days_stats_and_digest_order(loaded: PaperStore) -> None:
    top = await loaded.top(limit=2)
    assert [p.arxiv_id for p in top.papers] == ["2406.00001", "2406.00002"]
    july = await loaded.top(since=dt.date(2024, 7, 1))
    assert [p.arxiv_id for p in july.papers] == ["2407.00009"]
    assert [d.day for d in await loaded.days()] == [D3, D2, D1]
    stats = await loaded.stats()
    assert (stats.papers, stats.days, stats.appearances) == (4, 3, 5)
    newest = await loaded.digest()
    assert newest is not None and newest.day == D3
    assert await loaded.digest(dt.date(2020, 1, 1)) is None


async def test_suggestions_for_autocomplete(loaded: PaperStore) -> None:
    assert (await loaded.title_suggestions("2406.0000"))[0][0] == "2406.00001"
    titles = [t for _, t in await loaded.title_suggestions("scal")]
    assert "Scaling Diffusion Transformers" in titles
    assert len(await loaded.title_suggestions("")) == 4


async def test_a_paper_by_title_words(loaded: PaperStore) -> None:
    exact = await loaded.by_title("scaling diffusion-transformers")  # case, punctuation
    assert exact is not None and exact.arxiv_id == "2406.00001"
    start = await loaded.by_title("Video Generation")
    assert start is not None and start.arxiv_id == "2407.00009"
    assert await loaded.by_title("확산 모델") is None  # summary words: not a title
    assert await loaded.by_title("Scaling Prompting") is None  # every word, in one title


async def test_the_closest_title_wins_over_the_newest(store: PaperStore) -> None:
    await store.ingest(
        "a.md",
        day(
            D1,
            entry("2406.00011", "Diffusion Models"),
            entry("2406.00012", "Diffusion Models Beat GANs"),
            entry("2406.00013", "Faster Diffusion Models for Video Generation"),
        ),
    )
    await store.ingest("b.md", day(D2, entry("2406.00014", "Latent Diffusion Models, Again")))

    for words, expected in [
        ("diffusion models", "2406.00011"),  # equal, though three newer titles have the words
        ("Diffusion Models Beat", "2406.00012"),  # starts with them
        ("models video", "2406.00013"),  # the only one with both
        ("latent", "2406.00014"),
    ]:
        found = await store.by_title(words)
        assert found is not None and found.arxiv_id == expected, words


async def test_a_renamed_paper_is_found_by_its_new_title_only(store: PaperStore) -> None:
    await store.ingest("a.md", day(D1, entry("2406.00021", "Working Title for Agents")))
    await store.ingest("b.md", day(D2, entry("2406.00021", "Agents That Plan Ahead")))

    assert await store.by_title("working title") is None
    assert [a for a, _ in await store.title_suggestions("work")] == []
    renamed = await store.by_title("agents that plan ahead")
    assert renamed is not None and renamed.title == "Agents That Plan Ahead"
    assert await store.title_suggestions("plan ah") == [("2406.00021", "Agents That Plan Ahead")]


async def test_a_paper_is_found_by_its_latest_authors_only(store: PaperStore) -> None:
    await store.ingest("a.md", day(D1, entry("2406.00031", "Agents", authors=("Ada Byron",))))
    await store.ingest("b.md", day(D2, entry("2406.00031", "Agents", authors=("Mary Shelley",))))

    assert (await store.by_author("byron")).papers == ()
    (found,) = (await store.by_author("shelley")).papers
    assert found.authors == ("Mary Shelley",)


async def _author_rows(store: PaperStore, sql: str) -> set[tuple[object, ...]]:
    async with store.db.writer.execute(sql) as cursor:
        return {tuple(r) for r in await cursor.fetchall()}


async def test_author_rows_follow_each_papers_latest_appearance(store: PaperStore) -> None:
    async def check() -> None:
        assert await _author_rows(
            store, "SELECT name, last_day, votes, paper_id FROM paper_authors"
        ) == await _author_rows(
            store,
            "SELECT j.value, p.last_day, coalesce(p.votes, -1), p.id "
            "FROM papers p, json_each(p.authors) j",
        )

    one = entry("2406.00051", "One", 3, authors=("Ada Byron", "Mary Shelley"))
    two = entry("2406.00052", "Two", None, authors=("Ada Byron", "Ada Byron"))
    await store.ingest("d1.md", day(D1, one, two))
    await check()
    again = entry("2406.00051", "One", None, authors=("Mary Shelley", "Percy Shelley"))
    await store.ingest("d2.md", day(D2, again))
    await check()
    assert [p.arxiv_id for p in (await store.by_author("ada byron")).papers] == ["2406.00052"]
    await store.ingest("d2.md", day(D2, entry("2406.00053", "Three", 9, authors=("X Y",))))
    await check()  # One's latest appearance is D1 again
    assert {p.arxiv_id for p in (await store.by_author("ada byron")).papers} == {
        "2406.00051",
        "2406.00052",
    }
    await store.ingest("d1.md", day(D1, two))  # One is gone from every day
    await check()
    assert [p.arxiv_id for p in (await store.by_author("shelley")).papers] == []


async def test_names_with_quotes_and_names_inside_names(store: PaperStore) -> None:
    await store.ingest(
        "a.md",
        day(
            D1,
            entry("2406.00041", "One", authors=('Jo "JJ" Smith', "Wei Li")),
            entry("2406.00042", "Two", authors=("Li",)),
            entry("2406.00043", "Three", authors=("Lin Li-Wei",)),
        ),
    )

    assert [p.arxiv_id for p in (await store.by_author('"JJ" Smith')).papers] == ["2406.00041"]
    assert [p.arxiv_id for p in (await store.by_author("wei li")).papers] == ["2406.00041"]
    found = {p.arxiv_id for p in (await store.by_author("li")).papers}
    assert found == {"2406.00041", "2406.00042", "2406.00043"}


def _undo_008(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE holdings")
    conn.execute("DROP TABLE digest_files")
    conn.execute("ALTER TABLE days DROP COLUMN sources")


async def test_an_older_database_gets_its_titles_and_authors_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = await PaperStore.open(path)
    for i, result in enumerate(CORPUS):
        await store.ingest(f"day{i}.md", result)
    await store.close()
    with sqlite3.connect(path) as conn:  # as migration 004 left it
        conn.execute("DROP TABLE titles_fts")
        conn.execute("DROP TABLE paper_authors")
        conn.execute("DROP INDEX appearances_day")  # 010
        conn.execute("DROP INDEX posts_plan")  # 009
        conn.execute("ALTER TABLE posts DROP COLUMN plan_id")
        conn.execute("DROP TABLE post_plans")
        _undo_008(conn)
        conn.execute("PRAGMA user_version = 4")
    conn.close()

    reopened = await PaperStore.open(path)
    try:
        found = await reopened.by_title("video generation at scale")
        assert found is not None and found.arxiv_id == "2407.00009"
        assert [t for _, t in await reopened.title_suggestions("scal")] == [
            "Video Generation at Scale",
            "Scaling Diffusion Transformers",
        ]
        by_karlsson = await reopened.by_author("karls")
        assert [p.arxiv_id for p in by_karlsson.papers] == ["2406.00003"]
    finally:
        await reopened.close()


HOSTILE = [
    '"',
    '"unbalanced',
    "AND(",
    "*",
    "NEAR(a b)",
    "-",
    ":",
    "title: x",
    "((((",
    "]]",
    "' OR 1=1; DROP TABLE papers; --",
    "x" * 5000,
    "모델 " * 1000,
    "🙂🔥",
    "\u200b\u200d\u202e모델\u202c",
    "\x00\x01\t",
    "{title} : 모델",
    "^diffusion",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_input_never_raises(loaded: PaperStore, text: str) -> None:
    await loaded.search(text)
    await loaded.by_author(text)
    await loaded.get(text)
    await loaded.title_suggestions(text)
    await loaded.by_title(text)
    await loaded.author_suggestions(text)
    await loaded.days(prefix=text)
    assert (await loaded.stats()).papers == 4  # and nothing was dropped


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
async def test_search_input_property(loaded: PaperStore, text: str) -> None:
    page = await loaded.search(text)
    assert len(page.papers) <= 10
    await loaded.by_author(text)
    await loaded.title_suggestions(text)
    await loaded.by_title(text)


async def test_a_database_from_before_008_keeps_its_days_whole_when_copies_load(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    store = await PaperStore.open(path)
    for i, result in enumerate(CORPUS):
        await store.ingest(f"paper_logs/day{i}.md", result)
    await store.close()
    with sqlite3.connect(path) as conn:  # without 008, and with a name left behind
        _undo_008(conn)
        conn.execute("DROP INDEX appearances_day")  # without 010
        conn.execute("DROP INDEX posts_plan")  # and without 009
        conn.execute("ALTER TABLE posts DROP COLUMN plan_id")
        conn.execute("DROP TABLE post_plans")
        conn.execute("INSERT INTO author_names VALUES ('mary shelley', 'Mary Shelley')")
        conn.execute("PRAGMA user_version = 7")
    conn.close()

    async with await PaperStore.open(path) as reopened:
        days = {d.day: d.sources for d in await reopened.days()}
        assert days[D1] == ("paper_logs/day0.md",)
        assert await reopened.author_suggestions("mary") == []
        authors = (await reopened.stats()).authors
        first = CORPUS[0].sections[0].entries[0]
        await reopened.ingest("README.md", day(D1, first))  # a copy of the day's first paper
        digest = await reopened.digest(D1)
        assert digest is not None
        assert [p.arxiv_id for p in digest.papers] == ["2406.00001", "2406.00002", "2406.00003"]
        assert {d.day: d.sources for d in await reopened.days()}[D1] == (
            "paper_logs/day0.md",
            "README.md",
        )
        assert (await reopened.stats()).authors == authors == 4


async def test_part_of_a_source_changes_only_the_days_it_has(store: PaperStore) -> None:
    url = "https://example.org/paper_logs/2024/06/12.md"
    await store.ingest(url, day(D1, entry("2406.00061", "One"), entry("2406.00062", "Two")))
    other_day = ParseResult((Section(D2, 1, (entry("2406.00063", "Three"),)),))
    await store.ingest(url, other_day, partial=True)
    assert [(d.day, d.papers) for d in await store.days()] == [(D2, 1), (D1, 2)]
    await store.ingest(url, day(D1, entry("2406.00061", "One")), partial=True)
    await store.ingest(url, ParseResult(()), partial=True)  # a body with none of its days
    assert [(d.day, d.papers) for d in await store.days()] == [(D2, 1), (D1, 1)]
    await store.ingest(url, other_day)  # the whole source: it holds D2 only now
    assert [(d.day, d.papers) for d in await store.days()] == [(D2, 1)]
