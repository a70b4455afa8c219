"""Everything the server received and sent, queryable by tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from papers_sandbox.routing import path_matches

if TYPE_CHECKING:
    from papers_sandbox.http_util import UploadedFile


@dataclass
class RecordedRequest:
    """One REST request, with the status the sandbox answered."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    time: float
    headers: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the uploaded files' names
    uploads: list[UploadedFile] = field(default_factory=list)  # ... and their bytes
    status: int | None = None
    response: Any = None
    response_headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class GatewayFrame:
    """One gateway payload; ``direction`` is ``"sent"`` (server->bot) or ``"received"``."""

    direction: str
    op: int
    t: str | None
    s: int | None
    d: Any
    time: float
    session_id: str | None = None


class Recorder:
    def __init__(self) -> None:
        self.request_log: list[RecordedRequest] = []
        self.frame_log: list[GatewayFrame] = []
        self._changed = asyncio.Event()

    def add_request(self, request: RecordedRequest) -> None:
        self.request_log.append(request)
        self._poke()

    def add_frame(self, frame: GatewayFrame) -> None:
        self.frame_log.append(frame)
        self._poke()

    def _poke(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def requests(
        self, method: str | None = None, path_glob: str | None = None, *, status: int | None = None
    ) -> list[RecordedRequest]:
        """Requests filtered by method, path glob (``*`` = one segment, ``**`` = any) and status."""
        return [
            r
            for r in self.request_log
            if (method is None or r.method == method.upper())
            and (path_glob is None or path_matches(path_glob, r.path))
            and (status is None or r.status == status)
        ]

    def frames(
        self,
        *,
        direction: str | None = None,
        op: int | None = None,
        t: str | None = None,
        since: float = 0.0,
    ) -> list[GatewayFrame]:
        return [
            f
            for f in self.frame_log
            if (direction is None or f.direction == direction)
            and (op is None or f.op == op)
            and (t is None or f.t == t)
            and f.time >= since
        ]

    async def wait_for(self, check: Callable[[], bool], seconds: float = 5.0) -> None:
        """Wait until ``check()`` holds, re-checking whenever something is recorded."""
        deadline = time.monotonic() + seconds
        while not check():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("condition not met within timeout")
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))
            except TimeoutError:
                continue
