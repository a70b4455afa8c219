"""`papers-bot enrich [--since D] [--until D]`: Hugging Face's data for the store's papers."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys

from bot.cli.load import ProgressBar
from bot.cli.output import print_json
from bot.cli.queries import iso_date
from bot.config import Config
from bot.enrich import EnrichReport, enrich, hf_api_base
from bot.huggingface import HfClient, HfError
from bot.store import PaperStore
from bot.store.enrichment import EnrichmentStore

EXIT_OK, EXIT_LEFT, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "enrich", help="fetch abstracts, code links, stars and upvotes from Hugging Face"
    )
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="first digest day")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="last digest day")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


async def run(
    args: argparse.Namespace, config: Config, store: PaperStore, *, hf: HfClient | None = None
) -> int:
    """Backfill the range; what was fetched stays written however the run ends."""
    if args.since and args.until and args.since > args.until:
        print("papers-bot enrich: --since is after --until", file=sys.stderr)
        return EXIT_USAGE
    report = EnrichReport()
    bar = ProgressBar(unit="papers")
    client = hf or HfClient(api_base=hf_api_base(config))
    try:
        await enrich(
            EnrichmentStore(store.db),
            client,
            since=args.since,
            until=args.until,
            max_age=dt.timedelta(days=config.enrich.max_age_days),
            progress=bar,
            report=report,
        )
    except HfError as exc:
        report.problems.append(str(exc))
    except asyncio.CancelledError:  # Ctrl-C or SIGTERM: what was fetched is written
        bar.end()
        print(
            f"papers-bot enrich: stopped after {report.enriched + report.not_found:,} of "
            f"{report.due:,} papers (kept); run it again to continue",
            file=sys.stderr,
        )
        raise
    finally:
        if hf is None:
            await client.close()
    bar.end()
    for problem in report.problems:
        print(f"papers-bot enrich: {problem}", file=sys.stderr)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary_line())
    return EXIT_OK if report.left == 0 else EXIT_LEFT
