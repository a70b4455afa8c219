"""Pure rendering: papers in, `discord.Embed`s and message strings out (no I/O, no API calls).

Every function keeps Discord's limits whatever the data; the real protection against pings
is `AllowedMentions.none()` on send, `sanitize` is only a second line of defence. Callers use
the names exported here (`from bot import render`; `render.paper_embed(...)`).

limits.py     Discord's limits on embeds, messages and URLs
text.py       text safe to show: cut at word boundaries, mentions defused, markdown, URLs
summary.py    digest summaries: labelled parts as headings, fitted to a room, their lead
embeds.py     embeds shrunk to fit every limit, and packed into messages
cards.py      one paper: the full card (/paper), the brief card of lists, authors, media
lists.py      a page of results: a header and a brief card per paper
daily.py      daily posts' content: the opening header, the compact list of the day's papers
enriched.py   what Hugging Face adds to a card: the abstract, upvotes, stars, Code / Project
"""

from bot.render.cards import BRIEF_CHARS, COLOR, format_authors, is_video, paper_brief, paper_embed
from bot.render.daily import CompactMessage, compact_digest, digest_header
from bot.render.embeds import fit_embed, pack_embeds
from bot.render.enriched import links as enrichment_links
from bot.render.limits import (
    AUTHOR_NAME_LIMIT,
    BUTTON_URL_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBED_URL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from bot.render.lists import result_page
from bot.render.summary import fit_summary, format_summary
from bot.render.text import embed_url, sanitize, shorten

__all__ = [
    "AUTHOR_NAME_LIMIT",
    "BRIEF_CHARS",
    "BUTTON_URL_LIMIT",
    "COLOR",
    "CONTENT_LIMIT",
    "DESCRIPTION_LIMIT",
    "EMBEDS_PER_MESSAGE",
    "EMBED_TOTAL_LIMIT",
    "EMBED_URL_LIMIT",
    "FIELD_COUNT_LIMIT",
    "FIELD_NAME_LIMIT",
    "FIELD_VALUE_LIMIT",
    "FOOTER_LIMIT",
    "TITLE_LIMIT",
    "CompactMessage",
    "compact_digest",
    "digest_header",
    "embed_url",
    "enrichment_links",
    "fit_embed",
    "fit_summary",
    "format_authors",
    "format_summary",
    "is_video",
    "pack_embeds",
    "paper_brief",
    "paper_embed",
    "result_page",
    "sanitize",
    "shorten",
]
