"""Frozen data objects passed between the layers. No I/O here.

Flow: a feed (``Feed``) is fetched and parsed into ``ParsedFeed`` with ``Item`` entries; each new
item becomes an ``Article`` (main text, summary sentences, ``Quote`` list); an article is posted as
a platform-neutral ``Message``. Commands answer with a ``Reply``. All text fields hold literal
text: escaping for a chat platform is the adapter's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Quote:
    """One quotation found in an article.

    ``text`` is the quoted words without quote marks and ``start``/``end`` are their character
    offsets in the text given to ``extract_quotes``. ``speaker`` is the canonical (fullest) name of
    who said it, or None when the article does not make it clear. ``speaker_start``/``speaker_end``
    are the offsets of the mention the attribution rests on ("He", "Ryabkov"), or None.
    ``kind`` is "direct", "partial" or "reported".
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    kind: str


@dataclass(frozen=True)
class Item:
    """One entry of a parsed feed, normalised.

    ``key`` is the entry's stable identity (its id/guid, else its link, else a hash of its title);
    ``link`` is absolute; ``summary`` and ``content`` are plain text (HTML reduced to text).
    """

    key: str
    title: str
    link: str | None
    published: datetime | None = None
    summary: str = ""
    content: str = ""
    author: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document after parsing: its own metadata plus its items in document order."""

    title: str | None
    link: str | None
    items: tuple[Item, ...]
    image: str | None = None
    kind: str = ""  # e.g. "rss20", "atom10", "json"


@dataclass(frozen=True)
class Feed:
    """A feed an admin configured, as stored."""

    id: int
    url: str
    channel: str
    scope: str  # the guild / workspace / "console" whose who-said may search it
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_checked: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    failures: int = 0
    paused: bool = False
    next_check: float = 0.0
    created_at: float = 0.0
    item_count: int = 0
    image: str | None = None


@dataclass(frozen=True)
class Article:
    """A fetched, summarised article with its quotes."""

    url: str
    title: str
    text: str
    source: str | None = None
    published: datetime | None = None
    summary: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    image: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class QuoteLine:
    """A key quote as shown in a post: the words and who said them."""

    text: str
    speaker: str | None


@dataclass(frozen=True)
class Message:
    """One platform-neutral post about one article; each adapter renders it."""

    channel: str
    title: str
    url: str | None
    source: str | None
    published: datetime | None
    summary: tuple[str, ...]
    quotes: tuple[QuoteLine, ...] = ()
    image: str | None = None


@dataclass(frozen=True)
class Reply:
    """A command's answer. ``text`` is literal: the adapter escapes it for its platform.

    ``ephemeral`` asks the adapter to show it only to the asker where the platform can
    (refusals and usage errors).
    """

    text: str
    ephemeral: bool = False
    lines: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class QuoteHit:
    """A stored quote found by a who-said or quotes-by search, with its article."""

    quote_id: int
    text: str
    speaker: str | None
    kind: str
    article_id: int
    article_title: str
    article_url: str
    published: datetime | None
    score: float = 0.0
