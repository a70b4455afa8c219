"""Pure: a member's saved papers as a file, in BibTeX, Markdown or CSV (UTF-8 each)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from bot.arxiv import published
from bot.store.saved import SavedPaper

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
CSV_COLUMNS = ("arxiv_id", "title", "authors", "year", "month", "featured_days", "votes",
               "url", "saved_at")  # fmt: skip
# LaTeX's special characters in a title or a name, escaped so the entry typesets; a reference
# manager reads them back as the characters (`\&` is `&`). Hangul and accents stay as UTF-8.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
          "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}  # fmt: skip
_LATEX_RE = re.compile("|".join(map(re.escape, _LATEX)))
_AND = re.compile(r"\band\b", re.IGNORECASE)


class ExportFormat(StrEnum):
    BIBTEX = "bibtex"
    MARKDOWN = "markdown"
    CSV = "csv"

    @property
    def extension(self) -> str:
        return {"bibtex": "bib", "markdown": "md", "csv": "csv"}[self.value]

    @property
    def label(self) -> str:
        return {"bibtex": "BibTeX", "markdown": "Markdown", "csv": "CSV"}[self.value]


def export(papers: Sequence[SavedPaper], fmt: ExportFormat) -> bytes:
    """The list (newest saved first) as the file's bytes."""
    if fmt is ExportFormat.BIBTEX:
        return bibtex(papers).encode()
    if fmt is ExportFormat.MARKDOWN:
        return markdown(papers).encode()
    return csv_text(papers).encode()


# --- BibTeX -------------------------------------------------------------------------------


def latex_escape(value: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group()], " ".join(value.split()))


def bibtex_name(name: str) -> str:
    """One author in an `author` field: braced when BibTeX would misread it (a comma, or
    the word "and" inside an organization's name)."""
    escaped = latex_escape(name)
    return f"{{{escaped}}}" if "," in name or _AND.search(name) else escaped


def citation_key(saved: SavedPaper) -> str:
    """`seo2025_2505.03011`: the first author's family name (ASCII letters) and the year,
    then the arXiv id, which alone makes it unique; the same paper always gets the same key."""
    authors = saved.paper.authors if saved.paper else ()
    family = authors[0].split()[-1] if authors and authors[0].split() else ""
    ascii_name = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    prefix = re.sub(r"[^a-z]", "", ascii_name.lower()) or "arxiv"
    year, _ = published(saved.arxiv_id)
    return f"{prefix}{year}_{saved.arxiv_id.replace('/', '_')}"


def _entry(saved: SavedPaper) -> Entry:
    year, month = published(saved.arxiv_id)
    paper = saved.paper
    fields = [Field("title", latex_escape(saved.title))]
    if paper and paper.authors:
        fields.append(Field("author", " and ".join(map(bibtex_name, paper.authors))))
    fields += [
        Field("year", str(year)),
        # The month macro (`may`, unbraced): styles print it as "May" or "5" as they like.
        Field("month", MONTHS[month - 1], enclosing="no-enclosing"),
        Field("eprint", saved.arxiv_id),
        Field("archivePrefix", "arXiv"),
        Field("url", f"https://arxiv.org/abs/{saved.arxiv_id}"),
    ]
    return Entry("misc", citation_key(saved), fields)


def bibtex(papers: Sequence[SavedPaper]) -> str:
    """`@misc` entries with title, authors (`A and B`), year and month from the id,
    `eprint`, `archivePrefix = {arXiv}` and the abstract page's URL."""
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    return write_string(Library([_entry(s) for s in papers]), bibtex_format=layout)


# --- Markdown and CSV ---------------------------------------------------------------------


def _md_text(value: str) -> str:
    """Link text that cannot close the link or start markup."""
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", " ".join(value.split()))


def markdown(papers: Sequence[SavedPaper]) -> str:
    lines = [f"# Saved papers ({len(papers)})", ""]
    for n, saved in enumerate(papers, start=1):
        url = f"https://arxiv.org/abs/{saved.arxiv_id}"
        lines.append(f"{n}. [{_md_text(saved.title)}]({url}) · arXiv:{saved.arxiv_id}")
        paper = saved.paper
        if paper and paper.authors:
            lines.append(f"   - Authors: {_md_text(', '.join(paper.authors))}")
        if paper and paper.dates:
            lines.append(f"   - Featured: {', '.join(d.isoformat() for d in paper.dates)}")
        lines.append(f"   - Saved: {saved.saved_at.date().isoformat()}")
    return "\n".join(lines) + "\n"


def csv_text(papers: Sequence[SavedPaper]) -> str:
    """One row per paper under a header of `CSV_COLUMNS`, quoted as RFC 4180 says (CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for saved in papers:
        paper = saved.paper
        year, month = published(saved.arxiv_id)
        writer.writerow(
            [
                saved.arxiv_id,
                saved.title,
                "; ".join(paper.authors) if paper else "",
                year,
                month,
                "; ".join(d.isoformat() for d in paper.dates) if paper else "",
                "" if paper is None or paper.votes is None else paper.votes,
                f"https://arxiv.org/abs/{saved.arxiv_id}",
                saved.saved_at.isoformat(),
            ]
        )
    return out.getvalue()
