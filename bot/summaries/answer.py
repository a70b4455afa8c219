"""A model's answer -> three Korean bullets, or why not (pure; never raises).

The answer should be the source project's three bullets (`- ***What's New***: ...`), but
models wrap them in code fences, add a preamble, use headings, bold the colon or think out
loud first. Whatever the form, only the three sections are kept, each flattened to one line
of plain text: nothing in it can start a digest heading or field line, ping anyone or leave
markdown open in an embed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SECTIONS = ("What's New", "Technical Details", "Performance Highlights")
MAX_SECTION_CHARS = 700  # the source project's longest bullets are ~600 characters
MAX_ANSWER_CHARS = 20_000  # an answer longer than this is not three bullets

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# A label line: optional bullet or heading marks, optional emphasis, the label, a colon
# (inside or outside the emphasis) or the end of a heading, then the text.
_LABEL = re.compile(
    r"^\s{0,3}(?:[-*+•]\s+|#{1,6}\s*|\d+[.)]\s+)?[*_]{0,3}\s*"
    r"(what'?s\s+new|technical\s+details|performance\s+highlights"
    r"|새로운\s*(?:점|내용)|기술(?:적)?\s*세부\s*사항|성능\s*하이라이트)"
    r"\s*[*_]{0,3}\s*(?:[:：]\s*[*_]{0,3}|$)\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>")
_MASS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_MARKS = re.compile(r"\*+|_{2,}|~~|\|\||`+|^#+\s*|^>\s*|^[-+•]\s+")
_SPACE = re.compile(r"\s+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True, slots=True)
class KoreanSummary:
    """The three sections of one paper's summary, each one line of plain text."""

    whats_new: str
    technical_details: str
    performance_highlights: str

    def bullets(self) -> tuple[str, str, str]:
        """The texts of the digest's three bullets, as the source project labels them."""
        new, details, highlights = SECTIONS
        return (
            f"***{new}***: {self.whats_new}",
            f"***{details}***: {self.technical_details}",
            f"***{highlights}***: {self.performance_highlights}",
        )

    def markdown(self) -> str:
        """The summary as a digest writes it: `- ***What's New***: ...`, one line each."""
        return "\n".join(f"- {bullet}" for bullet in self.bullets())


def parse_answer(text: str) -> KoreanSummary | str:
    """The summary in a model's answer, or why it is not one (a short reason)."""
    if len(text) > MAX_ANSWER_CHARS:
        return f"answer is {len(text)} characters, over {MAX_ANSWER_CHARS}"
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _THINK.sub("", text).split("\n"):
        if line.strip().startswith(("```", "~~~")):
            continue  # fences around the answer
        m = _LABEL.match(line.translate(_APOSTROPHES))
        if m is not None:
            name = _section(m.group(1))
            if name in found:  # a second What's New: the model started over or rambled on
                current = None
                continue
            current = found[name] = [line[m.start("text") :]]  # same length once translated
        elif current is not None:
            current.append(line)
    joined = {name: " ".join(filter(None, map(_clean, lines))) for name, lines in found.items()}
    missing = [name for name in SECTIONS if not joined.get(name)]
    if missing:
        return f"no {', '.join(missing)} in the answer"
    texts = [_bound(joined[name]) for name in SECTIONS]
    not_korean = [name for name, t in zip(SECTIONS, texts, strict=True) if not _HANGUL.search(t)]
    if not_korean:
        return f"{', '.join(not_korean)} not in Korean"
    return KoreanSummary(*texts)


def _section(label: str) -> str:
    key = "".join(label.lower().replace("'", "").split())
    if key in ("whatsnew", "새로운점", "새로운내용"):
        return SECTIONS[0]
    if key.startswith(("technical", "기술")):
        return SECTIONS[1]
    return SECTIONS[2]


def _clean(text: str) -> str:
    """One line of plain text: no mentions, links, images, tags, emphasis or control marks."""
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _MENTION.sub("", _TAG.sub("", text))
    text = _MASS.sub(r"\1", text)
    text = _SPACE.sub(" ", text).strip()
    while True:  # marks at the start come back into view once the ones before go
        cleaned = _MARKS.sub("", text).strip()
        if cleaned == text:
            return text.lstrip(":：").strip()
        text = cleaned


def _bound(text: str) -> str:
    """`text` within MAX_SECTION_CHARS, cut after a sentence where one ends late enough."""
    if len(text) <= MAX_SECTION_CHARS:
        return text
    head = text[: MAX_SECTION_CHARS - 1]
    end = max(head.rfind(". "), head.rfind("。"))
    if end >= MAX_SECTION_CHARS // 2:
        return head[: end + 1].rstrip()
    space = head.rfind(" ")
    return (head[:space] if space >= MAX_SECTION_CHARS // 2 else head).rstrip() + "…"
