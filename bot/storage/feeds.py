"""The feeds table: a channel's watched feeds, their check results, pauses and removals.

Feeds are rows <-> ``Feed`` models; the poller decides when a feed is due or has failed too often,
these methods only record it.
"""

from __future__ import annotations

import sqlite3

from bot.models import Feed
from bot.storage.base import StoreBase

_FEED_COLUMNS = (
    "id, url, channel, scope, title, etag, last_modified, last_checked, last_success, "
    "last_error, failures, paused, next_check, created_at, image, "
    "(SELECT COUNT(*) FROM seen_items s WHERE s.feed_id = feeds.id) AS item_count"
)


class FeedTable(StoreBase):
    """Adding, finding and updating feeds."""

    def _feed(self, row: sqlite3.Row) -> Feed:
        return Feed(
            id=row["id"],
            url=row["url"],
            channel=row["channel"],
            scope=row["scope"],
            title=row["title"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_checked=row["last_checked"],
            last_success=row["last_success"],
            last_error=row["last_error"],
            failures=row["failures"],
            paused=bool(row["paused"]),
            next_check=row["next_check"],
            created_at=row["created_at"],
            item_count=row["item_count"],
            image=row["image"],
        )

    def add_feed(self, url: str, channel: str, scope: str, now: float) -> tuple[Feed, bool]:
        """Add a feed for a channel; return (feed, created). An existing one is returned as is."""
        existing = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ? AND channel = ?", (url, channel)
        ).fetchone()
        if existing is not None:
            return self._feed(existing), False
        with self.transaction() as conn:
            # a new number, above every feed there is and every feed removed (see migration 5)
            cursor = conn.execute(
                "INSERT INTO feeds (id, url, channel, scope, created_at, next_check) "
                "VALUES ((SELECT MAX(COALESCE((SELECT MAX(id) FROM feeds), 0), "
                "COALESCE((SELECT MAX(feed_id) FROM removed_feeds), 0)) + 1), ?,?,?,?,?)",
                (url, channel, scope, now, now),
            )
            conn.execute("DELETE FROM removed_feeds WHERE url = ? AND channel = ?", (url, channel))
            # the same feed added back to the channel: it remembers what it saw before removal
            conn.execute(
                "UPDATE OR IGNORE seen_items SET feed_id = ? "
                "WHERE feed_id IS NULL AND channel = ? AND feed_url = ?",
                (cursor.lastrowid, channel, url),
            )
        feed = self.get_feed(int(cursor.lastrowid or 0))
        assert feed is not None
        return feed, True

    def get_feed(self, feed_id: int) -> Feed | None:
        """The feed with this id, or None."""
        row = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
        return self._feed(row) if row is not None else None

    def list_feeds(self, scope: str | None = None) -> list[Feed]:
        """All feeds, or those of one scope, oldest first."""
        if scope is None:
            rows = self.conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()
        else:
            rows = self.conn.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE scope = ? ORDER BY id", (scope,)
            ).fetchall()
        return [self._feed(row) for row in rows]

    def remove_feed(self, feed_id: int, now: float = 0.0) -> None:
        """Delete a feed (its articles and quotes stay searchable), and remember the removal so a
        feed from the config file is not added back at start-up. Its seen items stay, detached
        from it, as the channel's memory of what it was sent: other feeds of the channel still
        see them as duplicates, and the same feed added back gets them again (see add_feed).
        The removal keeps the feed's scope, so `feed why` there still explains those items."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO removed_feeds (url, channel, removed_at, feed_id, scope) "
                "SELECT url, channel, ?, id, scope FROM feeds WHERE id = ?",
                (now, feed_id),
            )
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def was_removed(self, url: str, channel: str) -> bool:
        """Whether an admin removed this feed from this channel."""
        row = self.conn.execute(
            "SELECT 1 FROM removed_feeds WHERE url = ? AND channel = ?", (url, channel)
        ).fetchone()
        return row is not None

    def due_feeds(self, now: float) -> list[Feed]:
        """Feeds not paused whose next check time has come, most overdue first."""
        rows = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE paused = 0 AND next_check <= ? "
            "ORDER BY next_check",
            (now,),
        ).fetchall()
        return [self._feed(row) for row in rows]

    def record_check(
        self,
        feed_id: int,
        *,
        now: float,
        next_check: float,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
        image: str | None = None,
    ) -> None:
        """A successful check (including 304): reset failures, store validators."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_checked = ?, last_success = ?, last_error = NULL, "
                "failures = 0, next_check = ?, etag = ?, last_modified = ?, "
                "title = COALESCE(?, title), image = COALESCE(?, image) WHERE id = ?",
                (now, now, next_check, etag, last_modified, title, image, feed_id),
            )

    def record_failure(
        self, feed_id: int, *, now: float, error: str, next_check: float, paused: bool
    ) -> int:
        """A failed check: count it, keep the error; return the new failure count."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_checked = ?, last_error = ?, failures = failures + 1, "
                "next_check = ?, paused = ? WHERE id = ?",
                (now, error, next_check, int(paused), feed_id),
            )
            row = conn.execute("SELECT failures FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return int(row[0]) if row is not None else 0

    def set_paused(self, feed_id: int, paused: bool, *, now: float) -> None:
        """Pause or resume a feed; resuming makes it due now and clears the failure count."""
        with self.transaction() as conn:
            if paused:
                conn.execute("UPDATE feeds SET paused = 1 WHERE id = ?", (feed_id,))
            else:
                conn.execute(
                    "UPDATE feeds SET paused = 0, failures = 0, next_check = ? WHERE id = ?",
                    (now, feed_id),
                )

    def set_feed_error(self, feed_id: int, error: str | None) -> None:
        """Record (or clear) an error that is not a fetch failure, e.g. a channel we cannot post to."""
        with self.transaction() as conn:
            conn.execute("UPDATE feeds SET last_error = ? WHERE id = ?", (error, feed_id))

    def set_channel_scope(self, channel: str, scope: str) -> None:
        """Set the scope of a channel's feeds and articles (an adapter learns a config feed's
        server only once connected)."""
        with self.transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM feeds WHERE channel = ?", (channel,))]
            conn.execute("UPDATE feeds SET scope = ? WHERE channel = ?", (scope, channel))
            conn.execute("UPDATE removed_feeds SET scope = ? WHERE channel = ?", (scope, channel))
            for feed_id in ids:
                conn.execute("UPDATE articles SET scope = ? WHERE feed_id = ?", (scope, feed_id))
