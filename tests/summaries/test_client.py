"""The chat completions client: URLs of hosted and local servers, retries, errors, the key."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.summaries.client import BadKey, ChatClient, ChatError, chat_url, key_from_env
from papers_sandbox.openai_fake import FakeOpenAI, Fault
from tests.summaries.conftest import client_for

SECRET = "sk-proj-SECRETsecret1234567890"
ASK = [
    {"role": "system", "content": "Summarize."},
    {"role": "user", "content": "Title: T\n\nAbstract: A."},
]


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions"),
        ("http://localhost:11434", "http://localhost:11434/v1/chat/completions"),  # Ollama
        ("http://localhost:8000/", "http://localhost:8000/v1/chat/completions"),  # vLLM
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"),
        (
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
        ),
        ("http://h:1/v1/chat/completions", "http://h:1/v1/chat/completions"),
    ],
)
def test_a_base_with_or_without_its_version_means_the_same_endpoint(base: str, url: str) -> None:
    assert chat_url(base) == url


async def test_bases_with_and_without_v1_reach_the_server(llm: FakeOpenAI) -> None:
    for base in (llm.api_base, llm.api_base.removesuffix("/v1"), llm.api_base + "/"):
        async with client_for(base) as client:
            answer = await client.complete(ASK)
        assert "What's New" in answer.content
    assert [r.path for r in llm.requests] == ["/v1/chat/completions"] * 3
    assert all(r.authorization is None for r in llm.requests)  # a local server needs no key


def test_the_key_comes_from_the_environment_alone() -> None:
    assert key_from_env({}) is None
    assert key_from_env({"PAPERS_BOT_LLM_KEY": "  "}) is None
    assert key_from_env({"PAPERS_BOT_LLM_KEY": f" {SECRET}\n"}) == SECRET
    with pytest.raises(BadKey) as caught:
        key_from_env({"PAPERS_BOT_LLM_KEY": f"{SECRET}\nX-Other: 1"})
    assert SECRET not in str(caught.value) and "line break" in str(caught.value)


async def test_the_key_is_sent_as_bearer() -> None:
    async with FakeOpenAI(key=SECRET) as fake, client_for(fake.api_base, key=SECRET) as client:
        await client.complete(ASK)
    assert [r.status for r in fake.requests] == [200]
    assert fake.requests[0].authorization == f"Bearer {SECRET}"


async def test_the_key_is_in_no_repr_error_or_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[ChatError] = []
    async with FakeOpenAI(key="sk-the-right-one") as fake:
        client = client_for(fake.api_base, key=SECRET)
        try:
            with pytest.raises(ChatError) as refused:  # the server quotes the wrong key back
                await client.complete(ASK)
            errors.append(refused.value)
            fake.key = None
            fake.fail(Fault.SERVER_ERROR, times=2)
            fake.fail(Fault.RATE_LIMITED, times=1, retry_after=0.01)
            fake.fail(Fault.NOT_JSON, times=1)
            with pytest.raises(ChatError) as malformed:
                await client.complete(ASK)
            errors.append(malformed.value)
        finally:
            await client.close()
    assert "[key]" in str(errors[0]) and errors[0].fatal
    for text in [repr(client), caplog.text, *map(str, errors)]:
        assert SECRET not in text
    assert "key=set" in repr(client)
    assert [r.status for r in fake.requests] == [401, 500, 500, 429, 200]


async def test_429_waits_for_retry_after_then_succeeds(llm: FakeOpenAI) -> None:
    llm.fail(Fault.RATE_LIMITED, times=2, retry_after=0.15)
    async with client_for(llm.api_base) as client:
        answer = await client.complete(ASK)
    assert "What's New" in answer.content
    first, second, third = llm.requests
    assert [r.status for r in llm.requests] == [429, 429, 200]
    assert second.at - first.at >= 0.15 and third.at - second.at >= 0.15


async def test_5xx_and_a_dropped_connection_are_tried_again(llm: FakeOpenAI) -> None:
    llm.fail(Fault.SERVER_ERROR, times=2, status=502)
    async with client_for(llm.api_base) as client:
        assert "What's New" in (await client.complete(ASK)).content
    assert [r.status for r in llm.requests] == [502, 502, 200]
    async with client_for("http://127.0.0.1:9/v1") as nowhere:
        with pytest.raises(ChatError) as caught:
            await nowhere.complete(ASK)
    assert caught.value.reason.startswith("cannot reach 127.0.0.1:9")


async def test_retries_end_with_the_last_error(llm: FakeOpenAI) -> None:
    llm.fail(Fault.SERVER_ERROR, status=503)
    async with client_for(llm.api_base) as client:
        with pytest.raises(ChatError) as caught:
            await client.complete(ASK)
    assert str(caught.value).startswith("HTTP 503: The server had an error")
    assert not caught.value.fatal
    assert len(llm.requests) == 4  # the first try and 3 retries


async def test_what_waiting_cannot_fix_is_not_tried_again(llm: FakeOpenAI) -> None:
    llm.fail(Fault.NO_QUOTA, times=1)
    llm.fail(Fault.RATE_LIMITED, times=1, retry_after=120)
    async with client_for(llm.api_base) as client:
        with pytest.raises(ChatError) as quota:
            await client.complete(ASK)
        with pytest.raises(ChatError) as long_wait:
            await client.complete(ASK)
    assert quota.value.fatal and "insufficient_quota" not in str(quota.value)
    assert "exceeded your current quota" in str(quota.value)
    assert str(long_wait.value).endswith("(rate limited for 120 s)")
    async with client_for(llm.api_base, model="no-such-model") as client:
        with pytest.raises(ChatError) as unknown:
            await client.complete(ASK)
    assert unknown.value.fatal and "no-such-model" in str(unknown.value)
    assert len(llm.requests) == 3


async def test_a_slow_server_times_out_without_retrying(llm: FakeOpenAI) -> None:
    llm.fail(Fault.SLOW, delay=30)
    async with client_for(llm.api_base, timeout=0.2) as client:
        with pytest.raises(ChatError) as caught:
            await client.complete(ASK)
    assert str(caught.value) == "no answer within 0.2 s"
    assert len(llm.requests) == 1


async def test_malformed_answers_are_errors(llm: FakeOpenAI) -> None:
    llm.fail(Fault.NOT_JSON, times=1)
    llm.fail(Fault.NO_CHOICES, times=1)
    llm.fail(Fault.HUGE, times=1)
    async with client_for(llm.api_base) as client:
        for _ in range(2):
            with pytest.raises(ChatError) as caught:
                await client.complete(ASK)
            assert str(caught.value) == "malformed response: no choices[0].message.content"
        with pytest.raises(ChatError) as huge:
            await client.complete(ASK)
    assert str(huge.value) == "HTTP 200 with a body over 1048576 bytes"
    assert len(llm.requests) == 3


def test_repr_without_a_key() -> None:
    assert repr(
        ChatClient(
            "http://localhost:11434",
            "qwen3",
            key=None,
            max_tokens=1,
            temperature=0,
            timeout=1,
            backoff=client_for("http://x").backoff,
        )
    ) == ("ChatClient(url='http://localhost:11434/v1/chat/completions', model='qwen3', key=none)")


def _logged(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


async def test_a_reasoning_model_gets_the_request_adapted_once_and_for_good(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with (
        FakeOpenAI(key=SECRET, reasoning=True) as fake,
        client_for(fake.api_base, key=SECRET) as client,
    ):
        first = await client.complete(ASK)
        later = await asyncio.gather(*(client.complete(ASK) for _ in range(3)))
    assert all("What's New" in a.content for a in [first, *later])
    assert [r.status for r in fake.requests] == [400, 400, 200, 200, 200, 200]
    refused_limit, refused_temperature, *taken = fake.requests
    assert (refused_limit.max_tokens, refused_limit.temperature) == (1024, 0.2)
    assert refused_temperature.max_tokens is None
    assert refused_temperature.max_completion_tokens == 1024
    assert all(
        (r.max_tokens, r.max_completion_tokens, r.temperature) == (None, 1024, None) for r in taken
    )
    assert _logged(caplog, logging.INFO) == [
        "summaries: model fake-ko at 127.0.0.1 does not take max_tokens; requests send "
        "max_completion_tokens from now on",
        "summaries: model fake-ko at 127.0.0.1 does not take temperature; requests leave it "
        "out from now on",
    ]
    assert SECRET not in caplog.text


async def test_requests_under_way_when_the_model_refuses_adapt_without_logging_twice(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with FakeOpenAI(reasoning=True) as fake, client_for(fake.api_base) as client:
        answers = await asyncio.gather(*(client.complete(ASK) for _ in range(4)))
    assert all("What's New" in a.content for a in answers)
    assert len(_logged(caplog, logging.INFO)) == 2
    assert len(fake.answered) == 4 and len(fake.requests) <= 12  # each adapted at most twice


async def test_a_temperature_the_model_takes_is_kept(llm: FakeOpenAI) -> None:
    llm.reasoning = True
    async with client_for(llm.api_base, temperature=1.0) as client:
        await client.complete(ASK)
    assert [r.status for r in llm.requests] == [400, 200]
    assert (llm.requests[1].max_completion_tokens, llm.requests[1].temperature) == (1024, 1.0)


async def test_other_servers_are_sent_max_tokens(llm: FakeOpenAI) -> None:
    async with client_for(llm.api_base) as client:
        await client.complete(ASK)
        await client.complete(ASK)
    assert [(r.max_tokens, r.max_completion_tokens, r.temperature) for r in llm.requests] == [
        (1024, None, 0.2),
        (1024, None, 0.2),
    ]


async def test_any_other_400_fails_the_request_without_a_retry(llm: FakeOpenAI) -> None:
    llm.fail(Fault.BAD_REQUEST)
    async with client_for(llm.api_base) as client:
        with pytest.raises(ChatError) as caught:
            await client.complete(ASK)
        assert client.refused == set()
    assert str(caught.value).startswith("HTTP 400: This model's maximum context length")
    assert not caught.value.fatal
    assert [r.status for r in llm.requests] == [400]
