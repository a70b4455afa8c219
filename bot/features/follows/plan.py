"""Pure: a member's matches of a day -> the exact messages of their alert.

The first message opens with the day and how many papers matched; every paper is a card
saying which of the member's follows matched it; cards are packed within Discord's limits
(10 embeds and 6,000 characters a message), as many messages as it takes: none is dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import discord

from bot import render
from bot.cards import SaveOffer
from bot.i18n_text import text
from bot.models import Paper
from bot.render.embeds import signature

MATCHED_LIMIT = 300  # characters of the "matched" line on a card


@dataclass(frozen=True, slots=True)
class AlertMessage:
    seq: int
    content: str
    embeds: tuple[discord.Embed, ...] = field(default_factory=tuple)
    papers: tuple[str, ...] = ()  # arXiv ids of its cards, in order
    save: SaveOffer | None = None  # its cards' Save button or "Save one of these…" menu

    def view(self) -> discord.ui.View | None:
        """The message's components (Save, bot/cards.py), or None."""
        return self.save.view() if self.save and self.save.papers else None

    def signature(self) -> tuple[str, tuple[str, ...]]:
        return signature(self.content, self.embeds)


def nonce(member_id: int, day: dt.date, seq: int) -> str:
    """Deterministic per message (Discord allows 25 characters)."""
    key = f"alert:{member_id}:{day.isoformat()}:{seq}".encode()
    return "pa" + hashlib.blake2b(key, digest_size=10).hexdigest()[:20]


def matched_line(follows: Sequence[tuple[str, str]], locale: str) -> str:
    """`keyword "diffusion" · author "Kim"`: the follows (kind, a FollowKind value, and text)
    that matched a paper."""
    parts = [
        text(locale, f"alert_by_{kind}", query=render.sanitize(query).replace("`", "'"))
        for kind, query in follows
    ]
    return render.shorten(" · ".join(parts), MATCHED_LIMIT)


def card(
    paper: Paper, index: int, follows: Sequence[tuple[str, str]], locale: str
) -> discord.Embed:
    embed = render.paper_brief(paper, index, locale)
    embed.add_field(name=text(locale, "alert_matched"), value=matched_line(follows, locale))
    return render.fit_embed(embed)


def plan_alert(
    day: dt.date,
    papers: Sequence[Paper],
    matched: Mapping[str, Sequence[tuple[str, str]]],
    *,
    locale: str,
) -> list[AlertMessage]:
    """The messages of one member's alert of `day`: `papers` in the digest's order, each
    with the follows that matched it (`matched`, by arXiv id)."""
    chosen = [p for p in papers if p.arxiv_id in matched]
    cards = [card(p, i, matched[p.arxiv_id], locale) for i, p in enumerate(chosen, start=1)]
    groups = render.pack_embeds(cards)
    key = "alert_header_one" if len(chosen) == 1 else "alert_header"
    head = text(locale, key, day=day.isoformat(), count=len(chosen))
    messages: list[AlertMessage] = []
    start = 0
    for seq, group in enumerate(groups):
        content = head if seq == 0 else text(locale, "alert_more", part=seq + 1, parts=len(groups))
        shown = chosen[start : start + len(group)]
        offer = SaveOffer(tuple((p.arxiv_id, p.title) for p in shown), locale, start + 1)
        start += len(group)
        content = render.shorten(content, render.CONTENT_LIMIT)
        ids = tuple(p.arxiv_id for p in shown)
        messages.append(AlertMessage(seq, content, tuple(group), ids, offer))
    return messages


def encode(messages: Sequence[AlertMessage]) -> bytes:
    """The messages as stored with the alert when it is planned."""
    items = [
        {
            "seq": m.seq,
            "content": m.content,
            "embeds": [e.to_dict() for e in m.embeds],
            "papers": list(m.papers),
            "save": m.save.to_json() if m.save else None,
        }
        for m in messages
    ]
    body = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return zlib.compress(body.encode(), 6)


def decode(body: bytes) -> list[AlertMessage]:
    return [
        AlertMessage(
            item["seq"],
            item["content"],
            tuple(discord.Embed.from_dict(e) for e in item["embeds"]),
            tuple(item["papers"]),
            SaveOffer.from_json(item["save"]) if item.get("save") else None,
        )
        for item in json.loads(zlib.decompress(body))
    ]
