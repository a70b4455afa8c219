"""The websocket gateway: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from papers_sandbox.gateway_session import Connection, Session
from papers_sandbox.intents import filter_dispatch
from papers_sandbox.models import Json
from papers_sandbox.recorder import GatewayFrame, Recorder
from papers_sandbox.world import World

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
CLEAN_CLOSE_CODES = (1000, 1001)


def _unsupported(version: str, encoding: str) -> int | None:
    """4012 Invalid API version / 4002 Decode error for what the sandbox cannot speak."""
    if version not in ("9", "10"):
        return 4012
    return 4002 if encoding != "json" else None


class GatewayHub:
    def __init__(self, world: World, recorder: Recorder, *, heartbeat_interval_ms: int) -> None:
        self.world = world
        self.recorder = recorder
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.resume_url = ""
        self.token: str | None = None
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.last_drop = 0.0
        self.ready_delay = 0.0  # seconds between IDENTIFY and READY, like a slow real login
        self._closing: set[asyncio.Future[None]] = set()
        self.connection_queries: list[dict[str, str]] = []  # ?v=10&encoding=json&compress=...

    # ---- server -> bot -------------------------------------------------------------------

    def dispatch(self, event: str, data: Any) -> int:
        """Send a dispatch to every live session (buffered while disconnected). Returns
        how many sessions it was queued for."""
        count = 0
        for session in self.sessions.values():
            if not session.alive:
                continue
            filtered = filter_dispatch(event, data, session.intents, self.world.bot_user.id)
            if filtered is not None:
                session.dispatch(event, filtered)
                count += 1
        return count

    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.alive]

    def connected(self) -> bool:
        return any(s.connection is not None for s in self.live_sessions())

    async def drop(self, code: int | None = 4000) -> None:
        """Close every gateway socket: a 4000-class code or ``None`` (abort, seen as 1006)
        keeps the sessions resumable."""
        self.last_drop = time.monotonic()
        for connection in list(self.connections):
            await connection.flush()
            if connection.session is not None:
                connection.session.connection = None
            await connection.close(code)

    async def invalidate(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION to every connection."""
        for connection in list(self.connections):
            if connection.session is not None and not resumable:
                connection.session.alive = False
            connection.send({"op": INVALID_SESSION, "d": resumable})

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT (the client closes and resumes)."""
        for connection in list(self.connections):
            connection.send({"op": RECONNECT, "d": None})

    async def close_all(self) -> None:
        for connection in list(self.connections):
            await connection.close(1001)
        self.sessions.clear()

    # ---- websocket handler ---------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.connection_queries.append(dict(request.query))
        code = _unsupported(request.query.get("v", "10"), request.query.get("encoding", "json"))
        if code is not None:
            await ws.close(code=code, message=b"unsupported gateway version or encoding")
            return ws
        connection = Connection(ws, request, self.recorder)
        self.connections.add(connection)
        hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["sandbox-gateway"]}
        connection.send({"op": HELLO, "d": hello})
        try:
            await self._receive_loop(connection)
        finally:
            self._detach(connection)
            await connection.finish()
        return ws

    async def _receive_loop(self, connection: Connection) -> None:
        async for msg in connection.ws:
            if msg.type is WSMsgType.TEXT:
                await self._on_payload(connection, json.loads(msg.data))
            elif msg.type is WSMsgType.ERROR:
                return

    def _detach(self, connection: Connection) -> None:
        self.connections.discard(connection)
        session = connection.session
        if session is None or session.connection is not connection:
            return
        session.connection = None
        if connection.ws.close_code in CLEAN_CLOSE_CODES and not connection.closed_by_server:
            session.alive = False  # the bot logged off: Discord ends the session

    async def _on_payload(self, connection: Connection, payload: Json) -> None:
        op = int(payload.get("op", -1))
        data = payload.get("d")
        session_id = connection.session.id if connection.session else None
        frame = GatewayFrame("received", op, None, None, data, time.monotonic(), session_id)
        self.recorder.add_frame(frame)
        if op == HEARTBEAT:
            connection.send({"op": HEARTBEAT_ACK, "d": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif op == REQUEST_MEMBERS:
            self._members_chunk(connection, data or {})

    async def _identify(self, connection: Connection, data: Json) -> None:
        if self.token is not None and data.get("token") != self.token:
            await connection.close(4004)
            return
        session = Session(
            uuid.uuid4().hex, str(data.get("token")), int(data.get("intents", 0)), data.get("shard")
        )
        self.sessions[session.id] = session
        self._attach(connection, session)
        if self.ready_delay > 0:
            await asyncio.sleep(self.ready_delay)
        session.dispatch("READY", self._ready_payload(session))
        for guild in self.world.guilds.values():
            session.dispatch("GUILD_CREATE", guild.create_payload())

    def _attach(self, connection: Connection, session: Session) -> None:
        old = session.connection
        if old is not None and old is not connection:
            old.session = None
            closing = asyncio.ensure_future(old.close(4000))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
        connection.session = session
        session.connection = connection

    def _ready_payload(self, session: Session) -> Json:
        user = {**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False}
        ready: Json = {
            "v": 10,
            "user": user,
            "guilds": [{"id": str(g), "unavailable": True} for g in self.world.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url,
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": ["sandbox"],
            "guild_join_requests": [],
            "_trace": ["sandbox-gateway"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        return ready

    async def _resume(self, connection: Connection, data: Json) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        resumable = session is not None and session.can_resume_from(seq)
        if session is None or not resumable or data.get("token") != session.token:
            await asyncio.sleep(0.05)
            connection.send({"op": INVALID_SESSION, "d": False})
            return
        self._attach(connection, session)
        for frame in session.replay_after(int(seq or 0)):
            connection.send(frame)
        session.dispatch("RESUMED", {"_trace": ["sandbox-gateway"]})

    def _members_chunk(self, connection: Connection, data: Json) -> None:
        guild_id = int(data.get("guild_id", 0))
        guild = self.world.guilds.get(guild_id)
        if guild is None or connection.session is None:
            return
        members = [m.payload() for m in guild.members.values()]
        chunk: Json = {
            "guild_id": str(guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        connection.session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
