"""Pure rendering: papers in, `discord.Embed`s and message strings out (no I/O, no API calls).

Every function keeps Discord's limits whatever the data; the real protection against pings
is `AllowedMentions.none()` on send, `sanitize` is only a second line of defence.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import quote, urlsplit

import discord

from bot.i18n_text import text as _t
from bot.models import Paper

TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELD_COUNT_LIMIT: Final = 25
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FOOTER_LIMIT: Final = 2048
AUTHOR_NAME_LIMIT: Final = 256
EMBED_TOTAL_LIMIT: Final = 6000
EMBEDS_PER_MESSAGE: Final = 10
CONTENT_LIMIT: Final = 2000
EMBED_URL_LIMIT: Final = 2048  # embed url, image and thumbnail urls
BUTTON_URL_LIMIT: Final = 512  # a link button's url

BRIEF_CHARS: Final = 500  # summary lead of a brief embed
TITLE_IN_TEXT: Final = 300  # paper titles inside message content
COLOR: Final = 0xFFD21E  # Hugging Face yellow

_VIDEO_EXT = (".mp4", ".webm", ".mov", ".m4v")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LABEL = re.compile(r"^[-*+]\s+\*{2,3}([^*\n]{1,60}?)(?::\*{2,3}|\*{2,3}\s*:)\s*(.*)$")
_HEADING = re.compile(r"^\*\*[^*\n]+\*\*$")
_HTML_LINE = re.compile(r"^\s*</?(?:div|video|source|img|br|p)\b.*$", re.IGNORECASE)
_OPEN_LINK = re.compile(r"\[[^\]\n]*(?:\]\([^)\n]*)?$")
_PAIRED = ("**", "__", "~~", "||", "`")
_URL_UNSAFE = {" ": "%20", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29"}
_URL_KEPT = "!#$%&'()*+,-./:;=?@[]~_"  # left as they are; other non-alphanumerics are escaped
# a dotted host name: Discord is known to refuse hosts without one (http://bugsink:8000)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$")


# --- text -------------------------------------------------------------------------------


def _splits_cluster(text: str, i: int) -> bool:
    """Whether cutting `text` before index `i` splits a character from its marks/joiners."""
    if i <= 0 or i >= len(text):
        return False
    nxt, prev = text[i], text[i - 1]
    return (
        unicodedata.category(nxt).startswith("M")
        or nxt in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= nxt <= "\U0001f3ff"
        or prev == "\u200d"
        or "\ud800" <= prev <= "\udbff"
    )


def _clean_cut(text: str, n: int) -> str:
    n = max(n, 0)
    while n > 0 and _splits_cluster(text, n):
        n -= 1
    return text[:n]


def shorten(text: str, limit: int, *, suffix: str = "…") -> str:
    """`text` cut to at most `limit` chars at a word boundary (hard cut for unbroken text)."""
    if len(text) <= limit:
        return text
    if limit <= len(suffix):
        return _clean_cut(text, limit)
    room = limit - len(suffix)
    cut = _clean_cut(text, room)
    if not text[len(cut)].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space >= room * 2 // 3:
            cut = cut[:space]
    return cut.rstrip(" \n,;:") + suffix


def sanitize(text: str) -> str:
    """Control characters dropped (tabs become spaces), `@everyone`/`@here` defused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _MASS_MENTION.sub("@\u200b\\1", _CONTROL.sub("", text))


def _link_text(text: str) -> str:
    """Text safe inside `[...]` of a markdown link."""
    return discord.utils.escape_markdown(text).replace("]", "\\]")


def _safe_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in sanitize(url).strip())


def embed_url(url: str | None, limit: int = EMBED_URL_LIMIT) -> str | None:
    """`url` as Discord takes it in an embed (or, with `limit=BUTTON_URL_LIMIT`, a link
    button), else None: an absolute http(s) URL with a dotted host name (or an IPv6
    literal), within `limit` once what a URL cannot hold as it is (spaces, non-ASCII,
    quotes) is %-escaped.

    Discord refuses the whole message (400, 50035) for one malformed, non-http(s) or too
    long embed URL, so a digest's thumbnail that is any of these is left out instead.
    """
    if not url:
        return None
    url = quote(url.strip(), safe=_URL_KEPT)
    if len(url) > limit:
        return None
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if not (_HOST.match(host) or (host.count(":") >= 2 and "%" not in host)):  # IPv6 literal
        return None
    return url


def _close_markdown(text: str) -> str:
    """A cut piece of markdown with a dangling link dropped and open emphasis closed."""
    text = _OPEN_LINK.sub("", text).rstrip("*_~|` \n")
    for mark in _PAIRED:
        if text.count(mark) % 2:
            text += mark
    return text


def _md_shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = _close_markdown(shorten(text, limit - 10, suffix=""))
    return cut + "…" if cut and len(cut) < limit else shorten(text, limit)


# --- summaries ----------------------------------------------------------------------------


def format_summary(summary: str) -> str:
    """`- **What's New**: text` -> a `**What's New**` line then the text; the rest kept."""
    out: list[str] = []
    for raw in sanitize(summary).split("\n"):
        line = raw.rstrip()
        if _HTML_LINE.match(line):
            continue
        if m := _LABEL.match(line):
            if out and out[-1]:
                out.append("")
            out.append(f"**{m.group(1).strip()}**")
            line = m.group(2)
            if not line:
                continue
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def _cut_markdown(text: str, room: int) -> str:
    """Whole lines of `text` within `room`, then a word-cut piece of the next one."""
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        sep = 1 if kept else 0
        if used + sep + len(line) > room:
            left = room - used - sep
            if left >= min(80, room // 2):
                kept.append(_close_markdown(shorten(line, left - 10, suffix="")))
            break
        kept.append(line)
        used += sep + len(line)
    while kept and (not kept[-1].strip() or _HEADING.match(kept[-1])):
        kept.pop()
    return "\n".join(kept) or _close_markdown(shorten(text, room - 10, suffix=""))


def fit_summary(summary: str, limit: int, *, url: str, locale: str = "en") -> str:
    """The formatted summary within `limit`; when cut, ends `… [Read the full summary](url)`."""
    body = format_summary(summary) or _t(locale, "no_summary")
    if len(body) <= limit:
        return body
    tail = f"… [{_t(locale, 'read_full')}]({url})"
    room = limit - len(tail) - 1
    if room < 20:
        return _md_shorten(body, limit)
    return f"{_cut_markdown(body, room)}\n{tail}".lstrip("\n")


def _lead(summary: str, limit: int, locale: str) -> str | None:
    """The What's New part of a structured summary (else its start), within `limit`."""
    lines = format_summary(summary).split("\n")
    if _HEADING.match(lines[0]):
        end = next((i for i, ln in enumerate(lines[1:], 1) if _HEADING.match(ln)), len(lines))
        lines = lines[1:end]
    body = "\n".join(lines).strip() or _t(locale, "no_summary")
    if limit < 2:
        return None
    return body if len(body) <= limit else _cut_markdown(body, limit - 1) + "…"


# --- pieces -------------------------------------------------------------------------------


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


def _votes(votes: int | None) -> str:
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
        value = f"[{_t(locale, 'watch_video')}]({_safe_url(url)})"
        if len(value) <= FIELD_VALUE_LIMIT:
            embed.add_field(name=_t(locale, "video"), value=value, inline=False)
    elif small:
        embed.set_thumbnail(url=url)
    else:
        embed.set_image(url=url)


# --- embeds -------------------------------------------------------------------------------


def paper_embed(paper: Paper, *, locale: str = "en") -> discord.Embed:
    """The full card of one paper, within every embed limit."""
    title = shorten(sanitize(paper.title), TITLE_LIMIT)
    embed = discord.Embed(title=title, url=embed_url(paper.abs_url), color=COLOR)
    authors = format_authors(paper.authors, locale=locale)
    embed.add_field(name=_t(locale, "authors"), value=authors, inline=False)
    embed.add_field(name=_t(locale, "votes"), value=_votes(paper.votes), inline=True)
    embed.add_field(name=_t(locale, "featured"), value=_dates(paper.dates), inline=True)
    embed.add_field(name=_t(locale, "links"), value=_links(paper, locale), inline=False)
    _attach_media(embed, paper.thumbnail, locale, small=False)
    embed.set_footer(text=shorten(f"arXiv:{paper.arxiv_id}", FOOTER_LIMIT))
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(embed))
    embed.description = fit_summary(paper.summary, room, url=paper.abs_url, locale=locale)
    return fit_embed(embed)


def paper_brief(
    paper: Paper, index: int | None = None, locale: str = "en", *, max_chars: int = BRIEF_CHARS
) -> discord.Embed:
    """A compact card for lists: title, the summary's lead, votes and a few authors."""
    title = sanitize(paper.title) if index is None else f"{index}. {sanitize(paper.title)}"
    description = _lead(paper.summary, max_chars, locale)
    embed = discord.Embed(
        title=shorten(title, TITLE_LIMIT),
        url=embed_url(paper.abs_url),
        description=description,
        color=COLOR,
    )
    _attach_media(embed, paper.thumbnail, locale, small=True)
    authors = format_authors(paper.authors, 200, locale=locale, max_names=3, markdown=False)
    embed.set_footer(text=f"👍 {_votes(paper.votes)} · {authors} · arXiv:{paper.arxiv_id}")
    return fit_embed(embed)


def _size(data: dict[str, Any]) -> int:
    """`len(embed)` of an embed's dict: the characters Discord counts towards 6000."""
    fields = data.get("fields", [])
    parts = [data.get("title"), data.get("description"), data.get("footer", {}).get("text")]
    parts.append(data.get("author", {}).get("name"))
    return sum(len(p or "") for p in parts) + sum(len(f["name"]) + len(f["value"]) for f in fields)


def _parts(data: dict[str, Any]) -> list[tuple[dict[str, Any], str, int, int]]:
    """(container, key, per-part limit, floor), in the order they give way when too long."""
    fields = data.get("fields", [])
    parts = [(data, "description", DESCRIPTION_LIMIT, 0)]
    parts += [(f, "value", FIELD_VALUE_LIMIT, 1) for f in reversed(fields)]
    parts += [(data.get("footer", {}), "text", FOOTER_LIMIT, 0)]
    parts += [(f, "name", FIELD_NAME_LIMIT, 1) for f in reversed(fields)]
    parts += [(data.get("author", {}), "name", AUTHOR_NAME_LIMIT, 1)]
    return [*parts, (data, "title", TITLE_LIMIT, 0)]


def fit_embed(embed: discord.Embed, limit: int = EMBED_TOTAL_LIMIT) -> discord.Embed:
    """`embed` itself when within every limit and `limit` total, else a shrunk copy."""
    data: dict[str, Any] = copy.deepcopy(dict(embed.to_dict()))
    if len(data.get("fields", [])) > FIELD_COUNT_LIMIT:
        data["fields"] = data["fields"][:FIELD_COUNT_LIMIT]
    for box, key, part_limit, floor in _parts(data):
        value = str(box.get(key) or "")
        excess = max(len(value) - part_limit, _size(data) - limit)
        if value and excess > 0:
            box[key] = _md_shorten(value, max(floor, len(value) - excess))
    while _size(data) > limit and data.get("fields"):
        data["fields"].pop()
    if data == dict(embed.to_dict()):
        return embed
    for key in ("title", "description"):
        if not data.get(key):
            data.pop(key, None)
    if not data.get("footer", {}).get("text"):
        data.pop("footer", None)
    return discord.Embed.from_dict(data)


def pack_embeds(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds in order, greedily grouped into messages of <= 10 embeds and <= 6000 chars."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    total = 0
    for embed in map(fit_embed, embeds):
        size = len(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_LIMIT):
            messages.append(current)
            current, total = [], 0
        current.append(embed)
        total += size
    if current:
        messages.append(current)
    return messages


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


# --- message content ------------------------------------------------------------------------


def _count(count: int, locale: str) -> str:
    return _t(locale, "paper_count_one") if count == 1 else _t(locale, "paper_count", count=count)


def _source(source_url: str | None, locale: str) -> str:
    url = _safe_url(source_url or "")
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        return ""
    return f" · [{_t(locale, 'source')}](<{url}>)"


def _split_lines(lines: Sequence[str], limit: int = CONTENT_LIMIT) -> list[str]:
    """Lines joined into as few messages as possible, each <= `limit`, cut only between lines."""
    chunks: list[str] = []
    current = ""
    for line in (shorten(ln, limit) for ln in lines):
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


def _compact_line(number: int, paper: Paper) -> str:
    title = _link_text(shorten(sanitize(paper.title), TITLE_IN_TEXT))
    return f"{number}. [{title}](<{paper.abs_url}>) — 👍 {_votes(paper.votes)}"


def compact_digest(
    day: dt.date, papers: Sequence[Paper], *, source_url: str | None, locale: str = "en"
) -> list[str]:
    """The day's papers, one `1. [Title](<abs>) — 👍 42` line each, split into <= 2000 messages."""
    title = _t(locale, "daily_title", day=day.isoformat())
    header = f"**{title}** · {_count(len(papers), locale)}{_source(source_url, locale)}"
    lines = [_compact_line(i, p) for i, p in enumerate(papers, 1)]
    return _split_lines([header, *(lines or [_t(locale, "no_papers")])])


def digest_header(day: dt.date, count: int, *, source_url: str | None, locale: str = "en") -> str:
    """The message opening a daily post: day, number of papers, link to the source digest."""
    title = _t(locale, "daily_title", day=day.isoformat())
    info = f"{_count(count, locale)}{_source(source_url, locale)}".removeprefix(" · ")
    return shorten(f"## 📚 {title}\n{info}", CONTENT_LIMIT)
