"""Polled-source state: each digest URL's ETag and Last-Modified, for conditional requests."""

from __future__ import annotations

import datetime as dt

from bot.store.writes import OnWriter, iso


class SourceStates(OnWriter):
    """source_state rows, one per URL polled."""

    async def source_state(self, url: str) -> tuple[str | None, str | None]:
        rows = await self._rows(
            "SELECT etag, last_modified FROM source_state WHERE url = ?", (url,)
        )
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    async def save_source_state(
        self, url: str, etag: str | None, last_modified: str | None, status: int, now: dt.datetime
    ) -> None:
        await self._write(
            "INSERT OR REPLACE INTO source_state VALUES (?, ?, ?, ?, ?)",
            (url, etag, last_modified, iso(now), status),
        )
