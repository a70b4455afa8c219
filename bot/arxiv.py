"""arXiv identifiers: find them in ids and links, drop the version."""

from __future__ import annotations

import re

# New-style ids (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style (hep-th/9901001).
_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z.\-]*/\d{7}"
_ID = rf"(?P<id>{_NEW}|{_OLD})(?:v\d+)?"
_LINK = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/{_ID}(?:\.pdf)?",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^\s*(?:arxiv:)?{_ID}\s*$", re.IGNORECASE)


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
