"""A feed's post names the feed as its source even when `summary <url>` stored the same page first
(a summary only knows the host name), and a later summary never takes that source away.
Loopback HTTP and a real SQLite file; every text here is invented."""

from __future__ import annotations

from pathlib import Path

from bot.models import Article
from bot.storage.store import Store
from tests.support import (
    CONSOLE,
    STORY_PARAGRAPHS,
    FeedItem,
    Harness,
    LoopbackServer,
    RecordingAdapter,
    article_html,
    later,
    rss,
    test_settings,
)

TITLE = "Glassworks furnace relit after a winter of repairs"


async def test_a_feed_post_names_the_feed_even_after_a_summary_of_its_page(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    server.set("/glass", article_html(TITLE, STORY_PARAGRAPHS), content_type="text/html")
    server.set("/feed.xml", rss([], title="Valley Glass Gazette"))
    async with Harness(test_settings(tmp_path), adapter) as app:
        page = await app.pipeline.article_for_url(server.url("/glass"))
        assert page.source == "127.0.0.1" and page.title == TITLE
        summary_id = app.store.add_article(page, feed_id=None, scope="console", now=1.0)

        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        server.set("/feed.xml", rss([FeedItem("g-1", TITLE, server.url("/glass"), later(1))],
                                    title="Valley Glass Gazette"))
        await app.poller.poll(force=True)
        assert [post.source for post in adapter.posts] == ["Valley Glass Gazette"]
        row = app.store.conn.execute(
            "SELECT id, source, origin, feed_id FROM articles WHERE title = ?", (TITLE,)
        ).fetchall()
        assert [tuple(r) for r in row] == [(summary_id, "Valley Glass Gazette", "feed", 1)]

        # a summary of the same page afterwards is its own row: the feed's article keeps its source
        again = await app.pipeline.article_for_url(server.url("/glass"))
        app.store.add_article(again, feed_id=None, scope="console", now=2.0)
        source = app.store.conn.execute(
            "SELECT source FROM articles WHERE id = ?", (summary_id,)
        ).fetchone()[0]
        assert source == "Valley Glass Gazette"


def test_which_source_a_refreshed_row_keeps(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite3")
    url = "https://glass.example/furnace"

    def article(source: str | None) -> Article:
        return Article(url=url, title=TITLE, text="The furnace burns again.", source=source)

    def source_of(article_id: int) -> str | None:
        row = store.conn.execute("SELECT source FROM articles WHERE id = ?", (article_id,))
        return row.fetchone()[0]  # type: ignore[no-any-return]

    with store.transaction() as conn:
        feed_row = store.insert_article(conn, article("Valley Glass Gazette"), feed_id=None,
                                        scope="console", now=1.0)
    with store.transaction() as conn:  # the same story from a second feed of the scope
        assert store.insert_article(conn, article("Other Wire"), feed_id=None,
                                    scope="console", now=2.0) == feed_row
    assert source_of(feed_row) == "Valley Glass Gazette"  # the first feed's name stays

    # in another scope: a summary's row refreshed by a summary keeps the host name ...
    first = store.add_article(article("glass.example"), feed_id=None, scope="s2", now=3.0)
    assert store.add_article(article("glass.example"), feed_id=None, scope="s2", now=4.0) == first
    assert source_of(first) == "glass.example"
    # ... a feed without a name of its own leaves it (better than none) ...
    with store.transaction() as conn:
        assert store.insert_article(conn, article(None), feed_id=None, scope="s2",
                                    now=5.0) == first
    assert source_of(first) == "glass.example"
    # ... and once it is a feed's article, the next feed's name does not replace the first
    first_named = store.add_article(article("glass.example"), feed_id=None, scope="s3", now=6.0)
    with store.transaction() as conn:
        store.insert_article(conn, article("Valley Glass Gazette"), feed_id=None, scope="s3",
                             now=7.0)
    with store.transaction() as conn:
        store.insert_article(conn, article("Other Wire"), feed_id=None, scope="s3", now=8.0)
    assert source_of(first_named) == "Valley Glass Gazette"
    store.close()
