"""The whole pipeline end to end over loopback HTTP and a real SQLite file:
feed -> baseline -> new item -> article page -> summary + quotes -> post -> who said ->
restart -> nothing posted twice. Also dead and malformed feeds."""

from __future__ import annotations

from pathlib import Path

from bot.core.context import Context
from tests.support import (
    CONSOLE,
    STORY_PARAGRAPHS,
    FeedItem,
    Harness,
    LoopbackServer,
    article_html,
    later,
    rss,
    test_settings,
)

MEMBER = Context(channel="console", scope="console", is_admin=False)


def old_items(server: LoopbackServer) -> list[FeedItem]:
    return [
        FeedItem(f"old-{n}", f"Older story number {n} about the weather", server.url(f"/old/{n}"),
                 later(-100 + n))
        for n in range(3)
    ]


def ferry_item(server: LoopbackServer) -> FeedItem:
    return FeedItem(
        "ferry-1", "Port Avalon closes its old ferry terminal", server.url("/news/ferry?utm_source=rss"),
        later(5), description="The harbour authority voted to close the terminal.",
    )


async def test_feed_to_post_to_who_said_and_restart(server: LoopbackServer, tmp_path: Path) -> None:
    server.set("/feed.xml", rss(old_items(server)))
    server.set("/news/ferry", article_html("Port Avalon closes its old ferry terminal",
                                           STORY_PARAGRAPHS), content_type="text/html")
    settings = test_settings(tmp_path)

    async with Harness(settings) as app:
        reply = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "Added feed #1" in reply.text and "3 current items" in reply.text
        assert app.dispatcher.adapters["console"].posts == []  # type: ignore[attr-defined]

        server.set("/feed.xml", rss([ferry_item(server), *old_items(server)]))
        await app.poller.poll(force=True)
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert len(posts) == 1
        post = posts[0]
        assert post.title == "Port Avalon closes its old ferry terminal"
        assert post.source == "Example News"
        assert post.summary and len(" ".join(post.summary)) <= 600
        assert "ferry terminal" in " ".join(post.summary)
        speakers = {q.speaker for q in post.quotes}
        assert "Marguerite Okonkwo-Hale" in speakers

        answer = await app.commands.who_said("put passengers on a structure", MEMBER)
        assert "Marguerite Okonkwo-Hale" in answer.text
        assert "Port Avalon closes its old ferry terminal" in answer.text
        assert server.url("/news/ferry") in answer.text

        nothing = await app.commands.who_said("purple elephants dance", MEMBER)
        assert nothing.text == "No one in the 1 article I have read said that."

    # restart on the same database: nothing is posted again, new items still are
    async with Harness(settings) as app:
        await app.poller.poll(force=True)
        assert app.dispatcher.adapters["console"].posts == []  # type: ignore[attr-defined]
        second = FeedItem("ferry-2", "Island ferry adds two evening sailings",
                          server.url("/news/sailings"), later(30),
                          description="Tobias Wrenfield said the company would add sailings.")
        server.set("/feed.xml", rss([second, ferry_item(server), *old_items(server)]))
        await app.poller.poll(force=True)
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert [p.title for p in posts] == ["Island ferry adds two evening sailings"]


async def test_same_story_in_two_feeds_is_posted_once(server: LoopbackServer, tmp_path: Path) -> None:
    server.set("/a.xml", rss([]))
    server.set("/b.xml", rss([], title="Other Wire"))
    server.set("/news/ferry", article_html("Ferry", STORY_PARAGRAPHS), content_type="text/html")
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
        item = ferry_item(server)
        server.set("/a.xml", rss([item]))
        # the same story, other guid, link without the tracking parameter
        server.set("/b.xml", rss([FeedItem("wire-77", item.title, server.url("/news/ferry"),
                                           item.published)], title="Other Wire"))
        await app.poller.poll(force=True)
        await app.poller.poll(force=True)
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert len(posts) == 1
        why = await app.commands.feed_why(server.url("/news/ferry"), CONSOLE)
        assert "posted" in why.text and "same story" in why.text


async def test_dead_and_malformed_feeds_are_reported_and_others_go_on(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/good.xml", rss(old_items(server)))
    server.set("/bad.xml", rss(old_items(server)))
    async with Harness(test_settings(tmp_path, max_failures=2)) as app:
        await app.commands.feed_add(server.url("/good.xml"), None, CONSOLE)
        await app.commands.feed_add(server.url("/bad.xml"), None, CONSOLE)
        server.set("/bad.xml", "<html><body>Gone fishing</body></html>", content_type="text/html")
        server.set("/news/ferry", article_html("Ferry", STORY_PARAGRAPHS), content_type="text/html")
        server.set("/good.xml", rss([ferry_item(server), *old_items(server)]))
        results = await app.poller.poll(force=True)
        assert results[1].new == 1 and results[1].error is None
        assert results[2].error
        status = await app.commands.feed_status(CONSOLE)
        assert "#2" in status.text and "failing" in status.text and "last error" in status.text

        del server.routes["/bad.xml"]  # now a 404
        results = await app.poller.poll(force=True)
        assert results[2].paused
        notices = app.dispatcher.adapters["console"].notices  # type: ignore[attr-defined]
        assert len(notices) == 1 and "paused" in notices[0][1] and "feed resume 2" in notices[0][1]
        assert "HTTP 404" in notices[0][1] and notices[0][1].count(server.url("/bad.xml")) <= 1

        refused = await app.commands.feed_add(server.url("/missing.xml"), None, CONSOLE)
        assert "couldn't add" in refused.text and "Nothing was changed" in refused.text
        assert len(app.store.list_feeds()) == 2


async def test_admin_commands_refuse_members(server: LoopbackServer, tmp_path: Path) -> None:
    server.set("/feed.xml", rss(old_items(server)))
    async with Harness(test_settings(tmp_path)) as app:
        for reply in (
            await app.commands.feed_add(server.url("/feed.xml"), None, MEMBER),
            await app.commands.handle_text("!feed remove 1", MEMBER),
            await app.commands.handle_text("!feed list", MEMBER),
            await app.commands.handle_text("!feed status", MEMBER),
        ):
            assert reply is not None and reply.ephemeral and "only server admins" in reply.text
        assert app.store.list_feeds() == []
        added = await app.commands.handle_text(f"!feed add {server.url('/feed.xml')}", CONSOLE)
        assert added is not None and "Added feed #1" in added.text
        listed = await app.commands.handle_text("!feed list", CONSOLE)
        assert listed is not None and server.url("/feed.xml") in listed.text
        removed = await app.commands.handle_text("!feed remove 1", CONSOLE)
        assert removed is not None and "Removed feed #1" in removed.text
        assert app.store.list_feeds() == []


async def test_failed_send_stays_pending_and_is_retried(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/feed.xml", rss([]))
    server.set("/news/ferry", article_html("Ferry", STORY_PARAGRAPHS), content_type="text/html")
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        adapter = app.dispatcher.adapters["console"]
        adapter.fail_with = "Missing Access"  # type: ignore[attr-defined]
        server.set("/feed.xml", rss([ferry_item(server)]))
        await app.poller.poll(force=True)
        assert adapter.posts == []  # type: ignore[attr-defined]
        feed = app.store.get_feed(1)
        assert feed is not None and "Missing Access" in (feed.last_error or "")
        adapter.fail_with = None  # type: ignore[attr-defined]
        await app.poller.poll(force=True)
        assert len(adapter.posts) == 1  # type: ignore[attr-defined]
        assert any("post here again" in text and "Missing Access" in text
                   for _, text in adapter.notices)  # type: ignore[attr-defined]
        feed = app.store.get_feed(1)
        assert feed is not None and feed.last_error is None
        await app.poller.poll(force=True)
        assert len(adapter.posts) == 1  # type: ignore[attr-defined]


async def test_latest_on_add_posts_only_the_newest(server: LoopbackServer, tmp_path: Path) -> None:
    items = old_items(server)
    for n in range(3):
        server.set(f"/old/{n}", article_html(f"Old {n}", STORY_PARAGRAPHS), content_type="text/html")
    server.set("/feed.xml", rss(items))
    async with Harness(test_settings(tmp_path, latest_on_add=1)) as app:
        reply = await app.commands.feed_add(server.url("/feed.xml"), None, CONSOLE)
        assert "posted the latest 1" in reply.text
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert [p.title for p in posts] == [items[2].title]


async def test_entries_sharing_one_link_are_all_posted(server: LoopbackServer, tmp_path: Path) -> None:
    """A podcast-style feed whose episodes all link to the same home page loses none of them."""
    server.set("/pod.xml", rss([]))
    server.set("/show", article_html("The show", STORY_PARAGRAPHS), content_type="text/html")
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(server.url("/pod.xml"), None, CONSOLE)
        episodes = [FeedItem(f"ep-{n}", f"Episode {n}: harbour stories and more", server.url("/show"),
                             later(n)) for n in range(4)]
        server.set("/pod.xml", rss(episodes))
        await app.poller.poll(force=True)
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert sorted(p.title for p in posts) == sorted(e.title for e in episodes)


async def test_chat_users_cannot_make_the_bot_read_local_files(
    server: LoopbackServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(article_html("Secret", STORY_PARAGRAPHS), encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([]), encoding="utf-8")
    chat = Context(channel="discord:1", scope="discord:9", is_admin=True)
    async with Harness(test_settings(tmp_path)) as app:
        for reply in (await app.commands.summary(str(secret), chat),
                      await app.commands.summary(secret.as_uri(), chat),
                      await app.commands.feed_add(str(feed), None, chat)):
            assert reply.ephemeral and "local" in reply.text.lower(), reply.text
        assert app.store.list_feeds() == [] and app.store.article_count() == 0
        # the console's own user may (offline demos)
        local = await app.commands.summary(str(secret), CONSOLE)
        assert "ferry terminal" in local.text
        added = await app.commands.feed_add(str(feed), None, CONSOLE)
        assert "Added feed #1" in added.text


async def test_a_local_feed_linking_to_local_pages_works_offline(tmp_path: Path) -> None:
    """The offline demo: a feed file whose items link to page files with file:/// URLs."""
    page = tmp_path / "story.html"
    page.write_text(article_html("Port Avalon closes its old ferry terminal", STORY_PARAGRAPHS),
                    encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([]), encoding="utf-8")
    async with Harness(test_settings(tmp_path)) as app:
        await app.commands.feed_add(feed.as_uri(), None, CONSOLE)
        feed.write_text(rss([FeedItem("p1", "Port Avalon closes its old ferry terminal",
                                      page.as_uri())]), encoding="utf-8")
        await app.poller.poll(force=True)
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert len(posts) == 1 and posts[0].url == page.as_uri()
        assert any(q.speaker == "Tobias Wrenfield" for q in posts[0].quotes)
