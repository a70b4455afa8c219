"""The SQLite store: all SQL of the project lives in this package.

database.py    Database: the writer, the readers, the write lock, the cache, the read time limit
db.py          opening connections: pragmas, custom SQL functions, numbered migrations
cache.py       answers of recent lookups, kept until the database changes (PRAGMA data_version)
reads.py       what query modules share: rows to papers, pages and counts, remembered lookups
papers.py      PaperStore: one paper or day's digest; search, listings and authors through it
search.py      SearchPlanner: full-text search and the query plans it picks between
listing.py     Listings: top papers of a range, a random one, digest days, the store's counts
limits.py      Limits: the query plans' thresholds (tests pass smaller ones)
authors.py     /author and author-name suggestions
text.py        search text: what goes into the FTS5 index, input -> a safe MATCH query
ingest_sql.py  parsed digest files into the store, one transaction per batch; `prepare`
holdings.py    a day's digest from every file that holds it (pure)
writes.py      OnWriter: what query modules on the writer share (daily posting's)
daily.py       DailyStore: subscriptions, the post ledger and plans, polled-source state in one
subscriptions.py  Subscription rows: saved by /daily and the config file, failure counts
ledger.py      the post ledger: claims under a lease, sent messages, outcomes (exactly once)
post_plans.py  stored post plans, kept from a post's claim until it is done
source_state.py   polled digest URLs' ETag and Last-Modified
summary_attempts.py  built papers' failed Korean-summary requests (migration 015)
migrations/    NNN-*.sql, applied in number order, never edited once merged
"""

from bot.store.database import Database, ReadTimedOut
from bot.store.db import DatabaseUnusable
from bot.store.ingest_sql import IngestStats, PaperChanges, Prepared, prepare
from bot.store.limits import Limits
from bot.store.listing import DayInfo, Stats
from bot.store.papers import PaperStore
from bot.store.reads import Page

__all__ = [
    "Database",
    "DatabaseUnusable",
    "DayInfo",
    "IngestStats",
    "Limits",
    "Page",
    "PaperChanges",
    "PaperStore",
    "Prepared",
    "ReadTimedOut",
    "Stats",
    "prepare",
]
