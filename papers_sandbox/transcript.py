"""Printing what happened in the sandbox as a readable chat transcript."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

from papers_sandbox.files import SentFile

Json = dict[str, Any]
FileLookup = Callable[[Json], list[SentFile]]
DESCRIPTION_LINES = 6
FILE_LINES = 5


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 110))


def _wrap(text: str, indent: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, _width() - len(indent)) or [""])
    return [indent + line for line in out]


def embed_block(embed: Json, indent: str = "  │ ") -> list[str]:
    """An embed as a text box: title, link, the first lines of the description, fields."""
    lines: list[str] = []
    if embed.get("title"):
        lines.append(f"{indent}▌ {embed['title']}")
    if embed.get("url"):
        lines.append(f"{indent}  {embed['url']}")
    description = str(embed.get("description") or "")
    if description:
        shown = _wrap(description, indent + "  ")
        lines.extend(shown[:DESCRIPTION_LINES])
        if len(shown) > DESCRIPTION_LINES:
            lines.append(f"{indent}  … ({len(description)} characters in all)")
    for field in embed.get("fields") or []:
        value = " ".join(str(field.get("value", "")).split())
        lines.extend(_wrap(f"{field.get('name')}: {value}", indent + "  ")[:2])
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.extend(_wrap(footer, indent + "  ")[:1])
    return lines


def components_line(components: Iterable[Json]) -> str | None:
    labels = []
    for row in components:
        for item in row.get("components") or []:
            label = item.get("label") or item.get("placeholder") or item.get("custom_id") or ""
            emoji = (item.get("emoji") or {}).get("name") or ""
            state = " (disabled)" if item.get("disabled") else ""
            labels.append(f"[{(emoji + ' ' + label).strip()}{state}]")
    return "  " + " ".join(labels) if labels else None


def file_block(attachment: Json, opened: SentFile | None, indent: str = "  ") -> list[str]:
    """An attachment: its name and size, then the first lines of a text file."""
    size = int(attachment.get("size") or 0)
    lines = [f"{indent}📎 {attachment.get('filename')} ({size:,} bytes)"]
    if opened is None or not (opened.content_type or "").startswith("text/"):
        return lines
    head = opened.text.splitlines()
    lines.extend(f"{indent}  │ {line}" for line in head[:FILE_LINES])
    if len(head) > FILE_LINES:
        lines.append(f"{indent}  │ … ({len(head)} lines in all)")
    return lines


def message_lines(message: Json, who: str, files: FileLookup | None = None) -> list[str]:
    ephemeral = " (only they see this)" if int(message.get("flags") or 0) & 64 else ""
    lines = [f"{who}{ephemeral}:"]
    content = str(message.get("content") or "")
    if content:
        lines.extend(_wrap(content, "  "))
    for embed in message.get("embeds") or []:
        lines.extend(embed_block(embed))
    opened = {f.attachment["id"]: f for f in files(message)} if files is not None else {}
    for attachment in message.get("attachments") or []:
        lines.extend(file_block(attachment, opened.get(attachment["id"])))
    extra = components_line(message.get("components") or [])
    if extra:
        lines.append(extra)
    return lines


_CHANNEL = re.compile(r"<#(\d+)>")
_TIME = re.compile(r"<t:(\d+)(?::[tTdDfFR])?>")


def readable(text: str, channel_names: Mapping[int, str], tz: dt.tzinfo) -> str:
    """Channel mentions and timestamps as a Discord client would show them."""
    text = _CHANNEL.sub(lambda m: "#" + channel_names.get(int(m.group(1)), m.group(1)), text)
    return _TIME.sub(
        lambda m: dt.datetime.fromtimestamp(int(m.group(1)), tz).strftime("%Y-%m-%d %H:%M %Z"), text
    )


class Transcript:
    """Writes scene steps and messages to a stream as they happen."""

    def __init__(
        self,
        out: TextIO,
        channel_names: Mapping[int, str] | None = None,
        tz: dt.tzinfo = dt.UTC,
        files: FileLookup | None = None,
    ) -> None:
        self.out = out
        self.channel_names: Mapping[int, str] = channel_names or {}
        self.tz = tz
        self.files = files  # e.g. SandboxServer.files: attachments shown with first lines

    def say(self, text: str = "") -> None:
        self.out.write(readable(text, self.channel_names, self.tz) + "\n")
        self.out.flush()

    def step(self, title: str) -> None:
        self.say(f"\n── {title} " + "─" * max(0, _width() - len(title) - 4))

    def member(self, name: str, command: str) -> None:
        self.say(f"{name} › {command}")

    def message(self, message: Json, who: str = "papers-bot") -> None:
        self.say("\n".join(message_lines(message, who, self.files)))
