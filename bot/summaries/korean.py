"""Korean summaries of a day's papers, bounded: a paper cap, a few requests at a time, each
within its timeout and retries, and all of them within a deadline (built.py sets a built
day's).

A paper whose summary fails (no answer, an error, an answer that does not parse) keeps its
English bullets; at the deadline the requests still under way are cancelled and what finished
is used.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.summaries.answer import KoreanSummary, parse_answer
from bot.summaries.client import Backoff, ChatClient, ChatError, key_from_env
from bot.summaries.prompt import messages, read_prompt

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bot.config import SummariesConfig

log = logging.getLogger(__name__)


class PaperText(Protocol):
    """What a summary is made from (a `bot.huggingface.HfPaper` is one)."""

    @property
    def arxiv_id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def abstract(self) -> str | None: ...


class Failure(StrEnum):
    """How a paper's failed request counts against it (bot/summaries/attempts.py)."""

    COUNTED = "counted"  # the model answered, unusably, or the request was refused
    TRANSIENT = "transient"  # a timeout, 429, 5xx or dropped connection: try again later
    NOT_COUNTED = "not_counted"  # not the paper's doing: a refused key, no quota, a bug


@dataclass(slots=True)
class DayReport:
    """How a day's summaries went, for the log: the papers, those done, and why not the others."""

    papers: int = 0
    korean: dict[str, KoreanSummary] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # arXiv id -> why
    kinds: dict[str, Failure] = field(default_factory=dict)  # of the requests that failed
    over_cap: int = 0  # papers past summaries.max_papers_per_day: never asked for
    stopped: str | None = None  # why requests were cancelled or not sent

    def line(self) -> str:
        text = f"Korean summaries: {len(self.korean)} of {self.papers} papers"
        kept = self.papers - len(self.korean)
        if not kept:
            return text
        why = [f"{pid}: {reason}" for pid, reason in list(self.failed.items())[:3]]
        if len(self.failed) > 3:
            why.append(f"{len(self.failed) - 3} more failed")
        if self.over_cap:
            why.append(f"{self.over_cap} past summaries.max_papers_per_day")
        if self.stopped:
            why.append(f"stopped: {self.stopped}")
        return f"{text}, {kept} kept in English ({'; '.join(why)})"


class Summarizer:
    """Korean bullets for papers, from one chat model with one prompt."""

    def __init__(
        self, client: ChatClient, prompt: str, *, max_papers: int, concurrency: int
    ) -> None:
        self.client, self.prompt = client, prompt
        self.max_papers, self.concurrency = max_papers, concurrency
        self._days = 0  # days being summarized; the HTTP session lives as long as one is

    def __repr__(self) -> str:
        return f"Summarizer({self.client!r}, max_papers={self.max_papers})"

    async def close(self) -> None:
        await self.client.close()

    async def korean_summaries(
        self, papers: Sequence[PaperText], *, deadline: float
    ) -> dict[str, tuple[str, ...]]:
        """arXiv id -> the three Korean bullets (as `write_day` takes them) for those of the
        first `max_papers` papers with an abstract that got them by `deadline` (the running
        loop's `time()`); the others are left out, to keep their English bullets."""
        report = await self.summarize_day(papers, deadline=deadline)
        return {arxiv_id: summary.bullets() for arxiv_id, summary in report.korean.items()}

    async def summarize_day(self, papers: Sequence[PaperText], *, deadline: float) -> DayReport:
        report, todo, seen = DayReport(), list[PaperText](), set[str]()
        for paper in papers:
            if paper.arxiv_id in seen:
                continue
            seen.add(paper.arxiv_id)
            if not (paper.abstract or "").strip():
                report.failed[paper.arxiv_id] = "no abstract"
            elif len(todo) < self.max_papers:
                todo.append(paper)
            else:
                report.over_cap += 1
        report.papers = len(seen)
        self._days += 1
        try:
            await self._run(todo, deadline, report)
        finally:
            self._days -= 1
            if not self._days:  # nothing holds a connection between days
                await self.client.close()
        log.info("%s", report.line())
        return report

    async def _run(self, todo: list[PaperText], deadline: float, report: DayReport) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        fatal = asyncio.Event()

        async def one(paper: PaperText) -> None:
            async with gate:
                if fatal.is_set():
                    return
                try:
                    report.korean[paper.arxiv_id] = await self._summarize(paper)
                except ChatError as e:
                    report.failed[paper.arxiv_id] = e.reason
                    report.kinds[paper.arxiv_id] = (
                        Failure.NOT_COUNTED
                        if e.fatal
                        else Failure.TRANSIENT
                        if e.transient
                        else Failure.COUNTED
                    )
                    if e.fatal and not fatal.is_set():
                        fatal.set()
                        report.stopped = e.reason
                        log.warning("Korean summaries stopped for the day: %s", e.reason)
                except Exception as e:  # a bug here must not cost the day its post
                    report.failed[paper.arxiv_id] = f"unexpected {type(e).__name__}"
                    report.kinds[paper.arxiv_id] = Failure.NOT_COUNTED
                    log.warning("Korean summary of %s failed", paper.arxiv_id, exc_info=True)

        tasks = [asyncio.create_task(one(paper)) for paper in todo]
        if not tasks:
            return
        pending: set[asyncio.Task[None]] = set()
        try:
            timeout = max(0.0, deadline - asyncio.get_running_loop().time())
            _, pending = await asyncio.wait(tasks, timeout=timeout)
        finally:  # at the deadline, or when the caller is cancelled: no request outlives it
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if pending:
            report.stopped = f"the deadline ({len(pending)} requests cancelled)"
            for paper, task in zip(todo, tasks, strict=True):
                if task in pending:
                    report.failed.setdefault(paper.arxiv_id, "not done by the deadline")

    async def _summarize(self, paper: PaperText) -> KoreanSummary:
        ask = messages(self.prompt, paper.title or "", paper.abstract or "")
        answer = await self.client.complete(ask)
        parsed = parse_answer(answer.content)
        if isinstance(parsed, str):
            cut = " (cut at summaries.max_tokens)" if answer.finish_reason == "length" else ""
            raise ChatError(f"unusable answer: {parsed}{cut}")
        return parsed


def summarizer_from_config(
    config: SummariesConfig, env: Mapping[str, str] | None = None
) -> Summarizer | None:
    """The configured summarizer, or None when summaries are off (`api_base` unset).
    Raises BadKey (PAPERS_BOT_LLM_KEY unusable) or PromptError (the prompt file unreadable)."""
    if config.api_base is None or config.model is None:
        return None
    client = ChatClient(
        config.api_base,
        config.model,
        key=key_from_env(env),
        max_tokens=config.max_tokens,
        temperature=config.temperature,
        timeout=config.timeout_seconds,
        backoff=Backoff(retries=config.retries),
    )
    prompt = read_prompt(config.prompt_file)
    return Summarizer(
        client, prompt, max_papers=config.max_papers_per_day, concurrency=config.concurrency
    )
