"""Pure: the papers a message mentions (Find papers), and the answer listing them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import discord

from bot import render
from bot.arxiv import find_arxiv_ids
from bot.cards import savable, save_button
from bot.i18n_text import text
from bot.models import Paper

MAX_IDS = 25  # ids of one message looked up; a message naming more is told how many more
_PER_ROW = 5  # buttons in an action row (Discord)


def message_texts(message: discord.Message) -> Iterator[str]:
    """Everything a member reads in a message: its text, its embeds, its link buttons."""
    yield message.content or ""
    for embed in message.embeds:
        yield from (embed.title or "", embed.url or "", embed.description or "")
        yield from (embed.footer.text or "", embed.author.name or "", embed.author.url or "")
        for field in embed.fields:
            yield from (field.name or "", field.value or "")
    for row in message.components:
        for item in getattr(row, "children", ()):
            yield getattr(item, "url", None) or ""


def ids_in(message: discord.Message) -> list[str]:
    """The versionless arXiv ids a message mentions, in order of first mention, once each."""
    found: dict[str, None] = {}
    for part in message_texts(message):
        for arxiv_id in find_arxiv_ids(part):
            found.setdefault(arxiv_id, None)
    return list(found)


@dataclass(frozen=True, slots=True)
class FoundMessage:
    content: str | None
    embeds: list[discord.Embed]
    view: discord.ui.View | None


def answer(ids: Sequence[str], papers: dict[str, Paper], locale: str) -> list[FoundMessage]:
    """The ephemeral messages answering Find papers: the papers the digests hold as
    numbered cards, each with its Save button, then the ids outside the digests with their
    arXiv links. `ids` has been cut to MAX_IDS; `papers` maps those the store holds."""
    known = [papers[i] for i in ids if i in papers]
    outside = [i for i in ids if i not in papers]
    lines = [text(locale, "find_found", papers=_count(locale, len(known)))] if known else []
    if outside:
        lines.append(text(locale, "find_outside"))
        lines += [f"• arXiv:{i} · <https://arxiv.org/abs/{i}>" for i in outside]
    content = render.shorten("\n".join(lines), render.CONTENT_LIMIT) if lines else None
    briefs = [render.paper_brief(p, n, locale) for n, p in enumerate(known, start=1)]
    messages: list[FoundMessage] = []
    number = 1
    for group in render.pack_embeds(briefs) or [[]]:
        cards = known[number - 1 : number - 1 + len(group)]
        view = _save_buttons(cards, number, locale) if cards else None
        messages.append(FoundMessage(None, group, view))
        number += len(group)
    first = messages[0]
    messages[0] = FoundMessage(content, first.embeds, first.view)
    return messages


def _save_buttons(cards: Sequence[Paper], first: int, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for n, paper in enumerate(cards, start=first):
        if not savable(paper.arxiv_id):
            continue
        label = text(locale, "save_n", n=n)
        view.add_item(save_button(paper.arxiv_id, locale, label=label, row=(n - first) // _PER_ROW))
    view.stop()  # only rendered: presses come back through the saved feature's SaveButton
    return view


def _count(locale: str, count: int) -> str:
    if count == 1:
        return text(locale, "paper_count_one")
    return text(locale, "paper_count", count=f"{count:,}")
