"""Two feeds of one channel never both skip a story: a running check claims the stories it will
post, and a check of another feed meanwhile leaves them out of its flood cap (unrecorded, for a
later check). A check whose feed is removed while a page loads stops quietly. Loopback HTTP whose
pages wait for the test's say-so, a real SQLite file; every text here is invented."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path

import pytest
from aiohttp import web

from bot.__main__ import App
from bot.core import flood
from bot.core.claims import Claims
from bot.models import Feed, Item
from tests.support import CONSOLE, FeedItem, GatedServer, Harness, RecordingAdapter, outcomes, rss
from tests.test_h7_channel_lock import ANSWER_WITHIN, settings, story

CAP = 5


def harbour_stories(server: GatedServer) -> tuple[list[FeedItem], list[FeedItem]]:
    """Eight stories both feeds carry (same links), then two only the second feed has."""
    shared = [
        story(server, f"/s/{n}", n, f"Harbour ferries, part {n}: timetables and tides")
        for n in range(8)
    ]
    own = [
        story(server, f"/b/{n}", n, f"Valley market report number {n} on cheese prices")
        for n in (8, 9)
    ]
    return shared, own


async def two_feeds(app: App, server: GatedServer) -> tuple[Feed, Feed]:
    server.set("/a.xml", rss([], title="Harbour Post"))
    server.set("/b.xml", rss([], title="Valley Notes"))
    await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
    await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
    feed_a, feed_b = app.store.get_feed(1), app.store.get_feed(2)
    assert feed_a is not None and feed_b is not None
    return feed_a, feed_b


def skipped_links(app: App, feed_id: int) -> set[str]:
    rows = app.store.conn.execute(
        "SELECT link FROM seen_items WHERE feed_id = ? AND outcome = 'skipped'", (feed_id,)
    ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize("first", [1, 2])
async def test_two_capped_feeds_with_the_same_stories_post_each_once_and_skip_none_twice(
    gated: GatedServer, tmp_path: Path, first: int
) -> None:
    """The reviewer's case: feed #1 has 8 new stories, feed #2 the same 8 and 2 of its own, the
    cap is 5. The first check plans 5, skips its oldest and holds on its first page; the second
    check leaves the first one's stories out, so it counts, and posts, the others."""
    adapter = RecordingAdapter()
    async with Harness(settings(tmp_path, max_new_per_poll=CAP), adapter) as app:
        feeds = await two_feeds(app, gated)
        shared, own = harbour_stories(gated)
        gated.set("/a.xml", rss(shared, title="Harbour Post"))
        gated.set("/b.xml", rss(shared + own, title="Valley Notes"))
        everything = shared + own
        # the first check keeps its newest 5 and takes them oldest first: hold the oldest kept
        kept = (shared if first == 1 else everything)[-CAP:]
        left_out = [item for item in kept if item in (everything if first == 1 else shared)]
        path = "/" + kept[0].link.split("/", 3)[3]
        gated.gate(path)
        holder, other = feeds[first - 1], feeds[2 - first]
        check_first = asyncio.create_task(app.poller.check_feed(holder))
        await asyncio.wait_for(gated.requested[path].wait(), ANSWER_WITHIN)
        assert app.poller.claims.held(holder.channel) == CAP

        result_other = await asyncio.wait_for(app.poller.check_feed(other), ANSWER_WITHIN)
        assert not check_first.done()
        assert (result_other.new, result_other.skipped) == (CAP, 0)
        assert len(adapter.notices) == 1  # only the first check was over the cap

        gated.gates[path].set()
        result_first = await asyncio.wait_for(check_first, ANSWER_WITHIN)
        found = len(shared) if first == 1 else len(everything)
        assert (result_first.new, result_first.skipped) == (CAP, found - CAP)
        assert f"had {found} new items" in adapter.notices[0][1]
        assert f"posting the latest {CAP}," in adapter.notices[0][1]  # and it did post 5
        assert app.poller.claims.held(holder.channel) == 0

        # the stories the second check left out are duplicates now
        again = await asyncio.wait_for(app.poller.check_feed(other), ANSWER_WITHIN)
        assert (again.new, again.skipped, again.duplicates) == (0, 0, len(left_out))
        await app.dispatcher.deliver_pending()
        titles = [post.title for post in adapter.posts]
        assert sorted(titles) == sorted(item.title for item in everything)  # each exactly once
        assert not skipped_links(app, 1) & skipped_links(app, 2)


async def test_stories_a_cancelled_check_claimed_are_posted_by_a_later_check(
    gated: GatedServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    async with Harness(settings(tmp_path, max_new_per_poll=CAP), adapter) as app:
        feed_a, feed_b = await two_feeds(app, gated)
        shared, own = harbour_stories(gated)
        gated.set("/a.xml", rss(shared, title="Harbour Post"))
        gated.set("/b.xml", rss(shared + own, title="Valley Notes"))
        gated.gate("/s/3")  # the oldest of the 5 feed #1 keeps
        check_a = asyncio.create_task(app.poller.check_feed(feed_a))
        await asyncio.wait_for(gated.requested["/s/3"].wait(), ANSWER_WITHIN)
        assert (await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)).new == CAP

        check_a.cancel()  # the check dies before it posted anything: its claims go with it
        with pytest.raises(asyncio.CancelledError):
            await check_a
        assert app.poller.claims.held(feed_a.channel) == 0
        gated.gates["/s/3"].set()

        again = await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)
        assert (again.new, again.skipped, again.duplicates) == (CAP, 0, 0)
        await app.dispatcher.deliver_pending()
        titles = [post.title for post in adapter.posts]
        assert sorted(titles) == sorted(item.title for item in shared + own)  # nothing lost
        assert outcomes(app, 1) == {item.guid: "skipped" for item in shared[:3]}


async def test_a_feed_removed_while_its_page_loads_stops_quietly(
    gated: GatedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = RecordingAdapter()
    async with Harness(settings(tmp_path), adapter) as app:
        feed_a, _ = await two_feeds(app, gated)
        title = "Museum roof repaired before the winter storms arrive"
        gated.set("/a.xml", rss([story(gated, "/a/roof", 1, title)], title="Harbour Post"))
        gated.gate("/a/roof")
        poll = asyncio.create_task(app.poller.poll(force=True))
        await asyncio.wait_for(gated.requested["/a/roof"].wait(), ANSWER_WITHIN)
        removed = await app.commands.feed_remove("1", CONSOLE)
        assert removed.text.startswith("Removed feed #1"), removed.text

        caplog.clear()
        gated.gates["/a/roof"].set()
        results = await asyncio.wait_for(poll, ANSWER_WITHIN)
        assert results[1].error == "feed removed"
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
        assert app.store.get_feed(1) is None
        assert app.store.conn.execute(
            "SELECT COUNT(*) FROM seen_items WHERE feed_url = ? AND outcome != 'baseline'",
            (feed_a.url,),
        ).fetchone()[0] == 0  # nothing recorded for the removed feed
        assert app.poller.claims.held(feed_a.channel) == 0
        await app.dispatcher.deliver_pending()
        assert adapter.posts == []

        # the story is not lost to the channel: another feed carrying it posts it
        gated.set("/b.xml", rss([story(gated, "/b/roof", 2, title)], title="Valley Notes"))
        assert (await app.poller.poll(force=True))[2].new == 1
        await app.dispatcher.deliver_pending()
        assert [post.title for post in adapter.posts] == [title]


def test_claims_are_per_channel_and_only_other_checks_count() -> None:
    claims = Claims()
    one, two = claims.begin("news", 1), claims.begin("news", 2)
    elsewhere = claims.begin("sport", 3)
    claims.claim("news", one, "k1", frozenset({"url:a", "title:ferries"}))
    assert claims.held_elsewhere("news", one, frozenset({"url:a"})) is None  # its own claim
    assert claims.held_elsewhere("news", two, frozenset({"title:ferries"})) == 1
    assert claims.held_elsewhere("sport", elsewhere, frozenset({"url:a"})) is None
    claims.release("news", one, "k1")
    assert claims.held_elsewhere("news", two, frozenset({"url:a"})) is None
    claims.claim("news", one, "k2", frozenset({"url:b"}))
    claims.end("news", one)
    assert claims.held("news") == 0


def test_the_plan_leaves_deferred_items_out_of_the_count_the_take_and_the_skip() -> None:
    fresh = [
        Item(key=key, title=f"Story {key}", link=f"https://news.example/{key}")
        for key in ("d1", "c1", "n1", "n2", "c2", "n3", "n4", "dc")
    ]
    plan = flood.plan(
        fresh,
        lambda item: item.key.startswith("d"),
        2,
        lambda item: "c" in item.key,  # "dc" is a duplicate as well: recorded as one
    )
    assert [item.key for item in plan.deferred] == ["c1", "c2"]
    assert [item.key for item in plan.skipped] == ["n1", "n2"]
    assert [item.key for item in plan.take] == ["d1", "n3", "n4", "dc"]
    assert plan.postable == 4


class TaggedServer(GatedServer):
    """A gated server that sends an ETag and answers 304 when the client already has it."""

    async def _handle(self, request: web.Request) -> web.Response:
        route = self.routes.get(request.path)
        if route is not None:
            tag = '"' + hashlib.sha256(route[2].encode()).hexdigest()[:16] + '"'
            if request.headers.get("If-None-Match") == tag:
                return web.Response(status=304, headers={"ETag": tag})
            response = await super()._handle(request)
            response.headers["ETag"] = tag
            return response
        return await super()._handle(request)


async def test_a_feed_that_deferred_stories_reads_its_feed_again_when_the_claimer_dies(
    tmp_path: Path,
) -> None:
    """Feed #2 leaves out the stories feed #1's check claimed; that check dies. The feed's server
    answers 304 to a known ETag, so feed #2 must not keep the ETag of the check that left stories
    out: its next check reads the whole feed again and posts them."""
    tagged = TaggedServer()
    await tagged.start()
    try:
        adapter = RecordingAdapter()
        async with Harness(settings(tmp_path), adapter) as app:
            feed_a, feed_b = await two_feeds(app, tagged)
            roof = story(tagged, "/s/roof", 1, "Museum roof repaired before the winter storms")
            tagged.set("/a.xml", rss([roof], title="Harbour Post"))
            tagged.set("/b.xml", rss([roof], title="Valley Notes"))
            tagged.gate("/s/roof")
            check_a = asyncio.create_task(app.poller.check_feed(feed_a))
            await asyncio.wait_for(tagged.requested["/s/roof"].wait(), ANSWER_WITHIN)
            left = await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)
            assert left.new == 0
            stored = app.store.get_feed(feed_b.id)
            assert stored is not None and stored.etag is None  # read the whole feed next time
            check_a.cancel()
            with pytest.raises(asyncio.CancelledError):
                await check_a
            tagged.gates["/s/roof"].set()
            again = await asyncio.wait_for(app.poller.check_feed(feed_b), ANSWER_WITHIN)
            assert again.new == 1
            await app.dispatcher.deliver_pending()
            assert [post.title for post in adapter.posts] == [roof.title]
            fresh = app.store.get_feed(feed_b.id)
            assert fresh is not None and fresh.etag is not None  # nothing left out: ETag kept
    finally:
        for gate in tagged.gates.values():
            gate.set()
        await tagged.stop()
