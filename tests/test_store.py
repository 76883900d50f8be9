"""The SQLite store: migrations, feeds, seen items, deliveries, errors on a read-only directory."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.models import Article, Item, Quote
from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Store
from tests.support import database_at


def test_migrations_set_user_version_and_wal(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data" / "bot.sqlite3")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store.open(tmp_path / "data" / "bot.sqlite3")  # re-opening migrates nothing
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    again.close()


def test_feed_lifecycle_and_seen_items(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, created = store.add_feed("https://a.example/feed", "console", "console", 10.0)
    assert created and feed.id == 1
    same, created = store.add_feed("https://a.example/feed", "console", "console", 11.0)
    assert not created and same.id == 1
    item = Item(key="k1", title="A long enough title here", link="https://a.example/1")
    with store.transaction() as conn:
        store.mark_seen(conn, feed, item, norm_url="https://a.example/1",
                        norm_title="a long enough title here", outcome="baseline", detail=None,
                        now=12.0)
    assert store.seen_keys(1, ["k1", "k2"]) == {"k1"}
    dup = store.find_duplicate("console", 1, "https://a.example/1", None, title_since=0.0)
    assert dup is not None and dup.item_key == "k1"
    assert store.find_duplicate("discord:1", 1, "https://a.example/1", None, title_since=0.0) is None
    assert store.get_feed(1).item_count == 1  # type: ignore[union-attr]
    store.remove_feed(1)
    assert store.list_feeds() == [] and store.seen_keys(1, ["k1"]) == set()


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, _ = store.add_feed("https://a.example/feed", "console", "console", 1.0)
    article = Article(url="https://a.example/1", title="T", text="words \u201chi\u201d",
                      quotes=(Quote("hi", 7, 9, "Ann Lee", None, None, "direct"),))
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.insert_article(conn, article, feed_id=feed.id, scope="console", now=1.0)
        raise RuntimeError("crash in the middle")
    assert store.article_count() == 0
    assert store.conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 0


def test_delivery_queue(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, _ = store.add_feed("https://a.example/feed", "console", "console", 1.0)
    article = Article(url="https://a.example/1", title="Title", text="Body.", summary=("Body.",),
                      quotes=(Quote("x", 0, 1, "Ann Lee", 0, 1, "direct"),
                              Quote("y", 0, 1, None, None, None, "direct")))
    with store.transaction() as conn:
        article_id = store.insert_article(conn, article, feed_id=feed.id, scope="console", now=1.0)
        store.enqueue_delivery(conn, article_id, feed, 1.0)
    pending = store.pending_deliveries()
    assert len(pending) == 1
    message = store.message_for(pending[0])
    assert message is not None and message.summary == ("Body.",)
    assert [q.speaker for q in message.quotes] == ["Ann Lee"]  # unattributed quotes not posted
    store.mark_attempt_failed(pending[0].id, "no permission")
    assert store.pending_deliveries()[0].attempts == 1
    store.mark_sent(pending[0].id, 2.0)
    assert store.pending_deliveries() == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory_is_a_clear_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            Store.open(ro / "bot.sqlite3")
    finally:
        ro.chmod(0o700)


def test_read_only_database_gives_storage_error_not_corruption(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    store = Store(conn)
    with pytest.raises(StorageError, match="read-only"):
        store.add_feed("https://a.example/feed", "console", "console", 1.0)
    conn.close()
    fresh = Store.open(path)
    assert fresh.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_is_a_clear_error_and_the_database_stays_intact(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store.open(path)
    feed, _ = store.add_feed("https://a.example/feed", "console", "console", 1.0)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the "disk" is now nearly full
    big = Article(url="https://a.example/big", title="Big", text="word " * 200_000)
    with pytest.raises(StorageError, match="full"):
        store.add_article(big, feed_id=feed.id, scope="console", now=2.0)
    store.close()
    fresh = Store.open(path)
    assert fresh.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert fresh.article_count() == 0 and len(fresh.list_feeds()) == 1


def test_an_older_database_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = database_at(path, 1)
    conn.execute("INSERT INTO feeds (url, channel, scope, created_at) VALUES ('u', 'console', "
                 "'console', 0)")
    conn.close()
    store = Store.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert [f.url for f in store.list_feeds()] == ["u"]
    store.remove_feed(1, now=5.0)
    assert store.was_removed("u", "console")


def test_a_removed_feeds_number_is_not_given_to_a_new_feed(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store.open(path)
    ids = [store.add_feed(f"https://a.example/{n}", "console", "console", 1.0)[0].id for n in range(3)]
    assert ids == [1, 2, 3]
    store.remove_feed(3)
    store.remove_feed(2)
    newer, _ = store.add_feed("https://a.example/new", "console", "console", 2.0)
    assert newer.id == 4  # not 2 or 3: "feed remove 3" in an old message must not name it
    back, _ = store.add_feed("https://a.example/2", "console", "console", 3.0)
    assert back.id == 5  # a feed added back is a new feed with a new number
    store.remove_feed(5)
    store.close()
    reopened = Store.open(path)  # the numbers given out survive a restart
    assert reopened.add_feed("https://a.example/other", "console", "console", 4.0)[0].id == 6
    reopened.close()
