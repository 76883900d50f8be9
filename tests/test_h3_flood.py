"""A feed whose whole content turns new (every id, link and title) does not flood its channel: one
check posts at most ``max_new_per_poll`` new items (the newest), records the rest as skipped
(explained by `feed why`) and tells the channel once; nothing is lost or posted twice, even across
a crash. Duplicates never count toward the cap (tests/test_h5_flood_duplicates.py). Loopback HTTP
and a real SQLite file; every text here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.poller import Poller
from bot.models import Item, ParsedFeed
from tests.support import (
    CONSOLE,
    FeedItem,
    Harness,
    LoopbackServer,
    RecordingAdapter,
    later,
    outcomes,
    rss,
    test_settings,
    titles,
)


class Crash(BaseException):
    """Stands for the process dying in the middle of a check."""


def generation(server: LoopbackServer, tag: str, count: int) -> list[FeedItem]:
    """``count`` stories of the canal works, newest last; ``tag`` changes every id, link and title
    (nothing of an earlier generation identifies them). Their pages are not served: posts use the
    feed's text."""
    return [
        FeedItem(
            f"{tag}-{n}",
            f"Canal works bulletin {n} ({tag}): lock gates, towpaths and barges",
            server.url(f"/{tag}/{n}"),
            later(n),
            description=f"Bulletin {n} about the lock gates on the old canal.",
        )
        for n in range(count)
    ]








async def test_a_feed_whose_every_item_turns_new_posts_only_the_latest_and_says_so(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    first = generation(server, "old", 300)
    server.set("/feed.xml", rss(first, title="Canal Gazette"))
    async with Harness(test_settings(tmp_path, latest_on_add=20), adapter) as app:
        assert app.poller.max_new_per_poll == 20  # the default cap
        added = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "posted the latest 20" in added.text, added.text
        assert titles(adapter) == [item.title for item in first[-20:]]

        second = generation(server, "new", 300)  # the same stories, every id/link/title new
        server.set("/feed.xml", rss(second, title="Canal Gazette"))
        results = await app.poller.poll(force=True)
        assert results[1].new == 20 and results[1].skipped == 280
        assert titles(adapter)[20:] == [item.title for item in second[-20:]]  # the newest 20
        assert len(adapter.notices) == 1
        channel, text = adapter.notices[0]
        assert channel == "console"
        assert text == (
            "Feed #1 (Canal Gazette) had 300 new items in one check, more than the 20 one check "
            "posts (posts.max_new_per_poll); posting the latest 20, the other 280 are marked as "
            "seen (`feed why <link>` shows each)."
        )

        # every item of the new generation is recorded: 20 posted, 280 skipped, none lost
        seen = outcomes(app, 1)
        assert [seen[item.guid] for item in second[-20:]] == ["posted"] * 20
        assert [seen[item.guid] for item in second[:-20]] == ["skipped"] * 280

        why = await app.commands.feed_why(second[0].link, CONSOLE)
        assert (
            "in feed #1: not posted, skipped: 300 new items in one check, more than the 20 one "
            "check posts (posts.max_new_per_poll); only the latest 20 were posted"
        ) in why.text, why.text

        await app.poller.poll(force=True)  # nothing is posted twice, nobody is told twice
        assert len(adapter.posts) == 40 and len(set(titles(adapter))) == 40
        assert len(adapter.notices) == 1


async def test_the_cap_counts_new_items_of_one_check(server: LoopbackServer, tmp_path: Path) -> None:
    adapter = RecordingAdapter()
    server.set("/feed.xml", rss([]))
    async with Harness(test_settings(tmp_path), adapter) as app:
        app.poller.max_new_per_poll = 3
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        exactly = generation(server, "a", 3)
        server.set("/feed.xml", rss(exactly))
        await app.poller.poll(force=True)
        assert titles(adapter) == [item.title for item in exactly]  # at the cap: all posted
        assert adapter.notices == []

        more = generation(server, "b", 4)  # one over the cap: the oldest is skipped
        server.set("/feed.xml", rss(exactly + more))
        result = (await app.poller.poll(force=True))[1]
        assert (result.new, result.skipped) == (3, 1)
        assert titles(adapter)[3:] == [item.title for item in more[1:]]
        assert len(adapter.notices) == 1 and "had 4 new items in one check" in adapter.notices[0][1]
        assert outcomes(app, 1)[more[0].guid] == "skipped"


async def test_undated_items_keep_the_first_ones_of_the_document(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """Without dates the document's order says which are newest: its first entries."""
    adapter = RecordingAdapter()
    server.set("/feed.xml", rss([]))
    async with Harness(test_settings(tmp_path), adapter) as app:
        app.poller.max_new_per_poll = 2
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        items = generation(server, "u", 5)
        body = rss(items).replace("<pubDate>", "<!--").replace("</pubDate>", "-->")
        server.set("/feed.xml", body)
        await app.poller.poll(force=True)
        assert sorted(titles(adapter)) == sorted(item.title for item in items[:2])


async def test_a_crash_after_the_skip_loses_nothing_and_posts_nothing_twice(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adapter = RecordingAdapter()
    server.set("/feed.xml", rss([]))
    settings = test_settings(tmp_path)
    async with Harness(settings, adapter) as app:
        app.poller.max_new_per_poll = 5
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        items = generation(server, "c", 12)
        server.set("/feed.xml", rss(items))
        taken = 0
        real_take = Poller._take

        async def dying_take(self: Poller, feed: object, parsed: ParsedFeed, item: Item,
                             shared: set[str]) -> bool:
            nonlocal taken
            if taken == 2:
                raise Crash  # killed after two of the five newest were stored
            taken += 1
            return await real_take(self, feed, parsed, item, shared)  # type: ignore[arg-type]

        monkeypatch.setattr(Poller, "_take", dying_take)
        feed = app.store.get_feed(1)
        assert feed is not None
        with pytest.raises(Crash):
            await app.poller.check_feed(feed)
        monkeypatch.setattr(Poller, "_take", real_take)
    assert len(adapter.notices) == 1  # told once, right after the skip was recorded

    async with Harness(settings, adapter) as app:  # the restart
        app.poller.max_new_per_poll = 5
        await app.poller.poll(force=True)  # the two stored ones are delivered, three more taken
        await app.poller.poll(force=True)
        assert sorted(titles(adapter)) == sorted(item.title for item in items[-5:])
        assert len(adapter.notices) == 1  # three left is under the cap: no second notice
        seen = outcomes(app, 1)
        assert len(seen) == 12
        assert [seen[item.guid] for item in items[:7]] == ["skipped"] * 7


async def test_another_feed_may_still_post_a_skipped_story(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """Skipped items were never posted, so like a baseline they are no duplicates elsewhere."""
    adapter = RecordingAdapter()
    server.set("/a.xml", rss([]))
    server.set("/b.xml", rss([], title="Towpath Wire"))
    async with Harness(test_settings(tmp_path), adapter) as app:
        app.poller.max_new_per_poll = 1
        await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
        items = generation(server, "s", 2)
        server.set("/a.xml", rss(items))
        await app.poller.poll(force=True)
        assert titles(adapter) == [items[1].title]
        wire = FeedItem("wire-1", items[0].title, items[0].link, later(30))
        server.set("/b.xml", rss([wire], title="Towpath Wire"))
        await app.poller.poll(force=True)
        assert titles(adapter) == [items[1].title, items[0].title]


async def test_the_cap_comes_from_the_settings(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path, max_new_per_poll=7), RecordingAdapter()) as app:
        assert app.poller.max_new_per_poll == 7


async def test_notices_write_commands_the_way_the_channel_types_them(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path, command_prefix="?"), RecordingAdapter()) as app:
        feed, _ = app.store.add_feed("https://example.org/feed.xml", "discord:42", "discord:7", 1.0)
        assert app.poller._command(feed, f"feed resume {feed.id}") == f"?feed resume {feed.id}"
        here, _ = app.store.add_feed("https://example.org/feed.xml", "console", "console", 1.0)
        assert app.poller._command(here, "feed why <link>") == "feed why <link>"
