"""Parsing one markdown digest into sections and entries: pure, no I/O, never raises.

A digest holds one or more `## Daily Papers (YYYY-MM-DD)` sections. Each paper is a
`### [Title](link)` heading followed, in any order, by optional field lines (a thumbnail
image or video, `Vote: N`, `Authors: ...`) and summary lines. Every line under a paper that
is not a field goes into its summary as published, so nothing is lost. Other `#`/`##`
headings end the section; what follows them is not a digest and is ignored.

A digest papers-bot built from Hugging Face's API starts with the line `BUILT_MARK` (an HTML
comment, invisible where the markdown is shown); such a result is `built`, and `complete`
when that line ends with `COMPLETE_TAIL` (fetched once Hugging Face's day was complete).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

from bot.arxiv import arxiv_id_from_link
from bot.models import Entry, ParseResult, Problem, Section

_DAY_HEADING = re.compile(r"daily papers\s*\((?P<inner>[^()]*)\)\s*#*", re.IGNORECASE)
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")
_VOTE = re.compile(r"votes?[ \t]*:(?P<value>.*)", re.IGNORECASE | re.DOTALL)
_AUTHORS = re.compile(r"authors?[ \t]*:(?P<value>.*)", re.IGNORECASE | re.DOTALL)
_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,12}")
_SRC = re.compile(r"""\bsrc[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'?|"((?:[^"\\]|\\.)*)"?|([^,'"]+)""", re.DOTALL)
_FIELD_STARTS = frozenset("!<[VvAa")
_MAX_LITERAL = 100_000  # longer author lists are split by hand, not compiled
BUILT_MARK = "<!-- papers-bot: built from Hugging Face Daily Papers"
COMPLETE_TAIL = (
    "; fetched when the day was complete; a Korean digest of the same day takes precedence -->"
)


@dataclass
class _Draft:
    """An entry being read: its heading, then whatever fields and summary lines follow."""

    arxiv_id: str
    title: str
    url: str
    line: int
    thumbnail: str | None = None
    votes: int | None = None
    authors: tuple[str, ...] = ()
    seen: set[str] = field(default_factory=set)  # "vote" / "authors" once read
    summary: list[str] = field(default_factory=list)
    fence: str | None = None  # the open code fence in the summary, "```" or "~~~"

    def add_summary(self, text: str) -> None:
        if text.strip(" \t"):  # other control characters are content, never blank
            self.summary.append(text)
        elif self.summary and self.summary[-1]:
            self.summary.append("")  # keep one blank line between paragraphs

    def build(self) -> Entry:
        lines = self.summary[:-1] if self.summary and not self.summary[-1] else self.summary
        summary = "\n".join(lines)
        head = (self.arxiv_id, self.title, self.url, self.line)
        return Entry(*head, self.thumbnail, self.votes, self.authors, summary)


@dataclass
class _Open:
    """A `## Daily Papers` section being read."""

    day: dt.date
    line: int
    entries: list[Entry] = field(default_factory=list)
    first_line: dict[str, int] = field(default_factory=dict)  # arXiv id -> heading line


def parse(text: str) -> ParseResult:
    """Sections in file order (same-day sections are not merged) and what could not be read."""
    parser = _Parser()
    lines = _lines(text)
    for number, line in enumerate(lines, start=1):
        parser.feed(number, line)
    result = parser.finish()
    if lines[0].startswith(BUILT_MARK):
        complete = lines[0].rstrip(" \t").endswith(COMPLETE_TAIL)
        return ParseResult(result.sections, result.problems, built=True, complete=complete)
    return result


def _lines(text: str) -> list[str]:
    """Lines split on LF only (so numbers match the file), without BOM, CRs and NULs."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    return [line.rstrip("\r") for line in text.split("\n")]


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading; `###[Title](link)` with no space is taken too."""
    body = line.lstrip(" ")
    if not body.startswith("#") or len(line) - len(body) > 3:
        return None
    level = len(body) - len(body.lstrip("#"))
    rest = body[level:]
    if level > 6 or (rest and rest[0] not in " \t["):
        return None
    return level, rest.strip()


def _day(text: str) -> dt.date | str | None:
    """The day of a `Daily Papers (YYYY-MM-DD)` heading, why it is unreadable, or None."""
    m = _DAY_HEADING.fullmatch(text)
    if m is None:
        return None
    d = _ISO_DAY.fullmatch(m.group("inner"))
    if d is not None:
        try:
            return dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        except ValueError:
            pass
    return f"no valid date in section heading {text[:80]!r}"


def _link(text: str, bang: bool = False) -> tuple[str, str] | None:
    """(label, target) when the whole text is one `[label](target)` (or `![..](..)`) link.

    The target starts at the last `](`, so labels may hold brackets and parentheses.
    """
    start = "![" if bang else "["
    cut = text.rfind("](")
    if cut < len(start) or not text.startswith(start) or not text.endswith(")"):
        return None
    inner = text[cut + 2 : -1].strip()
    if inner.startswith("<") and ">" in inner:
        target = inner[1 : inner.index(">")].strip()
    else:
        target = inner.split(maxsplit=1)[0] if inner else ""
    return text[len(start) : cut], target


def _paper(text: str) -> tuple[str, str, str] | str:
    """(arXiv id, title, url) of a paper heading, or why it is not one."""
    link = _link(text)
    if link is None:
        return f"heading is not a paper: {text[:120]!r}"
    title, url = link
    arxiv_id = arxiv_id_from_link(url)
    if arxiv_id is None:
        return f"no arXiv id in link {url[:120]!r}"
    return arxiv_id, title.strip(), url


def _breaks_fence(level: int, text: str) -> bool:
    """Whether a heading ends an unclosed code fence: a day heading or a paper heading."""
    if level <= 2:
        return _day(text) is not None
    return level == 3 and not isinstance(_paper(text), str)


def _thumbnail_url(body: str) -> str | None:
    """The URL of an image line, a `[Watch Video](..)` line or an HTML `<video src=..>` line."""
    first = body[0]
    if first == "!":
        image = _link(body, bang=True)
        return image[1] or None if image else None
    if first == "[":
        video = _link(body)
        return video[1] or None if video and video[0].strip().lower() == "watch video" else None
    if first == "<" and "<video" in body.lower():
        m = _SRC.search(body)
        src = next((g for g in m.groups() if g is not None), "") if m else ""
        return src.strip() or None
    return None


def _names(value: str) -> tuple[str, ...]:
    """Author names from `a, b, c` or from a list literal `['a', "O'Brien, Jr."]`."""
    names: list[str] | None = None
    if value.startswith("[") and value.endswith("]"):
        names = _literal_names(value)
        if names is None:
            names = _split_quoted(value[1:-1])
    if names is None:
        names = value.split(",")
    return tuple(name.strip() for name in names if name.strip())


def _literal_names(value: str) -> list[str] | None:
    """The strings of a Python list literal, or None when it is not a list of strings."""
    if len(value) > _MAX_LITERAL:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in names are not our warnings
            parsed = ast.literal_eval(value)
    except Exception:  # any unreadable literal (syntax, nesting, encoding) is split by hand
        return None
    if isinstance(parsed, list) and all(isinstance(name, str) for name in parsed):
        return parsed
    return None


def _split_quoted(inner: str) -> list[str]:
    """Names of a broken list literal: quoted strings (commas inside kept) and bare runs."""
    names: list[str] = []
    for m in _QUOTED.finditer(inner):
        single, double, bare = m.groups()
        names.append(next(g for g in (single, double, bare) if g is not None))
    return names


class _Parser:
    """A line-by-line state machine: outside, in a section, in an entry, or skipping."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.problems: list[Problem] = []
        self.section: _Open | None = None
        self.draft: _Draft | None = None
        self.skipping = False  # under a `###` heading that was not taken
        self.stray = False  # inside a run of text already reported as stray

    def feed(self, number: int, line: str) -> None:
        body = line.strip()
        if body.startswith("#") and self._heading_line(number, line):
            return
        if self.draft is not None:
            self._entry_line(self.draft, number, line, body)
        elif self.section is not None and not self.skipping:
            self._on_stray(number, body)

    def finish(self) -> ParseResult:
        self._close_section()
        return ParseResult(tuple(self.sections), tuple(self.problems))

    def _problem(self, number: int, reason: str) -> None:
        self.problems.append(Problem(number, reason))

    def _heading_line(self, number: int, line: str) -> bool:
        """Handle a level 1-3 heading; inside a code fence only a day or paper heading counts."""
        head = _heading(line)
        if head is None or head[0] > 3:
            return False  # `####` and deeper are summary text
        if self.draft is not None and self.draft.fence is not None and not _breaks_fence(*head):
            return False
        self._on_heading(number, *head)
        return True

    def _entry_line(self, draft: _Draft, number: int, line: str, body: str) -> None:
        """A field line, or summary text (code fences are summary text, fields inside too)."""
        if draft.fence is None and body[:1] in _FIELD_STARTS and self._field(draft, number, body):
            return
        draft.add_summary(line)
        if body.startswith(("```", "~~~")):
            if draft.fence is None:
                draft.fence = body[:3]
            elif body.startswith(draft.fence):
                draft.fence = None

    def _on_heading(self, number: int, level: int, text: str) -> None:
        self._close_entry()
        self.skipping = self.stray = False
        if level <= 2:
            self._close_section()
            day = _day(text)
            if isinstance(day, dt.date):
                self.section = _Open(day, number)
            elif day is not None:
                self._problem(number, day)
        else:
            self._on_paper(number, text)

    def _on_paper(self, number: int, text: str) -> None:
        paper = _paper(text)
        if self.section is None:
            if not isinstance(paper, str):
                self._problem(number, f"paper {paper[0]} outside a Daily Papers section")
            return
        if isinstance(paper, str):
            self._problem(number, paper)
            self.skipping = True
            return
        arxiv_id, title, url = paper
        first = self.section.first_line.get(arxiv_id)
        if first is not None:
            self._problem(number, f"duplicate arXiv id {arxiv_id}: first listed on line {first}")
            self.skipping = True
            return
        self.section.first_line[arxiv_id] = number
        self.draft = _Draft(arxiv_id, title, url, number)

    def _on_stray(self, number: int, body: str) -> None:
        """Text in a section before its first paper: reported once per run of lines."""
        if body and not self.stray:
            self._problem(number, f"text outside any paper: {body[:80]!r}")
        self.stray = bool(body)

    def _field(self, draft: _Draft, number: int, body: str) -> bool:
        """Take a thumbnail, `Vote:` or `Authors:` line; False when it is summary text."""
        first = body[0]
        if first in "Vv":
            return self._vote(draft, number, body)
        if first in "Aa":
            return self._authors(draft, number, body)
        url = _thumbnail_url(body)
        if url is None:
            return False
        if draft.thumbnail is None:
            draft.thumbnail = url
        return draft.thumbnail == url  # a second, different thumbnail stays in the summary

    def _vote(self, draft: _Draft, number: int, body: str) -> bool:
        m = _VOTE.fullmatch(body)
        if m is None:
            return False
        value = m.group("value").strip()
        if "vote" in draft.seen:
            self._problem(number, f"second Vote line for {draft.arxiv_id}: {body[:80]!r}")
        elif _COUNT.fullmatch(value):
            draft.votes = int(value.replace(",", ""))
        elif value not in ("", "-"):
            self._problem(number, f"unreadable vote for {draft.arxiv_id}: {value[:40]!r}")
        draft.seen.add("vote")
        return True

    def _authors(self, draft: _Draft, number: int, body: str) -> bool:
        m = _AUTHORS.fullmatch(body)
        if m is None:
            return False
        if "authors" in draft.seen:
            self._problem(number, f"second Authors line for {draft.arxiv_id}: {body[:80]!r}")
        else:
            draft.authors = _names(m.group("value").strip())
        draft.seen.add("authors")
        return True

    def _close_entry(self) -> None:
        if self.draft is not None and self.section is not None:
            self.section.entries.append(self.draft.build())
        self.draft = None

    def _close_section(self) -> None:
        self._close_entry()
        if self.section is not None:
            s = self.section
            self.sections.append(Section(s.day, s.line, tuple(s.entries)))
        self.section = None
