"""Text safe to show: cut at word boundaries, mentions defused, markdown closed, URLs as
Discord takes them."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

import discord

from bot.render.limits import EMBED_URL_LIMIT

_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_OPEN_LINK = re.compile(r"\[[^\]\n]*(?:\]\([^)\n]*)?$")
_PAIRED = ("**", "__", "~~", "||", "`")
_URL_UNSAFE = {" ": "%20", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29"}
_URL_KEPT = "!#$%&'()*+,-./:;=?@[]~_"  # left as they are; other non-alphanumerics are escaped
# a dotted host name: Discord is known to refuse hosts without one (http://bugsink:8000)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$")


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


def link_text(text: str) -> str:
    """Text safe inside `[...]` of a markdown link."""
    return discord.utils.escape_markdown(text).replace("]", "\\]")


def safe_url(url: str) -> str:
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


def close_markdown(text: str) -> str:
    """A cut piece of markdown with a dangling link dropped and open emphasis closed."""
    text = _OPEN_LINK.sub("", text).rstrip("*_~|` \n")
    for mark in _PAIRED:
        if text.count(mark) % 2:
            text += mark
    return text


def md_shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = close_markdown(shorten(text, limit - 10, suffix=""))
    return cut + "…" if cut and len(cut) < limit else shorten(text, limit)
