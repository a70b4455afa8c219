"""One pass of the bot's own enrichment: the newest digest days' papers that are due."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.enrich import EnrichReport, enrich
from bot.huggingface import HfClient, HfError
from bot.store.enrichment import EnrichmentStore

log = logging.getLogger(__name__)


class EnrichJob:
    """Enriches the papers of the newest digest day and the `days` before it (the store's
    newest day, not the clock's: a day loaded late is still new). Hugging Face failing is
    logged; what was fetched is kept and the rest is asked again at the next pass."""

    def __init__(
        self,
        store: EnrichmentStore,
        hf: HfClient,
        *,
        days: int,
        max_age: dt.timedelta,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.store, self.hf = store, hf
        self.days, self.max_age, self.clock = days, max_age, clock
        self.last: EnrichReport | None = None  # the last pass's report
        self.problem: str | None = None  # why the last pass stopped short, if it did

    async def run_once(self) -> EnrichReport | None:
        """One pass; None when the store has no digest day yet."""
        newest = await self.store.newest_day()
        if newest is None:
            return None
        report = EnrichReport()
        since = newest - dt.timedelta(days=self.days)
        try:
            await enrich(
                self.store, self.hf, since=since, max_age=self.max_age, clock=self.clock,
                report=report,
            )  # fmt: skip
        except HfError as exc:
            self.problem = str(exc)
            log.warning(
                "enrichment: Hugging Face failed (%s); %d papers enriched, %d left for the "
                "next pass",
                exc,
                report.enriched + report.not_found,
                report.left,
            )
        else:
            self.problem = None
            if report.due:
                log.info("enrichment of %s..%s: %s", since, newest, report.summary_line())
        self.last = report
        if report.due or self.problem:  # a pass that asked Hugging Face: /daily status shows it
            await self.store.record_run(self.clock(), self.problem)
        return report
