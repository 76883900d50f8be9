"""Writing an analysed article (row, summary, quotes), once per scope and article URL.

The same page reaching one scope twice (a story posted to two channels of a server, `summary` of
a URL a feed already brought) would otherwise store its quotes twice, and `quotes <person>` would
list each of them twice. So an article whose normalised URL the scope already holds refreshes
that row (text, summary and quotes are replaced by the newer analysis) instead of adding one.

A feed item only reuses a row with the same title too: entries that share one link but are
separate posts (a podcast's episodes all linking to its home page) each keep their own title.
"""

from __future__ import annotations

import json
import sqlite3

from bot.feeds.urls import normalize_url
from bot.models import Article
from bot.storage.rows import to_iso


def article_key(url: str) -> str | None:
    """The normalised URL an article is known by in its scope, or None without a URL."""
    key = normalize_url(url) if url.strip() else ""
    return key or None


def find_article(
    conn: sqlite3.Connection, scope: str, norm_url: str, title: str | None
) -> int | None:
    """The newest stored article of a scope with this URL (and title, when given), or None."""
    sql = "SELECT id FROM articles WHERE scope = ? AND norm_url = ?"
    params: list[object] = [scope, norm_url]
    if title is not None:
        sql += " AND title = ?"
        params.append(title)
    row = conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return int(row[0]) if row is not None else None


def write_article(
    conn: sqlite3.Connection,
    article: Article,
    *,
    feed_id: int | None,
    scope: str,
    now: float,
    same_title_only: bool,
) -> int:
    """Store an article (inside the caller's transaction) and return its id: a new row, or the
    scope's existing row for the same page refreshed with this analysis."""
    norm_url = article_key(article.url)
    existing = (
        find_article(conn, scope, norm_url, article.title if same_title_only else None)
        if norm_url is not None
        else None
    )
    if existing is None:
        cursor = conn.execute(
            "INSERT INTO articles (feed_id, scope, url, norm_url, title, source, published, "
            "fetched_at, text, image) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                feed_id, scope, article.url, norm_url, article.title, article.source,
                to_iso(article.published), now, article.text, article.image,
            ),
        )
        article_id = int(cursor.lastrowid or 0)
    else:
        # the title stays: posts already made (or waiting) show the article under it
        article_id = existing
        conn.execute(
            "UPDATE articles SET feed_id = COALESCE(feed_id, ?), source = COALESCE(source, ?), "
            "published = COALESCE(?, published), fetched_at = ?, text = ?, "
            "image = COALESCE(?, image) WHERE id = ?",
            (
                feed_id, article.source, to_iso(article.published), now, article.text,
                article.image, article_id,
            ),
        )
        conn.execute("DELETE FROM summaries WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    _write_analysis(conn, article_id, article)
    return article_id


def _write_analysis(conn: sqlite3.Connection, article_id: int, article: Article) -> None:
    conn.execute(
        "INSERT INTO summaries (article_id, sentences) VALUES (?, ?)",
        (article_id, json.dumps(list(article.summary))),
    )
    conn.executemany(
        "INSERT INTO quotes (article_id, position, text, speaker, mention, kind, start, end) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [
            (
                article_id, position, quote.text, quote.speaker,
                article.text[quote.speaker_start : quote.speaker_end]
                if quote.speaker_start is not None and quote.speaker_end is not None
                else None,
                quote.kind, quote.start, quote.end,
            )
            for position, quote in enumerate(article.quotes)
        ],
    )
