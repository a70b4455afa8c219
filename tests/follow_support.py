"""What a follow finds on its own, as a member would see it: /search or /author of one day."""

from __future__ import annotations

import datetime as dt

from bot.models import FollowKind
from bot.store import PaperStore
from bot.store.follows import Follow


async def found_alone(store: PaperStore, follow: Follow, day: dt.date) -> set[str]:
    """The papers of `day` that /search or /author lists for the follow by itself (all of
    them: the page must not stop short)."""
    digest = await store.digest(day)
    assert digest is not None
    of_day = {p.arxiv_id for p in digest.papers}
    if follow.kind == FollowKind.KEYWORD:
        page = await store.search(follow.query, since=day, until=day, limit=500)
    else:
        page = await store.by_author(follow.query, limit=100_000)
    assert not page.more and page.total == len(page.papers), follow
    return {p.arxiv_id for p in page.papers} & of_day
