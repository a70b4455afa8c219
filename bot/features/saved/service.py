"""What Save presses and /saved do, between the stores and the cog (no Discord objects)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.models import Paper
from bot.store import PaperStore
from bot.store.saved import SavedPaper, SavedStore, SaveResult, Saving


@dataclass(frozen=True, slots=True)
class Saved:
    """A Save press: what happened, and the paper (None: no digest holds it)."""

    result: SaveResult | None  # None: the paper is not in the store, nothing was saved
    paper: Paper | None
    arxiv_id: str


class SavedService:
    def __init__(
        self, saved: SavedStore, papers: PaperStore, *, clock: Callable[[], dt.datetime]
    ) -> None:
        self.saved, self.papers, self.clock = saved, papers, clock

    @property
    def limit(self) -> int:
        return self.saved.limit

    async def save(self, member_id: int, arxiv_id: str) -> Saved:
        """Save a paper the digests hold (a card's paper, normally)."""
        paper = await self.papers.get(arxiv_id)
        if paper is None:
            if await self.saved.get(member_id, arxiv_id):  # saved before its digest went
                return Saved(SaveResult(Saving.ALREADY, await self.saved.count(member_id)), None,
                             arxiv_id)  # fmt: skip
            return Saved(None, None, arxiv_id)
        result = await self.saved.save(member_id, paper.arxiv_id, self.clock())
        return Saved(result, paper, paper.arxiv_id)

    async def remove(self, member_id: int, arxiv_id: str) -> tuple[bool, int, str]:
        """(whether it was in the list, papers left, its title as the list knows it)."""
        found = await self.saved.get(member_id, arxiv_id)
        title = found.title if found else f"arXiv:{arxiv_id}"
        removed, left = await self.saved.remove(member_id, arxiv_id)
        return removed, left, title

    async def everything(self, member_id: int) -> list[SavedPaper]:
        return await self.saved.papers(member_id)
