"""The `summaries` config keys: off by default, checked at start with clear errors, and the
summarizer they make (the endpoint, the model, the bounds, the prompt, the key)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, SummariesConfig, load_config
from bot.huggingface import HfPaper
from bot.summaries.client import BadKey
from bot.summaries.korean import summarizer_from_config
from bot.summaries.prompt import default_prompt
from papers_sandbox.openai_fake import FakeOpenAI


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={})


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return str(caught.value).removeprefix(f"{tmp_path / 'bot.yaml'}: ")


def test_summaries_are_off_unless_an_endpoint_is_set(tmp_path: Path) -> None:
    assert summarizer_from_config(Config().summaries) is None
    assert summarizer_from_config(load(tmp_path, "summaries:\n").summaries) is None


def test_an_endpoint_needs_a_model(tmp_path: Path) -> None:
    assert error(tmp_path, "summaries:\n  api_base: http://localhost:11434\n") == (
        "summaries: summaries.api_base is set but summaries.model is not: set it to the "
        "model's name at that endpoint (e.g. gpt-4o-mini, or qwen2.5:7b on Ollama)"
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("api_base: localhost:11434", "summaries.api_base: expected a URL starting with http://"),
        ("model: 'gpt 4'", "summaries.model: expected a model name, got 'gpt 4'"),
        ("max_papers_per_day: 0", "summaries.max_papers_per_day: expected an integer from 1"),
        ("max_tokens: 10", "summaries.max_tokens: expected an integer from 64 to 32768"),
        ("timeout_seconds: 0", "summaries.timeout_seconds: expected a number > 0 and <= 300"),
        ("retries: 11", "summaries.retries: expected an integer from 0 to 10"),
        ("concurrency: 0", "summaries.concurrency: expected an integer from 1 to 32"),
        ("temperature: 2.5", "summaries.temperature: expected a number from 0 to 2"),
        ("max_attempts: 0", "summaries.max_attempts: expected an integer from 1 to 20"),
        ("max_attempts: 21", "summaries.max_attempts: expected an integer from 1 to 20"),
        ("max_token: 100", "summaries.max_token: unknown key (did you mean 'max_tokens'?)"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, line: str, problem: str) -> None:
    assert error(tmp_path, f"summaries:\n  {line}\n").startswith(problem)


def test_an_unreadable_prompt_file_stops_the_start(tmp_path: Path) -> None:
    missing = tmp_path / "mine.md"
    assert error(tmp_path, f"summaries:\n  prompt_file: {missing}\n") == (
        f"summaries.prompt_file: prompt file {str(missing)!r} not found"
    )
    missing.write_text("")
    assert error(tmp_path, f"summaries:\n  prompt_file: {missing}\n") == (
        f"summaries.prompt_file: prompt file {str(missing)!r} is empty"
    )


def test_an_unusable_key_is_refused_without_showing_it() -> None:
    config = SummariesConfig(api_base="https://api.openai.com/v1", model="m")
    with pytest.raises(BadKey) as caught:
        summarizer_from_config(config, env={"PAPERS_BOT_LLM_KEY": "sk-abc def"})
    assert "sk-abc" not in str(caught.value) and "PAPERS_BOT_LLM_KEY" in str(caught.value)


async def test_the_summarizer_uses_the_keys_the_prompt_and_the_key(tmp_path: Path) -> None:
    prompt = tmp_path / "mine.md"
    prompt.write_text("한국어로 세 가지 항목으로 요약하세요.\n", encoding="utf-8")
    async with FakeOpenAI(key="sk-ops", models=("qwen2.5:7b",)) as fake:
        config = load(
            tmp_path,
            f"summaries:\n  api_base: {fake.api_base.removesuffix('/v1')}\n"
            f"  model: qwen2.5:7b\n  prompt_file: {prompt}\n  max_tokens: 700\n"
            "  max_papers_per_day: 1\n",
        ).summaries
        summarizer = summarizer_from_config(config, env={"PAPERS_BOT_LLM_KEY": "sk-ops"})
        assert summarizer is not None
        try:
            day = [
                HfPaper("2505.00001", title="A", abstract="We do A. It works."),
                HfPaper("2505.00002", title="B", abstract="We do B."),
            ]
            deadline = asyncio.get_running_loop().time() + 30
            got = await summarizer.korean_summaries(day, deadline=deadline)
        finally:
            await summarizer.close()
    assert list(got) == ["2505.00001"]  # max_papers_per_day: 1
    (seen,) = fake.requests
    assert (seen.model, seen.max_tokens, seen.status) == ("qwen2.5:7b", 700, 200)
    assert seen.instructions == "한국어로 세 가지 항목으로 요약하세요."
    assert seen.instructions != default_prompt().strip()
    assert "sk-ops" not in repr(summarizer)
