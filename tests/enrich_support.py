"""What the enrichment tests share: digests written as files, the fake Hugging Face API
seeded with the same papers, and that fake run in a thread of its own for commands that run
their own event loop (the command line in this process)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from papers_sandbox.huggingface import FakeHuggingFace, fake_item

FIRST_DAY = dt.date(2025, 3, 3)


@dataclass(frozen=True)
class Listed:
    """A paper of a digest day, and how the fake API knows it."""

    arxiv_id: str
    day: dt.date
    listed: bool = True  # in its day's daily listing (else only at /api/papers/{id})
    known: bool = True  # Hugging Face has it at all (else 404)
    github_repo: str | None = None

    @property
    def title(self) -> str:
        return f"Paper number {self.arxiv_id}"


def corpus(days: int, per_day: int) -> list[Listed]:
    """`days` digest days of `per_day` papers; every third paper has code."""
    papers = []
    for d in range(days):
        day = FIRST_DAY + dt.timedelta(days=d)
        for n in range(per_day):
            arxiv_id = f"{day:%y%m}.{d:02d}{n:03d}"
            repo = f"https://github.com/lab/p{d}-{n}" if n % 3 == 0 else None
            papers.append(Listed(arxiv_id, day, github_repo=repo))
    return papers


def write_digests(folder: Path, papers: Sequence[Listed]) -> list[Path]:
    """One digest file per day, in the published markdown format."""
    folder.mkdir(parents=True, exist_ok=True)
    by_day: dict[dt.date, list[Listed]] = {}
    for p in papers:
        by_day.setdefault(p.day, []).append(p)
    files = []
    for day, listed in sorted(by_day.items()):
        lines = [f"## Daily Papers ({day.isoformat()})", ""]
        for i, p in enumerate(listed):
            lines += [
                f"### [{p.title}](https://arxiv.org/abs/{p.arxiv_id})",
                "",
                f"Vote: {i + 1}",
                "",
                "Authors: Ada Lovelace, Alan Turing",
                "",
                f"- ***What's New***: {p.arxiv_id} 논문의 한국어 요약입니다.",
                "",
            ]
        path = folder / f"{day.isoformat()}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def abstract_of(arxiv_id: str) -> str:
    return f"We present {arxiv_id}, an English abstract."


def seed(hf: FakeHuggingFace, papers: Sequence[Listed], *, upvotes: int = 100) -> None:
    """The fake API's days and paper pages for `papers`."""
    by_day: dict[dt.date, list[Listed]] = {}
    for p in papers:
        by_day.setdefault(p.day, [])
        if p.known:
            by_day[p.day].append(p)
    for day, listed in by_day.items():
        items = [_item(p, upvotes) for p in listed]
        hf.add_day(day, [item for p, item in zip(listed, items, strict=True) if p.listed])
        for p, item in zip(listed, items, strict=True):
            if not p.listed:
                hf.set_paper(p.arxiv_id, item["paper"])


def _item(p: Listed, upvotes: int) -> dict[str, object]:
    return fake_item(  # type: ignore[no-any-return]
        p.arxiv_id,
        day=p.day,
        title=p.title,
        abstract=abstract_of(p.arxiv_id),
        upvotes=upvotes,
        github_repo=p.github_repo,
        github_stars=7 if p.github_repo else None,
        project_page=f"https://{p.arxiv_id.replace('.', '-')}.github.io/"
        if p.github_repo
        else None,
    )


@contextmanager
def fake_in_thread(hf: FakeHuggingFace) -> Iterator[str]:
    """`hf` served from a thread with its own event loop; yields its base URL."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield asyncio.run_coroutine_threadsafe(hf.start(), loop).result(10)
    finally:
        asyncio.run_coroutine_threadsafe(hf.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
