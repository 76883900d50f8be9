"""The poller and delivery keep going: a failing item or send doesn't stall others, other
feeds' baselines and old headlines don't hide new stories, removals stick, idle platforms wait."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.models import Item, Message
from bot.settings import FeedConfig
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


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    srv = LoopbackServer()
    await srv.start()
    for n in range(6):
        srv.set(f"/a/{n}", article_html(f"Story {n}", STORY_PARAGRAPHS), content_type="text/html")
    yield srv
    await srv.stop()


def item(server: LoopbackServer, n: int, title: str | None = None) -> FeedItem:
    return FeedItem(f"id-{n}", title or f"Harbour story number {n} of the week", server.url(f"/a/{n}"),
                    later(n), description=f"Short description of story {n}.")


def posted(app: Any) -> list[Message]:
    return app.dispatcher.adapters["console"].posts  # type: ignore[no-any-return]


async def test_an_item_whose_analysis_fails_is_posted_from_the_feed_text(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.set("/f.xml", rss([]))
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)
        real = app.pipeline.article_for_item

        async def flaky(entry: Item, feed_title: str | None) -> Any:
            if entry.key == "id-1":
                raise ValueError("a bug in the text code")
            return await real(entry, feed_title)

        monkeypatch.setattr(app.pipeline, "article_for_item", flaky)
        server.set("/f.xml", rss([item(server, 2), item(server, 1)]))
        result = (await app.poller.poll(force=True))[1]
        assert result.error is None and result.new == 2
        titles = [p.title for p in posted(app)]
        assert titles == [item(server, 1).title, item(server, 2).title]
        assert posted(app)[0].summary == ("Short description of story 1.",)


async def test_a_send_that_raises_does_not_block_other_channels_or_later_rounds(
    server: LoopbackServer, tmp_path: Path
) -> None:
    class Exploding(RecordingAdapter):
        explode = True

        async def send(self, message: Message) -> None:
            if self.explode:
                raise RuntimeError("renderer bug")
            await super().send(message)

    adapter = Exploding()
    server.set("/f.xml", rss([]))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)
        server.set("/f.xml", rss([item(server, 1)]))
        await app.poller.poll(force=True)  # does not raise
        assert adapter.posts == [] and len(app.store.pending_deliveries()) == 1
        adapter.explode = False
        await app.poller.poll(force=True)
        assert len(adapter.posts) == 1 and app.store.pending_deliveries() == []
        assert adapter.notices == []  # a passing failure is not announced as a recovery


async def test_another_feeds_baseline_does_not_hide_a_new_story(
    server: LoopbackServer, tmp_path: Path
) -> None:
    story = item(server, 3)
    server.set("/a.xml", rss([]))
    server.set("/b.xml", rss([story], title="Other Wire"))
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)  # story is baseline here
        server.set("/a.xml", rss([story]))
        await app.poller.poll(force=True)
        assert [p.title for p in posted(app)] == [story.title]


async def test_a_recurring_headline_is_a_new_story_after_two_days(
    server: LoopbackServer, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    server.set("/f.xml", rss([]))
    async with Harness(test_settings(tmp_path)) as app:
        app.poller.clock = lambda: now[0]
        await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)
        monday = item(server, 1, "Morning briefing: what you need to know")
        server.set("/f.xml", rss([monday]))
        await app.poller.poll(force=True)
        now[0] += 3 * 86400
        tuesday = FeedItem("id-2", monday.title, server.url("/a/2"), later(60))
        server.set("/f.xml", rss([tuesday]))
        await app.poller.poll(force=True)
        assert [p.url for p in posted(app)] == [monday.link, tuesday.link]


async def test_feeds_of_a_platform_that_is_not_running_wait(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/f.xml", rss([item(server, 1)]))
    async with Harness(test_settings(tmp_path), RecordingAdapter(prefix="discord")) as app:
        app.store.add_feed(server.url("/f.xml"), "console", "console", 0.0)
        await app.poller.poll(force=True)
        assert server.hits.get("/f.xml") is None
        assert app.store.pending_deliveries() == []


async def test_removing_a_config_feed_sticks_across_restarts(
    server: LoopbackServer, tmp_path: Path
) -> None:
    settings = test_settings(tmp_path, feeds=(FeedConfig(server.url("/f.xml"), "console"),))
    async with Harness(settings) as app:
        app.sync_config_feeds(0.0)
        assert len(app.store.list_feeds()) == 1
        reply = await app.commands.feed_remove("1", CONSOLE)
        assert "Removed" in reply.text
    async with Harness(settings) as app:
        app.sync_config_feeds(0.0)
        assert app.store.list_feeds() == []
        server.set("/f.xml", rss([]))
        added = await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)  # re-adding works
        assert "Added" in added.text
    async with Harness(settings) as app:
        app.sync_config_feeds(0.0)
        assert len(app.store.list_feeds()) == 1


async def test_feed_why_finds_items_with_short_titles(server: LoopbackServer, tmp_path: Path) -> None:
    server.set("/f.xml", rss([FeedItem("s1", "Update", server.url("/a/1"), later(1))]))
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)
        why = await app.commands.feed_why("update", CONSOLE)
        assert "already in the feed when the feed was added" in why.text


async def test_one_message_that_always_breaks_the_adapter_does_not_block_its_channel(
    server: LoopbackServer, tmp_path: Path
) -> None:
    class PickyAdapter(RecordingAdapter):
        async def send(self, message: Message) -> None:
            if message.title == item(server, 1).title:
                raise ValueError("renderer bug on this one message")
            await super().send(message)

    adapter = PickyAdapter()
    server.set("/f.xml", rss([]))
    async with Harness(test_settings(tmp_path), adapter) as app:
        await app.commands.feed_add(server.url("/f.xml"), None, CONSOLE)
        server.set("/f.xml", rss([item(server, 3), item(server, 2), item(server, 1)]))
        await app.poller.poll(force=True)
        assert [p.title for p in adapter.posts] == [item(server, 2).title, item(server, 3).title]
        for _ in range(5):
            await app.poller.poll(force=True)
        assert app.store.pending_deliveries() == []  # given up after repeated errors
        states = app.store.conn.execute("SELECT state FROM deliveries ORDER BY id").fetchall()
        assert [r[0] for r in states] == ["failed", "sent", "sent"]  # item 1 is the oldest
        assert len(adapter.notices) == 1 and "gave up" in adapter.notices[0][1]
