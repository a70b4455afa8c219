"""Exports of a saved list (bot/features/saved/export.py): what a reference manager, a
Markdown viewer or a spreadsheet reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from bot.features.saved.export import CSV_COLUMNS, ExportFormat, export
from bot.models import Paper
from bot.store.saved import SavedPaper

SAVED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
HANGUL = "작은 {순환} 계획 모델: 50% & Tiny_Planners #1 ~ $x$ \\o/"
AUTHORS = ("Hana Seo", "Tomás Álvarez", "김철수", "Google and DeepMind", "Kim, Jisoo")


def paper(arxiv_id: str, title: str, authors: tuple[str, ...] = AUTHORS) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        authors=authors,
        votes=66,
        dates=(dt.date(2025, 5, 7), dt.date(2025, 5, 8)),
        thumbnail=None,
        summary="",
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )


LIST = [
    SavedPaper("2505.03011", SAVED, paper("2505.03011", HANGUL)),
    SavedPaper(
        "2505.03012", SAVED, paper("2505.03012", 'A "quoted", title,\nwith lines', ("김철수",))
    ),
    SavedPaper("hep-th/9901001", SAVED, None),  # no digest holds it any more
]


def test_bibtex_parses_back_with_titles_authors_hangul_and_urls() -> None:
    text = export(LIST, ExportFormat.BIBTEX).decode("utf-8")
    assert "\\u" not in text and "순환" in text  # UTF-8 as it is, no escapes of Hangul
    library = parse_string(text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    first, second, third = library.entries
    assert first.entry_type == "misc" and first.key == "seo2025_2505.03011"
    fields = {k: f.value for k, f in first.fields_dict.items()}
    assert fields["title"] == " ".join(HANGUL.split())
    # Five names: "and" and a comma inside a name stay in it (braced, as BibTeX marks one name)
    assert [n.removeprefix("{").removesuffix("}") for n in fields["author"]] == list(AUTHORS)
    assert fields["year"] == "2025" and fields["month"] == "may"
    assert fields["eprint"] == "2505.03011" and fields["archivePrefix"] == "arXiv"
    assert fields["url"] == "https://arxiv.org/abs/2505.03011"
    assert second.key == "arxiv2025_2505.03012"  # a family name in Hangul: no ASCII letters
    assert second.fields_dict["title"].value == 'A "quoted", title, with lines'
    assert third.key == "arxiv1999_hep-th_9901001"
    assert third.fields_dict["url"].value == "https://arxiv.org/abs/hep-th/9901001"
    assert third.fields_dict["month"].value == "jan"
    assert "author" not in third.fields_dict
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys)


def test_bibtex_escapes_what_latex_would_misread() -> None:
    one = [SavedPaper("2505.03011", SAVED, paper("2505.03011", "O(n^2) & 100% of {it}"))]
    text = export(one, ExportFormat.BIBTEX).decode()
    assert "title = {O(n\\textasciicircum{}2) \\& 100\\% of \\{it\\}}" in text


def test_bibtex_keys_are_the_same_in_every_export() -> None:
    alone = parse_string(export(LIST[1:2], ExportFormat.BIBTEX).decode()).entries
    together = parse_string(export(LIST, ExportFormat.BIBTEX).decode()).entries
    assert alone[0].key == together[1].key


def test_markdown_links_each_title_with_authors_and_featured_days() -> None:
    text = export(LIST, ExportFormat.MARKDOWN).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Saved papers (3)"
    assert lines[2].startswith("1. [작은 {순환} 계획 모델: 50% & Tiny\\_Planners #1")
    assert lines[2].endswith("](https://arxiv.org/abs/2505.03011) · arXiv:2505.03011")
    assert (
        lines[3] == "   - Authors: Hana Seo, Tomás Álvarez, 김철수, Google and DeepMind, Kim, Jisoo"
    )
    assert lines[4] == "   - Featured: 2025-05-07, 2025-05-08"
    assert "3. [arXiv:hep-th/9901001](https://arxiv.org/abs/hep-th/9901001)" in text


def test_csv_has_one_row_per_paper_under_stable_columns() -> None:
    data = export(LIST, ExportFormat.CSV)
    assert data.startswith(
        b"arxiv_id,title,authors,year,month,featured_days,votes,url,saved_at\r\n"
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 4
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["title"] == HANGUL
    assert first["authors"].split("; ") == list(AUTHORS)
    assert (first["year"], first["month"], first["votes"]) == ("2025", "5", "66")
    assert first["featured_days"] == "2025-05-07; 2025-05-08"
    assert first["saved_at"] == "2026-12-01T09:30:00+00:00"
    assert rows[2][1] == 'A "quoted", title,\nwith lines'  # quoted, kept whole
    assert rows[3][:5] == ["hep-th/9901001", "arXiv:hep-th/9901001", "", "1999", "1"]
