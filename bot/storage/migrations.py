"""Numbered schema migrations, applied in order and tracked with ``PRAGMA user_version``.

Each entry of ``MIGRATIONS`` is one SQL script; migration N (1-based) brings the schema from
version N-1 to N. Never edit a released migration: append a new one. A database whose version is
newer than the last migration was written by a newer Newsbot and is refused: this code does not
know its tables, and writing to them could silently lose what the newer version keeps.
"""

from __future__ import annotations

import sqlite3

from bot.errors import StorageError

MIGRATIONS: tuple[str, ...] = (
    # 1: feeds, seen items, articles, summaries, quotes, FTS5 over quotes, delivery queue.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        channel TEXT NOT NULL,
        scope TEXT NOT NULL,
        title TEXT,
        image TEXT,
        etag TEXT,
        last_modified TEXT,
        last_checked REAL,
        last_success REAL,
        last_error TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        paused INTEGER NOT NULL DEFAULT 0,
        next_check REAL NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        UNIQUE (url, channel)
    );
    CREATE TABLE seen_items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        norm_url TEXT,
        norm_title TEXT,
        title TEXT,
        link TEXT,
        channel TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT,
        seen_at REAL NOT NULL,
        UNIQUE (feed_id, item_key)
    );
    CREATE INDEX seen_items_url ON seen_items (channel, norm_url);
    CREATE INDEX seen_items_title ON seen_items (channel, norm_title);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        scope TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT,
        published TEXT,
        fetched_at REAL NOT NULL,
        text TEXT NOT NULL,
        image TEXT
    );
    CREATE INDEX articles_scope ON articles (scope);
    CREATE TABLE summaries (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        sentences TEXT NOT NULL
    );
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        mention TEXT,
        kind TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX quotes_article ON quotes (article_id);
    CREATE INDEX quotes_speaker ON quotes (speaker);
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, speaker, content='quotes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
    END;
    CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
    END;
    CREATE TRIGGER quotes_au AFTER UPDATE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
        INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
    END;
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at REAL NOT NULL,
        sent_at REAL
    );
    CREATE INDEX deliveries_pending ON deliveries (state, channel);
    """,
    # 2: config feeds an admin removed stay removed; deliveries remember a permanent failure.
    """
    CREATE TABLE removed_feeds (
        url TEXT NOT NULL,
        channel TEXT NOT NULL,
        removed_at REAL NOT NULL,
        PRIMARY KEY (url, channel)
    );
    ALTER TABLE deliveries ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: a channel remembers what it was sent after a feed is removed. Seen items outlive their
    # feed (feed_id becomes NULL instead of the row being deleted) and keep the feed's URL, so a
    # re-added feed gets its memory back and other feeds of the channel still see the duplicates.
    # SQLite cannot change a foreign key in place: the table is rebuilt. Articles get the
    # normalised URL they are stored once per scope by.
    """
    CREATE TABLE seen_items_v3 (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        feed_url TEXT NOT NULL,
        item_key TEXT NOT NULL,
        norm_url TEXT,
        norm_title TEXT,
        title TEXT,
        link TEXT,
        channel TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT,
        seen_at REAL NOT NULL,
        UNIQUE (feed_id, item_key)
    );
    INSERT INTO seen_items_v3 (id, feed_id, feed_url, item_key, norm_url, norm_title, title, link,
                               channel, outcome, detail, seen_at)
        SELECT s.id, s.feed_id, COALESCE(f.url, ''), s.item_key, s.norm_url, s.norm_title,
               s.title, s.link, s.channel, s.outcome, s.detail, s.seen_at
        FROM seen_items s LEFT JOIN feeds f ON f.id = s.feed_id;
    DROP TABLE seen_items;
    ALTER TABLE seen_items_v3 RENAME TO seen_items;
    CREATE INDEX seen_items_url ON seen_items (channel, norm_url);
    CREATE INDEX seen_items_title ON seen_items (channel, norm_title);
    CREATE INDEX seen_items_feed_url ON seen_items (channel, feed_url);
    -- an article is stored once per scope and normalised URL (older rows have none)
    ALTER TABLE articles ADD COLUMN norm_url TEXT;
    CREATE INDEX articles_norm_url ON articles (scope, norm_url);
    """,
    # 4: which articles `summary <url>` stored: a summary refreshes only its own earlier row for
    # the same URL, never a feed item's article. Older rows count as feed articles (kept safe).
    """
    ALTER TABLE articles ADD COLUMN origin TEXT NOT NULL DEFAULT 'feed';
    CREATE INDEX articles_url ON articles (scope, url);
    """,
    # 5: a removed feed's number is never given to another feed ("feed remove 3" in an old
    # message must not name a newer feed): the removal keeps the number it had.
    """
    ALTER TABLE removed_feeds ADD COLUMN feed_id INTEGER;
    """,
    # 6: a removal keeps the feed's scope, so `feed why` still finds (in that server only) the
    # items a removed feed saw. Older removals take the scope of another feed of the same channel,
    # or the console's; a chat channel left with no feed can't be placed and stays unexplained.
    """
    ALTER TABLE removed_feeds ADD COLUMN scope TEXT;
    UPDATE removed_feeds SET scope = COALESCE(
        (SELECT f.scope FROM feeds f WHERE f.channel = removed_feeds.channel ORDER BY f.id LIMIT 1),
        CASE WHEN removed_feeds.channel = 'console' THEN 'console' END
    );
    """,
)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's user_version; return the new version.

    Raises StorageError for a database newer than this code. A migration that fails is rolled
    back before its error propagates, so no write transaction is left open.
    """
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > len(MIGRATIONS):
        file = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        raise StorageError(
            f"{file}: this database was written by a newer Newsbot (schema v{version}, this one knows "
            f"up to v{len(MIGRATIONS)}); upgrade, or use another data_dir"
        )
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        try:
            conn.executescript(
                "BEGIN IMMEDIATE;\n" + script + f"\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)
