"""What the store keeps about a member, and forgetting it (/privacy show, /privacy forget-me).

`MEMBER_DATA` is the one place that lists every table holding a member's rows: a feature
that stores something per member adds its table here (and its text `privacy_<table>` in
bot/i18n_text.py), and /privacy shows and deletes it with the rest. Order matters only for
deleting: rows that point at others go first, the `members` row last.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.store.database import Database


class Forget(StrEnum):
    DELETE = "delete"  # the member's rows go
    CLEAR = "clear"  # the rows stay (they are the server's), the member's id is cleared


@dataclass(frozen=True, slots=True)
class MemberTable:
    table: str
    column: str  # the member id in it
    forget: Forget = Forget.DELETE


MEMBER_DATA: tuple[MemberTable, ...] = (
    MemberTable("saved_papers", "member_id"),
    # Follows and alerts (bot/store/follows.py). A day's alerts are planned once for the
    # members who then had follows (alert_days), so dropping a member's ledger rows sends
    # nothing again: without follows they are in no later plan.
    MemberTable("alert_messages", "member_id"),
    MemberTable("alerts", "member_id"),
    MemberTable("follows", "member_id"),
    MemberTable("follow_guilds", "member_id"),
    MemberTable("follow_members", "member_id"),
    # A subscription is the server's: it stays, without who set it up.
    MemberTable("subscriptions", "created_by", Forget.CLEAR),
    MemberTable("members", "member_id"),
)


@dataclass(frozen=True, slots=True)
class Held:
    """Rows about one member in one table."""

    table: str
    count: int


class MemberStore:
    """Everything stored about a member, as counts per table, and deleting it."""

    def __init__(self, database: Database, tables: tuple[MemberTable, ...] = MEMBER_DATA) -> None:
        self.db = database
        self.tables = tables

    async def held(self, member_id: int) -> list[Held]:
        """The tables holding rows about the member, with how many (none: an empty list)."""
        found = []
        for t in self.tables:
            rows = await self.db.read(
                f"SELECT count(*) FROM {t.table} WHERE {t.column} = ?", (member_id,)
            )
            if rows[0][0]:
                found.append(Held(t.table, int(rows[0][0])))
        return found

    async def forget(self, member_id: int) -> list[Held]:
        """Delete (or clear) every row about the member in one transaction; what it held."""
        gone = []
        async with self.db.transaction() as conn:
            for t in self.tables:
                if t.forget is Forget.CLEAR:
                    sql = f"UPDATE {t.table} SET {t.column} = NULL WHERE {t.column} = ?"
                else:
                    sql = f"DELETE FROM {t.table} WHERE {t.column} = ?"
                async with conn.execute(sql, (member_id,)) as cur:
                    if cur.rowcount > 0:
                        gone.append(Held(t.table, cur.rowcount))
        return gone
