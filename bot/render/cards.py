"""One paper as an embed: the full card of /paper, the brief card of lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

import discord

from bot.i18n_text import text as _t
from bot.models import Enrichment, Paper
from bot.render import enriched
from bot.render.embeds import fit_embed
from bot.render.limits import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from bot.render.summary import lead
from bot.render.text import embed_url, safe_url, sanitize, shorten

BRIEF_CHARS: Final = 500  # summary lead of a brief embed
COLOR: Final = 0xFFD21E  # Hugging Face yellow
_VIDEO_EXT = (".mp4", ".webm", ".mov", ".m4v")


def format_authors(
    authors: Sequence[str],
    limit: int = FIELD_VALUE_LIMIT,
    *,
    locale: str = "en",
    max_names: int = 8,
    markdown: bool = True,
) -> str:
    """`A, B, C`; past `max_names` (or `limit`) the first names then `… +N more` / `외 N명`."""
    names = [n for n in (" ".join(sanitize(a).split()) for a in authors) if n]
    if markdown:
        names = [discord.utils.escape_markdown(n) for n in names]
    if not names:
        return "–"
    shown = max(1, min(len(names), max_names))
    while True:
        rest = len(names) - shown
        more = f" {_t(locale, 'more_authors', count=rest)}" if rest else ""
        joined = ", ".join(names[:shown]) + more
        if len(joined) <= limit:
            return joined
        if shown == 1:
            head = shorten(names[0], limit - len(more)) if limit - len(more) > 1 else ""
            return head + more if head else shorten(joined, limit)
        shown -= 1


def votes_label(votes: int | None) -> str:
    return "–" if votes is None else str(votes)


def _dates(dates: Sequence[dt.date]) -> str:
    return shorten(", ".join(d.isoformat() for d in dates), FIELD_VALUE_LIMIT) or "–"


def _links(paper: Paper, locale: str) -> str:
    return (
        f"[arXiv]({paper.abs_url}) · [PDF]({paper.pdf_url}) · [{_t(locale, 'hf')}]({paper.hf_url})"
    )


def is_video(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(_VIDEO_EXT)


def _attach_media(embed: discord.Embed, thumbnail: str | None, locale: str, *, small: bool) -> None:
    """An image thumbnail as the embed image (or small thumbnail); a video as a link field;
    nothing for a URL Discord would refuse."""
    url = embed_url(thumbnail)
    if url is None:
        return
    if is_video(url):
        value = f"[{_t(locale, 'watch_video')}]({safe_url(url)})"
        if len(value) <= FIELD_VALUE_LIMIT:
            embed.add_field(name=_t(locale, "video"), value=value, inline=False)
    elif small:
        embed.set_thumbnail(url=url)
    else:
        embed.set_image(url=url)


def paper_embed(
    paper: Paper, *, locale: str = "en", enrichment: Enrichment | None = None
) -> discord.Embed:
    """The full card of one paper, within every embed limit; with what Hugging Face adds
    (`enrichment`: the abstract, upvotes and stars; bot/render/enriched.py)."""
    title = shorten(sanitize(paper.title), TITLE_LIMIT)
    embed = discord.Embed(title=title, url=embed_url(paper.abs_url), color=COLOR)
    authors = format_authors(paper.authors, locale=locale)
    embed.add_field(name=_t(locale, "authors"), value=authors, inline=False)
    embed.add_field(name=_t(locale, "votes"), value=votes_label(paper.votes), inline=True)
    embed.add_field(name=_t(locale, "featured"), value=_dates(paper.dates), inline=True)
    enriched.add_fields(embed, enrichment, locale=locale)
    embed.add_field(name=_t(locale, "links"), value=_links(paper, locale), inline=False)
    _attach_media(embed, paper.thumbnail, locale, small=False)
    embed.set_footer(text=shorten(f"arXiv:{paper.arxiv_id}", FOOTER_LIMIT))
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(embed))
    embed.description = enriched.card_description(paper, enrichment, room, locale=locale)
    return fit_embed(embed)


def paper_brief(
    paper: Paper, index: int | None = None, locale: str = "en", *, max_chars: int = BRIEF_CHARS
) -> discord.Embed:
    """A compact card for lists: title, the summary's lead, votes and a few authors."""
    title = sanitize(paper.title) if index is None else f"{index}. {sanitize(paper.title)}"
    description = lead(paper.summary, max_chars, locale)
    embed = discord.Embed(
        title=shorten(title, TITLE_LIMIT),
        url=embed_url(paper.abs_url),
        description=description,
        color=COLOR,
    )
    _attach_media(embed, paper.thumbnail, locale, small=True)
    authors = format_authors(paper.authors, 200, locale=locale, max_names=3, markdown=False)
    embed.set_footer(text=f"👍 {votes_label(paper.votes)} · {authors} · arXiv:{paper.arxiv_id}")
    return fit_embed(embed)
