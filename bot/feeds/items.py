"""PURE: the rules every feed format shares for turning an entry into an ``Item``.

Both the XML (feedparser) and the JSON Feed readers end here: an item's key is its id, else
its link, else a hash of its text; a missing title falls back to a snippet of the text; links
are made absolute and kept only when http(s) (or file:// for a feed read from disk); entries
with nothing in them and repeated keys are dropped, keeping document order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.feeds.html_text import clip, snippet
from bot.models import Item

MAX_TITLE_CHARS = 1000
_WEB_SCHEMES = ("http", "https")


def make_item(
    key: str,
    title: str,
    link: str | None,
    published: datetime | None,
    summary: str,
    content: str,
    author: str | None,
    image: str | None,
) -> Item | None:
    """Build an Item, choosing its key and a title fallback; None for an entry with nothing."""
    if not key:
        key = link or ""
    if not key:
        if not (title or summary or content):
            return None
        digest = hashlib.sha256(f"{title}\n{summary}\n{content}".encode()).hexdigest()
        key = f"sha256:{digest[:32]}"
    title = " ".join(title.split())
    if not title:
        title = snippet(summary or content) or (link or "")
    return Item(
        key=key,
        title=clip(title, MAX_TITLE_CHARS),
        link=link,
        published=published,
        summary=summary,
        content=content,
        author=author,
        image=image,
    )


def dedupe(items: Iterable[Item | None]) -> list[Item]:
    """Keep document order, drop empty entries and repeated keys (the first one wins)."""
    seen: set[str] = set()
    kept: list[Item] = []
    for item in items:
        if item is None or item.key in seen:
            continue
        seen.add(item.key)
        kept.append(item)
    return kept


def is_local(url: str) -> bool:
    """Whether the feed was read from disk (any scheme but http/https), so file links may stay."""
    scheme = urlsplit(url).scheme.lower()
    return scheme not in _WEB_SCHEMES


def absolute(base: str, link: Any, allow_local: bool) -> str | None:
    """``link`` resolved against ``base``; None unless http(s) (or file for a local feed)."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        resolved = urljoin(base, link.strip())
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return None
    if scheme in _WEB_SCHEMES:
        return resolved
    if allow_local and scheme == "file":
        # feedparser turns "file:///news/a.html" into "file://news/a.html": put the root back
        parts = urlsplit(resolved)
        if parts.netloc and parts.netloc != "localhost":
            return f"file:///{parts.netloc}{parts.path}"
        return resolved
    return None


def first_url(base: str, allow_local: bool, *candidates: Any) -> str | None:
    """The first candidate that ``absolute`` accepts, resolved; None when none does."""
    for candidate in candidates:
        found = absolute(base, candidate, allow_local)
        if found:
            return found
    return None
