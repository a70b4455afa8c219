"""arXiv identifiers: find them in ids, links and free text, drop the version."""

from __future__ import annotations

import re

# New-style ids (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style (hep-th/9901001).
_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z.\-]*/\d{7}"
ARXIV_ID = rf"(?:{_NEW}|{_OLD})"  # a versionless id, for patterns elsewhere (custom ids)
_ID = rf"(?P<id>{_NEW}|{_OLD})(?:v\d+)?"
_LINK = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/{_ID}(?:\.pdf)?",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^\s*(?:arxiv:)?{_ID}\s*$", re.IGNORECASE)
# An id in running text: a link, `arXiv:` and an id, or a new-style id standing alone (not
# part of a longer number, a version string or a path). Old-style ids count only after
# `arXiv:` or in a link, where a word/1234567 cannot be something else.
_IN_TEXT = re.compile(
    rf"{_LINK.pattern}"
    rf"|arxiv:\s?{_ID.replace('?P<id>', '?P<tagged>')}"
    rf"|(?<![\w./\-])(?P<bare>\d{{2}}(?:0[1-9]|1[0-2])\.\d{{4,5}})(?:v\d+)?(?![\w.]*\d)(?!/)",
    re.IGNORECASE,
)


def arxiv_id_from_link(url: str) -> str | None:
    """The versionless id in an arXiv abs/pdf or Hugging Face papers link."""
    m = _LINK.search(url)
    return m.group("id").lower() if m else None


def parse_arxiv_id(text: str) -> str | None:
    """The versionless id in a bare id (`2401.12345v2`, `arXiv:2401.12345`) or a link."""
    m = _BARE.match(text)
    if m:
        return m.group("id").lower()
    return arxiv_id_from_link(text.strip())


def find_arxiv_ids(text: str) -> list[str]:
    """Every versionless id in `text` (links, `arXiv:` ids, bare new-style ids), in order of
    first appearance, each once."""
    found: dict[str, None] = {}
    for m in _IN_TEXT.finditer(text):
        value = m.group("id") or m.group("tagged") or m.group("bare")
        found.setdefault(value.lower(), None)
    return list(found)


def published(arxiv_id: str) -> tuple[int, int]:
    """(year, month) an id was issued in: its YYMM (new style from 2007, old style 1991-2007)."""
    digits = arxiv_id.rsplit("/", 1)[-1]
    yy, mm = int(digits[:2]), int(digits[2:4])
    return (1900 + yy if "/" in arxiv_id and yy >= 91 else 2000 + yy), mm
