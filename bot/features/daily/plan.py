"""Pure: a digest and a subscription's options -> the exact messages of a daily post."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot import render
from bot.cards import MENU_OPTIONS, SaveOffer
from bot.models import Digest, Paper, PostOrder, PostStyle
from bot.render.embeds import signature


@dataclass(frozen=True, slots=True)
class Planned:
    """One message of a post. `in_thread` messages go to the thread started from seq 0."""

    seq: int
    content: str | None = None
    embeds: tuple[discord.Embed, ...] = field(default_factory=tuple)
    in_thread: bool = False
    thread_name: str | None = None  # set on the message a thread is started from
    save: SaveOffer | None = None  # its cards' Save button or "Save one of these…" menu

    def view(self) -> discord.ui.View | None:
        """The message's components (Save), or None."""
        return self.save.view() if self.save and self.save.papers else None

    def signature(self) -> tuple[str, tuple[str, ...]]:
        return signature(self.content, self.embeds)


def nonce(channel_id: int, day: dt.date, generation: int, seq: int) -> str:
    """Deterministic per message (Discord allows 25 characters): a resend is deduplicated."""
    key = f"{channel_id}:{day.isoformat()}:{generation}:{seq}".encode()
    return "pb" + hashlib.blake2b(key, digest_size=10).hexdigest()[:20]


def encode_plan(plan: Sequence[Planned]) -> bytes:
    """The plan as stored with a post when it is claimed; the same plan gives the same bytes."""
    items = [
        {
            "seq": p.seq,
            "content": p.content,
            "embeds": [e.to_dict() for e in p.embeds],
            "in_thread": p.in_thread,
            "thread_name": p.thread_name,
            "save": p.save.to_json() if p.save else None,
        }
        for p in plan
    ]
    text = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return zlib.compress(text.encode(), 6)


def decode_plan(body: bytes) -> list[Planned]:
    """The messages `encode_plan` stored, as they were planned."""
    return [
        Planned(
            item["seq"],
            content=item["content"],
            embeds=tuple(discord.Embed.from_dict(e) for e in item["embeds"]),
            in_thread=item["in_thread"],
            thread_name=item["thread_name"],
            save=SaveOffer.from_json(item["save"]) if item.get("save") else None,
        )
        for item in json.loads(zlib.decompress(body))
    ]


def select(
    papers: Sequence[Paper], *, order: PostOrder, min_votes: int | None, max_papers: int | None
) -> list[Paper]:
    """Filter by votes, order, cap. Without options every paper of the day is kept."""
    chosen = [p for p in papers if not min_votes or (p.votes or 0) >= min_votes]
    if order == PostOrder.VOTES:
        chosen.sort(key=lambda p: -(p.votes or 0))  # stable: published order breaks ties
    return chosen[:max_papers] if max_papers else chosen


def plan_post(
    digest: Digest,
    style: PostStyle,
    *,
    papers: Sequence[Paper],
    source_url: str | None,
    locale: str = "ko",
) -> list[Planned]:
    """The messages, in order. `papers` is the selected subset of the digest's papers. Each
    message of cards offers them to save: a thread's card its Save button, a message of
    several cards (or a compact list's lines) a "Save one of these…" menu."""
    header = render.digest_header(digest.day, len(papers), source_url=source_url, locale=locale)
    if style == PostStyle.COMPACT:
        parts = render.compact_digest(
            digest.day, papers, source_url=source_url, locale=locale, per_message=MENU_OPTIONS
        )
        return [
            Planned(i, content=m.content, save=_offer(m.listed(papers), locale, m.first + 1))
            for i, m in enumerate(parts)
        ]
    if style == PostStyle.THREAD:
        name = render.shorten(f"Daily Papers {digest.day.isoformat()}", 100)
        plan = [Planned(0, content=header, thread_name=name)]
        for i, paper in enumerate(papers, start=1):
            embed = render.paper_embed(paper, locale=locale)
            offer = SaveOffer(((paper.arxiv_id, paper.title),), locale, i)
            plan.append(Planned(i, embeds=(embed,), in_thread=True, save=offer))
        return plan
    briefs = [render.paper_brief(p, i, locale) for i, p in enumerate(papers, start=1)]
    plan = [Planned(0, content=header)]
    number = 1
    for i, group in enumerate(render.pack_embeds(briefs), start=1):
        cards = papers[number - 1 : number - 1 + len(group)]
        plan.append(Planned(i, embeds=tuple(group), save=_offer(cards, locale, number)))
        number += len(group)
    return plan


def _offer(papers: Sequence[Paper], locale: str, number: int) -> SaveOffer | None:
    """What a message listing `papers` (numbered from `number`) offers to save, or None."""
    if not papers:
        return None
    return SaveOffer(tuple((p.arxiv_id, p.title) for p in papers), locale, number)
