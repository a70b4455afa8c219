"""Plain data shared by the parser, the store, rendering and the cogs.

The StrEnums are the vocabularies written once: config values, command choices, plans and
stored rows all use them. A member is its own string ("thread"), so rows and YAML keep the
same text they always had.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class PostStyle(StrEnum):
    """How a daily post looks in the channel."""

    EMBEDS = "embeds"  # a header, then cards packed ten to a message
    THREAD = "thread"  # a header that starts a thread, one card per message in it
    COMPACT = "compact"  # plain text lists, no embeds


class PostStatus(StrEnum):
    """Where a channel's post of a day stands in the ledger (`posts.status`)."""

    POSTING = "posting"  # claimed and unfinished: being sent, or to be resumed
    DONE = "done"
    SKIPPED = "skipped"  # the digest was not out in time
    STALLED = "stalled"  # never stored: an unfinished post nobody holds, as /daily status says


class PostOrder(StrEnum):
    """The order of papers in a daily post (`daily.order`)."""

    PUBLISHED = "published"  # as the digest lists them
    VOTES = "votes"  # most voted first; published order breaks ties


class OnMissing(StrEnum):
    """What a daily post does when the digest is still missing after the wait."""

    WAIT = "wait"  # keep waiting (and post when it comes, within the catch-up window)
    SKIP = "skip"  # skip the day


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Origin(StrEnum):
    """Where a subscription came from: config ones follow the file, command ones stay."""

    CONFIG = "config"
    COMMAND = "command"


class Sort(StrEnum):
    """The order of search results (/search, `papers-bot search --sort`)."""

    RELEVANCE = "relevance"
    VOTES = "votes"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper as one digest section published it."""

    arxiv_id: str  # without version, e.g. "2406.07550"
    title: str
    url: str  # the link as published in the heading
    line: int  # 1-based line of the `### [` heading
    thumbnail: str | None = None  # image or video URL
    votes: int | None = None  # None where the digest said `-` or nothing
    authors: tuple[str, ...] = ()
    summary: str = ""  # every other line under the entry, markdown as published


@dataclass(frozen=True, slots=True)
class Section:
    """A `## Daily Papers (YYYY-MM-DD)` section and its entries, in file order."""

    day: dt.date
    line: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the parser could not take, with the 1-based line it is on."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    sections: tuple[Section, ...]
    problems: tuple[Problem, ...] = ()
    built: bool = False  # written by papers-bot from Hugging Face's API (its first line says)
    complete: bool = False  # built from an answer fetched once the day was complete


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper as the store knows it: latest votes, every day it was featured."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    votes: int | None
    dates: tuple[dt.date, ...]
    thumbnail: str | None
    summary: str
    url: str

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape documented in the README."""
        return {
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "authors": list(self.authors),
            "votes": self.votes,
            "dates": [d.isoformat() for d in self.dates],
            "thumbnail": self.thumbnail,
            "summary": self.summary,
            "url": self.url,
        }

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"

    @property
    def hf_url(self) -> str:
        return f"https://huggingface.co/papers/{self.arxiv_id}"


@dataclass(frozen=True, slots=True)
class Digest:
    """One day's digest in published order."""

    day: dt.date
    papers: tuple[Paper, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Enrichment:
    """What Hugging Face said about a paper at `enriched_at`, kept beside its digests' fields
    (it never replaces them). `found` False: Hugging Face had no such paper."""

    arxiv_id: str
    enriched_at: dt.datetime
    found: bool = True
    abstract: str | None = None  # the English abstract
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    upvotes: int | None = None  # on Hugging Face at `enriched_at`

    @property
    def has_code(self) -> bool:
        return self.github_repo is not None


ENRICHMENT_FIELDS = (
    "abstract",
    "github_repo",
    "github_stars",
    "project_page",
    "upvotes",
    "enriched_at",
)


def enrichment_json(enrichment: Enrichment | None) -> dict[str, object]:
    """The enrichment fields of a paper's JSON (README): null where nothing is known."""
    if enrichment is None:
        return dict.fromkeys(ENRICHMENT_FIELDS)
    return {
        "abstract": enrichment.abstract,
        "github_repo": enrichment.github_repo,
        "github_stars": enrichment.github_stars,
        "project_page": enrichment.project_page,
        "upvotes": enrichment.upvotes,
        "enriched_at": enrichment.enriched_at.isoformat(),
    }


class FollowKind(StrEnum):
    """What a member follows (`follows.kind`): words as /search matches them, or an author's
    name as /author matches it."""

    KEYWORD = "keyword"
    AUTHOR = "author"


class AlertStatus(StrEnum):
    """Where a member's alert of a day stands in the ledger (`alerts.status`)."""

    PENDING = "pending"  # to send, or being sent by the process holding its lease
    DONE = "done"
    CLOSED = "closed"  # Discord refused the DM (403, code 50007): the member's DMs are closed
    GONE = "gone"  # the member shares no server with the bot any more
    EXPIRED = "expired"  # the day was past the catch-up window before it could be sent
    FAILED = "failed"  # Discord refused it for another reason (the reason says which)
