"""Daily posts: /daily commands, the scheduler and sending each day's digest exactly once.

cog.py             /daily subscribe, unsubscribe, status, preview, post-now; tick and poll loops
service.py         what the commands and loops do: subscription writes, preview, post-now
runner.py          turns due decisions into posts, one task per channel, failures per channel
poster.py          sends a planned post exactly once per channel and day, resumable after a crash
plan.py            what a post contains (pure): messages, embeds, thread layout
schedule.py        when a post is due (pure): local time, DST, waiting, catching up
discord_errors.py  a Discord HTTP error: Discord's trouble (retried) or the channel's, in words
sources.py         digest sources polled for new days: folders, a URL per day (the template)
built.py           days built from Hugging Face's API when the posts need them, in the background
upkeep.py          /daily status on enrichment and the Korean summaries of built days

Its SQL is `DailyStore` (bot/store/daily.py: subscriptions, the ledger and its plans, source
state), built by the bot over its Database and handed over as `bot.daily_store`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import parse_hhmm
from bot.features.daily.built import BuiltDaySource, built_page_url
from bot.features.daily.cog import Daily
from bot.features.daily.poster import Poster
from bot.features.daily.runner import Runner
from bot.features.daily.service import DailyService
from bot.features.daily.sources import Backoff, FolderSource, Sources, UrlSource, page_url
from bot.features.daily.upkeep import Upkeep
from bot.huggingface import HfClient
from bot.huggingface.build import DayBuilder
from bot.store.enrichment import EnrichmentStore
from bot.store.summary_attempts import SummaryAttemptStore
from bot.summaries.built import BuiltDaySummaries
from bot.summaries.korean import summarizer_from_config

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    """Daily posts from the bot's config and stores; the config's subscriptions are synced."""
    daily, sources = bot.config.daily, bot.config.sources
    template, hf = sources.url_template, sources.huggingface
    day_complete = parse_hhmm(hf.day_complete_utc)
    poster = Poster(
        bot.daily_store,
        owner=bot.instance_id,
        pacer=bot.pacer,  # shared with every feature that sends (bot/pacer.py)
        clock=bot.clock,
        bot_user_id=lambda: bot.user.id if bot.user else None,
    )
    folder = FolderSource(sources.folders, bot.store) if sources.folders else None
    url = None
    if template:
        backoff = Backoff(dt.timedelta(minutes=1))
        url = UrlSource(
            template, bot.store, bot.daily_store, sources.request_timeout_seconds, backoff
        )
    built = None
    if hf.enabled:
        client = HfClient(
            hf.api_base, limiter=bot.hf_limiter, timeout=sources.request_timeout_seconds
        )
        folder_path = Path(hf.folder_for(bot.config.database))
        summarizer = summarizer_from_config(bot.config.summaries)
        summarize = None
        if summarizer is not None:  # Korean bullets from the operator's chat endpoint
            summarize = BuiltDaySummaries(
                summarizer,
                folder_path,
                deadline_seconds=bot.config.summaries.deadline_seconds,
                attempts=SummaryAttemptStore(bot.db),  # a paper's failures, across restarts
                max_attempts=bot.config.summaries.max_attempts,
                clock=bot.clock,
            )
        builder = DayBuilder(
            client,
            bot.store,
            folder_path,
            summarize,
            day_complete=day_complete,
            clock=bot.clock,
        )
        built = BuiltDaySource(builder, Backoff(dt.timedelta(minutes=1)))
    runner = Runner(
        bot.store,
        bot.daily_store,
        poster,
        daily,
        bot.lookup_channel,
        source_url=partial(page_url, template),
        built_url=partial(built_page_url, hf.api_base),
        day_complete=day_complete if hf.enabled else None,  # built days post at built_at
        empty=built.empty if built else lambda day: False,
    )
    service = DailyService(
        bot.store,
        bot.daily_store,
        runner,
        Sources(folder, url, sources.lookback_days, built),
        daily,
        clock=bot.clock,
        korean_deadline=dt.timedelta(minutes=hf.korean_deadline_minutes),
        day_complete=day_complete,
    )
    await service.sync_config(daily.subscriptions)
    await bot.add_cog(
        Daily(service, poll_minutes=sources.poll_interval_minutes, upkeep=_upkeep(bot))
    )


def _upkeep(bot: PapersBot) -> Upkeep:
    """/daily status's enrichment block while the bot enriches (bot/features/enrich), and its
    Korean summaries block while summaries are configured."""
    config, hf = bot.config, bot.config.sources.huggingface.enabled
    enriching = hf and config.enrich.enabled
    summarizing = hf and config.summaries.api_base is not None
    return Upkeep(
        EnrichmentStore(bot.db) if enriching else None,
        SummaryAttemptStore(bot.db) if summarizing else None,
        lookback_days=config.sources.lookback_days,
        max_attempts=config.summaries.max_attempts,
    )
