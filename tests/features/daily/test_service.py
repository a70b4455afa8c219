"""The daily service on a real store, without Discord: what /daily subscribe, unsubscribe,
status, preview and post-now decide and store, and the config file's subscriptions."""

from __future__ import annotations

import datetime as dt

from bot.config import DailyConfig, SubscriptionConfig
from bot.digest.parse import parse
from bot.features.daily.poster import Poster
from bot.features.daily.runner import Runner
from bot.features.daily.service import DailyService
from bot.features.daily.sources import Sources
from bot.huggingface.models import HfPaper
from bot.huggingface.write import write_day
from bot.inputs import parse_zone
from bot.models import PostStyle
from bot.pacer import Pacer
from bot.store import PaperStore
from bot.store.daily import DailyStore

NOW = dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul
GUILD, OTHER_GUILD, CHANNEL = 1, 2, 10


async def no_channel(channel_id: int) -> None:
    return None  # every channel is gone


def service(store: PaperStore, config: DailyConfig | None = None) -> DailyService:
    config = config or DailyConfig()
    ledger = DailyStore(store.db)
    clock = lambda: NOW  # noqa: E731
    poster = Poster(ledger, owner="test", pacer=Pacer(45), clock=clock, bot_user_id=lambda: 1)
    runner = Runner(store, ledger, poster, config, no_channel, source_url=lambda d: None)
    return DailyService(store, ledger, runner, Sources(None, None, 0), config, clock=clock)


async def subscribe_with_defaults(daily: DailyService) -> None:
    await daily.subscribe(
        CHANNEL,
        GUILD,
        post_time=None,
        tz=None,
        style=None,
        min_votes=None,
        max_papers=None,
        created_by=42,
    )


async def publish(store: PaperStore, day: dt.date, count: int) -> None:
    lines = [f"## Daily Papers ({day.isoformat()})", ""]
    for i in range(count):
        lines += [f"### [Paper {i}](https://arxiv.org/abs/2603.{i:05d})", f"Vote: {i}", ""]
    await store.ingest(f"{day}.md", parse("\n".join(lines)))


async def test_a_subscription_takes_the_config_defaults_for_what_is_not_given(
    store: PaperStore,
) -> None:
    daily = service(store, DailyConfig(time="07:30", style=PostStyle.COMPACT))
    sub = await daily.subscribe(
        CHANNEL,
        GUILD,
        post_time=None,
        tz=None,
        style=None,
        min_votes=None,
        max_papers=5,
        created_by=42,
    )

    assert (sub.post_time, sub.timezone, sub.style, sub.max_papers) == (
        "07:30",
        "Asia/Seoul",
        "compact",
        5,
    )
    assert await daily.subscriptions(GUILD) == [await daily.ledger.subscription(CHANNEL)]
    # 10:00 in Seoul: today's 07:30 has passed, so tomorrow's
    assert daily.next_post(sub) == dt.datetime(2026, 3, 4, 22, 30, tzinfo=dt.UTC)


async def test_a_subscription_keeps_the_time_and_zone_given(store: PaperStore) -> None:
    daily = service(store)
    await daily.subscribe(
        CHANNEL,
        GUILD,
        post_time="18:05",
        tz=parse_zone("europe/berlin", "en"),
        style=PostStyle.THREAD,
        min_votes=3,
        max_papers=None,
        created_by=42,
    )
    stored = await daily.ledger.subscription(CHANNEL)
    assert stored is not None
    assert (stored.post_time, stored.timezone, stored.style, stored.min_votes) == (
        "18:05",
        "Europe/Berlin",
        "thread",
        3,
    )
    assert stored.origin == "command" and stored.created_by == 42


async def test_unsubscribing_needs_the_channels_own_server(store: PaperStore) -> None:
    daily = service(store)
    await subscribe_with_defaults(daily)
    assert await daily.unsubscribe(CHANNEL, OTHER_GUILD) is False
    assert [s.channel_id for s in await daily.subscriptions(GUILD)] == [CHANNEL]
    assert await daily.unsubscribe(CHANNEL, GUILD) is True
    assert await daily.subscriptions(GUILD) == []
    assert await daily.unsubscribe(CHANNEL, GUILD) is False


async def test_config_subscriptions_follow_the_file_and_command_ones_stay(
    store: PaperStore,
) -> None:
    daily = service(store)
    await subscribe_with_defaults(daily)
    await daily.sync_config([SubscriptionConfig(guild=GUILD, channel=11, time="06:00")])
    await daily.sync_config([SubscriptionConfig(guild=GUILD, channel=12, style=PostStyle.THREAD)])

    subs = {s.channel_id: s for s in await daily.subscriptions(None)}
    assert sorted(subs) == [CHANNEL, 12]
    assert (subs[12].origin, subs[12].style, subs[12].post_time) == ("config", "thread", "09:00")


async def test_preview_is_the_newest_digest_as_it_would_be_posted(store: PaperStore) -> None:
    daily = service(store)
    assert await daily.preview(GUILD, None) is None
    assert await daily.newest_day() is None

    await publish(store, dt.date(2026, 3, 3), 2)
    await publish(store, dt.date(2026, 3, 4), 3)
    plan = await daily.preview(GUILD, None)

    assert plan is not None
    # no channel to read a server locale from: the digest's own language
    assert plan[0].content == "## 📚 Daily Papers — 2026-03-04\n논문 3편"
    assert [e.title for p in plan[1:] for e in p.embeds] == [
        f"{i + 1}. Paper {i}" for i in range(3)
    ]
    assert await daily.newest_day() == dt.date(2026, 3, 4)


async def test_post_now_to_a_channel_that_is_gone_fails_and_says_why(store: PaperStore) -> None:
    daily = service(store)
    await publish(store, dt.date(2026, 3, 4), 1)
    await subscribe_with_defaults(daily)

    result = await daily.post_now(GUILD, CHANNEL, dt.date(2026, 3, 4), force=False)

    assert (result.outcome, result.reason) == (
        "failed",
        "The channel is gone or is not a text channel",
    )
    stored = await daily.ledger.subscription(CHANNEL)
    assert stored is not None and stored.failures == 1 and stored.last_error == result.reason


async def test_a_built_day_links_to_hugging_face_not_to_a_korean_page(store: PaperStore) -> None:
    day = dt.date(2026, 3, 4)
    daily = service(store)
    daily.runner.source_url = lambda d: f"https://github.com/l-yohai/daily_papers_ko/{d}.md"
    daily.runner.built_url = lambda d: f"https://huggingface.co/papers?date={d}"
    papers = [HfPaper("2603.00001", "Built", "An abstract.", upvotes=1)]
    await store.ingest("built/2026/03/04.md", parse(write_day(day, papers)))
    plan = await daily.preview(GUILD, None)
    assert plan is not None and "(<https://huggingface.co/papers?date=2026-03-04>)" in (
        plan[0].content or ""
    )
    await publish(store, day, 1)  # the Korean digest of the day
    plan = await daily.preview(GUILD, None)
    assert plan is not None and "(<https://github.com/l-yohai/daily_papers_ko/2026-03-04.md>)" in (
        plan[0].content or ""
    )
