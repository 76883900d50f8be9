"""`summary <url>` never overwrites another stored article: it refreshes only its own earlier
summary of exactly the same URL; a feed item's article (and its quotes) is never touched by it.
Real SQLite files; every text here is invented."""

from __future__ import annotations

from pathlib import Path

from bot.models import Article, Quote
from bot.storage.store import Store
from tests.support import database_at


def said(url: str, title: str, words: str, who: str) -> Article:
    text = f"{who} told the council: \u201c{words}\u201d."
    start = text.index("\u201c") + 1
    quote = Quote(words, start, start + len(words), who, 0, len(who), "direct")
    return Article(url=url, title=title, text=text, summary=(text,), quotes=(quote,))


def quotes_of(store: Store, article_id: int) -> list[tuple[int, str]]:
    rows = store.conn.execute(
        "SELECT id, text FROM quotes WHERE article_id = ? ORDER BY position", (article_id,)
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def test_two_pages_that_differ_only_by_a_stripped_parameter_stay_two(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    first = store.add_article(
        said("https://site.test/news.php?ref=101", "Orchard bridge shuts", "the orchard bridge "
             "shuts for nine weeks", "Ilse Marrow"), feed_id=None, scope="g", now=1.0)
    second = store.add_article(
        said("https://site.test/news.php?ref=202", "Clerk steps aside", "I leave the clerk's "
             "office on Friday", "Dario Penn"), feed_id=None, scope="g", now=2.0)
    assert first != second and store.article_count("g") == 2
    bridge = store.search_quotes("orchard bridge shuts nine weeks", scope="g")
    assert [(h.article_title, h.article_url) for h in bridge[:1]] == [
        ("Orchard bridge shuts", "https://site.test/news.php?ref=101")
    ]
    clerk = store.search_quotes("leave the clerk's office", scope="g")[0]
    assert (clerk.article_title, clerk.article_url) == (
        "Clerk steps aside", "https://site.test/news.php?ref=202"
    )
    store.close()


def test_a_summary_of_a_shared_link_keeps_every_feed_items_quotes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, _ = store.add_feed("https://cast.test/feed.xml", "console", "console", 0.0)
    with store.transaction() as conn:
        ep7 = store.insert_article(conn, said("https://cast.test/", "Episode 7: lanterns",
                                              "the lanterns stay lit all night", "Ilse Marrow"),
                                   feed_id=feed.id, scope="console", now=1.0)
        ep8 = store.insert_article(conn, said("https://cast.test/", "Episode 8: canals",
                                              "the canals freeze before the solstice",
                                              "Dario Penn"),
                                   feed_id=feed.id, scope="console", now=2.0)
    before = {ep7: quotes_of(store, ep7), ep8: quotes_of(store, ep8)}
    home = store.add_article(said("https://cast.test/", "Cast Test - home",
                                  "listen on any podcast app", "Host Voice"),
                             feed_id=None, scope="console", now=3.0)
    assert home not in (ep7, ep8) and store.article_count("console") == 3
    assert {ep7: quotes_of(store, ep7), ep8: quotes_of(store, ep8)} == before
    assert store.search_quotes("canals freeze before the solstice", scope="console")
    hit = store.search_quotes("listen on any podcast app", scope="console")[0]
    assert hit.article_title == "Cast Test - home"
    store.close()


def test_a_summary_of_a_posted_url_adds_a_row_and_leaves_the_post_alone(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, _ = store.add_feed("https://wire.test/rss", "console", "console", 0.0)
    url = "https://wire.test/story/5"
    with store.transaction() as conn:
        posted = store.insert_article(conn, said(url, "Feed title", "we open the lock gates "
                                                 "at dawn", "Ilse Marrow"),
                                      feed_id=feed.id, scope="console", now=1.0)
    before = quotes_of(store, posted)
    summary = store.add_article(said(url, "Page title", "the lock gates stay shut",
                                     "Dario Penn"), feed_id=None, scope="console", now=2.0)
    assert summary != posted
    assert quotes_of(store, posted) == before
    row = store.conn.execute("SELECT title, feed_id FROM articles WHERE id = ?",
                             (posted,)).fetchone()
    assert tuple(row) == ("Feed title", feed.id)
    store.close()


def test_summarising_the_same_url_again_refreshes_its_own_row(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    url = "https://site.test/a?id=9"
    first = store.add_article(said(url, "Old", "the first reading of the page", "Ilse Marrow"),
                              feed_id=None, scope="g", now=1.0)
    again = store.add_article(said(url, "New", "the second reading of the page", "Ilse Marrow"),
                              feed_id=None, scope="g", now=2.0)
    assert again == first and store.article_count("g") == 1
    assert [text for _, text in quotes_of(store, first)] == ["the second reading of the page"]
    # another scope, or another spelling of the URL, is another row
    other = store.add_article(said(url, "Old", "the first reading of the page", "Ilse Marrow"),
                              feed_id=None, scope="h", now=3.0)
    spelled = store.add_article(said(url + "&utm_source=x", "Old", "a third reading",
                                     "Ilse Marrow"), feed_id=None, scope="g", now=4.0)
    assert len({first, other, spelled}) == 3
    store.close()


def test_a_feed_item_takes_over_a_summary_row_and_a_later_summary_leaves_it(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    feed, _ = store.add_feed("https://wire.test/rss", "console", "console", 0.0)
    url = "https://wire.test/story/6"
    early = store.add_article(said(url, "Harvest fair", "the fair opens on Monday",
                                   "Ilse Marrow"), feed_id=None, scope="console", now=1.0)
    with store.transaction() as conn:
        posted = store.insert_article(conn, said(url, "Harvest fair", "the fair opens on "
                                                 "Monday", "Ilse Marrow"),
                                      feed_id=feed.id, scope="console", now=2.0)
    assert posted == early  # the same page is stored once
    before = quotes_of(store, posted)
    later = store.add_article(said(url, "Harvest fair", "rain may close the fair",
                                   "Dario Penn"), feed_id=None, scope="console", now=3.0)
    assert later != posted and quotes_of(store, posted) == before
    store.close()


def test_articles_stored_before_the_origin_column_count_as_feed_articles(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    conn = database_at(path, 3)
    conn.execute("INSERT INTO articles (scope, url, norm_url, title, fetched_at, text) "
                 "VALUES ('g', 'https://site.test/x', 'https://site.test/x', 'Kept', 0, 'Body.')")
    conn.execute("INSERT INTO quotes (article_id, position, text, speaker, kind, start, end) "
                 "VALUES (1, 0, 'kept words', 'Ilse Marrow', 'direct', 0, 1)")
    conn.close()
    store = Store.open(path)
    new = store.add_article(said("https://site.test/x", "Other", "new words", "Dario Penn"),
                            feed_id=None, scope="g", now=1.0)
    assert new != 1 and [text for _, text in quotes_of(store, 1)] == ["kept words"]
    store.close()
