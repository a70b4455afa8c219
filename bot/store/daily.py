"""DailyStore: all SQL of daily posting, one object over the papers Database's writer."""

from __future__ import annotations

from bot.store.ledger import Ledger
from bot.store.source_state import SourceStates
from bot.store.subscriptions import Subscriptions


class DailyStore(Subscriptions, Ledger, SourceStates):
    """Subscriptions, the post ledger and its plans, polled-source state; on the writer, so its
    reads see its own writes at once (the ledger is read back right after it is written)."""
