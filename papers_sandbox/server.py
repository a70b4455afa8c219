"""SandboxServer: a loopback Discord (REST + gateway) for the real discord.py client."""

# Waiting helpers take ``timeout=`` like discord.py's own ``wait_for``.
# ruff: noqa: ASYNC109

from __future__ import annotations

import socket
import time
from types import TracebackType

from aiohttp import web

from papers_sandbox import rest_core, rest_interactions, rest_messages
from papers_sandbox.context import API_PREFIX, CTX, GATEWAY_PATH, SandboxConfig, SandboxContext
from papers_sandbox.endpoints import EndpointSnapshot, current_endpoints, point_discord_py_at
from papers_sandbox.faults import Faults, Hold
from papers_sandbox.files import SentFile
from papers_sandbox.gateway import GatewayHub
from papers_sandbox.interaction_state import InteractionRegistry
from papers_sandbox.member import MemberActions
from papers_sandbox.middleware import sandbox_middleware
from papers_sandbox.models import Channel, Json
from papers_sandbox.ratelimits import RateLimiter
from papers_sandbox.recorder import GatewayFrame, RecordedRequest, Recorder
from papers_sandbox.world import World


class SandboxServer:
    """Fake Discord on 127.0.0.1. ``await start()``, point discord.py at ``api_base`` and
    ``gateway_url``, then drive it as members and inspect what the bot did."""

    def __init__(
        self,
        world: World | None = None,
        *,
        config: SandboxConfig | None = None,
        enforce_rate_limits: bool = False,
        global_rate_limit: int = 50,
    ) -> None:
        self.world = world or World.default()
        self.config = config or SandboxConfig()
        self.recorder = Recorder()
        self.faults = Faults()
        self.limiter = RateLimiter(enforce=enforce_rate_limits, global_per_second=global_rate_limit)
        self.gateway = GatewayHub(
            self.world, self.recorder, heartbeat_interval_ms=self.config.heartbeat_interval_ms
        )
        self.gateway.token = self.config.token
        self.gateway.ready_delay = self.config.ready_delay
        self.ctx = SandboxContext(
            self.world, self.recorder, self.faults, self.limiter, InteractionRegistry(),
            self.config, self.gateway,
        )  # fmt: skip
        self.member = MemberActions(self.ctx)
        self.invoke_command = self.member.invoke_command
        self.autocomplete = self.member.autocomplete
        self.click = self.member.click
        self.submit_modal = self.member.submit_modal
        self.say = self.member.say
        self.invoke_message_command = self.member.invoke_message_command
        self._runner: web.AppRunner | None = None
        self._port = 0

    # ---- lifecycle -----------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[sandbox_middleware], client_max_size=64 * 1024**2)
        app[CTX] = self.ctx
        rest_core.add_routes(app, API_PREFIX)
        rest_messages.add_routes(app, API_PREFIX)
        rest_interactions.add_routes(app, API_PREFIX)
        app.router.add_get(GATEWAY_PATH, self.gateway.handle)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (0 = a free port)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        self._port = sock.getsockname()[1]
        self._runner = web.AppRunner(self._build_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        self.ctx.base_url = f"http://{host}:{self._port}"
        self.gateway.resume_url = self.gateway_url

    async def stop(self) -> None:
        self.faults.release_all()  # held requests finish, so the runner can shut down
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        await self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def api_base(self) -> str:
        return self.ctx.api_base

    @property
    def gateway_url(self) -> str:
        return self.ctx.gateway_url

    def point_discord_py(self) -> EndpointSnapshot:
        """Point discord.py here; returns the previous endpoints for ``restore_endpoints``."""
        snapshot = current_endpoints()
        point_discord_py_at(self.api_base, self.gateway_url)
        return snapshot

    # ---- recording -----------------------------------------------------------------------

    def requests(
        self, method: str | None = None, path_glob: str | None = None, *, status: int | None = None
    ) -> list[RecordedRequest]:
        """REST requests received; paths are relative to ``/api/v10``."""
        return self.recorder.requests(method, path_glob, status=status)

    def frames(
        self, *, direction: str | None = None, op: int | None = None, t: str | None = None,
        since: float = 0.0,
    ) -> list[GatewayFrame]:  # fmt: skip
        return self.recorder.frames(direction=direction, op=op, t=t, since=since)

    async def wait_for_request(
        self, method: str, path_glob: str, *, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedRequest]:
        def done() -> bool:
            answered = self.requests(method, path_glob)
            return len([r for r in answered if r.status is not None]) >= count

        await self.recorder.wait_for(done, timeout)
        return self.requests(method, path_glob)

    async def wait_for_frame(
        self, *, t: str | None = None, op: int | None = None, direction: str = "sent",
        since: float = 0.0, timeout: float = 5.0,
    ) -> GatewayFrame:  # fmt: skip
        def found() -> bool:
            return bool(self.frames(direction=direction, op=op, t=t, since=since))

        await self.recorder.wait_for(found, timeout)
        return self.frames(direction=direction, op=op, t=t, since=since)[0]

    # ---- faults --------------------------------------------------------------------------

    def rate_limit(
        self,
        route_pattern: str,
        retry_after: float,
        count: int = 1,
        global_: bool = False,
        *,
        after: int = 0,
    ) -> None:
        """429 the next ``count`` matching requests, once ``after`` of them went through."""
        self.faults.rate_limit(route_pattern, retry_after, count, global_, after=after)

    def fail_next(
        self,
        route_pattern: str,
        n: int = 1,
        status: int = 500,
        *,
        after: int = 0,
        handled: bool = False,
    ) -> None:
        """Fail the next ``n`` matching requests (once ``after`` went through). ``handled``:
        the request takes effect and only its answer is lost (replaced by the error)."""
        self.faults.fail_next(route_pattern, n, status, after=after, handled=handled)

    def hold(
        self, route_pattern: str, *, skip: int = 0, count: int = 1, after_handling: bool = False
    ) -> Hold:
        """Leave the next ``count`` matching requests (after ``skip``) unanswered until
        ``hold.release()`` (or :meth:`stop`), e.g. to kill a client mid-request. With
        ``after_handling`` the request takes effect first: the crash-after-send gap."""
        return self.faults.hold(
            route_pattern, skip=skip, count=count, after_handling=after_handling
        )

    def forbid_channel(self, channel_id: int) -> None:
        self.faults.forbid_channel(channel_id)

    def delete_channel(self, channel_id: int, *, notify: bool = True) -> Channel | None:
        """Remove a channel: its routes answer 404 Unknown Channel from now on."""
        channel = self.world.remove_channel(channel_id)
        if channel is not None and notify and channel.guild_id is not None:
            event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
            self.gateway.dispatch(event, channel.payload())
        return channel

    def enforce_rate_limits(self, enabled: bool = True, *, global_per_second: int = 50) -> None:
        """Discord-like buckets (5 messages / 5 s per channel, ...) and a global limit."""
        self.limiter.enforce = enabled
        self.limiter.global_per_second = global_per_second
        self.limiter.reset()

    async def drop_gateway(self, code: int | None = 4000) -> float:
        """Close the bot's websocket (``None`` = abort, seen as 1006). Returns the drop time,
        usable as ``since`` for :meth:`wait_for_frame`."""
        await self.gateway.drop(code)
        return self.gateway.last_drop

    async def wait_resumed(self, timeout: float = 5.0) -> GatewayFrame:
        """Wait for the RESUMED dispatch that follows the last drop."""
        return await self.wait_for_frame(t="RESUMED", since=self.gateway.last_drop, timeout=timeout)

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        await self.gateway.invalidate(resumable=resumable)

    def request_reconnect(self) -> None:
        self.gateway.request_reconnect()

    def dispatch(self, event: str, data: Json) -> int:
        """Send any gateway dispatch to the bot."""
        return self.gateway.dispatch(event, data)

    # ---- world shortcuts -----------------------------------------------------------------

    def channel(self, ref: int | str, guild_id: int | None = None) -> Channel:
        return self.world.channel(ref, guild_id)

    def messages(self, channel: int | str, *, include_ephemeral: bool = False) -> list[Json]:
        channel_id = self.world.channel(channel).id
        return self.world.messages(channel_id, include_ephemeral=include_ephemeral)

    # ---- members' DMs and files ---------------------------------------------------------

    def dms(self, user: int | str) -> list[Json]:
        """What the bot sent ``user`` directly, oldest first ([] if it never opened a DM)."""
        return self.world.dms(self.world.user(user).id)

    def close_dms(self, user: int | str, *, guild_id: int | None = None) -> None:
        """The member turns off "Allow direct messages from server members" (in one guild or
        all they share with the bot): messages to them answer 403 with code 50007."""
        self.world.set_dms_allowed(self.world.user(user).id, False, guild_id)

    def open_dms(self, user: int | str, *, guild_id: int | None = None) -> None:
        self.world.set_dms_allowed(self.world.user(user).id, True, guild_id)

    def remove_member(
        self, user: int | str, *, guild_id: int | None = None, notify: bool = True
    ) -> None:
        """The member leaves a guild (the first one by default); GUILD_MEMBER_REMOVE reaches
        sessions with the members intent. Sharing no guild any more, they cannot be DMed."""
        guild = self.world.guild(guild_id)
        found = self.world.remove_member(guild.id, self.world.user(user).id)
        if found is not None and notify:
            self.gateway.dispatch(
                "GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": found.user.payload()}
            )

    def files(self, message: Json | int) -> list[SentFile]:
        """A message's attachments with the bytes uploaded: ``.filename``, ``.text``,
        ``.head(5)``."""
        return self.world.files(message)

    def now(self) -> float:
        """The clock used for recording times (``time.monotonic``)."""
        return time.monotonic()
