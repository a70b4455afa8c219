"""Response helpers (Discord's exact content type and error shapes) and body parsing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from aiohttp import BodyPartReader, web

from papers_sandbox.limits import Violation, invalid_form_body
from papers_sandbox.models import Json

UNKNOWN_CHANNEL = ("Unknown Channel", 10003)
UNKNOWN_GUILD = ("Unknown Guild", 10004)
UNKNOWN_MESSAGE = ("Unknown Message", 10008)
UNKNOWN_USER = ("Unknown User", 10013)
UNKNOWN_WEBHOOK = ("Unknown Webhook", 10015)
UNKNOWN_COMMAND = ("Unknown application command", 10063)
UNKNOWN_INTERACTION = ("Unknown interaction", 10062)
ALREADY_ACKNOWLEDGED = ("Interaction has already been acknowledged.", 40060)
EMPTY_MESSAGE = ("Cannot send an empty message", 50006)
CANNOT_EDIT_OTHERS = ("Cannot edit a message authored by another user", 50005)
THREAD_EXISTS = ("A thread has already been created for this message", 160004)
CANNOT_MESSAGE_USER = ("Cannot send messages to this user", 50007)
INVALID_JSON = ("The request body contains invalid JSON.", 50109)
ENTITY_TOO_LARGE = ("Request entity too large", 40005)
BAD_REQUEST = ("400: Bad Request", 0)
FILE_FIELD = re.compile(r"^files\[(\d+)\]$")


@dataclass
class UploadedFile:
    """One file part of a multipart body (discord.py names them ``files[n]``)."""

    field: str
    filename: str
    content_type: str
    data: bytes

    @property
    def index(self) -> int | None:
        """``n`` of a ``files[n]`` field: the id its ``attachments`` entry uses."""
        match = FILE_FIELD.match(self.field)
        return int(match.group(1)) if match else None

    def head(self, lines: int = 5) -> list[str]:
        """The first ``lines`` lines, decoded as UTF-8 (undecodable bytes replaced)."""
        return self.data.decode("utf-8-sig", errors="replace").splitlines()[:lines]


@dataclass
class ParsedBody:
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    multipart: bool = False

    @property
    def obj(self) -> Json:
        """The JSON body as a dict ({} when absent or not an object)."""
        return self.json if isinstance(self.json, dict) else {}


BODY_KEY: web.RequestKey[ParsedBody | None] = web.RequestKey("sandbox_body")
BODY_ERROR_KEY: web.RequestKey[DiscordError] = web.RequestKey("sandbox_body_error")
RATE_HEADERS_KEY: web.RequestKey[dict[str, str]] = web.RequestKey("sandbox_ratelimit", dict)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with ``Content-Type: application/json`` exactly: discord.py compares the header
    verbatim, so aiohttp's default ``; charset=utf-8`` suffix must not appear."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def no_content() -> web.Response:
    return web.Response(status=204)


def error_response(status: int, message: str, code: int) -> web.Response:
    return json_response({"message": message, "code": code}, status=status)


class DiscordError(Exception):
    """Raised by handlers; the middleware turns it into Discord's error response."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(f"{status}: {body.get('message')}")
        self.status = status
        self.body = body


def fail(status: int, error: tuple[str, int]) -> NoReturn:
    raise DiscordError(status, {"message": error[0], "code": error[1]})


def not_found(error: tuple[str, int]) -> NoReturn:
    fail(404, error)


def reject_invalid(violations: list[Violation]) -> None:
    """Raise Discord's 400 Invalid Form Body when there are violations."""
    if violations:
        raise DiscordError(400, invalid_form_body(violations))


async def parse_body(request: web.Request, upload_limit: int) -> ParsedBody:
    """The JSON body, or a multipart body's ``payload_json`` and files. Raises
    :class:`DiscordError` with Discord's answer for a body it would refuse: invalid JSON
    (50109), a malformed form (400), files over ``upload_limit`` bytes in all (413, 40005)."""
    if not request.body_exists:
        return ParsedBody()
    if request.content_type.startswith("multipart/"):
        body = await _parse_multipart(request)
        if sum(len(f.data) for f in body.files) > upload_limit:
            fail(413, ENTITY_TOO_LARGE)
        return body
    raw = await request.read()
    return ParsedBody(json=_json(raw))


def _json(raw: bytes | bytearray) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        fail(400, INVALID_JSON)


async def _parse_multipart(request: web.Request) -> ParsedBody:
    body = ParsedBody(multipart=True)
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                fail(400, BAD_REQUEST)  # nested multipart: not a form Discord takes
            data = await part.read(decode=False)
            if part.name == "payload_json":
                body.json = _json(data)
            elif part.filename is not None or FILE_FIELD.match(part.name or ""):
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                upload = UploadedFile(part.name or "", part.filename or "", content_type, data)
                body.files.append(upload)
    except (ValueError, AssertionError, RuntimeError):
        fail(400, BAD_REQUEST)  # aiohttp's complaints about a malformed multipart stream
    return body


def body_of(request: web.Request) -> ParsedBody:
    return request.get(BODY_KEY) or ParsedBody()


def snowflake_param(request: web.Request, name: str, error: tuple[str, int]) -> int:
    value = request.match_info.get(name, "")
    if not value.isdigit():
        not_found(error)
    return int(value)


def query_int(request: web.Request, name: str, default: int | None = None) -> int | None:
    value = request.query.get(name)
    if value is None or not value.lstrip("-").isdigit():
        return default
    return int(value)


def query_flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("1", "true", "yes")
