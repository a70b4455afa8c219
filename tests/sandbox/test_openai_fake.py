"""The loopback OpenAI-compatible endpoint answers in the API's shapes, faults included."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from papers_sandbox.openai_fake import DEFAULT_MODEL, FakeOpenAI, Fault

PAPER = "Title: Fast Things\n\nAbstract: We make things fast. It is 2x faster."


def chat(content: str = PAPER, **extra: Any) -> dict[str, Any]:
    return {
        "model": DEFAULT_MODEL,
        "messages": [
            {"role": "system", "content": "Summarize."},
            {"role": "user", "content": content},
        ],
        **extra,
    }


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(
    http: aiohttp.ClientSession, fake: FakeOpenAI, body: object, **headers: str
) -> tuple[int, dict[str, str], Any]:
    url = f"{fake.api_base}/chat/completions"
    async with http.post(url, json=body, headers=headers) as resp:
        text = await resp.text()
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    return resp.status, dict(resp.headers), body


async def test_a_completion_has_the_apis_shape(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI() as fake:
        status, _, body = await post(http, fake, chat())
    assert status == 200
    assert body["object"] == "chat.completion" and body["model"] == DEFAULT_MODEL
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    lines = choice["message"]["content"].split("\n")
    assert [line.split(":")[0] for line in lines] == [
        "- ***What's New***",
        "- ***Technical Details***",
        "- ***Performance Highlights***",
    ]
    assert "Fast Things" in lines[0] and "2x faster" in lines[2]
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    (seen,) = fake.requests
    assert (seen.title, seen.status, seen.fault, seen.path) == (
        "Fast Things",
        200,
        None,
        "/v1/chat/completions",
    )


async def test_max_tokens_cuts_the_answer(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI() as fake:
        _, _, body = await post(http, fake, chat(max_tokens=10))
    assert body["choices"][0]["finish_reason"] == "length"
    assert len(body["choices"][0]["message"]["content"]) == 20


async def test_errors_have_the_apis_shape(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI(key="sk-right") as fake:
        status, _, body = await post(http, fake, chat(), Authorization="Bearer sk-wrong")
        assert (status, body["error"]["code"]) == (401, "invalid_api_key")
        assert body["error"]["message"] == "Incorrect API key provided: sk-wrong."
        assert set(body["error"]) == {"message", "type", "param", "code"}
        status, _, body = await post(http, fake, chat(), Authorization="Bearer sk-right")
        assert status == 200
        status, _, body = await post(
            http, fake, chat() | {"model": "gpt-9"}, Authorization="Bearer sk-right"
        )
        assert (status, body["error"]["code"]) == (404, "model_not_found")
        async with http.post(f"{fake.api_base}/completions", json={}) as resp:
            assert resp.status == 404
            assert "Invalid URL" in (await resp.json())["error"]["message"]
        async with http.get(f"{fake.api_base}/models") as resp:
            assert [m["id"] for m in (await resp.json())["data"]] == [DEFAULT_MODEL]


async def test_429_says_when_to_come_back_then_answers(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI() as fake:
        fake.fail(Fault.RATE_LIMITED, times=1, retry_after=1.5)
        status, headers, body = await post(http, fake, chat())
        assert status == 429 and body["error"]["code"] == "rate_limit_exceeded"
        assert (headers["Retry-After"], headers["retry-after-ms"]) == ("2", "1500")
        status, _, _ = await post(http, fake, chat())
        assert status == 200
        assert [r.fault for r in fake.requests] == [Fault.RATE_LIMITED, None]


async def test_faults_apply_to_the_papers_they_match(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI() as fake:
        fake.fail(Fault.SERVER_ERROR, match="Broken", status=503)
        fake.fail(Fault.PROSE, match="Chatty")
        fake.fail(Fault.NOT_JSON, match="Garbled")
        fake.fail(Fault.NO_CHOICES, match="Empty")
        fake.fail(Fault.NO_QUOTA, match="Broke")
        status, _, body = await post(http, fake, chat("Title: Broken\n\nAbstract: x."))
        assert (status, body["error"]["type"]) == (503, "server_error")
        _, _, body = await post(http, fake, chat("Title: Chatty\n\nAbstract: x."))
        assert "What's New" not in body["choices"][0]["message"]["content"]
        status, _, body = await post(http, fake, chat("Title: Garbled\n\nAbstract: x."))
        assert (status, body) == (200, None)
        _, _, body = await post(http, fake, chat("Title: Empty\n\nAbstract: x."))
        assert body["choices"] == []
        status, _, body = await post(http, fake, chat("Title: Broke\n\nAbstract: x."))
        assert (status, body["error"]["code"]) == (429, "insufficient_quota")
        status, _, _ = await post(http, fake, chat())
        assert status == 200
        assert [r.title for r in fake.answered] == ["Fast Things"]


async def test_a_slow_answer_comes_after_its_delay(http: aiohttp.ClientSession) -> None:
    async with FakeOpenAI() as fake:
        fake.fail(Fault.SLOW, delay=0.2)
        status, _, _ = await post(http, fake, chat())
        (seen,) = fake.requests
        assert status == 200 and seen.fault is Fault.SLOW
        assert fake.answered == [seen]
