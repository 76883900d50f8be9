"""Writing an analysed article (row, summary, quotes) without storing the same page twice.

A feed item that reaches a scope again (a story posted to two channels of a server) refreshes the
scope's row with the same normalised URL and the same title: entries that share one link but are
separate posts (a podcast's episodes all linking to its home page) each keep their own title.

`summary <url>` is different: it refreshes only a row that `summary` itself stored for exactly the
same final URL. A normalised URL is too loose for that (``news.php?ref=101`` and ``?ref=202`` are
two pages once the "tracking" parameter is stripped), and a feed item's article must never lose
its quotes to a summary of some page that happens to share its URL.
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
    conn: sqlite3.Connection, scope: str, norm_url: str, title: str
) -> int | None:
    """The newest stored article of a scope with this normalised URL and title, or None."""
    row = conn.execute(
        "SELECT id FROM articles WHERE scope = ? AND norm_url = ? AND title = ? "
        "ORDER BY id DESC LIMIT 1",
        (scope, norm_url, title),
    ).fetchone()
    return int(row[0]) if row is not None else None


def find_summary(conn: sqlite3.Connection, scope: str, url: str) -> int | None:
    """The newest article of a scope that `summary` stored for exactly this URL, or None."""
    row = conn.execute(
        "SELECT id FROM articles WHERE scope = ? AND url = ? AND origin = 'summary' "
        "ORDER BY id DESC LIMIT 1",
        (scope, url),
    ).fetchone()
    return int(row[0]) if row is not None else None


def write_article(
    conn: sqlite3.Connection,
    article: Article,
    *,
    feed_id: int | None,
    scope: str,
    now: float,
    origin: str,
) -> int:
    """Store an article (inside the caller's transaction) and return its id: a new row, or the
    scope's existing row for the same page refreshed with this analysis.

    ``origin`` is "feed" (a feed item's article) or "summary" (stored by `summary <url>`); see the
    module docstring for which row each of them refreshes.
    """
    if origin not in ("feed", "summary"):
        raise ValueError(f"unknown article origin {origin!r}")
    norm_url = article_key(article.url)
    existing: int | None
    if origin == "summary":
        existing = find_summary(conn, scope, article.url)
    elif norm_url is not None:
        existing = find_article(conn, scope, norm_url, article.title)
    else:
        existing = None
    if existing is None:
        cursor = conn.execute(
            "INSERT INTO articles (feed_id, scope, url, norm_url, title, source, published, "
            "fetched_at, text, image, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                feed_id, scope, article.url, norm_url, article.title, article.source,
                to_iso(article.published), now, article.text, article.image, origin,
            ),
        )
        article_id = int(cursor.lastrowid or 0)
    else:
        # the title stays: posts already made (or waiting) show the article under it. A feed
        # item refreshing a summary's row makes it the feed's article (no summary may replace it)
        # and gives it the feed's source: a summary only knew the host name. Otherwise the first
        # source stays (SQLite evaluates every SET expression on the row as it was).
        article_id = existing
        conn.execute(
            "UPDATE articles SET feed_id = COALESCE(feed_id, ?), "
            "source = CASE WHEN origin = 'summary' AND ? = 'feed' THEN COALESCE(?, source) "
            "ELSE COALESCE(source, ?) END, "
            "published = COALESCE(?, published), fetched_at = ?, text = ?, "
            "image = COALESCE(?, image), origin = ? WHERE id = ?",
            (
                feed_id, origin, article.source, article.source, to_iso(article.published), now,
                article.text, article.image, origin, article_id,
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
