"""`papers-bot sandbox`: the real bot against the loopback Discord, played as members would."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import tempfile
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app import PapersBot
from bot.config import Config
from bot.digest.ingest import find_files, load_files
from bot.digest.parse import parse
from bot.store import Database
from papers_sandbox.endpoints import restore_endpoints
from papers_sandbox.huggingface import FakeHuggingFace, fake_item
from papers_sandbox.interaction_payloads import custom_ids
from papers_sandbox.openai_fake import DEFAULT_MODEL as MODEL
from papers_sandbox.openai_fake import FakeOpenAI
from papers_sandbox.server import SandboxServer
from papers_sandbox.transcript import Transcript

log = logging.getLogger(__name__)
SEOUL = ZoneInfo("Asia/Seoul")
TOKEN = "sandbox-token"
SCENE_TIMEOUT = 100.0


class SceneClock:
    """The bot's idea of now: set by the scene, so the daily post can happen on cue."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def sample_folder() -> Path:
    return Path(str(resources.files("papers_sandbox").joinpath("sample")))


# A day the Korean source never published: the fake Hugging Face API lists its papers.
BUILT_DAY = dt.date(2025, 5, 12)
BUILT_PAPER = "2505.06001"


def hf_papers() -> list[dict[str, Any]]:
    """The fake Hugging Face API's Daily Papers of BUILT_DAY."""
    papers = [
        ("Sparse Mixture Routers Learn to Plan", 41, "Routers that plan ahead cut compute."),
        ("Video Tokens at Scale: A Benchmark", 27, None),
        ("Reward Models That Read the Code", 12, "Reward models that execute code agree more."),
    ]
    return [
        fake_item(
            f"2505.0600{n}",
            day=BUILT_DAY,
            title=title,
            upvotes=votes,
            ai_summary=ai_summary,
            abstract=(
                f"{title} is studied on public benchmarks. We propose a simple method. "
                "It improves accuracy by 3.2 points, e.g. on long inputs. Code is released."
            ),
            authors=["Minji Kim", "Alex Chen", f"Author {n}"],
        )
        for n, (title, votes, ai_summary) in enumerate(papers, 1)
    ]


def scene_config(server: SandboxServer, db: Path, hf_api: str = "") -> Config:
    base = Config()
    huggingface = dataclasses.replace(
        base.sources.huggingface,
        enabled=bool(hf_api),
        api_base=hf_api or base.sources.huggingface.api_base,
        folder=str(db.parent / "built"),
    )
    return dataclasses.replace(
        base,
        database=str(db),
        discord=dataclasses.replace(
            base.discord, api_base=server.api_base, gateway_url=server.gateway_url
        ),
        sources=dataclasses.replace(
            base.sources,
            folders=(str(sample_folder()),),
            url_template=None,
            huggingface=huggingface,
        ),
    )


@contextlib.asynccontextmanager
async def running_world(
    clock: SceneClock, workdir: Path, *, korean_summaries: bool = False
) -> AsyncIterator[tuple[SandboxServer, PapersBot]]:
    """Loopback server + the real bot (with the sample digests loaded), torn down after;
    `korean_summaries`: built days get Korean bullets from a loopback chat endpoint."""
    server = SandboxServer()
    await server.start()
    snapshot = server.point_discord_py()
    hf = FakeHuggingFace()
    hf.add_day(BUILT_DAY, hf_papers())
    hf_api = await hf.start()
    llm = FakeOpenAI()
    database = await Database.open(workdir / "papers.db")
    config = scene_config(server, workdir / "papers.db", hf_api)
    if korean_summaries:
        await llm.start()
        summaries = dataclasses.replace(config.summaries, api_base=llm.api_base, model=MODEL)
        config = dataclasses.replace(config, summaries=summaries)
    bot = PapersBot(config, database, clock=clock, guild_ready_timeout=0.2)
    task: asyncio.Task[None] | None = None
    try:
        files, _ = find_files([str(sample_folder())])
        await load_files(bot.store, files)
        task = asyncio.create_task(bot.start(TOKEN))
        await asyncio.wait_for(bot.wait_until_ready(), 15)
        yield server, bot
    finally:
        await bot.close()
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, 5)
        await database.close()
        await hf.stop()
        await llm.stop()
        await server.stop()
        restore_endpoints(snapshot)


async def _show(t: Transcript, server: SandboxServer, who: str, command: str, **kw: Any) -> Any:
    t.member(who, command)
    name, *_ = command.lstrip("/").split()
    result = await server.invoke_command(name, user=who, channel_id="papers", **kw)
    for message in result.messages:
        t.message(message)
    if not result.answered:
        t.say("  (no answer: this is a bug)")
    return result


async def play(t: Transcript, server: SandboxServer, bot: PapersBot, clock: SceneClock) -> None:
    t.step("Looking papers up")
    await _show(t, server, "minji", "/paper query:2505.03011", options={"query": "2505.03011"})
    await _show(
        t, server, "alex", "/search query:강화 학습", options={"query": "강화 학습"}, locale="ko"
    )
    await _show(
        t,
        server,
        "minji",
        "/search query:reward sort:votes",
        options={"query": "reward", "sort": "votes"},
    )
    result = await _show(t, server, "minji", "/search query:모델", options={"query": "모델"})
    t.step("Turning the page")
    t.member("minji", "clicks ▶️")
    (turn,) = [i for i in custom_ids(result.message["components"]) if i.endswith(":next")]
    await server.click(result.message, turn, user="minji")
    page = server.world.find_message(int(result.message["id"]))  # edited in place
    if page is not None:
        t.message(page)
    t.step("An admin subscribes #papers to the daily digest")
    options = {"channel": "papers", "time": "09:00", "timezone": "Asia/Seoul"}
    await _show(t, server, "sandbox-owner", "/daily subscribe channel:#papers time:09:00",
                options=options, subcommand="subscribe")  # fmt: skip
    await _daily_post(t, server, bot, clock)
    await _show(t, server, "sandbox-owner", "/daily status", subcommand="status")
    await _built_post(t, server, bot, clock)
    query = {"query": BUILT_PAPER}
    await _show(t, server, "minji", f"/paper query:{BUILT_PAPER}", options=query)
    await _show(t, server, "sandbox-owner", "/daily status", subcommand="status")
    await _follow_and_alert(t, server, bot, clock)
    await _save_and_export(t, server)


async def _daily_post(
    t: Transcript, server: SandboxServer, bot: PapersBot, clock: SceneClock
) -> None:
    clock.now = dt.datetime(2025, 5, 9, 9, 0, 5, tzinfo=SEOUL).astimezone(dt.UTC)
    t.step("09:00 in Seoul, 2025-05-09: the daily post")
    before = len(server.messages("papers"))
    cog = bot.get_cog("Daily")
    assert cog is not None
    cog.tick.restart()  # type: ignore[attr-defined]
    await _settle(lambda: len(server.messages("papers")))
    for message in server.messages("papers")[before:]:
        t.message(message)


async def _built_post(
    t: Transcript, server: SandboxServer, bot: PapersBot, clock: SceneClock
) -> None:
    """A day the Korean source missed: at post time the bot builds it from (the fake)
    Hugging Face, again once Hugging Face's day is complete (23:00 UTC, 08:00 in Seoul), and
    the next morning's 09:00 post carries the whole day."""
    clock.now = dt.datetime.combine(BUILT_DAY, dt.time(9, 0, 5), SEOUL).astimezone(dt.UTC)
    t.step(f"09:00 in Seoul, {BUILT_DAY}: no Korean digest, so the day is built from Hugging Face")
    before = len(server.messages("papers"))
    cog = bot.get_cog("Daily")
    assert cog is not None
    cog.tick.restart()  # type: ignore[attr-defined]  # the deadline has passed: builds the day
    for _ in range(200):
        if await bot.store.digest(BUILT_DAY) is not None:
            break
        await asyncio.sleep(0.05)
    t.say(f"Hugging Face lists {BUILT_DAY}'s papers through the day: the post waits for all")
    t.say("of them, to the next morning's post.")
    next_day = BUILT_DAY + dt.timedelta(days=1)
    t.step("23:00 UTC (08:00 in Seoul): Hugging Face's day is complete; built again")
    clock.now = dt.datetime.combine(BUILT_DAY, dt.time(23, 0, 5), dt.UTC)
    cog.tick.restart()  # type: ignore[attr-defined]  # the day is built again, complete
    for _ in range(200):
        found = await bot.store.days(prefix=BUILT_DAY.isoformat(), limit=1)
        if found and not found[0].incomplete:
            break
        await asyncio.sleep(0.05)
    t.step(f"09:00 in Seoul, {next_day}: the post carries Hugging Face's whole {BUILT_DAY}")
    clock.now = dt.datetime.combine(next_day, dt.time(9, 0, 5), SEOUL).astimezone(dt.UTC)
    cog.tick.restart()  # type: ignore[attr-defined]  # the post time: post it
    await _settle(lambda: len(server.messages("papers")) - before)
    for message in server.messages("papers")[before:]:
        t.message(message)


async def _follow_and_alert(
    t: Transcript, server: SandboxServer, bot: PapersBot, clock: SceneClock
) -> None:
    """minji follows words; the next day's digest brings her one alert DM."""
    cog = bot.get_cog("Follows")
    assert cog is not None
    service = cog.service  # type: ignore[attr-defined]
    await service.tick()  # the days already out are noticed first: they bring no alert
    t.step("A member follows words")
    words = "강화 학습"
    await _show(t, server, "minji", f"/follow keyword words:{words}", options={"words": words},
                subcommand="keyword", locale="ko")  # fmt: skip
    day = BUILT_DAY + dt.timedelta(days=1)
    t.step(f"{day}: a new digest arrives, and with it minji's alert by DM")
    text = (sample_folder() / "2025-05-08.md").read_text(encoding="utf-8")
    next_day = parse(text.replace("2025-05-08", day.isoformat()))
    await bot.store.ingest(f"sample/{day}.md", next_day)
    clock.now = dt.datetime.combine(day, dt.time(9, 0, 5), SEOUL).astimezone(dt.UTC)
    await service.tick()
    t.say("(a direct message to minji)")
    for message in server.dms("minji"):
        t.message(message)
    await _show(t, server, "minji", "/follow status", subcommand="status", locale="ko")


async def _save_and_export(t: Transcript, server: SandboxServer) -> None:
    """A member saves a paper from the daily post's menu, then exports the list as a file."""
    t.step("Saving a paper from the daily post, exporting the list")
    card = next(
        m
        for m in reversed(server.messages("papers"))
        if "save:pick" in custom_ids(m.get("components") or [])
    )
    (menu,) = [c for row in card["components"] for c in row["components"]]
    option = menu["options"][0]
    t.member("minji", f"picks {option['label']!r} in “{menu['placeholder']}”")
    saved = await server.click(card, "save:pick", user="minji", values=[option["value"]])
    for message in saved.messages:
        t.message(message)
    await _show(t, server, "minji", "/saved export format:bibtex",
                options={"format": "bibtex"}, subcommand="export")  # fmt: skip


async def _settle(count: Any, quiet: float = 1.0, limit: float = 20.0) -> None:
    """Wait until `count()` stops changing for `quiet` seconds (at most `limit`)."""
    last, still, waited = count(), 0.0, 0.0
    while waited < limit and (still < quiet or last == 0):
        await asyncio.sleep(0.1)
        waited += 0.1
        now = count()
        still = still + 0.1 if now == last else 0.0
        last = now


async def run_scene(
    out: TextIO, *, keep_running: bool = False, korean_summaries: bool = False
) -> int:
    t = Transcript(out)
    clock = SceneClock(dt.datetime(2025, 5, 9, 8, 58, tzinfo=SEOUL).astimezone(dt.UTC))
    with tempfile.TemporaryDirectory(prefix="papers-bot-sandbox-") as tmp:
        t.say("papers-bot sandbox: the real bot, a Discord-compatible server on 127.0.0.1,")
        t.say("the bundled sample digests (2025-05-07 .. 2025-05-09) and a loopback Hugging Face")
        t.say(f"API with the papers of {BUILT_DAY}. No token, no network.")
        if korean_summaries:
            t.say("A loopback OpenAI-compatible model writes the built day's Korean summaries.")
        world = running_world(clock, Path(tmp), korean_summaries=korean_summaries)
        async with world as (server, bot):
            t.channel_names = {c.id: c.name for c in server.world.channels.values()}
            t.tz = SEOUL
            t.files = server.files
            t.say(f"Server: {server.api_base}  gateway: {server.gateway_url}")
            t.say(f"Bot logged in as {bot.user} in guild 'Sandbox Lab' (#papers, #general)")
            await asyncio.wait_for(play(t, server, bot, clock), SCENE_TIMEOUT)
            t.step("Done")
            if keep_running:
                _print_connect_help(t, server)
                await asyncio.Event().wait()
    t.say("The scene is over. Next: papers-bot load PATH, then DISCORD_TOKEN=... papers-bot run")
    return 0


def _print_connect_help(t: Transcript, server: SandboxServer) -> None:
    t.say("The server stays up (Ctrl-C to stop). Point another discord.py client at it:")
    t.say(f"    discord.http.Route.BASE = {server.api_base!r}")
    t.say(
        f"    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL({server.gateway_url!r})"
    )
    t.say("    client.run('any-token')")
    t.say("or run the bot itself against it in another terminal:")
    t.say(f"    DISCORD_API_BASE={server.api_base} DISCORD_GATEWAY_URL={server.gateway_url} \\")
    t.say("    DISCORD_TOKEN=any-token papers-bot run --db /tmp/papers.db")
