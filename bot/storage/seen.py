"""The seen-items table: every item a feed has seen and what became of it (dedupe, `feed why`).

A seen item outlives its feed: when a feed is removed its items stay as the channel's memory of
what it was sent, so other feeds of the channel still find them as duplicates.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.models import Feed, Item
from bot.storage.base import StoreBase


@dataclass(frozen=True)
class SeenItem:
    """How an item was handled the first time the bot saw it (for dedupe and `feed why`).

    ``feed_id`` is None when the feed that saw it has since been removed (the channel keeps the
    memory); ``feed_url`` still names that feed.
    """

    feed_id: int | None
    item_key: str
    title: str | None
    link: str | None
    outcome: str  # "baseline", "posted", "duplicate", "skipped" (over the per-check cap), ...
    detail: str | None
    seen_at: float
    feed_url: str = ""


class SeenTable(StoreBase):
    """Recording items as seen and finding earlier records of them."""

    def seen_keys(self, feed_id: int, keys: list[str]) -> set[str]:
        """Which of these item keys this feed has already seen."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT item_key FROM seen_items WHERE feed_id = ? AND item_key IN ({marks})",
                (feed_id, *chunk),
            ).fetchall()
            found.update(row[0] for row in rows)
        return found

    def find_duplicate(
        self,
        channel: str,
        feed_id: int,
        norm_url: str | None,
        norm_title: str | None,
        *,
        title_since: float,
    ) -> SeenItem | None:
        """An earlier item for this channel with the same normalised URL, else the same title
        seen after ``title_since`` (a recurring headline like "Morning briefing" is a new story
        the next day). Another feed's baseline and skipped items were never posted, so they
        don't count."""
        for column, value, since in (
            ("norm_url", norm_url, 0.0),
            ("norm_title", norm_title, title_since),
        ):
            if not value:
                continue
            row = self.conn.execute(
                f"SELECT feed_id, item_key, title, link, outcome, detail, seen_at, feed_url "
                f"FROM seen_items "
                f"WHERE channel = ? AND {column} = ? AND seen_at >= ? "
                f"AND (outcome NOT IN ('baseline', 'skipped') OR feed_id = ?) ORDER BY id LIMIT 1",
                (channel, value, since, feed_id),
            ).fetchone()
            if row is not None:
                return SeenItem(*row)
        return None

    def mark_seen(
        self,
        conn: sqlite3.Connection,
        feed: Feed,
        item: Item,
        *,
        norm_url: str | None,
        norm_title: str | None,
        outcome: str,
        detail: str | None,
        now: float,
    ) -> None:
        """Record an item as seen by a feed (inside the caller's transaction)."""
        conn.execute(
            "INSERT OR IGNORE INTO seen_items (feed_id, feed_url, item_key, norm_url, norm_title, "
            "title, link, channel, outcome, detail, seen_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                feed.id, feed.url, item.key, norm_url, norm_title, item.title, item.link,
                feed.channel, outcome, detail, now,
            ),
        )

    def explain(
        self,
        scope: str,
        norm_url: str | None,
        norm_title: str | None,
        raw_title: str | None = None,
    ) -> list[SeenItem]:
        """Every record of an item (by URL, normalised title or exact title) in a scope's feeds,
        oldest first, including those of feeds since removed (``feed_id`` None, ``feed_url``
        naming the feed): their scope is the one kept with the removal."""
        rows = self.conn.execute(
            "SELECT s.feed_id, s.item_key, s.title, s.link, s.outcome, s.detail, s.seen_at, "
            "s.feed_url FROM seen_items s LEFT JOIN feeds f ON f.id = s.feed_id "
            "LEFT JOIN removed_feeds r ON s.feed_id IS NULL AND r.url = s.feed_url "
            "AND r.channel = s.channel "
            "WHERE COALESCE(f.scope, r.scope) = ? AND ((s.norm_url IS NOT NULL AND s.norm_url = ?) "
            "OR (s.norm_title IS NOT NULL AND s.norm_title = ?) "
            "OR (? IS NOT NULL AND lower(trim(s.title)) = lower(trim(?)))) ORDER BY s.id",
            (scope, norm_url, norm_title, raw_title, raw_title),
        ).fetchall()
        return [SeenItem(*row) for row in rows]
