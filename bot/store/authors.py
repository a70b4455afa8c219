"""/author and its autocomplete: papers by author name, and the names to suggest."""

from __future__ import annotations

from bot.store.reads import Page, Reads, remembered
from bot.store.text import name_key

_AUTHOR_ORDER = "last_day DESC, votes DESC, paper_id DESC"  # paper_authors (-1: no votes)
_NEWEST = "p.last_day DESC, p.votes DESC"  # the papers_newest index's order (migration 003)


class Authors(Reads):
    """Queries of authors' names (author_names, paper_authors: migration 007)."""

    @remembered
    async def by_author(self, name: str, *, limit: int = 10, offset: int = 0) -> Page:
        """Papers listing an author whose name contains `name` (case- and accent-insensitive,
        as the paper's latest appearance lists them), newest first.

        paper_authors (migration 007) holds each name's papers newest first: for up to
        `Limits.merge_names` matching names, each one's first `offset + limit` rows are merged.
        """
        text = name_key(name)
        if not text:
            return Page((), 0)
        rows = await self._rows(
            "SELECT name FROM author_names WHERE instr(folded, ?) LIMIT ?",
            (text, self.limits.merge_names + 1),
        )
        names = [str(r[0]) for r in rows]
        if not names:
            return Page((), 0)
        if len(names) > self.limits.merge_names:
            return await self._by_many_names(text, limit, offset)
        newest = (
            "SELECT * FROM (SELECT paper_id, last_day, votes FROM paper_authors WHERE name = ? "
            f"ORDER BY {_AUTHOR_ORDER} LIMIT ?)"
        )
        rows = await self._rows(
            "SELECT DISTINCT paper_id, last_day, votes FROM ("
            + " UNION ALL ".join([newest] * len(names))
            + f") ORDER BY {_AUTHOR_ORDER} LIMIT ? OFFSET ?",
            [*(v for n in names for v in (n, offset + limit)), limit, offset],
        )
        exact = self.limits.exact
        if len(names) == 1:  # a name lists a paper once
            total, more = await self._count("FROM paper_authors WHERE name = ?", names, exact)
        else:
            marks = ",".join("?" * len(names))  # at most merge_names
            total, more = await self._count(
                f"FROM (SELECT DISTINCT paper_id FROM paper_authors WHERE name IN ({marks}))",
                names,
                exact,
            )
        return Page(tuple(await self._by_ids([int(r[0]) for r in rows])), total, more)

    async def _by_many_names(self, text: str, limit: int, offset: int) -> Page:
        """/author for text that more than `Limits.merge_names` names contain ("li", "an"):
        up to `Limits.author_rows` author rows are sorted; more, and the papers are walked
        newest first (such text is in most author lists, so a page comes after a few rows)."""
        in_names = "name IN (SELECT name FROM author_names WHERE instr(folded, ?))"
        base = f"FROM (SELECT DISTINCT paper_id FROM paper_authors WHERE {in_names})"
        rows = await self._rows(
            f"SELECT count(*) FROM (SELECT 1 FROM paper_authors WHERE {in_names} LIMIT ?)",
            (text, self.limits.author_rows + 1),
        )
        if int(rows[0][0]) <= self.limits.author_rows:
            return await self._counted(
                "SELECT paper_id, count(*) OVER () FROM (SELECT DISTINCT paper_id, last_day, "
                f"votes FROM paper_authors WHERE {in_names}) ORDER BY {_AUTHOR_ORDER}",
                [text],
                limit,
                offset,
                base=base,
            )
        rows = await self._rows(
            "SELECT p.id FROM papers p INDEXED BY papers_newest WHERE EXISTS (SELECT 1 FROM "
            f"json_each(p.authors) j WHERE j.value IN (SELECT name FROM author_names "
            f"WHERE instr(folded, ?))) ORDER BY {_NEWEST} LIMIT ? OFFSET ?",
            (text, limit, offset),
        )
        total, more = await self._count(base, [text], self.limits.exact)
        return Page(tuple(await self._by_ids([int(r[0]) for r in rows])), total, more)

    @remembered
    async def author_suggestions(self, text: str, *, limit: int = 25) -> list[str]:
        """Known author names starting with `text`, then others containing it (case- and
        accent-insensitive, each group alphabetical): the names /author would look for."""
        key = name_key(text)
        rows = await self._rows(
            "SELECT name FROM author_names WHERE folded >= ? AND folded < ? "
            "ORDER BY folded LIMIT ?",
            (key, key + "\U0010ffff", limit),
        )
        names = [str(r[0]) for r in rows]
        if key and len(names) < limit:
            rows = await self._rows(
                "SELECT name FROM author_names WHERE instr(folded, ?) > 1 ORDER BY folded LIMIT ?",
                (key, limit - len(names)),
            )
            names += [str(r[0]) for r in rows]
        return names
