"""A slow article page never holds up the commands of its channel: while one feed's check waits for
a page, `feed add` and `feed resume` of other feeds in the same channel answer. The channel's lock
is held for database work only; a running check claims the stories it will post, so another
feed's check meanwhile leaves them for later (then finds them duplicates) and a capped check posts
what it planned. Loopback HTTP whose pages wait for the test's say-so, a real SQLite file; every
text here is invented."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.settings import Settings
from tests.support import (
    CONSOLE,
    FeedItem,
    GatedServer,
    Harness,
    LoopbackServer,
    RecordingAdapter,
    article_html,
    later,
    outcomes,
    rss,
    test_settings,
)

PARAGRAPHS = [
    "The orchard cooperative of Lindqvist Vale agreed on Thursday to replant the north slope "
    "with pear trees after three seasons of frost had ruined its apple harvest.",
    "Henrike Salvesen-Moor, who chairs the cooperative, said the decision took two long "
    "evenings of debate in the village hall.",
    "\u201cThe pears flower later, so the frost finds nothing to bite,\u201d Salvesen-Moor said.",
    "Planting begins in the autumn, and the first crop is expected in four years.",
]

# generous: a feed add on loopback takes well under a second; a page is held far longer
ANSWER_WITHIN = 20.0


def settings(tmp_path: Path, **overrides: object) -> Settings:
    # a held page must not time out while the test works: long fetch timeouts
    return test_settings(tmp_path, fetch_timeout=60.0, fetch_total_timeout=60.0, **overrides)


def story(server: LoopbackServer, path: str, n: int, title: str) -> FeedItem:
    """A story whose page (at ``path``) is served; ``title`` identifies it across feeds."""
    server.set(path, article_html(title, PARAGRAPHS), content_type="text/html")
    return FeedItem(f"{path}#{n}", title, server.url(path), later(n))



async def test_feed_add_and_resume_answer_while_a_page_of_the_channel_is_slow(
    gated: GatedServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    gated.set("/slow.xml", rss([], title="Orchard Post"))
    gated.set("/paused.xml", rss([], title="Valley Notes"))
    async with Harness(settings(tmp_path), adapter) as app:
        await app.commands.feed_add(gated.url("/slow.xml"), None, CONSOLE)
        await app.commands.feed_add(gated.url("/paused.xml"), None, CONSOLE)
        app.store.set_paused(2, True, now=app.poller.clock())

        item = story(gated, "/pears", 1, "Orchard cooperative replants the north slope with pears")
        gated.gate("/pears")
        gated.set("/slow.xml", rss([item], title="Orchard Post"))
        poll = asyncio.create_task(app.poller.poll(force=True))
        await asyncio.wait_for(gated.requested["/pears"].wait(), ANSWER_WITHIN)

        # the page is held: both commands answer before it is let go
        gated.set("/other.xml", rss([], title="Hillside Herald"))
        added = await asyncio.wait_for(
            app.commands.feed_add(gated.url("/other.xml"), None, CONSOLE), ANSWER_WITHIN
        )
        assert added.text.startswith("Added feed #3: Hillside Herald."), added.text
        resumed = await asyncio.wait_for(app.commands.feed_resume("2", CONSOLE), ANSWER_WITHIN)
        assert resumed.text == "Resumed feed #2 (Valley Notes).", resumed.text
        assert "/pears" not in gated.answered and not poll.done()

        gated.gates["/pears"].set()
        results = await asyncio.wait_for(poll, ANSWER_WITHIN)
        assert results[1].new == 1
        assert [post.title for post in adapter.posts] == [item.title]


async def test_a_story_another_feed_is_posting_is_left_for_later_then_a_duplicate(
    gated: GatedServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    gated.set("/a.xml", rss([], title="Orchard Post"))
    gated.set("/b.xml", rss([], title="Valley Notes"))
    async with Harness(settings(tmp_path), adapter) as app:
        await app.commands.feed_add(gated.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(gated.url("/b.xml"), None, CONSOLE)
        title = "Frost ends the apple years of the Lindqvist Vale orchards"
        on_a = story(gated, "/a/frost", 1, title)
        on_b = story(gated, "/b/frost", 2, title)  # the same story under another link
        gated.gate("/a/frost")
        gated.set("/a.xml", rss([on_a], title="Orchard Post"))
        feed_a = app.store.get_feed(1)
        assert feed_a is not None
        check_a = asyncio.create_task(app.poller.check_feed(feed_a))
        await asyncio.wait_for(gated.requested["/a/frost"].wait(), ANSWER_WITHIN)

        gated.set("/b.xml", rss([on_b], title="Valley Notes"))
        feed_b = app.store.get_feed(2)
        assert feed_b is not None
        result_b = await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)
        # feed #1's check is posting the story: feed #2 leaves it unrecorded, for a later check
        assert (result_b.new, result_b.duplicates) == (0, 0) and not check_a.done()
        assert outcomes(app, 2) == {}

        gated.gates["/a/frost"].set()
        result_a = await asyncio.wait_for(check_a, ANSWER_WITHIN)
        assert (result_a.new, result_a.duplicates) == (1, 0)
        again = await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)
        assert (again.new, again.duplicates) == (0, 1)
        assert outcomes(app, 2) == {on_b.guid: "duplicate"}
        await app.dispatcher.deliver_pending()
        assert [post.title for post in adapter.posts] == [title]  # posted once, by feed #1
        why = await app.commands.feed_why(on_b.link, CONSOLE)
        assert "in feed #2: not posted, same story as" in why.text and "feed #1" in why.text


async def test_a_capped_check_posts_what_it_planned_while_another_feed_has_a_story(
    gated: GatedServer, tmp_path: Path
) -> None:
    """Cap 2, three new stories: the oldest is skipped, the other two planned. While the first
    planned page is slow, another feed finds the second story: it leaves it to the running
    check, which posts both it planned. Every item keeps a record."""
    adapter = RecordingAdapter()
    gated.set("/a.xml", rss([], title="Orchard Post"))
    gated.set("/b.xml", rss([], title="Valley Notes"))
    async with Harness(settings(tmp_path, max_new_per_poll=2), adapter) as app:
        await app.commands.feed_add(gated.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(gated.url("/b.xml"), None, CONSOLE)
        on_a = [
            story(gated, f"/a/{n}", n, f"Orchard diary, week {n}: ladders, crates and frost")
            for n in range(3)
        ]
        gated.gate("/a/1")
        gated.set("/a.xml", rss(on_a, title="Orchard Post"))
        feed_a = app.store.get_feed(1)
        assert feed_a is not None
        check_a = asyncio.create_task(app.poller.check_feed(feed_a))
        await asyncio.wait_for(gated.requested["/a/1"].wait(), ANSWER_WITHIN)
        assert outcomes(app, 1) == {on_a[0].guid: "skipped"}  # recorded before any page

        on_b = story(gated, "/b/2", 9, on_a[2].title)
        gated.set("/b.xml", rss([on_b], title="Valley Notes"))
        feed_b = app.store.get_feed(2)
        assert feed_b is not None
        assert (await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)).new == 0

        gated.gates["/a/1"].set()
        result = await asyncio.wait_for(check_a, ANSWER_WITHIN)
        assert (result.new, result.duplicates, result.skipped) == (2, 0, 1)
        assert outcomes(app, 1) == {
            on_a[0].guid: "skipped", on_a[1].guid: "posted", on_a[2].guid: "posted"
        }
        assert (await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)).new == 0
        assert outcomes(app, 2) == {on_b.guid: "duplicate"}
        await app.dispatcher.deliver_pending()
        assert sorted(post.title for post in adapter.posts) == sorted(
            [on_a[1].title, on_a[2].title]
        )
        assert len(adapter.notices) == 1  # the cap was told once, before the posts


async def test_a_feed_paused_after_its_first_failure_says_one_failed_check(
    gated: GatedServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    gated.set("/feed.xml", rss([], title="Orchard Post"))
    async with Harness(settings(tmp_path, max_failures=1), adapter) as app:
        await app.commands.feed_add(gated.url("/feed.xml"), None, CONSOLE)
        gated.set("/feed.xml", "gone for maintenance", status=503, content_type="text/plain")
        result = (await app.poller.poll(force=True))[1]
        assert result.paused
        assert len(adapter.notices) == 1
        text = adapter.notices[0][1]
        assert "is paused: 1 failed check in a row." in text, text
