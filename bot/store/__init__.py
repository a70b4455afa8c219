"""The SQLite store: all SQL of the project lives in this package.

db.py          opening the database: pragmas, custom functions, numbered migrations
papers.py      PaperStore: every lookup and search, the query plans and their Limits
text.py        search text: what goes into the FTS5 index, input -> a safe MATCH query
cache.py       answers of recent lookups, kept until the database changes
ingest_sql.py  parsed digest files into the store, one transaction per batch
holdings.py    a day's digest from every file that holds it (pure)
daily.py       subscriptions, the post ledger and plans, polled-source state
migrations/    NNN-*.sql, applied in number order, never edited once merged
"""

from bot.store.db import DatabaseUnusable
from bot.store.ingest_sql import IngestStats
from bot.store.papers import DayInfo, Limits, Page, PaperStore, Stats

__all__ = [
    "DatabaseUnusable",
    "DayInfo",
    "IngestStats",
    "Limits",
    "Page",
    "PaperStore",
    "Stats",
]
