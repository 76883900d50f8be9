"""`feed why` remembers the items of a removed feed (the channel still does), names that feed by its
address, and shows them only in the server the feed belonged to. Real SQLite files, loopback HTTP;
every text here is invented."""

from __future__ import annotations

from pathlib import Path

from bot.core.formatting import explain
from bot.feeds.urls import normalize_url
from bot.models import Item
from bot.storage.seen import SeenItem
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
)


def story(server: LoopbackServer, n: int) -> FeedItem:
    title = f"Orchard cooperative report {n}: frost, pickers and the cider press"
    server.set(f"/orchard/{n}", article_html(title, STORY_PARAGRAPHS), content_type="text/html")
    return FeedItem(f"orchard-{n}", title, server.url(f"/orchard/{n}"), later(n))


async def test_feed_why_explains_items_of_a_removed_feed(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    old = story(server, 1)
    server.set("/orchard.xml", rss([old], title="Orchard Letters"))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.commands.feed_add(server.url("/orchard.xml"), None, CONSOLE)
        new = story(server, 2)
        server.set("/orchard.xml", rss([old, new], title="Orchard Letters"))
        await app.poller.poll(force=True)
        assert [post.title for post in adapter.posts] == [new.title]

        await app.commands.feed_remove("1", CONSOLE)
        feed_url = server.url("/orchard.xml")
        posted = (await app.commands.feed_why(new.link, CONSOLE)).text
        assert "I have not seen" not in posted, posted
        assert posted.startswith(f"“{new.title}” in a feed since removed ({feed_url}): posted (")
        baseline = (await app.commands.feed_why(old.title, CONSOLE)).text
        assert f"a feed since removed ({feed_url}): not posted, it was already in the feed" in (
            baseline
        ), baseline

        # added back, the feed has its memory again and is named by its number
        await app.commands.feed_add(feed_url, None, CONSOLE)
        again = (await app.commands.feed_why(new.link, CONSOLE)).text
        assert again.startswith(f"“{new.title}” in feed #2: posted ("), again


def test_a_removed_feed_is_explained_only_in_its_own_scope(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite3")
    link = "https://news.example/orchard/7"
    item = Item(key="orchard-7", title="Frost spares the orchard this spring", link=link)
    for channel, scope in (("discord:11111", "discord:900"), ("slack:C12345", "slack:T777")):
        feed, _ = store.add_feed("https://news.example/feed.xml", channel, scope, 1.0)
        with store.transaction() as conn:
            store.mark_seen(conn, feed, item, norm_url=normalize_url(link), norm_title=None,
                            outcome="posted", detail=None, now=2.0)
        store.remove_feed(feed.id, now=3.0)
    found = store.explain("discord:900", normalize_url(link), None)
    assert [(r.feed_id, r.feed_url, r.outcome) for r in found] == [
        (None, "https://news.example/feed.xml", "posted")
    ]
    assert len(store.explain("slack:T777", normalize_url(link), None)) == 1
    assert store.explain("console", normalize_url(link), None) == []
    assert store.explain("discord:901", normalize_url(link), None) == []
    store.close()


def test_a_server_learnt_later_moves_the_removed_feeds_too(tmp_path: Path) -> None:
    """A config feed starts with its channel as a provisional scope; the adapter fixes it."""
    store = Store.open(tmp_path / "db.sqlite3")
    item = Item(key="k1", title="Cider press reopens after the frost", link="https://o.example/1")
    gone, _ = store.add_feed("https://o.example/a.xml", "discord:22222", "discord:22222", 1.0)
    store.add_feed("https://o.example/b.xml", "discord:22222", "discord:22222", 1.0)
    with store.transaction() as conn:
        store.mark_seen(conn, gone, item, norm_url=normalize_url(item.link or ""),
                        norm_title=None, outcome="posted", detail=None, now=2.0)
    store.remove_feed(gone.id, now=3.0)
    store.set_channel_scope("discord:22222", "discord:500")
    assert len(store.explain("discord:500", normalize_url(item.link or ""), None)) == 1
    assert store.explain("discord:22222", normalize_url(item.link or ""), None) == []
    store.close()


def test_migration_6_gives_earlier_removals_a_scope(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = database_at(path, 5)
    conn.executescript(
        """
        INSERT INTO feeds (id, url, channel, scope, created_at) VALUES
            (2, 'https://o.example/kept.xml', 'discord:33333', 'discord:600', 0);
        INSERT INTO removed_feeds (url, channel, removed_at, feed_id) VALUES
            ('https://o.example/a.xml', 'discord:33333', 1, 1),
            ('https://o.example/c.xml', 'console', 1, 3),
            ('https://o.example/d.xml', 'slack:C99999', 1, 4);
        INSERT INTO seen_items (feed_id, feed_url, item_key, norm_url, title, link, channel,
                                outcome, seen_at)
        VALUES (NULL, 'https://o.example/a.xml', 'a1', 'o.example/1', 'Orchard one',
                'https://o.example/1', 'discord:33333', 'posted', 1),
               (NULL, 'https://o.example/c.xml', 'c1', 'o.example/1', 'Orchard one',
                'https://o.example/1', 'console', 'baseline', 1);
        """
    )
    conn.close()
    store = Store.open(path)
    scopes = dict(store.conn.execute("SELECT url, scope FROM removed_feeds").fetchall())
    assert scopes == {
        "https://o.example/a.xml": "discord:600",  # another feed of its channel says where
        "https://o.example/c.xml": "console",
        "https://o.example/d.xml": None,  # a chat channel with no feed left: unknown
    }
    assert [r.feed_url for r in store.explain("discord:600", "o.example/1", None)] == [
        "https://o.example/a.xml"
    ]
    assert [r.feed_url for r in store.explain("console", "o.example/1", None)] == [
        "https://o.example/c.xml"
    ]
    store.close()


def test_explain_wording_for_a_removed_feed_and_a_skipped_item() -> None:
    removed = SeenItem(None, "k", "Pickers return", "https://o.example/p", "duplicate",
                       "same story as 'Pickers are back' from feed #4", 0.0,
                       "https://o.example/feed.xml")
    assert explain(removed) == (
        "“Pickers return” in a feed since removed (https://o.example/feed.xml): not posted, "
        "same story as 'Pickers are back' from feed #4 (seen 1970-01-01 00:00 UTC)."
    )
    unknown = SeenItem(None, "k", "Pickers return", None, "posted", None, 0.0, "")
    assert "in a feed since removed (address unknown): posted" in explain(unknown)
    skipped = SeenItem(3, "k", "Pickers return", None, "skipped", "40 new items at once", 0.0)
    assert explain(skipped) == (
        "“Pickers return” in feed #3: not posted, skipped: 40 new items at once "
        "(seen 1970-01-01 00:00 UTC)."
    )
