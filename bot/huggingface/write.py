"""A day of Hugging Face papers written as a digest in the published markdown format (pure).

What it writes is what the source project published, so the parser, the store and every
command take it unchanged and an operator can publish the folder:

    <!-- papers-bot: built from Hugging Face Daily Papers ... -->
    ## Daily Papers (2025-05-12)

    ### [Title](https://arxiv.org/abs/2505.01234)

    ![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2505.01234.png)

    Vote: 12

    Authors: Ada Lovelace, Alan Turing

    *(English)*
    - ***AI Summary***: Hugging Face's one-line summary.
    - ***Abstract***:
    - The abstract, one sentence a bullet.

Papers are sorted by upvotes, most first, as the project did (ties keep the API's order).
The first line marks the file as built (`ParseResult.built`), which ranks it after any Korean digest
of the same day (bot/store/holdings.py), and says whether Hugging Face's day was complete when
it was fetched (`ParseResult.complete`: a post waits for a complete one). Without Korean
bullets for a paper its summary is English and says so on its first line (`ENGLISH_MARK`);
`korean` maps arXiv ids to Korean bullets that replace them. Text from the API can hold
anything: every piece is put on one line, where nothing in it can start a heading, a field
or a code fence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.digest.parse import BUILT_MARK, COMPLETE_TAIL
from bot.huggingface.models import HfPaper

ENGLISH_MARK = "*(English)*"  # the first line of a summary that is not in Korean
BULLET_CHARS = 400  # one sentence bullet at most (cut at a word, with …)
SUMMARY_CHARS = 2000  # all bullets of a paper: /paper's embed (4096) shows it whole
AI_LABEL, ABSTRACT_LABEL = "***AI Summary***:", "***Abstract***:"

_SPACE = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]+")
# A sentence ends at . ! or ? before a space and a capital, digit, quote or bracket, but not
# after a common abbreviation (e.g., i.e., et al., Fig., ...).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|et al|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|No|approx|resp|Dr|Mr|Ms|St)\.$"
)
_URL_ESCAPES = {
    " ": "%20", "(": "%28", ")": "%29", "[": "%5B", "]": "%5D", "<": "%3C", ">": "%3E", '"': "%22"
}  # fmt: skip
_VIDEO = (".mp4", ".webm", ".mov", ".m4v")


def day_path(folder: Path, day: dt.date) -> Path:
    """Where a built day lives: the project's `YYYY/MM/DD.md` layout."""
    return folder / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.md"


def one_line(text: str) -> str:
    """`text` with every run of whitespace and control characters made one space."""
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word and ended with … when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def sentences(text: str) -> list[str]:
    """The sentences of an English abstract, in order."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(one_line(text)):
        if out and _ABBREVIATIONS.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece:
            out.append(piece)
    return out


def english_bullets(paper: HfPaper) -> list[str]:
    """The default summary of a built paper: the English marker, Hugging Face's AI summary
    where given, then the abstract a sentence a bullet, within SUMMARY_CHARS."""
    bullets = [ENGLISH_MARK]
    if paper.ai_summary:
        bullets.append(f"{AI_LABEL} {shorten(one_line(paper.ai_summary), BULLET_CHARS)}")
    abstract = sentences(paper.abstract or "")
    if abstract:
        bullets.append(ABSTRACT_LABEL)
        used = sum(len(b) + 3 for b in bullets)
        for sentence in abstract:
            bullet = shorten(sentence, BULLET_CHARS)
            if used + len(bullet) + 3 > SUMMARY_CHARS:
                bullets.append("…")
                break
            bullets.append(bullet)
            used += len(bullet) + 3
    return bullets


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a `![](...)` line (spaces, brackets, quotes %-escaped)."""
    if not url:
        return None
    url = one_line(url)
    if not url.lower().startswith(("http://", "https://")):
        return None
    return "".join(_URL_ESCAPES.get(c, c) for c in url)


def _authors(names: Sequence[str]) -> str:
    """The Authors value: `a, b, c`, or a list literal when a name would not survive that."""
    names = [one_line(n) for n in names if one_line(n)]
    joined = ", ".join(names)
    if any("," in n for n in names) or (joined.startswith("[") and joined.endswith("]")):
        return repr(names)
    return joined


def _thumbnail(url: str) -> list[str]:
    if url.lower().endswith(_VIDEO):
        return [
            f"[Watch Video]({url})",
            f'<div><video controls src="{url}" muted="false"></video></div>',
        ]
    return [f"![]({url})"]


def write_entry(paper: HfPaper, bullets: Sequence[str]) -> list[str]:
    """The lines of one paper: heading, thumbnail, Vote, Authors, summary bullets."""
    title = one_line(paper.title or "") or paper.arxiv_id
    lines = [f"### [{title}](https://arxiv.org/abs/{paper.arxiv_id})", ""]
    thumbnail = safe_url(paper.thumbnail)
    if thumbnail:
        lines += [*_thumbnail(thumbnail), ""]
    votes = "-" if paper.upvotes is None else str(paper.upvotes)
    lines += [f"Vote: {votes}", "", f"Authors: {_authors(paper.authors)}", ""]
    lines += [_bullet(text) for text in (one_line(b) for b in bullets) if text]
    return [*lines, ""]


def _bullet(text: str) -> str:
    """A summary line: `- text`; the English mark stands alone, above the bullets."""
    return text if text == ENGLISH_MARK else f"- {text}"


def by_upvotes(papers: Sequence[HfPaper]) -> list[HfPaper]:
    """Most upvoted first (as the source project sorted), ties in the API's order, each
    paper once."""
    unique: dict[str, HfPaper] = {}
    for paper in papers:
        unique.setdefault(paper.arxiv_id, paper)
    return sorted(unique.values(), key=lambda p: -(p.upvotes or 0))


def write_day(
    day: dt.date,
    papers: Sequence[HfPaper],
    korean: Mapping[str, Sequence[str]] | None = None,
    *,
    api_base: str = "https://huggingface.co",
    complete: bool = False,
) -> str:
    """The digest of `day`: its papers by upvotes, each with its Korean bullets from
    `korean` (arXiv id -> bullets) where given, else the English default; `complete`: the
    answer was fetched once the day was complete (the first line says so)."""
    korean = korean or {}
    origin = one_line(api_base).rstrip("/").replace("--", "%2D%2D")
    tail = COMPLETE_TAIL if complete else "; a Korean digest of the same day takes precedence -->"
    lines = [
        f"{BUILT_MARK} ({origin}/api/daily_papers?date={day.isoformat()}){tail}",
        "",
        f"## Daily Papers ({day.isoformat()})",
        "",
    ]
    for paper in by_upvotes(papers):
        own = [b for b in korean.get(paper.arxiv_id, ()) if one_line(b)]
        lines += write_entry(paper, own or english_bullets(paper))
    return "\n".join(lines)
