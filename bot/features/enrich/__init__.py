"""Enrichment: the bot keeps the papers of its newest digest days enriched from Hugging Face.

job.py   EnrichJob: one pass over the newest days (the work is bot/enrich.py's); failures logged
cog.py   the background loop that runs it every enrich.interval_minutes

Its SQL is in bot/store/enrichment.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.enrich import hf_api_base
from bot.features.enrich.cog import Enricher
from bot.features.enrich.job import EnrichJob
from bot.huggingface import HfClient
from bot.store.enrichment import EnrichmentStore

if TYPE_CHECKING:
    from bot.app import PapersBot


async def setup(bot: PapersBot) -> None:
    """The enrichment loop, unless `enrich.enabled` or the Hugging Face source
    (`sources.huggingface.enabled`) is off."""
    config = bot.config.enrich
    if not config.enabled or not bot.config.sources.huggingface.enabled:
        return
    job = EnrichJob(
        EnrichmentStore(bot.db),
        HfClient(
            api_base=hf_api_base(bot.config),
            limiter=bot.hf_limiter,  # the window the built-day source counts in too
            timeout=bot.config.sources.request_timeout_seconds,
        ),
        days=bot.config.sources.lookback_days,
        max_age=dt.timedelta(days=config.max_age_days),
        clock=bot.clock,
    )
    await bot.add_cog(Enricher(job, minutes=config.interval_minutes))
