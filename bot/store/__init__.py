"""The SQLite store: all SQL of the project lives in this package."""

from bot.store.db import DatabaseUnusable
from bot.store.ingest_sql import IngestStats
from bot.store.papers import COUNT_CAP, DayInfo, Page, PaperStore, Sort, Stats

__all__ = [
    "COUNT_CAP",
    "DatabaseUnusable",
    "DayInfo",
    "IngestStats",
    "Page",
    "PaperStore",
    "Sort",
    "Stats",
]
