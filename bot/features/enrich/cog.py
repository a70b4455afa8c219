"""The background loop of the bot's own enrichment."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from bot.features.enrich.job import EnrichJob

log = logging.getLogger(__name__)


class Enricher(commands.Cog):
    """Runs `EnrichJob` every `minutes` in a task of its own: nothing waits for it (posts
    and commands never do), and an error in one pass is logged, not the loop's end."""

    def __init__(self, job: EnrichJob, *, minutes: int) -> None:
        self.job = job
        self.loop = tasks.loop(minutes=minutes)(self._pass)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()
        await self.job.hf.close()

    async def _pass(self) -> None:
        try:
            await self.job.run_once()
        except Exception:  # a store error, say: logged, and the next pass tries again
            log.exception("enrichment pass failed")
