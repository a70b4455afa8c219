"""Digest summaries: their labelled parts as headings, fitted to a room, or their lead."""

from __future__ import annotations

import re

from bot.i18n_text import text as _t
from bot.render.text import close_markdown, md_shorten, sanitize, shorten

_LABEL = re.compile(r"^[-*+]\s+\*{2,3}([^*\n]{1,60}?)(?::\*{2,3}|\*{2,3}\s*:)\s*(.*)$")
_HEADING = re.compile(r"^\*\*[^*\n]+\*\*$")
_HTML_LINE = re.compile(r"^\s*</?(?:div|video|source|img|br|p)\b.*$", re.IGNORECASE)


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
                kept.append(close_markdown(shorten(line, left - 10, suffix="")))
            break
        kept.append(line)
        used += sep + len(line)
    while kept and (not kept[-1].strip() or _HEADING.match(kept[-1])):
        kept.pop()
    return "\n".join(kept) or close_markdown(shorten(text, room - 10, suffix=""))


def fit_summary(summary: str, limit: int, *, url: str, locale: str = "en") -> str:
    """The formatted summary within `limit`; when cut, ends `… [Read the full summary](url)`."""
    body = format_summary(summary) or _t(locale, "no_summary")
    if len(body) <= limit:
        return body
    tail = f"… [{_t(locale, 'read_full')}]({url})"
    room = limit - len(tail) - 1
    if room < 20:
        return md_shorten(body, limit)
    return f"{_cut_markdown(body, room)}\n{tail}".lstrip("\n")


def lead(summary: str, limit: int, locale: str) -> str | None:
    """The What's New part of a structured summary (else its start), within `limit`."""
    lines = format_summary(summary).split("\n")
    if _HEADING.match(lines[0]):
        end = next((i for i, ln in enumerate(lines[1:], 1) if _HEADING.match(ln)), len(lines))
        lines = lines[1:end]
    body = "\n".join(lines).strip() or _t(locale, "no_summary")
    if limit < 2:
        return None
    return body if len(body) <= limit else _cut_markdown(body, limit - 1) + "…"
