"""A day's digest from every file that holds it: pure, so its rules are tested on their own.

Several files can hold the same day (the source project's README carries a copy of one day's
digest, sometimes only its first section, beside `paper_logs/YYYY/MM/DD.md`). Each file's
part of a day is kept (the `holdings` table, migration 008) and the day is made from all of
them, the same whatever order they were loaded in:

- the files are ranked by how many of the day's entries they hold, most first, ties by path,
  except that days built from Hugging Face (`built`, migration 011) rank after every digest
  published by the source project, so a Korean digest leads its day whichever came first;
- the day lists the first-ranked file's entries in its order, then each other file's extras
  in its order, in rank order;
- an entry that several files hold is published as the first-ranked of them has it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.models import Entry

# What a day says about a paper: title, authors (JSON), votes, thumbnail, url, summary.
Content = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Held:
    """One entry as one file holds it on one day."""

    line: int
    content: Content

    def stored(self) -> str:
        """The `holdings.entry` text of this entry (where it differs from the day's)."""
        return json.dumps([self.line, *self.content], ensure_ascii=False)

    @classmethod
    def from_stored(cls, text: str) -> Held:
        line, *content = json.loads(text)
        return cls(int(line), tuple(content))

    @classmethod
    def of(cls, entry: Entry) -> Held:
        authors = json.dumps(list(entry.authors), ensure_ascii=False)
        content = (entry.title, authors, entry.votes, entry.thumbnail, entry.url, entry.summary)
        return cls(entry.line, content)


# One file's part of a day: paper id -> how it holds it, in the file's order.
FileDay = Mapping[int, Held]


@dataclass(frozen=True, slots=True)
class Placed:
    """One paper of a merged day: which file it is published as, and how."""

    paper_id: int
    source: str
    held: Held


def rank(files: Mapping[str, FileDay], built: Collection[str] = ()) -> list[str]:
    """The files holding a day, the one whose order the day follows first; `built` files
    (written from Hugging Face's API) after the others."""
    held = (s for s, day in files.items() if day)
    return sorted(held, key=lambda s: (s in built, -len(files[s]), s))


def merge_day(files: Mapping[str, FileDay], built: Collection[str] = ()) -> list[Placed]:
    """The day as its files together publish it, in order (empty: no file holds it)."""
    placed: dict[int, Placed] = {}
    for source in rank(files, built):
        for paper_id, held in files[source].items():
            if paper_id not in placed:
                placed[paper_id] = Placed(paper_id, source, held)
    return list(placed.values())


def stored_entries(
    files: Mapping[str, FileDay], merged: Sequence[Placed]
) -> dict[tuple[str, int], str | None]:
    """`holdings.entry` of every holding: NULL where it is what the day publishes."""
    shown = {p.paper_id: p.held for p in merged}
    return {
        (source, paper_id): None if held == shown[paper_id] else held.stored()
        for source, day in files.items()
        for paper_id, held in day.items()
    }
