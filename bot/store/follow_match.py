"""Which follows a digest day matches: keywords as /search matches them, names as /author does.

A keyword matches a paper when /search for it would list the paper: its `match_query`
expression (terms ANDed: a word, a "phrase", a Korean word's bigram phrase) holds for the
paper's own index row (its title, authors and every summary, as papers_fts stores them) with
papers_fts's own tokenizer. The rows of the day are copied into an in-memory FTS5 table
created from papers_fts's schema, each distinct term of all the follows is matched there
once, and an expression matches the papers every one of its terms matched (FTS5's AND). An
author follow matches a paper when /author for it would list the paper: the folded name key
is in one of its author names, folded (`instr`, as bot/store/authors.py does).

Each distinct follow (kind and text) is matched once, however many members have it; the
members who follow a matched one are read from the follows_query index with one query,
ordered by member and follow, and each member's papers are built from the matched
follows' paper lists (see bench/alerts.py match). The matching and the grouping run in a
worker thread: a day's 100,000 follows do not hold up the bot's event loop.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import itertools
import json
import operator
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.models import FollowKind
from bot.store.database import Database
from bot.store.text import fold, match_query, name_key, query_terms

# A follow that matched: its kind as stored (a FollowKind value; `FollowKind(kind)` gives the
# member) and its text. Plain strings rather than the enum member: a day's matches are some
# 270,000 (member, paper) entries (bench/alerts.py match), and tuples and dicts holding only
# strings leave the garbage collector's lists, where an enum member (an object with a
# __dict__) keeps every tuple and dict holding it tracked, and their numbers set off full
# collections of the bot's whole heap (13-14 in 8 matchings in the bench's process with the
# member, 2-8 without).
Matched = tuple[str, str]


@dataclass(frozen=True, slots=True)
class MemberMatches:
    """One member's matches on a day: arXiv id -> the follows (kind, text) that matched, in
    the order the member made them; papers in the digest's order."""

    member_id: int
    papers: dict[str, tuple[Matched, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Day:
    """A day's papers as the matcher reads them, in the digest's order."""

    arxiv_ids: tuple[str, ...]
    docs: Sequence[tuple[int, str, str, str]]  # position, and papers_fts's title, authors, body
    authors: Sequence[str]  # each paper's author list (JSON)


def _day_schema(papers_fts_sql: str) -> str:
    """papers_fts's CREATE statement for the in-memory day_fts: same columns, same tokenizer."""
    head, sep, rest = papers_fts_sql.partition("papers_fts")
    if not sep:
        raise ValueError("papers_fts has no CREATE statement")
    return f"{head}day_fts{rest}"


# Sets of papers are bit masks over the day's positions (bit p: the paper at position p):
# ints, which the garbage collector never tracks, where thousands of sets or lists kept
# through the matching would be carried into its older generations.


def _keyword_hits(schema: str, day: _Day, exprs: dict[int, str]) -> dict[int, int]:
    """follow index -> the papers (a mask) its MATCH expression matches."""
    terms: dict[str, int] = {}
    needs = {
        i: tuple(terms.setdefault(t, len(terms)) for t in query_terms(e)) for i, e in exprs.items()
    }
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(schema)
        conn.executemany(
            "INSERT INTO day_fts (rowid, title, authors, body) VALUES (?,?,?,?)", day.docs
        )
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, term TEXT NOT NULL)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(n, t) for t, n in terms.items()])
        rows = conn.execute(
            "SELECT t.id, day_fts.rowid FROM t CROSS JOIN day_fts WHERE day_fts MATCH t.term"
        ).fetchall()
    finally:
        conn.close()
    of_term = [0] * len(terms)
    for term, position in rows:
        of_term[term] |= 1 << position
    hits: dict[int, int] = {}
    for i, need in needs.items():
        found = of_term[need[0]]
        for term in need[1:]:
            found &= of_term[term]
        if found:
            hits[i] = found
    return hits


def _author_hits(day: _Day, keys: dict[int, str]) -> dict[int, int]:
    """follow index -> the papers (a mask) with an author name holding its key."""
    # One text of every folded name, one a line: a key (whitespace collapsed, so no newline)
    # found in it lies within one name, which is `instr(folded, key)` on that name.
    names = [(p, fold(n)) for p, authors in enumerate(day.authors) for n in json.loads(authors)]
    text = "\n".join(n for _, n in names)
    starts = list(itertools.accumulate((len(n) + 1 for _, n in names), initial=0))
    hits: dict[int, int] = {}
    for i, key in keys.items():
        at = text.find(key)
        while at >= 0:
            line = bisect.bisect_right(starts, at) - 1
            hits[i] = hits.get(i, 0) | 1 << names[line][0]
            at = text.find(key, starts[line + 1])  # the next name
    return hits


def _positions(mask: int) -> tuple[int, ...]:
    """The positions of a mask's papers, in order."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return tuple(found)


def _match_follows(
    schema: str, day: _Day, follows: Sequence[tuple[str, str]]
) -> dict[int, tuple[int, ...]]:
    """Index in `follows` (kind, text) -> the positions of the papers it matches, in order."""
    exprs: dict[int, str] = {}
    keys: dict[int, str] = {}
    keyword = FollowKind.KEYWORD.value  # once: an enum member's lookup costs a call
    for i, (kind, query) in enumerate(follows):
        if kind == keyword:
            if expr := match_query(query):
                exprs[i] = expr
        elif key := name_key(query):
            keys[i] = key
    hits = _keyword_hits(schema, day, exprs) if exprs else {}
    hits.update(_author_hits(day, keys))
    return {i: _positions(mask) for i, mask in sorted(hits.items())}


def _group(
    arxiv_ids: Sequence[str],
    matched: Sequence[tuple[Matched, Sequence[int]]],
    rows: Sequence[tuple[int, int]],
) -> list[MemberMatches]:
    """Each member's papers from (member id, index in `matched`) rows ordered by member and
    follow: `matched` holds each matched follow and its papers' positions, in order."""
    # A plain loop: map/zip merging and interning the tuples were measured slower here.
    one: list[tuple[Matched, ...]] = [(f,) for f, _ in matched]  # shared by all it matched
    ids = [tuple(arxiv_ids[p] for p in positions) for _, positions in matched]
    found = []
    second = operator.itemgetter(1)
    for member_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        first, *rest = map(second, group)
        if not rest:
            found.append(MemberMatches(member_id, dict.fromkeys(ids[first], one[first])))
            continue
        by_position = dict.fromkeys(matched[first][1], one[first])
        for m in rest:
            follow = one[m]
            for p in matched[m][1]:
                by_position[p] = by_position.get(p, ()) + follow
        papers = {arxiv_ids[p]: by_position[p] for p in sorted(by_position)}
        found.append(MemberMatches(member_id, papers))
    return found


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
    position = {int(r[0]): i for i, r in enumerate(papers)}
    docs = await database.read(
        "SELECT f.rowid, f.title, f.authors, f.body FROM json_each(?) j "
        "CROSS JOIN papers_fts f ON f.rowid = j.value",
        (json.dumps(list(position)),),
    )
    the_day = _Day(
        tuple(str(r[1]) for r in papers),
        [(position[int(r[0])], r[1], r[2], r[3]) for r in docs],
        [str(r[2]) for r in papers],
    )
    follows: list[Matched] = await database.read("SELECT DISTINCT kind, query FROM follows")
    hits = await asyncio.to_thread(_match_follows, _day_schema(str(schema[0][0])), the_day, follows)
    if not hits:
        return []
    matched = [(follows[i], ps) for i, ps in hits.items()]
    rows = await database.read(
        "SELECT f.member_id, j.key FROM json_each(?) j CROSS JOIN follows f "
        "ON f.kind = json_extract(j.value, '$[0]') AND f.query = json_extract(j.value, '$[1]') "
        "ORDER BY f.member_id, f.id",
        (json.dumps([follows[i] for i in hits], ensure_ascii=False),),
    )
    return await asyncio.to_thread(_group, the_day.arxiv_ids, matched, rows)
