"""The deliveries table: posts decided on, waiting to reach their channel exactly once.

A delivery is enqueued in the transaction that stores its article; it stays pending until the
adapter confirms the send, and ``message_for`` rebuilds its platform-neutral post from the rows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from bot.models import Feed, Message, QuoteLine
from bot.storage.base import StoreBase
from bot.storage.rows import from_iso


@dataclass(frozen=True)
class Delivery:
    """A post that was decided on and must reach its channel exactly once."""

    id: int
    article_id: int
    feed_id: int | None
    channel: str
    attempts: int
    last_error: str | None
    permanent: bool = False


class DeliveryTable(StoreBase):
    """Enqueueing, confirming and retrying deliveries."""

    def enqueue_delivery(
        self, conn: sqlite3.Connection, article_id: int, feed: Feed, now: float
    ) -> None:
        """Record the intent to post an article to the feed's channel (caller's transaction)."""
        conn.execute(
            "INSERT INTO deliveries (article_id, feed_id, channel, created_at) VALUES (?,?,?,?)",
            (article_id, feed.id, feed.channel, now),
        )

    def pending_deliveries(self, channels_prefix: str | None = None) -> list[Delivery]:
        """Deliveries not yet confirmed sent, oldest first."""
        rows = self.conn.execute(
            "SELECT id, article_id, feed_id, channel, attempts, last_error, permanent "
            "FROM deliveries WHERE state = 'pending' ORDER BY id"
        ).fetchall()
        deliveries = [
            Delivery(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6])) for row in rows
        ]
        if channels_prefix is not None:
            deliveries = [d for d in deliveries if d.channel.startswith(channels_prefix)]
        return deliveries

    def mark_sent(self, delivery_id: int, now: float) -> None:
        """Confirm a delivery reached its channel."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, last_error = NULL "
                "WHERE id = ?",
                (now, delivery_id),
            )

    def mark_attempt_failed(self, delivery_id: int, error: str, *, permanent: bool = False) -> None:
        """Count a failed send; the delivery stays pending and is retried later. ``permanent``
        records that the channel refused us (no permission, deleted), not a passing hiccup."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, permanent = ? "
                "WHERE id = ?",
                (error, int(permanent), delivery_id),
            )

    def mark_given_up(self, delivery_id: int, error: str) -> None:
        """Stop retrying a delivery that keeps failing for a reason other than the channel."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, last_error = ? "
                "WHERE id = ?",
                (error, delivery_id),
            )

    def message_for(self, delivery: Delivery) -> Message | None:
        """Build the platform-neutral post for a stored delivery (None if the article is gone),
        with every attributed direct or partial quote in article order."""
        row = self.conn.execute(
            "SELECT a.title, a.url, a.source, a.published, a.image, s.sentences, f.image AS fimg "
            "FROM articles a LEFT JOIN summaries s ON s.article_id = a.id "
            "LEFT JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
            (delivery.article_id,),
        ).fetchone()
        if row is None:
            return None
        quotes = self.conn.execute(
            "SELECT text, speaker FROM quotes WHERE article_id = ? AND speaker IS NOT NULL "
            "AND kind != 'reported' ORDER BY position",
            (delivery.article_id,),
        ).fetchall()
        return Message(
            channel=delivery.channel,
            title=row["title"],
            url=row["url"],
            source=row["source"],
            published=from_iso(row["published"]),
            summary=tuple(json.loads(row["sentences"] or "[]")),
            quotes=tuple(QuoteLine(q["text"], q["speaker"]) for q in quotes),
            image=row["image"] or row["fimg"],
        )
