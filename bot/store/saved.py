"""SavedStore: each member's saved papers (/saved, the Save buttons), at most `LIMIT` each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.models import Paper
from bot.store.database import Database
from bot.store.reads import _PAPER_COLS, Page, paper_row

LIMIT = 1000  # papers in one member's list
_SAVED = f"""SELECT s.arxiv_id, s.saved_at, {_PAPER_COLS}
    FROM saved_papers s LEFT JOIN papers p ON p.arxiv_id = s.arxiv_id WHERE s.member_id = ?"""


_SAVE = """INSERT INTO saved_papers (member_id, arxiv_id, saved_at)
    SELECT ?, ?, ? WHERE (SELECT count(*) FROM saved_papers WHERE member_id = ?) < ?
    ON CONFLICT (member_id, arxiv_id) DO NOTHING RETURNING id"""
_COUNT_AND_HAS = """SELECT count(*), coalesce(max(arxiv_id = ?), 0) FROM saved_papers
    WHERE member_id = ?"""


class Saving(StrEnum):
    """What pressing Save did."""

    ADDED = "added"
    ALREADY = "already"  # it was in the list: kept once, where it was
    FULL = "full"  # the list holds LIMIT papers: nothing changed


@dataclass(frozen=True, slots=True)
class SaveResult:
    outcome: Saving
    count: int  # papers in the list afterwards


@dataclass(frozen=True, slots=True)
class SavedPaper:
    """One paper of a list: the paper as the store has it now (None when no digest holds
    it any more: then only its id is known), and when it was saved."""

    arxiv_id: str
    saved_at: dt.datetime
    paper: Paper | None

    @property
    def title(self) -> str:
        return self.paper.title if self.paper else f"arXiv:{self.arxiv_id}"


def _saved(row: Sequence[Any]) -> SavedPaper:
    paper = paper_row(row[2:]) if row[2] is not None else None
    return SavedPaper(row[0], dt.datetime.fromisoformat(row[1]), paper)


def _stub(saved: SavedPaper) -> Paper:
    """A paper no digest holds any more, as a card can show it: its id and arXiv link."""
    return Paper(
        arxiv_id=saved.arxiv_id,
        title=saved.title,
        authors=(),
        votes=None,
        dates=(),
        thumbnail=None,
        summary="",
        url=f"https://arxiv.org/abs/{saved.arxiv_id}",
    )


class SavedStore:
    """Saved papers on the papers Database: writes on its writer, reads on its readers."""

    def __init__(self, database: Database, *, limit: int = LIMIT) -> None:
        self.db = database
        self.limit = limit

    async def save(self, member_id: int, arxiv_id: str, now: dt.datetime) -> SaveResult:
        """Add a paper to the member's list; saving it again keeps the one entry. One
        statement (atomic on its own: two presses at once cannot pass the cap), then a read."""
        params = (member_id, arxiv_id, now.astimezone(dt.UTC).isoformat(), member_id, self.limit)
        async with self.db.write_lock, self.db.writer.execute(_SAVE, params) as cur:
            added = await cur.fetchone() is not None
        rows = await self.db.read(_COUNT_AND_HAS, (arxiv_id, member_id))
        count, present = int(rows[0][0]), bool(rows[0][1])
        if added:
            return SaveResult(Saving.ADDED, count)
        return SaveResult(Saving.ALREADY if present else Saving.FULL, count)

    async def remove(self, member_id: int, arxiv_id: str) -> tuple[bool, int]:
        """(whether it was in the list, papers left)."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "DELETE FROM saved_papers WHERE member_id = ? AND arxiv_id = ?",
                (member_id, arxiv_id),
            ) as cur:
                removed = cur.rowcount > 0
            return removed, await _count(conn, member_id)

    async def count(self, member_id: int) -> int:
        rows = await self.db.read(
            "SELECT count(*) FROM saved_papers WHERE member_id = ?", (member_id,)
        )
        return int(rows[0][0])

    async def papers(
        self, member_id: int, *, limit: int | None = None, offset: int = 0
    ) -> list[SavedPaper]:
        """The member's list, newest saved first."""
        rows = await self.db.read(
            f"{_SAVED} ORDER BY s.id DESC LIMIT ? OFFSET ?",
            (member_id, -1 if limit is None else limit, offset),
        )
        return [_saved(r) for r in rows]

    async def page(self, member_id: int, *, offset: int, limit: int) -> Page:
        """A page of the list for a results message (papers no digest holds any more are
        shown by id and arXiv link)."""
        saved = await self.papers(member_id, limit=limit, offset=offset)
        total = await self.count(member_id)
        return Page(tuple(s.paper or _stub(s) for s in saved), total)

    async def get(self, member_id: int, arxiv_id: str) -> SavedPaper | None:
        """The paper if it is in the member's list."""
        rows = await self.db.read(f"{_SAVED} AND s.arxiv_id = ?", (member_id, arxiv_id))
        return _saved(rows[0]) if rows else None

    async def suggestions(self, member_id: int, text: str, *, limit: int = 25) -> list[SavedPaper]:
        """The member's papers whose id starts with `text` or whose title contains it
        (any letter case), newest saved first: a list is small (at most LIMIT)."""
        needle = text.strip().casefold()
        found = [
            s
            for s in await self.papers(member_id)
            if not needle or s.arxiv_id.startswith(needle) or needle in s.title.casefold()
        ]
        return found[:limit]


async def _count(conn: Any, member_id: int) -> int:
    async with conn.execute(
        "SELECT count(*) FROM saved_papers WHERE member_id = ?", (member_id,)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0])
