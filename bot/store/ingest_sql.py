"""Writing parsed digest files into the store, set-based, in one transaction per batch.

Each file's part of each day is kept in `holdings` (migration 008); a day's appearances are
merged from every file that holds it (bot/store/holdings.py), so a file replaces only what it
contributed itself and loads give the same store in any order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiosqlite

from bot.models import Entry, ParseResult, Problem
from bot.store.holdings import FileDay, Held, Placed, merge_day, rank, stored_entries
from bot.store.text import index_text

if TYPE_CHECKING:
    from bot.store.database import Database

_CHUNK = 500
# digest_files.built (migration 011, a column of values rather than a flag since then):
# 0 a published digest, 1 built from Hugging Face before the day was complete (a post waits
# for it to be rebuilt), 2 built from an answer fetched once the day was complete.
PUBLISHED, BUILT_EARLY, BUILT_COMPLETE = 0, 1, 2


def built_value(result: ParseResult) -> int:
    """What digest_files.built says of a parsed file."""
    if not result.built:
        return PUBLISHED
    return BUILT_COMPLETE if result.complete else BUILT_EARLY


_APPEARANCE_COLS = "position, title, authors, votes, thumbnail, url, summary, source, line"


class PaperChanges:
    """New, updated and removed papers, from `papers`: arXiv id -> (in the store before, in
    it after) of each paper a load changed."""

    papers: dict[str, tuple[bool, bool]]

    @property
    def new_papers(self) -> int:
        return sum(1 for before, after in self.papers.values() if after and not before)

    @property
    def updated_papers(self) -> int:
        return sum(1 for before, after in self.papers.values() if after and before)

    @property
    def removed_papers(self) -> int:
        return sum(1 for before, after in self.papers.values() if before and not after)


@dataclass
class IngestStats(PaperChanges):
    """What loading one file did."""

    sections: int = 0
    entries: int = 0
    days: list[dt.date] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # arXiv id -> (in the store before, in the store after) of each paper whose appearances
    # the file changed
    papers: dict[str, tuple[bool, bool]] = field(default_factory=dict)


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


@dataclass
class _Batch:
    """State shared by the files of one transaction."""

    now: dt.datetime
    partial: bool = False  # each result is part of its source: only its days change
    refresh: set[int] = field(default_factory=set)  # papers whose current fields changed
    gone: set[int] = field(default_factory=set)  # papers left with no appearance


@dataclass
class _Day:
    """What the store holds for a day: each file's part, and the merged appearances."""

    files: dict[str, dict[int, Held]] = field(default_factory=dict)
    file_ids: dict[str, int] = field(default_factory=dict)
    built: set[str] = field(default_factory=set)  # files built from Hugging Face
    stored: dict[tuple[str, int], str | None] = field(default_factory=dict)  # holdings.entry
    rows: dict[int, tuple[object, ...]] = field(default_factory=dict)  # appearances
    arxiv: dict[int, str] = field(default_factory=dict)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


async def _ids(conn: aiosqlite.Connection, arxiv_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(arxiv_ids):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT arxiv_id, id FROM papers WHERE arxiv_id IN ({marks})"
        found.update({str(a): int(i) for a, i in await conn.execute_fetchall(sql, chunk)})
    return found


async def _file_id(
    conn: aiosqlite.Connection, source: str, built: int
) -> tuple[int, set[str], bool]:
    """The file's id (added if new; `built` stored, see PUBLISHED), the days it holds, and
    whether it changed from built to published or back (its days then rank anew)."""
    sql = (
        "SELECT id, (SELECT json_group_array(DISTINCT day) FROM holdings WHERE file_id = id), "
        "built FROM digest_files WHERE source = ?"
    )
    for file_id, days, was_built in await conn.execute_fetchall(sql, (source,)):
        if was_built != built:
            sql = "UPDATE digest_files SET built = ? WHERE id = ?"
            await conn.execute(sql, (built, file_id))
        return int(file_id), set(json.loads(days)), bool(was_built) != bool(built)
    sql = "INSERT INTO digest_files (source, built) VALUES (?, ?) RETURNING id"
    rows = list(await conn.execute_fetchall(sql, (source, built)))
    return int(rows[0][0]), set(), False


async def _read_day(conn: aiosqlite.Connection, day: str) -> _Day:
    """Every file's part of the day, with the appearances it is merged into (one per paper:
    each appearance is some file's holding)."""
    sql = (
        "SELECT f.source, h.file_id, h.paper_id, h.entry, p.arxiv_id, f.built, "
        f"a.{_APPEARANCE_COLS.replace(', ', ', a.')} "
        "FROM holdings h JOIN digest_files f ON f.id = h.file_id "
        "JOIN appearances a ON a.day = h.day AND a.paper_id = h.paper_id "
        "JOIN papers p ON p.id = h.paper_id WHERE h.day = ? ORDER BY h.file_id, h.position"
    )
    found = _Day()
    for r in await conn.execute_fetchall(sql, (day,)):
        source, paper_id, entry, row = str(r[0]), int(r[2]), r[3], tuple(r[6:])
        found.file_ids[source] = int(r[1])
        if r[5]:
            found.built.add(source)
        found.stored[source, paper_id] = entry
        found.rows[paper_id] = row
        found.arxiv[paper_id] = str(r[4])
        held = Held.from_stored(entry) if entry is not None else Held(int(row[8]), row[1:7])
        found.files.setdefault(source, {})[paper_id] = held
    return found


@dataclass(frozen=True, slots=True)
class Prepared:
    """What writing a parsed file needs that can be worked out ahead, in another process
    (it pickles): the search-index form of its titles and summaries."""

    index: tuple[tuple[str, str], ...]


def prepare(result: ParseResult) -> Prepared:
    """The work of writing `result` that need not wait for the database (ingest_many takes
    it beside the result)."""
    pairs = []
    for section in result.sections:
        for entry in section.entries:
            pairs.append((entry.title, index_text(entry.title)))
            pairs.append((entry.summary, index_text(entry.summary)))
    return Prepared(tuple(pairs))


def merged_index(prepared: Iterable[Prepared]) -> dict[str, str]:
    """Text -> index_text of every prepared file, for the writer's index_text to answer."""
    return {text: indexed for p in prepared for text, indexed in p.index}


async def write_files(
    database: Database,
    items: Sequence[tuple[str, ParseResult]],
    now: dt.datetime,
    *,
    partial: bool = False,
) -> list[IngestStats]:
    """Write parsed files in one transaction (all or none); each replaces its own part of the
    days it holds and, unless `partial`, of the days it held before."""
    batch = _Batch(now, partial=partial)
    async with database.transaction() as conn:
        stats = [await _write_file(conn, source, result, batch) for source, result in items]
        if batch.refresh:  # once for the batch: one set-based pass instead of one per file
            await _refresh_papers(conn, sorted(batch.refresh))
    return stats


async def _write_file(
    conn: aiosqlite.Connection, source: str, result: ParseResult, batch: _Batch
) -> IngestStats:
    """Replace this file's part of every day it holds or held; an unchanged file is a no-op."""
    days, problems = merge_days(result)
    stats = IngestStats(sections=len(result.sections), days=sorted(days))
    stats.problems = [*result.problems, *problems]
    stats.entries = sum(len(v) for v in days.values())
    file_id, held_days, reranked = await _file_id(conn, source, built_value(result))
    sections = {s.day.isoformat() for s in result.sections}
    kept = sections - {d.isoformat() for d in days}
    if batch.partial:
        held_days &= sections
    known = await _ids(conn, list(dict.fromkeys(e.arxiv_id for v in days.values() for e in v)))
    gone, fresh = set(batch.gone), set[int]()  # before this file: neither was in the store
    touched: dict[int, str] = {}
    placed: set[int] = set()  # on a day now, so still in the store
    by_day = {d.isoformat(): v for d, v in days.items()}
    for iso in sorted(by_day.keys() | (held_days - kept)):
        entries = by_day.get(iso, [])
        stored = await _read_day(conn, iso)
        missing = [e for e in entries if e.arxiv_id not in known]
        if missing:
            added = await _insert_missing(conn, missing, iso)
            known.update(added)
            fresh.update(added.values())
        mine = {known[e.arxiv_id]: Held.of(e) for e in entries}
        if not reranked and list(stored.files.get(source, {}).items()) == list(mine.items()):
            continue
        stored.built.discard(source)
        if result.built:
            stored.built.add(source)
        stored.arxiv.update({known[e.arxiv_id]: e.arxiv_id for e in entries})
        removed, shown = await _write_day(conn, iso, source, file_id, stored, mine, batch)
        touched.update({pid: stored.arxiv[pid] for pid in removed | shown})
        placed.update(shown)
    present = placed | await _present(conn, touched.keys() - placed)
    batch.gone = (batch.gone | touched.keys()) - present
    stats.papers = {
        a: (pid not in gone and pid not in fresh, pid in present) for pid, a in touched.items()
    }
    return stats


async def _present(conn: aiosqlite.Connection, paper_ids: set[int]) -> set[int]:
    """Those of the papers that still appear on some day."""
    if not paper_ids:
        return set()
    sql = (
        "SELECT value FROM json_each(?) "
        "WHERE EXISTS (SELECT 1 FROM appearances a WHERE a.paper_id = value)"
    )
    return {int(r[0]) for r in await conn.execute_fetchall(sql, (json.dumps(sorted(paper_ids)),))}


async def _write_day(
    conn: aiosqlite.Connection,
    day: str,
    source: str,
    file_id: int,
    stored: _Day,
    mine: FileDay,
    batch: _Batch,
) -> tuple[set[int], set[int]]:
    """Put the file's new part of the day in, and the merged day with it; returns the papers
    that left the day, and those whose appearance changed as members see it (there at all,
    place or content)."""
    files: dict[str, FileDay] = {**stored.files, source: mine}
    merged = merge_day(files, stored.built)
    rows = {p.paper_id: (i, *p.held.content, p.source, p.held.line) for i, p in enumerate(merged)}
    removed = stored.rows.keys() - rows.keys()
    changed = {pid for pid, row in rows.items() if stored.rows.get(pid) != row}
    old = {pid: stored.rows[pid][:7] for pid in changed if pid in stored.rows}
    shown = {pid for pid in changed if old.get(pid) != rows[pid][:7]}  # not only source, line
    batch.refresh.update(removed, (pid for pid in shown if old.get(pid, ())[1:] != rows[pid][1:7]))
    await _write_holdings(conn, day, (source, file_id), stored, files, merged)
    await _many(
        conn, "DELETE FROM appearances WHERE day = ? AND paper_id = ?", [(day, p) for p in removed]
    )
    await _many(
        conn,
        f"INSERT OR REPLACE INTO appearances (day, paper_id, {_APPEARANCE_COLS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(day, pid, *rows[pid]) for pid in changed],
    )
    await _write_day_row(conn, day, rank(files, stored.built), len(merged), batch.now)
    return removed, shown


async def _write_holdings(
    conn: aiosqlite.Connection,
    day: str,
    file: tuple[str, int],
    stored: _Day,
    files: dict[str, FileDay],
    merged: list[Placed],
) -> None:
    """The file's new part of the day, and the other files' own copies of entries where the
    merged day no longer publishes them as those files have them (or now does)."""
    source, file_id = file
    file_ids = {**stored.file_ids, source: file_id}
    entries = stored_entries(files, merged)
    if source in stored.files:
        await conn.execute("DELETE FROM holdings WHERE day = ? AND file_id = ?", (day, file_id))
    await _many(
        conn,
        "INSERT INTO holdings (day, paper_id, file_id, position, entry) VALUES (?, ?, ?, ?, ?)",
        [(day, pid, file_id, i, entries[source, pid]) for i, pid in enumerate(files[source])],
    )
    await _many(
        conn,
        "UPDATE holdings SET entry = ? WHERE day = ? AND paper_id = ? AND file_id = ?",
        [
            (entry, day, pid, file_ids[s])
            for (s, pid), entry in entries.items()
            if s != source and stored.stored[s, pid] != entry
        ],
    )


async def _many(conn: aiosqlite.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:  # a trip to the connection's thread saved
        await conn.executemany(sql, rows)


async def _write_day_row(
    conn: aiosqlite.Connection, day: str, sources: list[str], papers: int, now: dt.datetime
) -> None:
    if not sources:
        await conn.execute("DELETE FROM days WHERE day = ?", (day,))
        return
    await conn.execute(
        "INSERT INTO days (day, papers, source, loaded_at, sources) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (day) DO UPDATE SET papers = excluded.papers, source = excluded.source, "
        "loaded_at = excluded.loaded_at, sources = excluded.sources",
        (day, papers, sources[0], now.isoformat(), json.dumps(sources, ensure_ascii=False)),
    )


async def _insert_missing(
    conn: aiosqlite.Connection, entries: list[Entry], day: str
) -> dict[str, int]:
    """Add papers the store does not have (their fields come with the refresh): arXiv id ->
    paper id."""
    sql = (
        "INSERT INTO papers (arxiv_id, title, authors, url, first_day, last_day) "
        "SELECT value ->> 0, value ->> 1, '[]', value ->> 2, ?2, ?2 FROM json_each(?1) "
        "WHERE true ON CONFLICT (arxiv_id) DO NOTHING RETURNING arxiv_id, id"
    )
    rows = [[e.arxiv_id, e.title, e.url] for e in entries]
    params = (json.dumps(rows, ensure_ascii=False), day)
    return {str(a): int(i) for a, i in await conn.execute_fetchall(sql, params)}


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
    # A name leaves with its last paper (or the last paper that still lists it).
    """DELETE FROM author_names WHERE (folded, name) IN (
           SELECT fold(value), value FROM json_each(?2))
         AND NOT EXISTS (SELECT 1 FROM paper_authors pa WHERE pa.name = author_names.name)""",
]


async def _refresh_papers(conn: aiosqlite.Connection, paper_ids: list[int]) -> None:
    """Recompute the touched papers' current fields, search index and author names."""
    ids = json.dumps(paper_ids)
    sql = (
        "SELECT json_group_array(DISTINCT j.value) FROM papers p, json_each(p.authors) j "
        "WHERE p.id IN (SELECT value FROM json_each(?))"
    )
    (names,) = next(iter(await conn.execute_fetchall(sql, (ids,))))
    for statement in _REFRESH:
        await conn.execute(statement, (ids, str(names)) if "?2" in statement else (ids,))
