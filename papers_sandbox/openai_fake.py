"""A loopback OpenAI-compatible chat completions endpoint, with faults to switch on.

It answers as the OpenAI API does (`choices[0].message.content`, `usage`, errors as
`{"error": {"message", "type", "param", "code"}}`, 429 with `Retry-After` and
`retry-after-ms`), and its "model" writes the three Korean bullets of the source project
from the title and abstract it is sent, so a built day reads like a real one::

    async with FakeOpenAI() as llm:                      # http://127.0.0.1:PORT/v1
        llm.fail(Fault.RATE_LIMITED, times=1, retry_after=0.05)
        llm.fail(Fault.SLOW, match="Slow Paper", delay=30)
        llm.reasoning = True                             # refuse max_tokens and temperature
        ...                                              # point the bot at llm.api_base
        llm.requests                                     # what was asked, and answered
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
import socket
import time
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from typing import Any

from aiohttp import web

DEFAULT_MODEL = "fake-ko"
_TITLE = re.compile(r"^Title:\s*(.*)$", re.MULTILINE)
_ABSTRACT = re.compile(r"^Abstract:\s*(.*)$", re.MULTILINE | re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class Fault(StrEnum):
    RATE_LIMITED = "rate_limited"  # 429 rate_limit_exceeded, with Retry-After
    NO_QUOTA = "no_quota"  # 429 insufficient_quota: waiting does not help
    SERVER_ERROR = "server_error"  # `status` (500 by default) with an error body
    SLOW = "slow"  # answers after `delay` seconds
    PROSE = "prose"  # 200, but the answer is a paragraph without the three sections
    NOT_JSON = "not_json"  # 200 with a body that is not JSON
    NO_CHOICES = "no_choices"  # 200 with `choices: []`
    HUGE = "huge"  # 200 with an answer of 2 MiB
    BAD_REQUEST = "bad_request"  # 400 context_length_exceeded: the same request fails again


@dataclass(slots=True)
class FaultRule:
    """`fault` for requests whose paper text contains `match` (all when None), `times` times
    (always when None)."""

    fault: Fault
    match: str | None = None
    times: int | None = None
    status: int = 500
    retry_after: float = 1.0
    delay: float = 30.0

    def applies(self, text: str) -> bool:
        return (self.times is None or self.times > 0) and (self.match is None or self.match in text)


@dataclass(slots=True)
class ChatRequest:
    """One request as the fake saw it, and how it answered: `status` is None while it is
    being answered, `fault` is the one applied, `gave_up` says the client left before the
    answer (a timeout or a cancelled request)."""

    path: str
    model: str | None
    title: str
    instructions: str  # the system message: the prompt
    max_tokens: int | None
    authorization: str | None
    at: float  # the event loop's time when it arrived
    status: int | None = None
    fault: Fault | None = None
    gave_up: bool = False
    max_completion_tokens: int | None = None
    temperature: float | None = None  # None: not sent


@dataclass
class FakeOpenAI:
    """The endpoint on 127.0.0.1. `key`: the Bearer key it requires (None: any or none).
    `reasoning`: its models behave as OpenAI's reasoning models (o1, o3, o4-mini, gpt-5):
    a request with `max_tokens`, or a `temperature` other than 1, is refused with their 400s
    (`max_completion_tokens` is the limit they take)."""

    key: str | None = None
    reasoning: bool = False
    models: tuple[str, ...] = (DEFAULT_MODEL,)
    rules: list[FaultRule] = field(default_factory=list)
    requests: list[ChatRequest] = field(default_factory=list)
    port: int = 0
    most_at_once: int = 0  # the most requests it was answering at the same time
    _at_once: int = 0
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def api_base(self) -> str:
        """The base URL as hosted APIs give it (with `/v1`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def answered(self) -> list[ChatRequest]:
        return [r for r in self.requests if r.status == 200 and r.fault in (None, Fault.SLOW)]

    def fail(self, fault: Fault, **rule: Any) -> FaultRule:
        """Switch a fault on (see FaultRule for `match`, `times`, `status`, `retry_after`,
        `delay`); the first rule that applies to a request is used."""
        self.rules.append(FaultRule(fault, **rule))
        return self.rules[-1]

    async def start(self, port: int = 0) -> None:
        self._closing.clear()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        # A client that gives up on a slow answer ends its handler, as a server stops generating.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, handler_cancellation=True
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            self._closing.set()  # slow answers still under way end now
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # ---- handlers --------------------------------------------------------------------------

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            body = json.loads(await request.read())
        except ValueError:
            body = None
        seen = self._record(request, body)
        self._at_once += 1
        self.most_at_once = max(self.most_at_once, self._at_once)
        try:
            response = await self._respond(request, body, seen)
        except asyncio.CancelledError:
            seen.gave_up = True
            raise
        finally:
            self._at_once -= 1
        seen.status = response.status
        return response

    async def _respond(self, request: web.Request, body: object, seen: ChatRequest) -> web.Response:
        if not isinstance(body, dict):
            return _error(400, "We could not parse the JSON body.")
        auth = request.headers.get("Authorization")
        if self.key is not None and auth != f"Bearer {self.key}":
            given = (auth or "").removeprefix("Bearer ").strip()
            message = (
                f"Incorrect API key provided: {given}."
                if given
                else "You didn't provide an API key."
            )
            return _error(401, message, code="invalid_api_key")
        model, chat = body.get("model"), body.get("messages")
        if model not in self.models:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return _error(404, message, code="model_not_found")
        if not isinstance(chat, list) or not chat:
            return _error(400, "'messages' is a required property")
        if self.reasoning and (refusal := _reasoning_refusal(body)) is not None:
            return refusal
        text = _user_text(chat)
        rule = next((r for r in self.rules if r.applies(text)), None)
        if rule is None:
            return self._answer(model, text, body, None)
        seen.fault = rule.fault
        if rule.times is not None:
            rule.times -= 1
        if rule.fault is Fault.SLOW:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), rule.delay)
            return self._answer(model, text, body, None)
        return self._answer(model, text, body, rule)

    def _answer(
        self, model: str, text: str, body: dict[str, Any], rule: FaultRule | None
    ) -> web.Response:
        fault = rule.fault if rule is not None else None
        if rule is not None and fault is Fault.RATE_LIMITED:
            headers = {
                "Retry-After": str(math.ceil(rule.retry_after)),
                "retry-after-ms": str(round(rule.retry_after * 1000)),
                "x-ratelimit-remaining-requests": "0",
            }
            message = "Rate limit reached for requests. Please try again later."
            return _error(429, message, "requests", "rate_limit_exceeded", headers)
        if fault is Fault.NO_QUOTA:
            message = "You exceeded your current quota, please check your plan and billing."
            return _error(429, message, "insufficient_quota", "insufficient_quota")
        if rule is not None and fault is Fault.SERVER_ERROR:
            message = "The server had an error while processing your request. Sorry about that!"
            return _error(rule.status, message, "server_error")
        if fault is Fault.BAD_REQUEST:
            message = (
                "This model's maximum context length is 8192 tokens. However, your messages "
                "resulted in 9000 tokens. Please reduce the length of the messages."
            )
            return _error(400, message, code="context_length_exceeded", param="messages")
        if fault is Fault.NOT_JSON:
            return web.Response(text='{"choices": [', content_type="application/json")
        if fault is Fault.NO_CHOICES:
            return web.json_response(_completion(model, [], 0, 0))
        if fault is Fault.HUGE:
            body = {"choices": [{"message": {"role": "assistant", "content": "가" * 2**20}}]}
            return web.json_response(body)
        content = _prose(text) if fault is Fault.PROSE else korean_bullets(text)
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        finish = "stop"
        if isinstance(limit, int) and _tokens(content) > limit > 0:
            content, finish = content[: limit * 2], "length"  # ~2 characters a token in Korean
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "logprobs": None,
            "finish_reason": finish,
        }
        return web.json_response(_completion(model, [choice], _tokens(text), _tokens(content)))

    async def _models(self, request: web.Request) -> web.StreamResponse:
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "papers-sandbox"}
            for m in self.models
        ]
        return web.json_response({"object": "list", "data": data})

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return _error(404, f"Invalid URL ({request.method} {request.path})")

    def _record(self, request: web.Request, body: object) -> ChatRequest:
        fields = body if isinstance(body, dict) else {}
        chat = fields.get("messages")
        title = _TITLE.search(_user_text(chat)) if isinstance(chat, list) else None
        model, limit = fields.get("model"), fields.get("max_tokens")
        completion, temperature = fields.get("max_completion_tokens"), fields.get("temperature")
        seen = ChatRequest(
            request.path,
            model if isinstance(model, str) else None,
            title.group(1).strip() if title else "",
            _text_of(chat, "system") if isinstance(chat, list) else "",
            limit if isinstance(limit, int) else None,
            request.headers.get("Authorization"),
            asyncio.get_running_loop().time(),
            max_completion_tokens=completion if isinstance(completion, int) else None,
            temperature=temperature if isinstance(temperature, int | float) else None,
        )
        self.requests.append(seen)
        return seen


def _error(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    code: str | None = None,
    headers: dict[str, str] | None = None,
    param: str | None = None,
) -> web.Response:
    error = {"message": message, "type": kind, "param": param, "code": code}
    return web.json_response({"error": error}, status=status, headers=headers)


def _reasoning_refusal(body: dict[str, Any]) -> web.Response | None:
    """A reasoning model's 400 for the request, as OpenAI words them; None: it is taken."""
    if "max_tokens" in body:
        message = (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead."
        )
        return _error(400, message, code="unsupported_parameter", param="max_tokens")
    temperature = body.get("temperature")
    if temperature is not None and temperature != 1:
        message = (
            f"Unsupported value: 'temperature' does not support {temperature} with this "
            "model. Only the default (1) value is supported."
        )
        return _error(400, message, code="unsupported_value", param="temperature")
    return None


def _completion(model: str, choices: list[Any], prompt: int, answer: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{time.monotonic_ns():x}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": answer,
            "total_tokens": prompt + answer,
        },
    }


def _text_of(chat: list[Any], role: str) -> str:
    parts = [m.get("content") for m in chat if isinstance(m, dict) and m.get("role") == role]
    return "\n".join(p for p in parts if isinstance(p, str))


def _user_text(chat: list[Any]) -> str:
    return _text_of(chat, "user")


def _tokens(text: str) -> int:
    return max(1, len(text) // 2)


def _paper(text: str) -> tuple[str, list[str]]:
    title = _TITLE.search(text)
    abstract = _ABSTRACT.search(text)
    sentences = _SENTENCE.split(abstract.group(1).strip()) if abstract else []
    return (title.group(1).strip() if title else "this paper"), [s for s in sentences if s]


def korean_bullets(text: str) -> str:
    """The fake model's answer: the source project's three bullets, in Korean, from the paper."""
    title, sentences = _paper(text)
    first = sentences[0] if sentences else title
    middle = sentences[len(sentences) // 2] if sentences else title
    last = sentences[-1] if sentences else title
    return "\n".join(
        [
            f"- ***What's New***: 이 논문은 {title}을(를) 제안합니다. 핵심 내용: {first}",
            f"- ***Technical Details***: 제안된 방법의 세부 사항은 다음과 같습니다. {middle}",
            f"- ***Performance Highlights***: 논문이 보고한 결과입니다. {last}",
        ]
    )


def _prose(text: str) -> str:
    title, _ = _paper(text)
    return f"Sure! Here is a short summary of {title}: it is an interesting paper."
