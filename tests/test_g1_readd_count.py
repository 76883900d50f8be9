"""A feed added back after removal reports the items it holds now, not everything the channel
remembers from its earlier life. Loopback HTTP and a real SQLite file; texts are invented."""

from __future__ import annotations

from pathlib import Path

from tests.support import CONSOLE, FeedItem, Harness, LoopbackServer, later, rss, test_settings


def items(server: LoopbackServer, numbers: range) -> list[FeedItem]:
    return [
        FeedItem(f"note-{n}", f"Parish note {n}: the hall roof", server.url(f"/note/{n}"), later(n))
        for n in numbers
    ]


async def test_a_re_added_feed_counts_its_current_items(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/feed.xml", rss(items(server, range(0, 12))))
    async with Harness(test_settings(tmp_path)) as app:
        first = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "I recorded its 12 current items" in first.text, first.text
        feed = app.store.list_feeds()[0]
        await app.commands.feed_remove(str(feed.id), CONSOLE)

        # the feed now holds 3 items, one of them remembered from before
        server.set("/feed.xml", rss(items(server, range(11, 14))))
        again = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "I recorded its 3 current items" in again.text, again.text
        readded, created, posted = await app.poller.add_feed(
            server.url("/feed.xml"), "console:other", "console"
        )
        assert created and posted == 0 and readded.item_count == 3
