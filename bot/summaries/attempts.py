"""Which papers a build asks for again, from their failed attempts (pure).

A paper costs at most `max_attempts` counted failures (an answer without the three Korean
sections, a request the server refused): then it keeps its English bullets for good. A
transient failure (a timeout, 429, 5xx, a dropped connection) is no fault of the paper's and
never ends its chances, but waits before the next request: TRANSIENT_FIRST after the first
in a row, doubling up to TRANSIENT_LONGEST, so a model that is down or overloaded is not
asked for every paper at every poll. Failures that are the operator's (a refused key, no
quota) are not recorded at all: they stop the day's requests at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.store.summary_attempts import Attempts

TRANSIENT_FIRST = dt.timedelta(minutes=15)  # about one poll (sources.poll_interval_minutes: 30)
TRANSIENT_LONGEST = dt.timedelta(hours=6)


def given_up(attempts: Attempts, max_attempts: int) -> bool:
    """The paper has cost all its counted failures: it is not asked again."""
    return attempts.failures >= max_attempts


def transient_wait(transient: int) -> dt.timedelta:
    """How long after its `transient`-th transient failure in a row a paper waits."""
    if transient <= 0:
        return dt.timedelta(0)
    return min(TRANSIENT_LONGEST, TRANSIENT_FIRST * (1 << min(transient - 1, 16)))


def held_back(attempts: Iterable[Attempts], now: dt.datetime, max_attempts: int) -> set[str]:
    """The papers not to ask for now: given up, or still waiting after a transient failure."""
    return {
        a.arxiv_id
        for a in attempts
        if given_up(a, max_attempts) or now < a.failed_at + transient_wait(a.transient)
    }
