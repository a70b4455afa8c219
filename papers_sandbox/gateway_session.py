"""Gateway connections and resumable sessions (framing, zlib-stream, sequence, replay)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from papers_sandbox.models import Json
from papers_sandbox.recorder import GatewayFrame, Recorder

REPLAY_BUFFER = 10_000


class Connection:
    """One websocket; frames go out in order through a writer task."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, recorder: Recorder) -> None:
        self.ws = ws
        self.request = request
        self.recorder = recorder
        self.session: Session | None = None
        self.closed_by_server = False
        compress = request.query.get("compress") == "zlib-stream"
        self._zlib = zlib.compressobj() if compress else None
        self._queue: asyncio.Queue[Json | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_loop())

    def send(self, frame: Json) -> None:
        self._queue.put_nowait(frame)

    async def _write_loop(self) -> None:
        while (frame := await self._queue.get()) is not None:
            try:
                if not self.ws.closed:
                    await self._transmit(frame)
            except (ConnectionError, RuntimeError):
                pass
            finally:
                self._queue.task_done()

    async def _transmit(self, frame: Json) -> None:
        text = json.dumps(frame)
        session_id = self.session.id if self.session else None
        self.recorder.add_frame(
            GatewayFrame(
                "sent",
                frame["op"],
                frame.get("t"),
                frame.get("s"),
                frame.get("d"),
                time.monotonic(),
                session_id,
            )
        )
        if self._zlib is None:
            await self.ws.send_str(text)
        else:
            data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)

    async def flush(self, seconds: float = 1.0) -> None:
        """Wait (at most ``seconds``) until queued frames have been written."""
        if self.ws.closed or self._writer.done():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), seconds)

    async def close(self, code: int | None) -> None:
        """Close with ``code``; ``None`` aborts the TCP connection (the client sees 1006)."""
        self._queue.put_nowait(None)
        self.closed_by_server = True
        if code is None:
            transport = self.request.transport
            if transport is not None:
                transport.abort()
        elif not self.ws.closed:
            await self.ws.close(code=code, message=b"sandbox")

    async def finish(self) -> None:
        self._queue.put_nowait(None)
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer


@dataclass
class Session:
    """A gateway session: survives disconnects until invalidated, so RESUME can replay."""

    id: str
    token: str
    intents: int
    shard: list[int] | None = None
    seq: int = 0
    alive: bool = True
    connection: Connection | None = None
    buffer: deque[Json] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))

    def dispatch(self, event: str, data: Any) -> Json:
        self.seq += 1
        frame: Json = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.buffer.append(frame)
        if self.connection is not None:
            self.connection.send(frame)
        return frame

    def replay_after(self, seq: int) -> list[Json]:
        return [frame for frame in self.buffer if frame["s"] > seq]

    def can_resume_from(self, seq: int | None) -> bool:
        """A RESUME works if nothing after ``seq`` fell out of the replay buffer."""
        if seq is None or not self.alive:
            return False
        return not self.buffer or self.buffer[0]["s"] <= seq + 1
