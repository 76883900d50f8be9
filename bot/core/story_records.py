"""A channel's story records: the duplicate test of a new item and the seen-item records of a check.

An item's identity within a channel is its entry key, then its normalised link, then its
normalised title (a title only within ``TITLE_WINDOW``). The functions that take the store do
database work only (no page fetched, no message sent); the poller calls them under the channel's
lock, which orders the duplicate tests and records of the channel's feeds. The clock is passed in
(the poller's seam) and read where each record is made. A check whose feed was removed
meanwhile makes no more records (``ensure_present``).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable

from bot.feeds.urls import normalize_title, normalize_url
from bot.models import Article, Feed, Item
from bot.storage.seen import SeenItem
from bot.storage.store import Store

Clock = Callable[[], float]

TITLE_WINDOW = 48 * 3600.0  # same headline within two days = same story; later, a new one


class FeedGone(Exception):
    """The feed being checked was removed meanwhile: nothing more is recorded for it."""


def present(store: Store, feed: Feed) -> bool:
    """Whether the feed being checked still exists (an admin may remove it while its pages
    load; its id may then go to a new feed): a removed feed's records can't be made."""
    current = store.get_feed(feed.id)
    return current is not None and (current.url, current.channel) == (feed.url, feed.channel)


def ensure_present(store: Store, feed: Feed) -> None:
    """Raise FeedGone when the feed being checked was removed (the poller stops quietly)."""
    if not present(store, feed):
        raise FeedGone(feed.id)


def shared_identities(items: tuple[Item, ...]) -> set[str]:
    """Normalised links and titles that more than one entry of a document carries."""
    counts: Counter[str] = Counter()
    for item in items:
        for value in {norm_url(item), norm_title(item)}:
            if value:
                counts[value] += 1
    return {value for value, count in counts.items() if count > 1}


def norm_url(item: Item) -> str | None:
    return normalize_url(item.link) if item.link else None


def norm_title(item: Item) -> str | None:
    title = normalize_title(item.title) if item.title else ""
    return title if len(title) >= 12 else None  # short titles ("Update") are not identities


def identities(item: Item) -> frozenset[str]:
    """Every identity of an item across the channel's feeds (its normalised link and title,
    whether or not its own document shares them): what an in-flight claim holds
    (bot/core/claims.py)."""
    url, title = norm_url(item), norm_title(item)
    return frozenset(
        ([f"url:{url}"] if url else []) + ([f"title:{title}"] if title else [])
    )


def find_duplicate(
    store: Store, feed: Feed, item: Item, shared: set[str], clock: Clock
) -> SeenItem | None:
    """The channel's earlier record of this story, if any.

    A link or title that several entries of this document share (a podcast's home page,
    "Daily briefing") identifies none of them, so it is not used to find duplicates.
    """
    url, title = norm_url(item), norm_title(item)
    return store.find_duplicate(
        feed.channel,
        feed.id,
        None if url in shared else url,
        None if title in shared else title,
        title_since=clock() - TITLE_WINDOW,
    )


def recorded_as_duplicate(
    store: Store, feed: Feed, item: Item, shared: set[str], clock: Clock
) -> bool:
    """Whether the item is a story the channel already has; if so it is recorded as a
    duplicate. The caller holds the channel's lock."""
    duplicate = find_duplicate(store, feed, item, shared, clock)
    if duplicate is not None:
        record_duplicates(store, feed, [(item, duplicate)], clock)
    return duplicate is not None


def record_baseline(
    store: Store, feed: Feed, fresh: list[Item], posting: set[str], clock: Clock
) -> None:
    """Record a new feed's current items, except those about to be posted, as its baseline."""
    now = clock()
    with store.transaction() as conn:
        for item in fresh:
            if item.key not in posting:
                store.mark_seen(
                    conn, feed, item, norm_url=norm_url(item), norm_title=norm_title(item),
                    outcome="baseline", detail="in the feed when it was added", now=now,
                )


def record_duplicates(
    store: Store, feed: Feed, found: list[tuple[Item, SeenItem]], clock: Clock
) -> int:
    """Record new items that are stories the channel already has as duplicates; how many."""
    if found:
        with store.transaction() as conn:
            for item, duplicate in found:
                _mark_duplicate(store, conn, feed, item, duplicate, clock)
    return len(found)


def _mark_duplicate(
    store: Store, conn: sqlite3.Connection, feed: Feed, item: Item, duplicate: SeenItem,
    clock: Clock,
) -> None:
    source = (
        f"feed #{duplicate.feed_id}" if duplicate.feed_id is not None
        else f"the removed feed {duplicate.feed_url or '(unknown)'}"
    )
    store.mark_seen(
        conn, feed, item, norm_url=norm_url(item), norm_title=norm_title(item),
        outcome="duplicate", detail=f"same story as '{duplicate.title}' from {source}",
        now=clock(),
    )


def record_skipped(
    store: Store, feed: Feed, skipped: list[Item], detail: str, clock: Clock
) -> None:
    """Record the older non-duplicate items of a capped check as seen ("skipped", so `feed
    why` explains them with ``detail``). They stay skipped: no later check posts them. The
    newest ones are posted after this, each in its own transaction: a check killed before it
    posted them leaves them unseen, and the next check posts them, unless that check finds more
    new items than the cap again (then the older ones are skipped too). None is posted twice."""
    now = clock()
    with store.transaction() as conn:
        for item in skipped:
            store.mark_seen(
                conn, feed, item, norm_url=norm_url(item), norm_title=norm_title(item),
                outcome="skipped", detail=detail, now=now,
            )


def record_posted(store: Store, feed: Feed, item: Item, article: Article, clock: Clock) -> None:
    """In one transaction: the item is seen as posted, its article stored, its post queued."""
    with store.transaction() as conn:
        store.mark_seen(
            conn, feed, item, norm_url=norm_url(item), norm_title=norm_title(item),
            outcome="posted", detail=None, now=clock(),
        )
        article_id = store.insert_article(
            conn, article, feed_id=feed.id, scope=feed.scope, now=clock()
        )
        store.enqueue_delivery(conn, article_id, feed, clock())
