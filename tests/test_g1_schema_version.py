"""A database newer than this code is refused with one clear sentence and left as it was; a
migration that fails is rolled back before its error propagates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import bot.storage.migrations as migrations
from bot.errors import StorageError
from bot.storage.lock import DatabaseLock
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.store import Store


def test_a_database_from_a_newer_newsbot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.sqlite3"
    store = Store.open(path)
    store.add_feed("https://wire.test/rss", "console", "console", 0.0)
    newer = len(MIGRATIONS) + 1
    store.conn.execute(f"PRAGMA user_version = {newer}")
    store.close()
    with pytest.raises(StorageError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: this database was written by a newer Newsbot (schema v{newer}, this one knows "
        f"up to v{len(MIGRATIONS)}); upgrade, or use another data_dir"
    )
    # nothing was changed, and nothing is held: the lock is free again
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newer
    assert conn.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 1
    conn.close()
    DatabaseLock.acquire(path).release()


def test_a_failing_migration_leaves_no_open_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newsbot.sqlite3"
    Store.open(path).close()
    broken = "CREATE TABLE half_done (a INTEGER);\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate(conn)
    assert not conn.in_transaction
    conn.execute("BEGIN IMMEDIATE")  # no write lock is left with anyone
    conn.execute("ROLLBACK")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()
    with pytest.raises(StorageError, match="no_such_table"):
        Store.open(path)
    DatabaseLock.acquire(path).release()  # Store.open let go of the lock too
