"""Building a day from Hugging Face's API: written as a digest into a folder, then loaded
with the normal loader, like any digest file an operator could publish.

A day is written only when its text changed (the API's answer, its votes, the summaries),
atomically (a reader never sees half a file), as `folder/YYYY/MM/DD.md`. A day Hugging Face
lists no papers for is written as an empty day, but never over a built day that had papers
(an empty answer for a day that had some is taken for a hiccup, not news).

Hugging Face lists a day's papers through the day; the Korean source fetched its list at
23:00 UTC. A day fetched before its completion instant (`day_complete` UTC on that date,
`complete_at`) is written as incomplete, and a post waits for it to be built again once
complete (bot/features/daily/runner.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.digest.ingest import LoadReport, load_files
from bot.digest.parse import parse
from bot.huggingface.client import HfClient
from bot.huggingface.models import HfPaper
from bot.huggingface.write import day_path, write_day
from bot.store import PaperStore

log = logging.getLogger(__name__)

# Korean bullets for some of a day's papers (arXiv id -> bullets); papers left out keep
# their English ones. The optional summarizer a DayBuilder is given.
Summarize = Callable[[dt.date, Sequence[HfPaper]], Awaitable[Mapping[str, Sequence[str]]]]
DAY_COMPLETE = dt.time(23, 0)  # UTC: when the Korean source fetched a day's list


def complete_at(day: dt.date, at: dt.time = DAY_COMPLETE) -> dt.datetime:
    """The instant Hugging Face's list of `day` counts as complete: `at` UTC on `day`."""
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Built:
    """What building one day did."""

    day: dt.date
    path: Path
    papers: int  # papers Hugging Face lists for the day
    written: bool  # the file changed and was loaded again
    kept: bool = False  # an empty answer left the day's earlier papers in place
    complete: bool = False  # fetched at or after the day's completion instant
    load: LoadReport = field(default_factory=LoadReport)  # what loading it did


@dataclass
class DayBuilder:
    """Builds days into `folder` and loads them into `store`."""

    client: HfClient
    store: PaperStore
    folder: Path
    summarize: Summarize | None = None
    day_complete: dt.time = DAY_COMPLETE  # UTC; see complete_at
    clock: Callable[[], dt.datetime] = _utc_now
    _loaded: dict[Path, str] = field(default_factory=dict, init=False, repr=False)
    _answers: dict[dt.date, tuple[list[HfPaper], bool]] = field(
        default_factory=dict, init=False, repr=False
    )

    def complete_at(self, day: dt.date) -> dt.datetime:
        return complete_at(day, self.day_complete)

    async def build(self, day: dt.date) -> Built:
        """Fetch `day`, write it if it changed and load it. Raises HfError when the API
        gives no usable answer and OSError when the folder cannot be written."""
        complete = self.clock() >= self.complete_at(day)  # asked for once the day was complete
        papers = await self.client.daily_papers(day)
        path = day_path(self.folder, day)
        old = _read(path)
        if not papers and old is not None and _has_papers(old):
            log.warning(
                "Hugging Face lists no papers for %s; keeping %s as built before", day, path
            )
            return Built(day, path, 0, written=False, kept=True, complete=complete)
        answer = (papers, complete)
        if self._answers.get(day) == answer and old is not None and self._loaded.get(path) == old:
            return Built(day, path, len(papers), written=False, complete=complete)
        korean = await self.summarize(day, papers) if self.summarize and papers else None
        text = write_day(day, papers, korean, api_base=self.client.api_base, complete=complete)
        if old == text and self._loaded.get(path) == text:
            self._answers[day] = answer
            return Built(day, path, len(papers), written=False, complete=complete)
        if old != text:
            _write_atomically(path, text)
        loaded = await load_files(self.store, [path])
        self._loaded[path], self._answers[day] = text, answer
        return Built(day, path, len(papers), written=True, complete=complete, load=loaded)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable: written anew


def _has_papers(text: str) -> bool:
    return any(section.entries for section in parse(text).sections)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
