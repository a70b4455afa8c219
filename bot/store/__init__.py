"""The SQLite store: all SQL of the project lives in this package."""

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
