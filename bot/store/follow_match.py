"""Which follows a digest day matches: keywords as /search matches them, names as /author does.

A keyword matches a paper when /search for it would list the paper: the same `match_query`
expression is run by FTS5 against the paper's own index row (its title, authors and every
summary, as papers_fts stores them) with papers_fts's own tokenizer. The rows of the day are
copied into an in-memory FTS5 table created from papers_fts's schema, so the many follows are
matched against the day's few dozen papers rather than against the whole index. An author
follow matches a paper when /author for it would list the paper: the folded name key is in
one of its author names, folded (`instr`, as bot/store/authors.py does).

Follows are matched once per distinct text; the members who follow each matched text are
then read from the follows_query index.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.models import FollowKind
from bot.store.database import Database
from bot.store.text import fold, match_query, name_key


@dataclass(frozen=True, slots=True)
class MemberMatches:
    """One member's matches on a day: arXiv id -> the follows (kind, text) that matched,
    papers in the digest's order."""

    member_id: int
    papers: dict[str, tuple[tuple[FollowKind, str], ...]] = field(default_factory=dict)


def _match_in_memory(
    schema: str,
    docs: Sequence[tuple[int, str, str, str]],
    names: Sequence[tuple[int, str]],
    keywords: Sequence[tuple[int, str]],
    authors: Sequence[tuple[int, str]],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(keyword id, paper id) and (author id, paper id) pairs that match."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(schema)
        conn.executemany("INSERT INTO day_fts (rowid, title, authors, body) VALUES (?,?,?,?)", docs)
        conn.execute("CREATE TABLE q (id INTEGER PRIMARY KEY, expr TEXT NOT NULL)")
        conn.executemany("INSERT INTO q VALUES (?, ?)", keywords)
        by_words = conn.execute(
            "SELECT q.id, day_fts.rowid FROM q CROSS JOIN day_fts WHERE day_fts MATCH q.expr"
        ).fetchall()
        conn.execute("CREATE TABLE names (paper INTEGER NOT NULL, folded TEXT NOT NULL)")
        conn.executemany("INSERT INTO names VALUES (?, ?)", names)
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, key TEXT NOT NULL)")
        conn.executemany("INSERT INTO a VALUES (?, ?)", authors)
        by_names = conn.execute(
            "SELECT DISTINCT a.id, names.paper FROM a CROSS JOIN names "
            "WHERE instr(names.folded, a.key)"
        ).fetchall()
        return by_words, by_names
    finally:
        conn.close()


def _day_schema(papers_fts_sql: str) -> str:
    """papers_fts's CREATE statement for the in-memory day_fts: same columns, same tokenizer."""
    head, sep, rest = papers_fts_sql.partition("papers_fts")
    if not sep:
        raise ValueError("papers_fts has no CREATE statement")
    return f"{head}day_fts{rest}"


async def match_day(database: Database, day: dt.date) -> list[MemberMatches]:
    """Every member with a follow that matches a paper of `day`, by member id."""
    schema = await database.read(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'papers_fts'"
    )
    papers = await database.read(
        "SELECT a.paper_id, p.arxiv_id, p.authors FROM appearances a "
        "JOIN papers p ON p.id = a.paper_id WHERE a.day = ? ORDER BY a.position",
        (day.isoformat(),),
    )
    if not papers:
        return []
    ids = [int(r[0]) for r in papers]
    docs = await database.read(
        "SELECT f.rowid, f.title, f.authors, f.body FROM json_each(?) j "
        "CROSS JOIN papers_fts f ON f.rowid = j.value",
        (json.dumps(ids),),
    )
    names = [(int(r[0]), fold(n)) for r in papers for n in json.loads(r[2])]
    distinct = await database.read("SELECT DISTINCT kind, query FROM follows")
    keywords: list[tuple[int, str]] = []
    authors: list[tuple[int, str]] = []
    texts: list[tuple[FollowKind, str]] = []
    for i, (kind, query) in enumerate(distinct):
        texts.append((FollowKind(kind), str(query)))
        if kind == FollowKind.KEYWORD:
            if expr := match_query(query):
                keywords.append((i, expr))
        elif key := name_key(query):
            authors.append((i, key))
    by_words, by_names = await asyncio.to_thread(
        _match_in_memory, _day_schema(str(schema[0][0])), docs, names, keywords, authors
    )
    arxiv = {int(r[0]): str(r[1]) for r in papers}
    matched: dict[int, list[int]] = {}
    for text_id, paper_id in [*by_words, *by_names]:
        matched.setdefault(text_id, []).append(paper_id)
    return await _members(database, [arxiv[i] for i in ids], arxiv, texts, matched)


async def _members(
    database: Database,
    order: list[str],
    arxiv: dict[int, str],
    texts: list[tuple[FollowKind, str]],
    matched: dict[int, list[int]],
) -> list[MemberMatches]:
    """The members following each matched text, with the papers it matched."""
    rank = {arxiv_id: i for i, arxiv_id in enumerate(order)}
    papers_of = {  # (kind, text) -> the arXiv ids it matched, in the digest's order
        (texts[i][0].value, texts[i][1]): sorted({arxiv[p] for p in ps}, key=rank.__getitem__)
        for i, ps in matched.items()
    }
    follows_of: dict[int, list[tuple[FollowKind, str]]] = {}
    for kind in FollowKind:
        queries = [q for (k, q) in papers_of if k == kind.value]
        if not queries:
            continue
        rows = await database.read(
            "SELECT member_id, query FROM follows WHERE kind = ? "
            "AND query IN (SELECT value FROM json_each(?)) ORDER BY member_id, id",
            (kind.value, json.dumps(queries, ensure_ascii=False)),
        )
        for member_id, query in rows:
            follows_of.setdefault(member_id, []).append((kind, query))
    found = []
    for member_id in sorted(follows_of):
        follows = follows_of[member_id]
        by_paper: dict[str, list[tuple[FollowKind, str]]] = {}
        for follow in follows:
            for arxiv_id in papers_of[(follow[0].value, follow[1])]:
                by_paper.setdefault(arxiv_id, []).append(follow)
        ordered = by_paper if len(follows) == 1 else sorted(by_paper, key=rank.__getitem__)
        found.append(MemberMatches(member_id, {a: tuple(by_paper[a]) for a in ordered}))
    return found
