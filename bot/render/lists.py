"""A page of results: a header line and a brief card per paper, in one message."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.i18n_text import text as _t
from bot.models import Paper
from bot.render.cards import BRIEF_CHARS, COLOR, paper_brief
from bot.render.embeds import fit_embed
from bot.render.limits import EMBED_TOTAL_LIMIT, EMBEDS_PER_MESSAGE
from bot.render.text import sanitize, shorten


def _code(text: str, limit: int = 200) -> str:
    """User input as inline code: one line, no backticks, mentions defused."""
    flat = " ".join(sanitize(text).replace("`", "'").split())
    return f"`{shorten(flat, limit)}`" if flat else "`…`"


def result_page(
    papers: Sequence[Paper],
    *,
    page: int,
    per_page: int,
    total: int | str,
    title: str,
    locale: str = "en",
    heading: bool = False,
) -> list[discord.Embed]:
    """A header (`Results 11–20 of 57 for `query``, or `**title** · 11–20 of 57` when
    `heading`) and a brief per paper, in one message. `total` may be a label like "1000+"."""
    shown = list(papers)[: EMBEDS_PER_MESSAGE - 1]
    start = (max(page, 1) - 1) * max(per_page, 1) + 1
    end = start + len(shown) - 1
    shown_total = max(total, end) if isinstance(total, int) else total
    if heading:
        line = f"**{shorten(sanitize(title), 200)}** · " + _t(
            locale, "range", start=start, end=end, total=shown_total
        )
    elif shown:
        line = _t(locale, "results", start=start, end=end, total=shown_total, query=_code(title))
    else:
        line = _t(locale, "no_results", query=_code(title))
    header = discord.Embed(description=line, color=COLOR)
    room = EMBED_TOTAL_LIMIT - len(header)
    for chars in (BRIEF_CHARS, 300, 150, 60):
        briefs = [paper_brief(p, start + i, locale, max_chars=chars) for i, p in enumerate(shown)]
        if sum(map(len, briefs)) <= room:
            return [header, *briefs]
    share = room // len(briefs)
    return [header, *(fit_embed(b, share) for b in briefs)]
