"""Printing results on a terminal: readable tables by default, exact JSON with --json.

Each printer writes to `out`, else to `sys.stdout` as it is at the call (a redirect holds).
"""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from bot.models import Digest, Enrichment, Paper
from bot.store import DayInfo, Page, Stats


def _width(text: str) -> int:
    """Columns a string takes on a terminal (Hangul and CJK are two wide)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, columns: int) -> str:
    out: list[str] = []
    used = 0
    for c in text:
        w = _width(c)
        if used + w > columns - 1:
            return "".join(out) + "…"
        out.append(c)
        used += w
    return "".join(out)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(columns - _width(text), 0)


def print_json(value: object, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")


def paper_table(papers: Sequence[Paper], out: TextIO | None = None) -> None:
    """One line per paper: id, votes, last day featured, title clipped to the terminal."""
    out = out or sys.stdout
    columns = shutil.get_terminal_size((100, 24)).columns
    out.write(f"{'#':>3}  {'arXiv':<11} {'votes':>5}  {'featured':<10}  title\n")
    for i, p in enumerate(papers, start=1):
        votes = "-" if p.votes is None else str(p.votes)
        day = p.dates[-1].isoformat() if p.dates else ""
        lead = f"{i:>3}  {_pad(p.arxiv_id, 11)} {votes:>5}  {day:<10}  "
        out.write(lead + _clip(p.title, max(columns - len(lead), 20)) + "\n")


def count(n: int | str, noun: str) -> str:
    """`1 paper`, `2 papers`, `more than 20,000 matches` (nouns that take an s or es)."""
    plural = noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")
    return f"{n} {noun if n == 1 else plural}"


def page_footer(page: Page, shown: int, offset: int, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    total: int | str = f"more than {page.total:,}" if page.more else page.total
    if page.total == 0:
        out.write("No papers match.\n")
    elif shown == 0:  # --offset past the end
        out.write(f"No results from {offset + 1} on: {count(total, 'match')} in all.\n")
    else:
        out.write(f"{offset + 1}–{offset + shown} of {count(total, 'match')}\n")


def _enrichment_lines(e: Enrichment | None) -> list[str]:
    if e is None:
        return ["Hugging Face: not enriched yet (papers-bot enrich)"]
    when = f"{e.enriched_at:%Y-%m-%d %H:%M} UTC"
    if not e.found:
        return [f"Hugging Face: no such paper (asked {when})"]
    stars = f" ({e.github_stars:,} stars)" if e.github_stars is not None else ""
    upvotes = "-" if e.upvotes is None else f"{e.upvotes:,}"
    return [
        f"Code:      {e.github_repo or '-'}{stars if e.github_repo else ''}",
        f"Project:   {e.project_page or '-'}",
        f"Upvotes:   {upvotes} on Hugging Face ({when})",
    ]


def paper_detail(p: Paper, enrichment: Enrichment | None = None, out: TextIO | None = None) -> None:
    """Everything known about one paper, as a readable block (the abstract after the
    summary, when Hugging Face gave one)."""
    out = out or sys.stdout
    votes = "-" if p.votes is None else str(p.votes)
    lines = [
        p.title,
        "=" * min(_width(p.title), 80),
        f"arXiv:     {p.arxiv_id}  {p.abs_url}",
        f"PDF:       {p.pdf_url}",
        f"HF:        {p.hf_url}",
        f"Votes:     {votes}",
        f"Featured:  {', '.join(d.isoformat() for d in p.dates)}",
        f"Authors:   {', '.join(p.authors) or '-'}",
        f"Thumbnail: {p.thumbnail or '-'}",
        *_enrichment_lines(enrichment),
        "",
        p.summary,
    ]
    if enrichment is not None and enrichment.abstract:
        lines += ["", "Abstract:", enrichment.abstract]
    out.write("\n".join(lines) + "\n")


def digest_view(d: Digest, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"Daily Papers ({d.day.isoformat()}): {count(len(d.papers), 'paper')}\n")
    paper_table(d.papers, out)


def days_table(days: Sequence[DayInfo], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for info in days:
        papers = f"{info.papers:>3} " + ("paper " if info.papers == 1 else "papers")
        sources = [_source_label(s, info) for s in info.sources]
        out.write(f"{info.day.isoformat()}  {papers}  {', '.join(sources)}\n")
    out.write(count(len(days), "day") + "\n")


def _source_label(source: str, info: DayInfo) -> str:
    if source not in info.built:
        return source
    if source in info.complete:
        return f"{source} (built from Hugging Face)"
    return f"{source} (built from Hugging Face, before the day was complete)"


def stats_view(s: Stats, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    span = f"{s.first_day} .. {s.last_day}" if s.first_day else "-"
    out.write(
        f"papers:      {s.papers}\ndays:        {s.days} ({span})\n"
        f"appearances: {s.appearances}\nauthors:     {s.authors}\n"
    )
