"""The real PapersBot as papers-bot "processes" on the loopback server, sharing a database."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import discord

from bot.app import PapersBot
from bot.config import Config, HuggingFaceConfig
from bot.digest.parse import parse
from bot.features.daily.cog import Daily
from bot.features.daily.plan import Planned
from bot.features.daily.poster import Result
from bot.features.daily.runner import Runner
from bot.features.lookup.views import ResultLists, lists_of
from bot.models import PostStyle
from bot.store import Database, PaperStore
from bot.store.daily import DailyStore
from bot.store.subscriptions import Subscription
from papers_sandbox import SandboxServer
from papers_sandbox.models import Json
from papers_sandbox.scene import SceneClock

DAILY_DAY = dt.date(2025, 6, 2)
SEOUL = ZoneInfo("Asia/Seoul")
DAILY_POST_AT = dt.datetime(2025, 6, 2, 9, 0, tzinfo=SEOUL).astimezone(dt.UTC)
DAILY_TOKEN = "sandbox-daily-token"


def digest_markdown(day: dt.date, count: int) -> str:
    """A digest file of `count` papers with summaries long enough to fill embeds."""
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i in range(1, count + 1):
        arxiv = f"2506.{10000 + i:05d}"
        lines += [
            f"### [Paper {i}: learning things at scale, part {i}](https://arxiv.org/abs/{arxiv})",
            "",
            f"Vote: {200 - i}",
            "",
            f"Authors: Ada Lovelace, Alan Turing, Author {i}",
            "",
            f"- ***What's New***: Finding number {i}. " + "A sentence of substance. " * 16,
            "- ***Technical Details***: " + "Some detail here. " * 20,
            f"- ***Performance Highlights***: {i}% better.",
            "",
        ]
    return "\n".join(lines)


async def load_digest(db: Path, day: dt.date, count: int) -> None:
    store = await PaperStore.open(db)
    try:
        result = parse(digest_markdown(day, count))
        assert not result.problems, result.problems
        await store.ingest(f"{day.isoformat()}.md", result)
    finally:
        await store.close()


def daily_config(server: SandboxServer, db: Path) -> Config:
    """The bot's config against the sandbox: no sources (the test loads digests itself)."""
    base = Config()
    return dataclasses.replace(
        base,
        database=str(db),
        discord=dataclasses.replace(
            base.discord,
            api_base=server.api_base,
            gateway_url=server.gateway_url,
            sync_on_start=False,
        ),
        sources=dataclasses.replace(
            base.sources,
            folders=(),
            url_template=None,
            huggingface=HuggingFaceConfig(enabled=False),
        ),
    )


class DailyBot:
    """One papers-bot process: the real PapersBot (daily cog, runner, poster, pacer) with its
    own connection to a database file that other "processes" may share."""

    def __init__(
        self, server: SandboxServer, db: Path, clock: SceneClock, config: Config | None = None
    ) -> None:
        self.server, self.db, self.clock = server, db, clock
        self.config = config or daily_config(server, db)
        self._db: Database | None = None
        self._bot: PapersBot | None = None
        self._task: asyncio.Task[None] | None = None
        self._jobs: list[asyncio.Task[Any]] = []

    async def start(self) -> DailyBot:
        self._db = await Database.open(self.db)
        self._bot = PapersBot(self.config, self._db, clock=self.clock, guild_ready_timeout=0.1)
        self._task = asyncio.create_task(self._bot.start(DAILY_TOKEN))
        await asyncio.wait_for(self._bot.wait_until_ready(), 10)
        return self

    @property
    def bot(self) -> PapersBot:
        assert self._bot is not None, "start() first"
        return self._bot

    @property
    def cog(self) -> Daily:
        cog = self.bot.get_cog("Daily")
        assert isinstance(cog, Daily)
        return cog

    @property
    def runner(self) -> Runner:
        return self.cog.service.runner

    @property
    def ledger(self) -> DailyStore:
        return self.bot.daily_store

    @property
    def owner(self) -> str:
        return self.bot.instance_id

    async def subscribe(
        self, channel: str, *, style: str = "embeds", post_time: str = "09:00"
    ) -> Subscription:
        """What `/daily subscribe` saved, the day before (so today's post is due)."""
        found = self.server.channel(channel)
        assert found.guild_id is not None
        sub = Subscription(found.id, found.guild_id, post_time, "Asia/Seoul", PostStyle(style))
        await self.ledger.save_subscription(sub, self.clock() - dt.timedelta(days=1))
        return sub

    async def plan(self, channel: str, day: dt.date = DAILY_DAY) -> list[Planned]:
        """Exactly what this bot would post there (for comparing with the channel)."""
        channel_id = self.server.channel(channel).id
        sub = await self.ledger.subscription(channel_id)
        digest = await self.bot.store.digest(day)
        target = self.bot.get_channel(channel_id)
        assert sub is not None and digest is not None and isinstance(target, discord.TextChannel)
        return self.runner.plan(sub, digest, target, built=await self.runner.only_built(day))

    def run_due(self) -> asyncio.Task[object]:
        """A tick's work (`Runner.run_due(now)`) in the background."""
        task: asyncio.Task[object] = asyncio.create_task(self.runner.run_due(self.clock()))
        self._jobs.append(task)
        return task

    def post(self, sub: Subscription, day: dt.date = DAILY_DAY) -> asyncio.Task[Result]:
        task = asyncio.create_task(self.runner.post(sub, day))
        self._jobs.append(task)
        return task

    async def wait_settled(
        self, channel: str, day: dt.date = DAILY_DAY, within: float = 10
    ) -> None:
        """Until the ledger says the post is done (or skipped)."""
        channel_id = self.server.channel(channel).id
        async with asyncio.timeout(within):
            while True:
                state = await self.ledger.post_state(channel_id, day)
                if state is not None and state.status != "posting":
                    return
                await asyncio.sleep(0.02)

    async def kill(self) -> None:
        """Die mid-work: whatever is posting stops where it is (nothing released, finished
        or recorded afterwards), the connection and the database handle are dropped."""
        self.cog.tick.cancel()
        self.cog.poll.cancel()
        for job in self._jobs:
            job.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)
        await self.close()

    async def close(self) -> None:
        if self._bot is not None:
            await self._bot.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)
        if self._db is not None:
            await self._db.close()
        self._bot = self._task = self._db = None


def posted(server: SandboxServer, channel_id: int) -> list[tuple[str, list[Json]]]:
    """(content, embeds) of every message in a channel or thread, oldest first."""
    return [
        (str(m.get("content") or ""), list(m.get("embeds") or []))
        for m in server.world.messages(channel_id)
    ]


def expected(plan: list[Planned], *, in_thread: bool = False) -> list[tuple[str, list[Json]]]:
    """What the plan's messages look like once Discord stored them."""
    return [
        (p.content or "", [cast(Json, e.to_dict()) for e in p.embeds])
        for p in plan
        if p.in_thread == in_thread
    ]


def result_lists(bot: discord.Client) -> ResultLists:
    """The bot's open result lists (kept by its lookup cog)."""
    found = lists_of(bot)
    assert found is not None, "the lookup feature is not loaded"
    return found
