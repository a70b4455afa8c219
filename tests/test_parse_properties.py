"""Properties of the parser: it never raises, and never drops a paper inside a section."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.digest.parse import parse
from bot.models import ParseResult

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "## Daily Papers (2024-01-01)",
    "## Daily Papers (2024-13-45)",
    "# Daily Papers",
    "## License",
    "### [Title](https://arxiv.org/abs/2401.00001)",
    "### [T [x] (y)](https://arxiv.org/pdf/2401.00002v2.pdf)",
    "### [Blog](https://example.org/x)",
    "### no link",
    "###[",
    "### [](",
    "![](https://x.example/a.png)",
    "![](",
    "[Watch Video](https://x.example/v.mp4)",
    '<div><video controls src="https://x.example/v.mp4"></video></div>',
    "<video src=",
    "Vote: 3",
    "Vote: -",
    "Vote: 99999999999999999999999",
    "Authors: a, b",
    "Authors: ['a', \"b, c\"",
    "Authors: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "Authors: ['\\N{nope}']",
    "Authors: [1e999999, 'x']",
    "- ***What's New***: 요약",
    "  - nested",
    "1. numbered",
    "```",
    "~~~",
    "",
    "\t",
    "\x00",
    "\ufeff",
    "\r",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=60
).map(lambda parts: "\n".join(parts))


def check_shape(text: str, result: ParseResult) -> None:
    """Line numbers point into the text; entries sit after their section heading."""
    last = text.count("\n") + 1
    for problem in result.problems:
        assert 1 <= problem.line <= last
    for section in result.sections:
        assert 1 <= section.line <= last
        for entry in section.entries:
            assert section.line < entry.line <= last
            assert entry.arxiv_id == entry.arxiv_id.lower()
            assert "\x00" not in entry.summary
            assert entry.summary == entry.summary.strip("\n")


@SETTINGS
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    check_shape(text, parse(text))


@SETTINGS
@given(markdownish, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_never_raises_on_markdownish_text(text: str, newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + text.replace("\n", newline)
    check_shape(text, parse(text))


# --- generated digests: every paper comes back with its fields --------------------------------

FIELD_LIKE = re.compile(r"(votes?|authors?)\s*:", re.IGNORECASE)
NAME_CHARS = st.characters(
    codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters=",[]"
)


def is_junk(line: str) -> bool:
    """Text that must end up in a summary: not a heading, field, thumbnail or code fence."""
    body = line.strip()
    return not (
        body[:1] in set("#!<")
        or (body.startswith("[") and body.endswith(")"))
        or body.startswith(("```", "~~~"))
        or FIELD_LIKE.match(body)
        or "\n" in line
        or "\r" in line
        or "\x00" in line
    )


SUMMARY_LIKE = [
    "- **What's New**: 새로운 방법",
    "- ***Technical Details***: `code` and \\textbf{x}",
    "  - (1) nested",
    "1. **Step**: 첫 단계",
    "- broken \textit latex",
    "\x0c",
    "Vote for us",
    "[not a link",
]
junk_lines = st.lists(
    st.one_of(st.sampled_from(SUMMARY_LIKE), st.text(max_size=30)).filter(is_junk), max_size=4
)
titles = st.text(max_size=30).filter(lambda t: "\n" not in t and "\r" not in t and "\x00" not in t)
names = st.lists(st.text(NAME_CHARS, max_size=12), max_size=5)


@dataclass
class Paper:
    arxiv_id: str
    title: str
    link: str
    votes: int | None
    vote_line: str | None
    authors: tuple[str, ...]
    lines: list[str]
    junk: list[str]
    thumbnail: str | None


@st.composite
def papers(draw: st.DrawFn, arxiv_id: str) -> Paper:
    title = draw(titles)
    version = draw(st.sampled_from(["", "v1", "v12"]))
    link = draw(
        st.sampled_from(
            [
                f"https://arxiv.org/abs/{arxiv_id}{version}",
                f"https://arxiv.org/pdf/{arxiv_id}{version}",
                f"https://arxiv.org/pdf/{arxiv_id}{version}.pdf",
                f"https://huggingface.co/papers/{arxiv_id}{version}",
            ]
        )
    )
    votes = draw(st.one_of(st.none(), st.integers(0, 10**6)))
    vote_line = draw(st.sampled_from([None, "Vote: -"])) if votes is None else f"Vote: {votes}"
    author_names = draw(st.one_of(st.none(), names))
    parts: list[list[str]] = []
    if vote_line is not None:
        parts.append([vote_line])
    authors: tuple[str, ...] = ()
    if author_names is not None:
        literal = draw(st.booleans())
        shown = repr(author_names) if literal else ", ".join(author_names)
        parts.append([f"Authors: {shown}"])
        authors = tuple(n.strip() for n in author_names if n.strip())
    thumbnail = draw(st.sampled_from([None, "image", "video", "bare"]))
    url = f"https://cdn.example.org/{arxiv_id}.{'png' if thumbnail == 'image' else 'mp4'}"
    if thumbnail == "image":
        parts.append([f"![]({url})"])
    elif thumbnail == "video":
        html = f'<div><video controls src="{url}" muted="false"></video></div>'
        parts.append([f"[Watch Video]({url})", html])
    elif thumbnail == "bare":
        parts.append([f"<video src='{url}'></video>"])
    junk = draw(junk_lines)
    parts.extend([line] for line in junk)
    order = draw(st.permutations(parts))
    lines: list[str] = []
    for part in order:
        lines.extend(part)
        if draw(st.booleans()):
            lines.append("")
    return Paper(
        arxiv_id, title, link, votes, vote_line, authors, lines, junk, url if thumbnail else None
    )


@st.composite
def digests(draw: st.DrawFn) -> tuple[dt.date, list[Paper], str]:
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
    numbers = draw(st.lists(st.integers(0, 99999), min_size=1, max_size=8, unique=True))
    month = draw(st.integers(2301, 2512))
    generated = [draw(papers(f"{month}.{n:05d}")) for n in numbers]
    out = []
    if draw(st.booleans()):
        out += ["# Some Project", "", "## Project Description", "", "Words.", ""]
    out += [f"## Daily Papers ({day.isoformat()})", ""]
    for paper in generated:
        out.append(f"### [{paper.title}]({paper.link})")
        out.extend(paper.lines)
    if draw(st.booleans()):
        out += ["## License", "", "### [Footer](https://example.org/)", "Vote: 1"]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return day, generated, newline.join(out)


@SETTINGS
@given(digests())
def test_never_drops_a_paper_inside_a_section(digest: tuple[dt.date, list[Paper], str]) -> None:
    day, generated, text = digest
    result = parse(text)
    assert result.problems == ()
    [section] = result.sections
    assert section.day == day
    assert [e.arxiv_id for e in section.entries] == [p.arxiv_id for p in generated]
    for entry, paper in zip(section.entries, generated, strict=True):
        assert entry.title == paper.title.strip()
        assert entry.url == paper.link
        assert entry.votes == paper.votes
        assert entry.authors == paper.authors
        assert entry.thumbnail == paper.thumbnail
        kept = entry.summary.split("\n")
        for line in paper.junk:
            if line.strip(" \t"):
                assert line in kept
