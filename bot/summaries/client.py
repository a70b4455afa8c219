"""A client of the OpenAI-compatible chat completions protocol (`POST .../chat/completions`).

Hosted APIs and local servers (vLLM, Ollama, llama.cpp, LM Studio) speak it alike. The key
comes from PAPERS_BOT_LLM_KEY only; it goes into the Authorization header and nowhere else:
not into reprs, errors or logs (an error body that quotes it has it replaced).

Requests carry `max_tokens`, which every server takes but OpenAI's reasoning models (o1, o3,
o4-mini, the gpt-5 family): they answer 400 `unsupported_parameter` and want
`max_completion_tokens`, and refuse a `temperature` other than their default with 400
`unsupported_value` (or `unsupported_parameter`). Such a 400 is answered by sending the same
request again adapted, and the client keeps the adaptation for the rest of the process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
import os
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp

log = logging.getLogger(__name__)
KEY_VAR = "PAPERS_BOT_LLM_KEY"
MAX_BODY_BYTES = 1024 * 1024  # a chat completion of a few thousand tokens is a few KB
_KEY = re.compile(r"[\x21-\x7e]+")  # one header value: printable ASCII, no spaces
_VERSION = re.compile(r"/v\d+[a-z0-9]*$")
# "Unsupported parameter: 'max_tokens' is not supported with this model. Use ..." and
# "Unsupported value: 'temperature' does not support 0.2 with this model. ...": the param
# is named in the message too, for proxies that pass the message on without `param`.
_UNSUPPORTED = re.compile(r"^Unsupported (?:parameter|value): '(\w+)'")
_UNSUPPORTED_CODES = ("unsupported_parameter", "unsupported_value")
ADAPTABLE = ("max_tokens", "temperature")  # what a reasoning model's 400 can be adapted for


class ChatError(Exception):
    """A request that brought no answer. `fatal`: every other request would fail the same way
    (a refused key, an unknown model or URL, no quota), so there is no point sending them.
    `transient`: the server was busy, down or slow (a timeout, 429, 5xx, a dropped
    connection), so the same request may well succeed later."""

    def __init__(self, reason: str, *, fatal: bool = False, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.fatal, self.transient = reason, fatal, transient


class BadKey(ValueError):
    """PAPERS_BOT_LLM_KEY cannot be sent as a header (the message does not quote it)."""


def key_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The key, or None for a server that needs none (a local vLLM or Ollama)."""
    key = (os.environ if env is None else env).get(KEY_VAR, "").strip()
    if not key:
        return None
    if not _KEY.fullmatch(key):
        raise BadKey(
            f"the key in {KEY_VAR} contains a line break, space, control or non-ASCII "
            "character (it is not printed here); set it to the key alone"
        )
    return key


def chat_url(api_base: str) -> str:
    """The chat completions URL of a base given with or without its version, or in full:
    `http://localhost:11434` and `http://localhost:11434/v1` both mean
    `http://localhost:11434/v1/chat/completions`; other paths get `/chat/completions`."""
    base = api_base.strip().rstrip("/")
    path = urlsplit(base).path
    if path.endswith("/chat/completions"):
        return base
    if not path:
        return f"{base}/v1/chat/completions"
    return f"{base}/chat/completions"


@dataclass(frozen=True, slots=True)
class Backoff:
    """How failed requests are tried again: on 429 (after the server's Retry-After when it
    gives one) and on 5xx or a dropped connection (after `first` seconds, doubling)."""

    retries: int = 3
    first: float = 1.0
    longest: float = 30.0  # no wait is longer: a longer Retry-After is not waited for

    def delay(self, attempt: int) -> float:
        """Seconds before try `attempt + 1` (0-based), with jitter so requests spread out."""
        return min(self.longest, self.first * 2.0**attempt * random.uniform(0.75, 1.25))


@dataclass(frozen=True, slots=True)
class Completion:
    content: str
    finish_reason: str | None
    total_tokens: int | None


class ChatClient:
    """Chat completions from one model at one endpoint, over one HTTP session."""

    def __init__(
        self,
        api_base: str,
        model: str,
        *,
        key: str | None,
        max_tokens: int,
        temperature: float,
        timeout: float,
        backoff: Backoff,
    ) -> None:
        self.url = chat_url(api_base)
        self.model = model
        self._key = key
        self.max_tokens, self.temperature = max_tokens, temperature
        self.timeout, self.backoff = timeout, backoff
        self._session: aiohttp.ClientSession | None = None
        self.refused: set[str] = set()  # of ADAPTABLE, those the model refused: kept from now on

    def __repr__(self) -> str:
        key = "set" if self._key else "none"
        return f"ChatClient(url={self.url!r}, model={self.model!r}, key={key})"

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        """Whether an HTTP session (and its connections) is open."""
        return self._session is not None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "[key]") if self._key else text

    def payload(self, messages: Sequence[Mapping[str, str]]) -> dict[str, Any]:
        """The request's body, as the model takes it (see `refused`)."""
        payload: dict[str, Any] = {"model": self.model, "messages": list(messages)}
        limit = "max_completion_tokens" if "max_tokens" in self.refused else "max_tokens"
        payload[limit] = self.max_tokens
        if "temperature" not in self.refused:
            payload["temperature"] = self.temperature
        return payload

    def _adapt(self, param: str) -> None:
        if param in self.refused:
            return  # another request under way learned it first
        self.refused.add(param)
        then = "send max_completion_tokens" if param == "max_tokens" else "leave it out"
        log.info(
            "summaries: model %s at %s does not take %s; requests %s from now on",
            self.model, urlsplit(self.url).hostname, param, then,
        )  # fmt: skip

    async def complete(self, messages: Sequence[Mapping[str, str]]) -> Completion:
        """The model's answer to `messages`; ChatError when none came (after the retries)."""
        attempt = 0
        while True:
            payload = self.payload(messages)
            outcome = await self._try(payload, attempt)
            if isinstance(outcome, Completion):
                return outcome
            if isinstance(outcome, _Refused):  # the same request again at once, adapted
                self._adapt(outcome.param)
                continue
            if attempt >= self.backoff.retries:
                raise outcome.error
            log.debug("chat request failed (%s); again in %.2f s", outcome.error, outcome.delay)
            await asyncio.sleep(outcome.delay)
            attempt += 1

    async def _try(self, payload: dict[str, Any], attempt: int) -> Completion | _Retry | _Refused:
        """One request: the answer, or when to try again; ChatError when trying again is no use."""
        try:
            async with asyncio.timeout(self.timeout):
                status, headers, body = await self._post(payload)
        except TimeoutError:
            raise ChatError(f"no answer within {self.timeout:g} s", transient=True) from None
        except aiohttp.ClientError as e:
            reason = self._redact(f"cannot reach {urlsplit(self.url).netloc}: {e}")
            return _Retry(self.backoff.delay(attempt), ChatError(reason, transient=True))
        if status == 200:
            return _completion(body)
        message = self._redact(_error_message(body))
        what = f"HTTP {status}" + (f": {message}" if message else "")
        if status == 429:
            if _error_code(body) == "insufficient_quota":
                raise ChatError(what, fatal=True)
            wait = _retry_after(headers)
            if wait is not None and wait > self.backoff.longest:
                raise ChatError(f"{what} (rate limited for {wait:g} s)", transient=True)
            busy = ChatError(what, transient=True)
            return _Retry(self.backoff.delay(attempt) if wait is None else wait, busy)
        if status >= 500:
            return _Retry(self.backoff.delay(attempt), ChatError(what, transient=True))
        if status == 400 and (param := _refused_param(body)) in payload and param in ADAPTABLE:
            return _Refused(param)  # not sent again once adapted: this cannot repeat
        raise ChatError(what, fatal=status in (401, 403, 404))

    async def _post(self, payload: dict[str, Any]) -> tuple[int, Mapping[str, str], bytes]:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers())
        async with self._session.post(self.url, json=payload) as resp:
            body = bytearray()
            async for chunk in resp.content.iter_chunked(64 * 1024):
                body += chunk
                if len(body) > MAX_BODY_BYTES:  # not an answer: the rest is left unread
                    raise ChatError(f"HTTP {resp.status} with a body over {MAX_BODY_BYTES} bytes")
            return resp.status, resp.headers, bytes(body)

    def _headers(self) -> dict[str, str]:
        headers = {"User-Agent": "papers-bot", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        return headers


@dataclass(frozen=True, slots=True)
class _Retry:
    delay: float
    error: ChatError


@dataclass(frozen=True, slots=True)
class _Refused:
    param: str  # of ADAPTABLE: the request parameter the model does not take


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _completion(body: bytes) -> Completion:
    data = _json(body)
    try:
        choice = data["choices"][0]  # type: ignore[index]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ChatError("malformed response: no choices[0].message.content") from None
    reason = choice.get("finish_reason") if isinstance(choice, dict) else None
    if not isinstance(content, str) or not content.strip():
        # a reasoning model that spent the whole limit thinking answers nothing
        cut = " (cut at the token limit)" if reason == "length" else ""
        raise ChatError(f"empty answer{cut}")
    usage = data.get("usage") if isinstance(data, dict) else None
    tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
    return Completion(
        content,
        reason if isinstance(reason, str) else None,
        tokens if isinstance(tokens, int) else None,
    )


def _error_field(body: bytes, name: str) -> str:
    data = _json(body)
    error = data.get("error") if isinstance(data, dict) else None
    value = error.get(name) if isinstance(error, dict) else error if name == "message" else None
    return " ".join(value.split())[:200] if isinstance(value, str) else ""


def _error_message(body: bytes) -> str:
    """OpenAI's `{"error": {"message": ...}}` (or a bare `{"error": "..."}`, as Ollama says)."""
    return _error_field(body, "message")


def _error_code(body: bytes) -> str:
    return _error_field(body, "code")


def _refused_param(body: bytes) -> str | None:
    """The parameter a 400 says the model does not take (OpenAI's `unsupported_parameter`
    and `unsupported_value`), or None for any other 400."""
    message = _error_message(body)
    named = _UNSUPPORTED.match(message)
    param = _error_field(body, "param") or (named.group(1) if named else "")
    if _error_code(body) in _UNSUPPORTED_CODES or (named and named.group(1) == param):
        return param or None
    return None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `retry-after-ms` (OpenAI's) or `Retry-After` (seconds or a date)."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
