"""Writing one parsed digest file into the store, set-based, in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import aiosqlite

from bot.models import Entry, ParseResult, Problem
from bot.store.db import transaction

_CHUNK = 500
_APPEARANCE_COLS = "position, title, authors, votes, thumbnail, url, summary"


@dataclass
class IngestStats:
    """What loading one file did."""

    sections: int = 0
    entries: int = 0
    new_papers: int = 0
    updated_papers: int = 0
    days: list[dt.date] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def merge_days(result: ParseResult) -> tuple[dict[dt.date, list[Entry]], list[Problem]]:
    """Sections of the same day form one digest, in file order; a repeated id is reported."""
    days: dict[dt.date, list[Entry]] = {}
    seen: dict[tuple[dt.date, str], int] = {}
    problems: list[Problem] = []
    for section in result.sections:
        if not section.entries:
            continue  # an empty section never wipes a day that has papers
        bucket = days.setdefault(section.day, [])
        for entry in section.entries:
            key = (section.day, entry.arxiv_id)
            if key in seen:
                problems.append(
                    Problem(
                        entry.line, f"arXiv {entry.arxiv_id} already listed on line {seen[key]}"
                    )
                )
                continue
            seen[key] = entry.line
            bucket.append(entry)
    return days, problems


def _row(position: int, e: Entry) -> tuple[object, ...]:
    authors = json.dumps(list(e.authors), ensure_ascii=False)
    return (position, e.title, authors, e.votes, e.thumbnail, e.url, e.summary)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


async def _ids(conn: aiosqlite.Connection, arxiv_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(arxiv_ids):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT arxiv_id, id FROM papers WHERE arxiv_id IN ({marks})"
        async with conn.execute(sql, chunk) as cur:
            found.update({str(a): int(i) async for a, i in cur})
    return found


async def _old_day(
    conn: aiosqlite.Connection, day: str
) -> tuple[dict[str, tuple[object, ...]], dict[str, int]]:
    """What the store holds for a day: rows by arXiv id, and their paper ids."""
    sql = (
        f"SELECT p.arxiv_id, p.id, a.{_APPEARANCE_COLS.replace(', ', ', a.')} "
        "FROM appearances a JOIN papers p ON p.id = a.paper_id WHERE a.day = ?"
    )
    rows: dict[str, tuple[object, ...]] = {}
    ids: dict[str, int] = {}
    async with conn.execute(sql, (day,)) as cur:
        async for r in cur:
            rows[str(r[0])], ids[str(r[0])] = tuple(r[2:]), int(r[1])
    return rows, ids


async def write_files(
    conn: aiosqlite.Connection, items: Sequence[tuple[str, ParseResult]], now: dt.datetime
) -> list[IngestStats]:
    """Write parsed files in one transaction (all or none); each replaces the days it holds."""
    touched: set[int] = set()
    async with transaction(conn):
        stats = [await _write_file(conn, source, result, now, touched) for source, result in items]
        if touched:  # once for the batch: one set-based pass instead of one per file
            await _refresh_papers(conn, sorted(touched))
    return stats


async def _write_file(
    conn: aiosqlite.Connection,
    source: str,
    result: ParseResult,
    now: dt.datetime,
    refresh: set[int],
) -> IngestStats:
    """Replace the days this file holds with its content; an unchanged file is a no-op.
    The ids of the papers whose current fields and index need refreshing go to `refresh`."""
    days, problems = merge_days(result)
    stats = IngestStats(sections=len(result.sections), days=sorted(days))
    stats.problems = [*result.problems, *problems]
    stats.entries = sum(len(v) for v in days.values())
    all_ids = list(dict.fromkeys(e.arxiv_id for v in days.values() for e in v))
    existing = await _ids(conn, all_ids)
    touched = await _write_days(conn, source, days, existing, now)
    refresh.update(touched.values())
    stats.new_papers = sum(1 for a in touched if a not in existing)
    stats.updated_papers = len(touched) - stats.new_papers
    return stats


async def _write_days(
    conn: aiosqlite.Connection,
    source: str,
    days: dict[dt.date, list[Entry]],
    existing: dict[str, int],
    now: dt.datetime,
) -> dict[str, int]:
    """Write each changed day; returns the touched papers' arXiv id -> paper id."""
    touched: dict[str, int] = {}
    known = dict(existing)
    for day, entries in days.items():
        iso = day.isoformat()
        old, old_ids = await _old_day(conn, iso)
        new = {e.arxiv_id: _row(i, e) for i, e in enumerate(entries)}
        changed = {a for a, row in new.items() if old.get(a) != row} | (old.keys() - new.keys())
        if not changed:
            continue
        missing = [e for e in entries if e.arxiv_id not in known]
        await _insert_missing(conn, missing, iso)
        if missing:
            known.update(await _ids(conn, [e.arxiv_id for e in missing]))
        ids = known
        touched.update({a: ids.get(a) or old_ids[a] for a in changed})
        await conn.execute("DELETE FROM appearances WHERE day = ?", (iso,))
        await conn.executemany(
            f"INSERT INTO appearances (day, paper_id, {_APPEARANCE_COLS}, source, line) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(iso, ids[e.arxiv_id], *new[e.arxiv_id], source, e.line) for e in entries],
        )
        await conn.execute(
            "INSERT INTO days (day, papers, source, loaded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day) DO UPDATE SET papers = excluded.papers, "
            "source = excluded.source, loaded_at = excluded.loaded_at",
            (iso, len(entries), source, now.isoformat()),
        )
    return touched


async def _insert_missing(conn: aiosqlite.Connection, entries: list[Entry], day: str) -> None:
    await conn.executemany(
        "INSERT INTO papers (arxiv_id, title, authors, url, first_day, last_day) "
        "VALUES (?, ?, '[]', ?, ?, ?) ON CONFLICT (arxiv_id) DO NOTHING",
        [(e.arxiv_id, e.title, e.url, day, day) for e in entries],
    )


_REFRESH = [
    # Its author rows are keyed by its current fields: out before they change.
    """DELETE FROM paper_authors WHERE (name, last_day, votes, paper_id) IN (
           SELECT j.value, p.last_day, coalesce(p.votes, -1), p.id
           FROM papers p, json_each(p.authors) j
           WHERE p.id IN (SELECT value FROM json_each(?1)))""",
    # The paper's current fields are its latest appearance's.
    """UPDATE papers SET (title, authors, votes, thumbnail, url, last_day) = (
           SELECT a.title, a.authors, a.votes, a.thumbnail, a.url, a.day FROM appearances a
           WHERE a.paper_id = papers.id ORDER BY a.day DESC LIMIT 1),
       first_day = (SELECT min(day) FROM appearances a WHERE a.paper_id = papers.id)
       WHERE id IN (SELECT value FROM json_each(?1))
         AND EXISTS (SELECT 1 FROM appearances a WHERE a.paper_id = papers.id)""",
    "DELETE FROM papers_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
    "DELETE FROM titles_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
    """DELETE FROM papers WHERE id IN (SELECT value FROM json_each(?1))
         AND NOT EXISTS (SELECT 1 FROM appearances a WHERE a.paper_id = papers.id)""",
    """INSERT INTO papers_fts (rowid, title, authors, body)
       SELECT p.id, index_text(p.title),
              (SELECT group_concat(value, ', ') FROM json_each(p.authors)),
              index_text((SELECT group_concat(summary, char(10)) FROM
                          (SELECT DISTINCT summary FROM appearances WHERE paper_id = p.id)))
       FROM papers p WHERE p.id IN (SELECT value FROM json_each(?1))""",
    """INSERT INTO titles_fts (rowid, title)
       SELECT p.id, index_text(p.title) FROM papers p
       WHERE p.id IN (SELECT value FROM json_each(?1))""",
    """INSERT OR IGNORE INTO paper_authors (name, last_day, votes, paper_id)
       SELECT j.value, p.last_day, coalesce(p.votes, -1), p.id
       FROM papers p, json_each(p.authors) j
       WHERE p.id IN (SELECT value FROM json_each(?1))""",
    """INSERT OR IGNORE INTO author_names (folded, name)
       SELECT fold(j.value), j.value FROM papers p, json_each(p.authors) j
       WHERE p.id IN (SELECT value FROM json_each(?1))""",
]


async def _refresh_papers(conn: aiosqlite.Connection, paper_ids: list[int]) -> None:
    """Recompute the touched papers' current fields, search index and author names."""
    ids = json.dumps(paper_ids)
    for sql in _REFRESH:
        await conn.execute(sql, (ids,))
