"""The flood cap counts only items that would really be posted: duplicates (a link or title the
channel already got, from another feed or from the same feed under an old id) are recorded as
duplicates, never count toward ``max_new_per_poll`` and never push a real story into "skipped".
Loopback HTTP, a real SQLite file, two feeds in one channel; every text here is invented."""

from __future__ import annotations

from pathlib import Path

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
)


def story(server: LoopbackServer, n: int, guid: str) -> FeedItem:
    """Story ``n`` of the ferry strike under the id ``guid``; its link and title depend on ``n``
    only, so two feeds (or two id schemes) carrying it share them. Pages are not served."""
    return FeedItem(
        guid,
        f"Ferry strike diary, day {n}: crews, timetables and the harbour board",
        server.url(f"/ferry/{n}"),
        later(n),
        description=f"Day {n} of the ferry crews' strike at the harbour.",
    )





async def test_duplicates_from_another_feed_do_not_count_toward_the_cap(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """The review's case: feed A posted s1–s5; feed B (same channel) then carries s0–s5 under its
    own ids. B posts s0, records s1–s5 as duplicates, skips nothing and sends no notice."""
    adapter = RecordingAdapter()
    server.set("/a.xml", rss([], title="Harbour Desk"))
    server.set("/b.xml", rss([], title="Quayside Wire"))
    async with Harness(test_settings(tmp_path, max_new_per_poll=5), adapter) as app:
        assert app.poller.max_new_per_poll == 5
        await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
        on_a = [story(server, n, f"a-{n}") for n in range(1, 6)]
        server.set("/a.xml", rss(on_a, title="Harbour Desk"))
        first = await app.poller.poll(force=True)
        assert (first[1].new, first[1].skipped) == (5, 0)
        assert [post.title for post in adapter.posts] == [item.title for item in on_a]

        on_b = [story(server, n, f"b-{n}") for n in range(0, 6)]
        server.set("/b.xml", rss(on_b, title="Quayside Wire"))
        second = await app.poller.poll(force=True)
        result = second[2]
        assert (result.new, result.duplicates, result.skipped) == (1, 5, 0)
        assert [post.title for post in adapter.posts][5:] == [on_b[0].title]  # s0 is not lost
        assert adapter.notices == []  # one story left: under the cap, nothing to say
        seen = outcomes(app, 2)
        assert seen == {"b-0": "posted", **{f"b-{n}": "duplicate" for n in range(1, 6)}}

        why = await app.commands.feed_why(on_b[3].link, CONSOLE)
        assert "in feed #2: not posted, same story as" in why.text, why.text
        assert "skipped" not in why.text


async def test_a_site_that_changes_only_its_ids_posts_nothing_and_says_nothing(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """Every id changes while links and titles stay: all are duplicates of the feed's own earlier
    items, so nothing is posted, nothing skipped and the channel is not told anything."""
    adapter = RecordingAdapter()
    old = [story(server, n, f"old-{n}") for n in range(30)]
    server.set("/feed.xml", rss(old, title="Harbour Desk"))
    async with Harness(test_settings(tmp_path, max_new_per_poll=20), adapter) as app:
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert adapter.posts == []  # the baseline

        renamed = [story(server, n, f"urn:new:{n}") for n in range(30)]
        server.set("/feed.xml", rss(renamed, title="Harbour Desk"))
        result = (await app.poller.poll(force=True))[1]
        assert (result.new, result.duplicates, result.skipped) == (0, 30, 0)
        assert adapter.posts == [] and adapter.notices == []
        seen = outcomes(app, 1)
        assert [seen[item.guid] for item in renamed] == ["duplicate"] * 30


async def test_renamed_ids_plus_real_news_over_the_cap_counts_only_the_real_news(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """30 renamed old stories and 7 real new ones, cap 5: the notice speaks of 7 new items, the
    newest 5 are posted, the 2 oldest real ones skipped, the 30 recorded as duplicates."""
    adapter = RecordingAdapter()
    old = [story(server, n, f"old-{n}") for n in range(30)]
    server.set("/feed.xml", rss(old, title="Harbour Desk"))
    async with Harness(test_settings(tmp_path, max_new_per_poll=5), adapter) as app:
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        renamed = [story(server, n, f"urn:new:{n}") for n in range(30)]
        news = [story(server, n, f"urn:new:{n}") for n in range(30, 37)]
        server.set("/feed.xml", rss(renamed + news, title="Harbour Desk"))
        result = (await app.poller.poll(force=True))[1]
        assert (result.new, result.duplicates, result.skipped) == (5, 30, 2)
        assert [post.title for post in adapter.posts] == [item.title for item in news[2:]]
        assert adapter.notices == [(
            "console",
            "Feed #1 (Harbour Desk) had 7 new items in one check, more than the 5 one check "
            "posts (posts.max_new_per_poll); posting the latest 5, the other 2 are marked as "
            "seen (`feed why <link>` shows each).",
        )]
        seen = outcomes(app, 1)
        assert [seen[item.guid] for item in news[:2]] == ["skipped"] * 2
        assert [seen[item.guid] for item in renamed] == ["duplicate"] * 30

        await app.poller.poll(force=True)  # nothing more to post, nobody told twice
        assert len(adapter.posts) == 5 and len(adapter.notices) == 1


async def test_one_over_the_cap_is_told_in_the_singular(
    server: LoopbackServer, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    server.set("/feed.xml", rss([], title="Harbour Desk"))
    async with Harness(test_settings(tmp_path, max_new_per_poll=3), adapter) as app:
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        items = [story(server, n, f"s-{n}") for n in range(4)]
        server.set("/feed.xml", rss(items, title="Harbour Desk"))
        await app.poller.poll(force=True)
        assert [text for _, text in adapter.notices] == [
            "Feed #1 (Harbour Desk) had 4 new items in one check, more than the 3 one check "
            "posts (posts.max_new_per_poll); posting the latest 3, the other one is marked as "
            "seen (`feed why <link>` shows each)."
        ]
        why = await app.commands.feed_why(items[0].link, CONSOLE)
        assert "skipped: 4 new items in one check" in why.text, why.text
