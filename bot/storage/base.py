"""The connection every store table shares: transactions, and sqlite errors turned into StorageError.

``StoreBase`` holds the one SQLite connection; the tables (``feeds``, ``seen``, ``deliveries``)
build on it and ``bot.storage.store.Store`` combines them into the one object callers use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.errors import StorageError
from bot.storage.lock import DatabaseLock


def wrap_error(exc: sqlite3.Error) -> StorageError:
    """A sqlite error as a StorageError whose text says what the operator can do about it."""
    text = str(exc)
    if "readonly" in text:
        return StorageError("the data directory or database file is read-only: " + text)
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError("the disk holding the database is full: " + text)
    return StorageError(f"database error: {text}")


class StoreBase:
    """One SQLite connection (and the database's lock, when held) with explicit transactions."""

    def __init__(self, conn: sqlite3.Connection, lock: DatabaseLock | None = None) -> None:
        self.conn = conn
        self._lock = lock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; sqlite errors become StorageError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise wrap_error(exc) from None
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._rollback()
            raise wrap_error(exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise wrap_error(exc) from None

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (e.g. after "disk full")
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
