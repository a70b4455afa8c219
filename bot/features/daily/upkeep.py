"""What /daily status tells the server's admins about the data behind the posts: enrichment
from Hugging Face (papers enriched, papers it does not know, the last pass's failure) and the
Korean summaries of the newest built day (how many papers have them, which keep failing).

`Upkeep` reads the stores; the blocks are rendered by the pure functions below it.
"""

from __future__ import annotations

import datetime as dt

import discord

from bot import render
from bot.huggingface.write import ENGLISH_MARK
from bot.i18n_text import text
from bot.store.enrichment import Coverage, EnrichmentStore, EnrichRun
from bot.store.summary_attempts import DaySummaries, SummaryAttemptStore
from bot.summaries.attempts import given_up

REASON_CHARS = 200  # a failure's reason in the status, so the blocks stay a few lines


class Upkeep:
    """The enrichment block (when `enrichment` is given: the bot enriches) and the Korean
    summaries block (when `attempts` is given: summaries are configured)."""

    def __init__(
        self,
        enrichment: EnrichmentStore | None,
        attempts: SummaryAttemptStore | None,
        *,
        lookback_days: int,
        max_attempts: int,
    ) -> None:
        self.enrichment, self.attempts = enrichment, attempts
        self.lookback_days, self.max_attempts = lookback_days, max_attempts

    async def blocks(self, locale: str) -> list[str]:
        """The status blocks, each a heading and a few lines; none when there is nothing."""
        blocks = []
        if self.enrichment is not None and (newest := await self.enrichment.newest_day()):
            since = newest - dt.timedelta(days=self.lookback_days)  # the range EnrichJob keeps
            coverage = await self.enrichment.coverage(since=since, until=newest)
            run = await self.enrichment.last_run()
            blocks.append(enrichment_block(coverage, run, since, newest, locale))
        if self.attempts is not None and (day := await self.attempts.newest_built_day()):
            state = await self.attempts.day_summaries(day, english_mark=ENGLISH_MARK)
            blocks.append(summaries_block(state, self.max_attempts, locale))
        return blocks


def enrichment_block(
    coverage: Coverage, run: EnrichRun | None, since: dt.date, until: dt.date, locale: str
) -> str:
    lines = [
        text(locale, "daily_enrich", since=since.isoformat(), until=until.isoformat()),
        text(
            locale,
            "daily_enrich_counts",
            found=coverage.found,
            papers=coverage.papers,
            missing=coverage.enriched - coverage.found,
        ),
    ]
    if run is not None and run.problem:
        at = discord.utils.format_dt(run.at, "f")
        lines.append(text(locale, "daily_enrich_failed", at=at, reason=_reason(run.problem)))
    return "\n".join(lines)


def summaries_block(state: DaySummaries, max_attempts: int, locale: str) -> str:
    line = text(
        locale, "daily_ko_day", day=state.day.isoformat(), korean=state.korean, papers=state.papers
    )
    lines = [text(locale, "daily_ko")]
    if state.failing:
        gave_up = sum(given_up(a, max_attempts) for a in state.failing)
        line += text(
            locale,
            "daily_ko_failing",
            gave_up=gave_up,
            max=max_attempts,
            waiting=len(state.failing) - gave_up,
        )
        last = state.failing[0]
        lines += [
            line,
            text(
                locale,
                "daily_ko_last",
                at=discord.utils.format_dt(last.failed_at, "f"),
                paper=last.arxiv_id,
                reason=_reason(last.reason),
            ),
        ]
    else:
        lines.append(line)
    return "\n".join(lines)


def _reason(reason: str) -> str:
    return render.shorten(render.sanitize(" ".join(reason.split())), REASON_CHARS)
