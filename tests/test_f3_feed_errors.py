"""A malformed feed that yields no items is an error a user sees: `feed add` refuses it and a
configured feed shows it in `feed status` (loopback HTTP, a real SQLite file)."""

from __future__ import annotations

from pathlib import Path

from bot.settings import FeedConfig
from tests.support import CONSOLE, FeedItem, Harness, LoopbackServer, later, rss, test_settings

BROKEN = (
    "<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Half written\n"
    "<item><title>never closed</title></channel>"
)


async def test_feed_add_refuses_a_malformed_feed_with_no_items(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/broken.xml", BROKEN)
    async with Harness(test_settings(tmp_path)) as app:
        reply = await app.commands.feed_add(server.url("/broken.xml"), None, CONSOLE)
        assert "couldn't add" in reply.text
        assert "not a valid feed: mismatched tag at line 3, column 36 (the feed has no items" in reply.text
        assert app.store.list_feeds() == []


async def test_feed_add_accepts_an_empty_but_well_formed_feed(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/quiet.xml", rss([], title="Quiet Desk"))
    async with Harness(test_settings(tmp_path)) as app:
        reply = await app.commands.feed_add(server.url("/quiet.xml"), None, CONSOLE)
        assert reply.text.startswith("Added feed #1: Quiet Desk.")
        (feed,) = app.store.list_feeds()
        assert feed.item_count == 0 and feed.last_error is None


async def test_configured_malformed_feed_shows_the_error_in_status(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/broken.xml", BROKEN)
    server.set("/good.xml", rss([FeedItem("g-1", "A fine story", server.url("/s/1"), later(1))]))
    feeds = (FeedConfig(server.url("/good.xml"), "console"),
             FeedConfig(server.url("/broken.xml"), "console"))
    async with Harness(test_settings(tmp_path, feeds=feeds)) as app:
        app.sync_config_feeds(0.0)
        await app.poller.poll(force=True)
        status = await app.commands.feed_status(CONSOLE)
        broken, good = status.text.split("\n#1")  # failing feeds come first
        assert "[ok]" in good
        assert "#2" in broken and "[failing]" in broken
        assert "last error: not a valid feed: mismatched tag at line 3, column 36" in broken
