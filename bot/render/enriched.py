"""What Hugging Face adds to a paper's card (bot/enrich.py): the English abstract under the
Korean summary, current upvotes and GitHub stars, and the Code and Project links."""

from __future__ import annotations

import re
from typing import Final

import discord

from bot.i18n_text import text as _t
from bot.models import Enrichment, Paper
from bot.render.limits import BUTTON_URL_LIMIT
from bot.render.summary import fit_summary, format_summary
from bot.render.text import embed_url, sanitize, shorten

ABSTRACT_SHARE: Final = 1500  # at most this much of a card with a summary goes to the abstract
_GAP = "\n\n"
_SPACES = re.compile(r"\s+")
# A summary's `- ***Abstract***:` part as format_summary shows it: a day built from Hugging
# Face summarizes papers by their abstract (bot/huggingface/write.py), not to be shown twice.
_ABSTRACT_PART = "**Abstract**"


def link_url(url: str | None) -> str | None:
    """`url` as a link button may carry it: https only, and as Discord takes it (embed_url
    within a button's 512 characters); else None."""
    found = embed_url(url, BUTTON_URL_LIMIT)
    return found if found is not None and found.lower().startswith("https://") else None


def _abstract(enrichment: Enrichment | None) -> str:
    """The abstract as plain text in markdown: one paragraph, mentions defused."""
    if enrichment is None or not enrichment.abstract:
        return ""
    flat = _SPACES.sub(" ", sanitize(enrichment.abstract)).strip()
    return discord.utils.escape_markdown(flat)


def _fitted(text: str, limit: int, url: str, locale: str) -> str:
    """`text` within `limit`; when cut, ending `… [Read the abstract](url)`."""
    if len(text) <= limit:
        return text
    tail = f"… [{_t(locale, 'read_abstract')}]({url})"
    if limit - len(tail) < 20:
        return shorten(text, limit).rstrip("\\")
    return shorten(text, limit - len(tail), suffix="").rstrip(" \\") + tail


def card_description(
    paper: Paper, enrichment: Enrichment | None, room: int, *, locale: str = "en"
) -> str:
    """The card's description within `room`: the summary, then the abstract under its own
    heading (a share of the room, more when the summary is short); the abstract alone when
    the digest has no summary; the summary alone when there is no abstract, or when the
    summary has an Abstract part already (a built day's English summary)."""
    abstract = _abstract(enrichment)
    url = paper.abs_url
    summary = format_summary(paper.summary)
    if not abstract or _ABSTRACT_PART in summary.split("\n"):  # a built day's summary has it
        return fit_summary(paper.summary, room, url=url, locale=locale)
    heading = f"**{_t(locale, 'abstract')}**\n"
    if not summary:
        return heading + _fitted(abstract, room - len(heading), url, locale)
    left = room - len(heading) - len(_GAP)
    share = max(min(ABSTRACT_SHARE, left // 3), left - len(summary))
    block = heading + _fitted(abstract, min(share, len(abstract)), url, locale)
    rest = room - len(block) - len(_GAP)
    return fit_summary(paper.summary, rest, url=url, locale=locale) + _GAP + block


def add_fields(embed: discord.Embed, enrichment: Enrichment | None, *, locale: str) -> None:
    """Current upvotes on Hugging Face, and GitHub stars where a repository is known."""
    if enrichment is None or not enrichment.found:
        return
    if enrichment.upvotes is not None:
        embed.add_field(name=_t(locale, "hf_upvotes"), value=f"{enrichment.upvotes:,}")
    if enrichment.github_repo and enrichment.github_stars is not None:
        embed.add_field(name=_t(locale, "github_stars"), value=f"⭐ {enrichment.github_stars:,}")


def links(enrichment: Enrichment | None, *, locale: str) -> list[tuple[str, str]]:
    """(label, url) of the Code and Project buttons whose URLs Discord takes, https only."""
    if enrichment is None:
        return []
    found = []
    for key, url in (("code", enrichment.github_repo), ("project", enrichment.project_page)):
        if (checked := link_url(url)) is not None:
            found.append((_t(locale, key), checked))
    return found
