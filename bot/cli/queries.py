"""The read-only subcommands: search, show, digest, top, author, days, stats."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Awaitable, Callable

from bot.cli import output
from bot.models import Paper, Sort, enrichment_json
from bot.store import Page, PaperStore
from bot.store.enrichment import EnrichmentStore

DEFAULT_LIMIT = 20
MAX_LIMIT = 100_000  # papers on one page; --offset pages on
MAX_OFFSET = 10_000_000
MAX_VOTES = 1_000_000


def iso_date(text: str) -> dt.date:
    """argparse type: a YYYY-MM-DD date, with a message that says what was wrong."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def whole(low: int, high: int) -> Callable[[str], int]:
    """argparse type: a whole number from `low` to `high` (SQLite takes nothing past 2**63)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is less than {low}")
        if value > high:
            raise argparse.ArgumentTypeError(f"{text} is more than {high}, the most it takes")
        return value

    return parse


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the query subcommands on the main parser."""
    p = sub.add_parser("search", help="full-text search (Korean and English)")
    p.add_argument("query")
    _range_args(p)
    p.add_argument("--min-votes", type=whole(0, MAX_VOTES), metavar="N")
    p.add_argument(
        "--has-code", action="store_true", help="only papers with a GitHub repository (enriched)"
    )
    p.add_argument("--sort", choices=[s.value for s in Sort], default=Sort.RELEVANCE.value)
    _list_args(p)
    p = sub.add_parser("show", help="one paper by arXiv id or arXiv/Hugging Face link")
    p.add_argument("id_or_link")
    _json(p)
    p = sub.add_parser("digest", help="one day's digest in published order (default: newest)")
    p.add_argument("date", nargs="?", type=iso_date)
    _json(p)
    p = sub.add_parser("top", help="most-voted papers in a date range")
    _range_args(p)
    _list_args(p)
    p = sub.add_parser("author", help="papers by an author (case-insensitive, partial)")
    p.add_argument("name")
    _list_args(p)
    _json(sub.add_parser("days", help="the digest days in the database"))
    _json(sub.add_parser("stats", help="counts of papers, days and appearances"))


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print exact JSON instead of a table")


def _range_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=whole(1, MAX_LIMIT), default=DEFAULT_LIMIT, metavar="N")
    p.add_argument("--offset", type=whole(0, MAX_OFFSET), default=0, metavar="N")
    _json(p)


async def run(args: argparse.Namespace, store: PaperStore) -> int:
    """Run one query subcommand; returns the exit status."""
    handler = _HANDLERS[args.command]
    return await handler(args, store)


async def _search(args: argparse.Namespace, store: PaperStore) -> int:
    page = await store.search(
        args.query,
        since=args.since,
        until=args.until,
        min_votes=args.min_votes,
        has_code=args.has_code,
        sort=Sort(args.sort),
        limit=args.limit,
        offset=args.offset,
    )
    return await _print_page(args, store, page)


async def _papers_json(store: PaperStore, papers: tuple[Paper, ...]) -> list[dict[str, object]]:
    """The papers' JSON with their enrichment fields (README: Paper objects)."""
    found = await EnrichmentStore(store.db).enrichments([p.arxiv_id for p in papers])
    return [p.to_json() | enrichment_json(found.get(p.arxiv_id)) for p in papers]


async def _print_page(args: argparse.Namespace, store: PaperStore, page: Page) -> int:
    if args.json:
        output.print_json(await _papers_json(store, page.papers))
    else:
        output.paper_table(page.papers)
        output.page_footer(page, len(page.papers), args.offset)
    return 0


async def _show(args: argparse.Namespace, store: PaperStore) -> int:
    paper = await store.get(args.id_or_link)
    if paper is None:
        print(f"No paper {args.id_or_link!r} in the digests.", file=sys.stderr)
        return 1
    enrichment = await EnrichmentStore(store.db).enrichment_of(paper.arxiv_id)
    if args.json:
        output.print_json(paper.to_json() | enrichment_json(enrichment))
    else:
        output.paper_detail(paper, enrichment)
    return 0


async def _digest(args: argparse.Namespace, store: PaperStore) -> int:
    digest = await store.digest(args.date)
    if digest is None:
        what = f"for {args.date}" if args.date else "loaded yet (run: papers-bot load PATH)"
        print(f"No digest {what}.", file=sys.stderr)
        return 1
    if args.json:
        output.print_json(await _papers_json(store, digest.papers))
    else:
        output.digest_view(digest)
    return 0


async def _top(args: argparse.Namespace, store: PaperStore) -> int:
    page = await store.top(since=args.since, until=args.until, limit=args.limit, offset=args.offset)
    return await _print_page(args, store, page)


async def _author(args: argparse.Namespace, store: PaperStore) -> int:
    page = await store.by_author(args.name, limit=args.limit, offset=args.offset)
    return await _print_page(args, store, page)


async def _days(args: argparse.Namespace, store: PaperStore) -> int:
    days = await store.days()
    if args.json:
        output.print_json(
            [
                {
                    "date": d.day.isoformat(),
                    "papers": d.papers,
                    "sources": list(d.sources),
                    "built": list(d.built),
                    "complete": list(d.complete),
                }
                for d in days
            ]
        )
    else:
        output.days_table(days)
    return 0


async def _stats(args: argparse.Namespace, store: PaperStore) -> int:
    stats = await store.stats()
    output.print_json(stats.to_json()) if args.json else output.stats_view(stats)
    return 0


_HANDLERS: dict[str, Callable[[argparse.Namespace, PaperStore], Awaitable[int]]] = {
    "search": _search,
    "show": _show,
    "digest": _digest,
    "top": _top,
    "author": _author,
    "days": _days,
    "stats": _stats,
}
COMMANDS = frozenset(_HANDLERS)  # they only read: the store opens read-only for them
