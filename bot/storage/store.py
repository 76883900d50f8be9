"""The SQLite store: opens the file (WAL), migrates it, and maps rows to models.

No business logic lives here: callers decide what is new or due; the store records it. Writes that
must happen together (an item seen, its article, its pending delivery) share one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.errors import StorageError
from bot.models import Article, Feed, Item, Message, QuoteHit, QuoteLine
from bot.storage import search
from bot.storage.articles import write_article
from bot.storage.lock import DatabaseLock
from bot.storage.migrations import migrate
from bot.storage.rows import from_iso

_FEED_COLUMNS = (
    "id, url, channel, scope, title, etag, last_modified, last_checked, last_success, "
    "last_error, failures, paused, next_check, created_at, image, "
    "(SELECT COUNT(*) FROM seen_items s WHERE s.feed_id = feeds.id) AS item_count"
)


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
    outcome: str  # "baseline", "posted", "duplicate", "failed", ...
    detail: str | None
    seen_at: float
    feed_url: str = ""


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


def _wrap(exc: sqlite3.Error) -> StorageError:
    text = str(exc)
    if "readonly" in text:
        return StorageError("the data directory or database file is read-only: " + text)
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError("the disk holding the database is full: " + text)
    return StorageError(f"database error: {text}")


class Store:
    """One SQLite connection with typed methods for everything the bot keeps."""

    def __init__(self, conn: sqlite3.Connection, lock: DatabaseLock | None = None) -> None:
        self.conn = conn
        self._lock = lock

    @classmethod
    def open(cls, path: Path | str, *, exclusive: bool = True) -> Store:
        """Open (creating if needed) and migrate the database at ``path`` (":memory:" allowed).

        ``exclusive`` (the default, for a running bot) takes the database's lock first, so a
        second bot on the same file refuses to start with a StorageError instead of posting
        every new item again; the lock is held until ``close`` or the process ends.
        """
        lock: DatabaseLock | None = None
        conn: sqlite3.Connection | None = None
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                if exclusive:
                    lock = DatabaseLock.acquire(Path(path))
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except (OSError, sqlite3.Error, StorageError) as exc:
            # nothing half-open is left behind: the next attempt (or another bot) starts clean
            if conn is not None:
                conn.close()
            if lock is not None:
                lock.release()
            if isinstance(exc, StorageError):
                raise
            if isinstance(exc, OSError):
                raise StorageError(f"cannot create the data directory for {path}: {exc}") from None
            raise _wrap(exc) from None
        return cls(conn, lock)

    def close(self) -> None:
        """Close the connection and let another bot open the database."""
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; sqlite errors become StorageError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _wrap(exc) from None
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._rollback()
            raise _wrap(exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _wrap(exc) from None

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (e.g. after "disk full")
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    # ---- feeds -------------------------------------------------------------------------------

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
            cursor = conn.execute(
                "INSERT INTO feeds (url, channel, scope, created_at, next_check) VALUES (?,?,?,?,?)",
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
        see them as duplicates, and the same feed added back gets them again (see add_feed)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO removed_feeds (url, channel, removed_at) "
                "SELECT url, channel, ? FROM feeds WHERE id = ?",
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
            for feed_id in ids:
                conn.execute("UPDATE articles SET scope = ? WHERE feed_id = ?", (scope, feed_id))

    # ---- seen items and dedupe ---------------------------------------------------------------

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
        the next day). Another feed's baseline items were never posted, so they don't count."""
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
                f"AND (outcome != 'baseline' OR feed_id = ?) ORDER BY id LIMIT 1",
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
        oldest first."""
        rows = self.conn.execute(
            "SELECT s.feed_id, s.item_key, s.title, s.link, s.outcome, s.detail, s.seen_at, "
            "s.feed_url FROM seen_items s JOIN feeds f ON f.id = s.feed_id "
            "WHERE f.scope = ? AND ((s.norm_url IS NOT NULL AND s.norm_url = ?) "
            "OR (s.norm_title IS NOT NULL AND s.norm_title = ?) "
            "OR (? IS NOT NULL AND lower(trim(s.title)) = lower(trim(?)))) ORDER BY s.id",
            (scope, norm_url, norm_title, raw_title, raw_title),
        ).fetchall()
        return [SeenItem(*row) for row in rows]

    # ---- articles and deliveries -------------------------------------------------------------

    def insert_article(
        self, conn: sqlite3.Connection, article: Article, *, feed_id: int | None, scope: str,
        now: float,
    ) -> int:
        """Store a feed item's article with its summary and quotes (inside the caller's
        transaction); the scope's row for the same URL and title is refreshed, not repeated."""
        return write_article(conn, article, feed_id=feed_id, scope=scope, now=now, origin="feed")

    def add_article(self, article: Article, *, feed_id: int | None, scope: str, now: float) -> int:
        """Store an article on its own (used by `summary <url>`): only an earlier summary of
        exactly this URL in the scope is refreshed; anything else (a feed item's article with
        the same link included) is kept as it is and a new row added."""
        with self.transaction() as conn:
            return write_article(
                conn, article, feed_id=feed_id, scope=scope, now=now, origin="summary"
            )

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

    def article_count(self, scope: str | None = None) -> int:
        """How many articles the bot has read (in one scope, or all)."""
        if scope is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        return int(
            self.conn.execute("SELECT COUNT(*) FROM articles WHERE scope = ?", (scope,)).fetchone()[0]
        )

    # ---- quote search (ranking lives in bot.storage.search) ----------------------------------

    def search_quotes(self, phrase: str, *, scope: str | None, limit: int = 5) -> list[QuoteHit]:
        """Best-matching stored quotes for a who-said phrase."""
        try:
            return search.search_quotes(self.conn, phrase, scope=scope, limit=limit)
        except sqlite3.Error as exc:
            raise _wrap(exc) from None

    def quotes_by(self, person: str, *, scope: str | None, limit: int = 5) -> list[QuoteHit]:
        """A speaker's latest quotes ("Trump" finds "Donald Trump")."""
        try:
            return search.quotes_by(self.conn, person, scope=scope, limit=limit)
        except sqlite3.Error as exc:
            raise _wrap(exc) from None
