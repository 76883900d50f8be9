"""The SQLite store: opens the file (WAL), migrates it, and is the one object callers use.

No business logic lives here: callers decide what is new or due; the store records it. Writes that
must happen together (an item seen, its article, its pending delivery) share one transaction.
``Store`` combines the tables, each in its own module: feeds (``feeds``), seen items (``seen``)
and deliveries (``deliveries``); articles are written by ``articles`` and searched by ``search``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.errors import StorageError
from bot.models import Article, QuoteHit
from bot.storage import search
from bot.storage.articles import write_article
from bot.storage.base import wrap_error
from bot.storage.deliveries import DeliveryTable
from bot.storage.feeds import FeedTable
from bot.storage.lock import DatabaseLock
from bot.storage.migrations import migrate
from bot.storage.seen import SeenTable


class Store(FeedTable, SeenTable, DeliveryTable):
    """One SQLite connection with typed methods for everything the bot keeps."""

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
            raise wrap_error(exc) from None
        return cls(conn, lock)

    def close(self) -> None:
        """Close the connection and let another bot open the database."""
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # ---- articles ----------------------------------------------------------------------------

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
            raise wrap_error(exc) from None

    def quotes_by(self, person: str, *, scope: str | None, limit: int = 5) -> list[QuoteHit]:
        """A speaker's latest quotes ("Trump" finds "Donald Trump")."""
        try:
            return search.quotes_by(self.conn, person, scope=scope, limit=limit)
        except sqlite3.Error as exc:
            raise wrap_error(exc) from None
