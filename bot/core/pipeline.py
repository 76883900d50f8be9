"""New item -> article: fetch the page, extract its main text, summarise it, find its quotes.

The page fetch is network I/O; text work (clean-up, summary, quotes) is CPU-bound and runs in a
worker thread so the event loop keeps answering commands.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from bot.articles import extract_article, page_published
from bot.errors import FetchError
from bot.feeds.fetch import FetchLimits, fetch
from bot.models import Article, Item, Quote
from bot.text.clean import clean_text
from bot.text.quotes import extract_quotes
from bot.text.summarize import summarize

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
MAX_TEXT_CHARS = 200_000  # longer texts are cut before analysis: summaries need the top anyway


@dataclass(frozen=True)
class TextOptions:
    """How long summaries are."""

    max_sentences: int = 3
    max_chars: int = 600


def analyse(text: str, title: str | None, options: TextOptions) -> tuple[str, list[str], list[Quote]]:
    """Clean a text, then summarise it and extract its quotes (offsets refer to the cleaned text)."""
    cleaned = _drop_title_line(clean_text(text[:MAX_TEXT_CHARS]), title)
    summary = summarize(
        cleaned, title=title, max_sentences=options.max_sentences, max_chars=options.max_chars
    )
    quotes = extract_quotes(cleaned)
    return cleaned, summary, quotes


def _drop_title_line(text: str, title: str | None) -> str:
    """Remove a first paragraph that only repeats the headline (pages often start with it)."""
    if not title:
        return text
    first, sep, rest = text.partition("\n\n")
    if sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


def source_name(url: str | None, feed_title: str | None) -> str | None:
    """What to show as the article's source: the feed's title, else the site's host name."""
    if feed_title:
        return feed_title
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def fallback_article(item: Item, feed_title: str | None) -> Article:
    """The article as the feed itself describes it, when analysing the page failed."""
    text = item.content or item.summary or item.title
    return Article(
        url=item.link or "", title=item.title, text=text,
        source=source_name(item.link, feed_title), published=item.published,
        summary=(item.summary,) if item.summary else (), image=item.image,
    )


class Pipeline:
    """Turns feed items and URLs into analysed articles."""

    def __init__(
        self, session: aiohttp.ClientSession, limits: FetchLimits, options: TextOptions
    ) -> None:
        self.session = session
        self.limits = limits
        self.options = options

    async def page_text(self, url: str, *, want_date: bool = False) -> tuple[str, datetime | None]:
        """Main text of the page at ``url`` ("" when it can't be fetched or has no text) and,
        with ``want_date``, the publication date its metadata gives."""
        try:
            result = await fetch(self.session, url, limits=self.limits, accept=HTML_ACCEPT)
        except FetchError as exc:
            log.info("article %s not fetched: %s", url, exc)
            return "", None
        text = await asyncio.to_thread(
            extract_article, result.body, url=result.url, headers=result.headers
        )
        if not (want_date and text):
            return text, None
        published = await asyncio.to_thread(
            page_published, result.body, url=result.url, headers=result.headers
        )
        return text, published

    async def article_for_item(self, item: Item, feed_title: str | None) -> Article:
        """Build the article for a feed item, falling back to the feed's own text."""
        text, page_date = (
            await self.page_text(item.link, want_date=item.published is None)
            if item.link else ("", None)
        )
        if len(text.strip()) < 200:
            feed_text = item.content if len(item.content) >= len(item.summary) else item.summary
            if len(feed_text.strip()) > len(text.strip()):
                text = feed_text
        if not text.strip():
            text = item.title
        cleaned, summary, quotes = await asyncio.to_thread(analyse, text, item.title, self.options)
        return Article(
            url=item.link or "",
            title=item.title,
            text=cleaned,
            source=source_name(item.link, feed_title),
            published=item.published or page_date,
            summary=tuple(summary),
            quotes=tuple(quotes),
            image=item.image,
        )

    async def article_for_url(self, url: str, *, allow_local: bool = False) -> Article:
        """Fetch and analyse one page (for `summary <url>`); raises FetchError if unreachable.

        Local paths and file:// URLs only with ``allow_local`` (the command line, the console):
        a chat user must not make the bot read files on its host.
        """
        result = await fetch(
            self.session, url, limits=self.limits, accept=HTML_ACCEPT, allow_local=allow_local
        )
        text = await asyncio.to_thread(
            extract_article, result.body, url=result.url, headers=result.headers
        )
        if not text.strip():
            raise FetchError(f"no article text found at {url}")
        title = _title_of(result.body) or Path(urlsplit(url).path).name or url
        published = await asyncio.to_thread(
            page_published, result.body, url=result.url, headers=result.headers
        )
        cleaned, summary, quotes = await asyncio.to_thread(analyse, text, title, self.options)
        return Article(
            url=result.url,
            title=title,
            text=cleaned,
            source=source_name(result.url, None),
            published=published,
            summary=tuple(summary),
            quotes=tuple(quotes),
        )


def _title_of(body: bytes) -> str | None:
    """The page's <title>, cheaply, or None."""
    import html
    import re

    match = re.search(rb"<title[^>]*>(.*?)</title>", body[:200_000], re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    title = html.unescape(match.group(1).decode("utf-8", "replace"))
    title = " ".join(title.split())
    return title or None
