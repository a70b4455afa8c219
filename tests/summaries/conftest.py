"""Fixtures: the loopback OpenAI-compatible endpoint and summarizers pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.huggingface import HfPaper
from bot.summaries.client import Backoff, ChatClient
from bot.summaries.korean import Summarizer
from bot.summaries.prompt import default_prompt
from papers_sandbox.openai_fake import DEFAULT_MODEL, FakeOpenAI

QUICK = Backoff(retries=3, first=0.01, longest=1.0)  # retries without the real waits


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


def client_for(api_base: str, **options: Any) -> ChatClient:
    settings: dict[str, Any] = {
        "model": DEFAULT_MODEL,
        "key": None,
        "max_tokens": 1024,
        "temperature": 0.2,
        "timeout": 10.0,
        "backoff": QUICK,
    }
    settings.update(options)
    return ChatClient(api_base, **settings)


@pytest.fixture
async def make_summarizer(
    llm: FakeOpenAI,
) -> AsyncIterator[Callable[..., Summarizer]]:
    made: list[Summarizer] = []

    def make(*, max_papers: int = 50, concurrency: int = 4, **options: Any) -> Summarizer:
        base = options.pop("api_base", llm.api_base)
        client = client_for(base, **options)
        made.append(
            Summarizer(client, default_prompt(), max_papers=max_papers, concurrency=concurrency)
        )
        return made[-1]

    yield make
    for summarizer in made:
        await summarizer.close()


def papers(count: int, *, prefix: str = "Paper") -> list[HfPaper]:
    """`count` papers with distinct titles and two-sentence abstracts."""
    return [
        HfPaper(
            f"2505.{10000 + i}",
            title=f"{prefix} {i}: Learning Things",
            abstract=f"We propose method {i} for learning things. It improves by {i} points.",
        )
        for i in range(count)
    ]
