"""A channel remembers what it was sent after a feed is removed: adding the same feed back posts
nothing it already got, and another feed of the channel carrying a story the removed feed posted
does not post it again. Loopback HTTP and a real SQLite file; every text here is invented."""

from __future__ import annotations

from pathlib import Path

from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Store
from tests.support import (
    CONSOLE,
    STORY_PARAGRAPHS,
    FeedItem,
    Harness,
    LoopbackServer,
    RecordingAdapter,
    article_html,
    database_at,
    later,
    rss,
    test_settings,
    titles,
)


def story(server: LoopbackServer, n: int) -> FeedItem:
    """Item n of the harbour feed; its page is served too."""
    title = f"Harbour report number {n}: the pier, the tide and the ferries"
    server.set(f"/harbour/{n}", article_html(title, STORY_PARAGRAPHS), content_type="text/html")
    return FeedItem(f"harbour-{n}", title, server.url(f"/harbour/{n}?utm_source=feed"), later(n))


async def test_a_feed_added_back_posts_nothing_the_channel_already_got(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    items = [story(server, n) for n in range(3)]
    server.set("/feed.xml", rss(items))
    async with Harness(test_settings(tmp_path, latest_on_add=1), adapter) as app:
        added = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "posted the latest 1" in added.text
        items.append(story(server, 3))
        server.set("/feed.xml", rss(items))
        await app.poller.poll(force=True)
        assert titles(adapter) == [items[2].title, items[3].title]

        await app.commands.feed_remove("1", CONSOLE)
        again = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "Added feed #" in again.text and "posted the latest" not in again.text, again.text
        assert titles(adapter) == [items[2].title, items[3].title]  # nothing reposted

        items.append(story(server, 4))  # the re-added feed still posts what is new
        server.set("/feed.xml", rss(items))
        await app.poller.poll(force=True)
        await app.poller.poll(force=True)
        assert titles(adapter) == [items[2].title, items[3].title, items[4].title]


async def test_another_feed_does_not_repost_a_story_of_a_removed_feed(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    server.set("/a.xml", rss([]))
    server.set("/b.xml", rss([], title="Other Wire"))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
        item = story(server, 1)
        server.set("/a.xml", rss([item]))
        await app.poller.poll(force=True)
        assert titles(adapter) == [item.title]

        await app.commands.feed_remove("1", CONSOLE)
        # the wire carries the same article under its own id, title and tracking-free link
        wire = FeedItem("wire-9", "Pier closes at Port Avalon", server.url("/harbour/1"), later(9))
        server.set("/b.xml", rss([wire], title="Other Wire"))
        results = await app.poller.poll(force=True)
        assert results[2].duplicates == 1 and results[2].new == 0
        assert titles(adapter) == [item.title]
        why = await app.commands.feed_why(server.url("/harbour/1"), CONSOLE)
        assert "removed feed " + server.url("/a.xml") in why.text, why.text


def test_a_version_2_database_keeps_its_seen_items_through_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = database_at(path, 2)
    conn.execute("INSERT INTO feeds (url, channel, scope, created_at) "
                 "VALUES ('https://a.example/feed', 'console', 'console', 0)")
    conn.execute("INSERT INTO seen_items (feed_id, item_key, norm_url, channel, outcome, seen_at) "
                 "VALUES (1, 'k1', 'https://a.example/1', 'console', 'posted', 1)")
    conn.close()

    store = Store.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.seen_keys(1, ["k1"]) == {"k1"}
    store.remove_feed(1, now=2.0)
    dup = store.find_duplicate("console", 7, "https://a.example/1", None, title_since=0.0)
    assert dup is not None and dup.feed_id is None and dup.feed_url == "https://a.example/feed"
    feed, created = store.add_feed("https://a.example/feed", "console", "console", 3.0)
    assert created and feed.item_count == 1 and store.seen_keys(feed.id, ["k1"]) == {"k1"}
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def quote_ids(store: Store, person: str, scope: str) -> list[tuple[str, str]]:
    return [(hit.text, hit.article_url) for hit in store.quotes_by(person, scope=scope, limit=20)]


def article_quotes(store: Store, article_id: int) -> list[tuple[int, str, str | None]]:
    rows = store.conn.execute(
        "SELECT id, text, speaker FROM quotes WHERE article_id = ? ORDER BY position", (article_id,)
    ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]


async def test_summary_of_a_posted_url_leaves_the_posts_article_alone(
    server: LoopbackServer, tmp_path: Path
) -> None:
    # a summary refreshes only its own earlier summary of the same URL (G1): the feed's article
    # keeps its row, title and quotes, and `quotes <person>` still lists each quote once
    adapter = RecordingAdapter()
    server.set("/feed.xml", rss([]))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        item = story(server, 1)
        server.set("/feed.xml", rss([item]))
        await app.poller.poll(force=True)
        assert len(adapter.posts) == 1 and app.store.article_count() == 1
        (posted_id,) = app.store.conn.execute("SELECT id FROM articles").fetchone()
        before = article_quotes(app.store, posted_id)
        assert before and any(speaker and "Wrenfield" in speaker for _, _, speaker in before)

        for _ in range(2):
            await app.commands.summary(server.url("/harbour/1"), CONSOLE)  # without the utm tag
        assert app.store.article_count() == 2  # the post's article, and one summary row
        assert article_quotes(app.store, posted_id) == before  # same quote rows, untouched
        listing = await app.commands.quotes("Wrenfield", CONSOLE)
        assert listing.text.count("Nobody wanted this") == 1, listing.text
        # the post's title is the feed's, not the page's <title>
        row = app.store.conn.execute(
            "SELECT title FROM articles WHERE id = ?", (posted_id,)
        ).fetchone()
        assert row[0] == item.title


async def test_one_story_posted_to_two_channels_of_a_server_is_stored_once(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter(prefix="discord")
    server.set("/a.xml", rss([]))
    server.set("/b.xml", rss([], title="Other Wire"))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.poller.add_feed(server.url("/a.xml"), "discord:1", "discord:9")
        await app.poller.add_feed(server.url("/b.xml"), "discord:2", "discord:9")
        item = story(server, 2)
        server.set("/a.xml", rss([item]))
        server.set("/b.xml", rss([item], title="Other Wire"))
        await app.poller.poll(force=True)
        assert sorted(post.channel for post in adapter.posts) == ["discord:1", "discord:2"]
        assert app.store.article_count("discord:9") == 1
        hits = quote_ids(app.store, "Okonkwo-Hale", "discord:9")
        assert hits and len(hits) == len(set(hits))
