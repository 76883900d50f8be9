"""`feed list` and `feed status` of many feeds fit one message on every platform, failing feeds
first and the rest counted; `feed status <id>` shows one feed; `feed resume` leaves a feed that
is not paused alone. Core answers are rendered by each platform's renderer, and the Discord and
Slack answers go through discord.py's and slack-bolt's real code (fakes on 127.0.0.1)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.chat import discord_render, slack_render
from bot.chat.console import render_reply as console_reply
from bot.core.context import Context
from bot.core.formatting import LIST_BUDGET
from bot.storage.store import Store
from tests.discord_fake import ADMIN, GUILD, FakeDiscord, RunningBot, wait_until
from tests.support import FeedItem, Harness, LoopbackServer, rss, test_settings
from tests.test_discord_commands import reply_in
from tests.test_slack_adapter import SCOPE as SLACK_SCOPE
from tests.test_slack_adapter import Bot
from tests.test_slack_adapter import bot as bot  # the Slack fixture

FAILING = range(11, 16)  # feeds #11..#15 fail
ERROR = "could not fetch https://feeds.example/edition: HTTP 503 Service Unavailable " + "z" * 150
MORE = re.compile(r"…and (\d+) more feeds \((.+) shows one\)\.$")


def many_feeds(store: Store, channel: str, scope: str, count: int = 25) -> None:
    """``count`` feeds with long addresses, those in FAILING failing with a long error."""
    for n in range(1, count + 1):
        feed, _ = store.add_feed(f"https://feeds.example/edition/{n}?section=local-news-and-weather",
                                 channel, scope, now=0.0)
        if n in FAILING:
            store.record_failure(feed.id, now=0.0, error=ERROR, next_check=0.0, paused=False)


def shown_ids(text: str) -> list[int]:
    return [int(match) for match in re.findall(r"^#(\d+) ", text, re.MULTILINE)]


async def test_status_of_many_feeds_fits_with_the_failing_ones_first(tmp_path: Path) -> None:
    discord = Context(channel="discord:1", scope="discord:9", is_admin=True)
    async with Harness(test_settings(tmp_path)) as app:
        many_feeds(app.store, "discord:1", "discord:9")
        reply = await app.commands.handle_text("!feed status", discord)
    assert reply is not None
    text = reply.text
    assert text.startswith("25 feeds: 5 failing, 20 ok.\n")
    assert len(text) <= LIST_BUDGET
    shown = shown_ids(text)
    assert shown[:5] == list(FAILING)  # the broken ones first, every one of them
    assert shown[5:] == sorted(shown[5:]) and len(set(shown)) == len(shown)
    more = MORE.search(text)
    assert more is not None and int(more.group(1)) == 25 - len(shown)
    assert more.group(2) == "!feed status <id>"
    # each platform shows the whole answer: nothing cut by its message limit
    assert discord_render.render_reply(reply) == discord_render.escape(text)
    assert len(discord_render.render_reply(reply)) <= discord_render.MESSAGE_LIMIT
    assert slack_render.render_reply(reply).endswith("shows one).")
    assert console_reply(reply) == text


async def test_list_of_many_feeds_counts_the_rest(tmp_path: Path) -> None:
    console = Context(channel="console", scope="console", is_admin=True)
    async with Harness(test_settings(tmp_path)) as app:
        many_feeds(app.store, "console", "console", count=40)
        reply = await app.commands.handle_text("feed list", console, mentioned=True)
    assert reply is not None and len(reply.text) <= LIST_BUDGET
    shown = shown_ids(reply.text)
    assert shown == list(range(1, len(shown) + 1))
    more = MORE.search(reply.text)
    assert more is not None and int(more.group(1)) == 40 - len(shown)
    assert more.group(2) == "feed status <id>"  # the console takes commands without "!"
    assert discord_render.render_reply(reply) == discord_render.escape(reply.text)


async def test_a_few_feeds_are_all_listed_without_a_count(tmp_path: Path) -> None:
    console = Context(channel="console", scope="console", is_admin=True)
    async with Harness(test_settings(tmp_path)) as app:
        many_feeds(app.store, "console", "console", count=3)
        listed = await app.commands.feed_list(console)
        status = await app.commands.feed_status(console)
    assert shown_ids(listed.text) == [1, 2, 3] and "more feeds" not in listed.text
    assert status.text.startswith("3 feeds: 3 ok.\n") and "more feeds" not in status.text


async def test_status_of_one_feed_shows_its_whole_error(tmp_path: Path) -> None:
    console = Context(channel="console", scope="console", is_admin=True)
    async with Harness(test_settings(tmp_path)) as app:
        many_feeds(app.store, "console", "console")
        one = await app.commands.handle_text("feed status 12", console, mentioned=True)
        missing = await app.commands.handle_text("feed status 99", console, mentioned=True)
    assert one is not None and shown_ids(one.text) == [12]
    assert "[failing]" in one.text and ERROR in one.text
    assert missing is not None and missing.text == "No feed 99 here. See feed list."


async def test_discord_status_of_many_feeds_is_one_whole_message(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    settings = test_settings(tmp_path, discord_token="fake-token", discord_admin_role="editors")
    async with RunningBot(fake, settings) as running:
        many_feeds(running.app.store, "discord:1", f"discord:{GUILD}")
        await fake.user_message(ADMIN, "!feed status")
        content = (await reply_in(fake))["content"]
    assert len(content) <= 2000
    assert content.startswith("25 feeds: 5 failing, 20 ok.")
    assert content.endswith("shows one).")
    assert shown_ids(content)[:5] == list(FAILING)


async def test_discord_status_of_one_feed_typed_and_as_slash_command(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    settings = test_settings(tmp_path, discord_token="fake-token", discord_admin_role="editors")
    async with RunningBot(fake, settings) as running:
        many_feeds(running.app.store, "discord:1", f"discord:{GUILD}")
        await fake.user_message(ADMIN, "!feed status 13")
        typed = (await reply_in(fake))["content"]
        interaction = await fake.slash(ADMIN, "feed", [{"type": 1, "name": "status", "options": [
            {"type": 3, "name": "feed", "value": "#14"}]}])
        await wait_until(lambda: fake.interaction_replies(interaction))
        slash = fake.interaction_replies(interaction)[-1].body["data"]["content"]
    assert shown_ids(typed) == [13] and "z" * 150 in typed
    assert shown_ids(slash) == [14] and "\\[failing\\]" in slash


async def test_slack_status_of_many_feeds_is_whole_and_in_slack_form(bot: Bot) -> None:
    many_feeds(bot.app.store, "slack:CNEWS", SLACK_SCOPE)
    answer = await bot.slash("/feed", "status", user="UADMIN")
    text = answer["text"]
    assert text.startswith("25 feeds: 5 failing, 20 ok.")
    assert text.endswith("(/feed status &lt;id&gt; shows one).")
    assert shown_ids(text)[:5] == list(FAILING)


# ---- feed resume -------------------------------------------------------------------------------


async def test_resume_leaves_a_healthy_feed_alone_and_checks_a_failing_one(tmp_path: Path) -> None:
    console = Context(channel="console", scope="console", is_admin=True)
    server = LoopbackServer()
    await server.start()
    try:
        server.set("/ok.xml", rss([FeedItem("k-1", "Quiet day at the quay", server.url("/s/1"))]))
        async with Harness(test_settings(tmp_path)) as app:
            await app.commands.feed_add(server.url("/ok.xml"), None, console)
            await app.commands.feed_add(server.url("/flaky.xml"), None, console)  # a 404: refused
            feed, _ = app.store.add_feed(server.url("/flaky.xml"), "console", "console", now=0.0)
            app.store.record_failure(feed.id, now=50.0, error="HTTP 503", next_check=9e9,
                                     paused=False)
            healthy_before = app.store.get_feed(1)
            hits = dict(server.hits)

            healthy = await app.commands.handle_text("feed resume 1", console, mentioned=True)
            assert healthy is not None and healthy.text == "Feed #1 is not paused."
            assert app.store.get_feed(1) == healthy_before  # nothing changed
            assert server.hits.get("/ok.xml") == hits.get("/ok.xml")  # nor fetched

            # failing but not paused: checked now, and the failure counts as usual
            failing = await app.commands.feed_resume(str(feed.id), console)
            assert failing.text.startswith(
                f"Feed #{feed.id} is not paused; checked it now: still failing: "
                "HTTP 404 Not Found; next check in ")
            after = app.store.get_feed(feed.id)
            assert after is not None and after.failures == 2 and not after.paused
            assert after.next_check < 9e9  # the new backoff, not the old one

            server.set("/flaky.xml", rss([], title="Flaky Desk"))  # the admin fixed the site
            fixed = await app.commands.feed_resume(str(feed.id), console)
            assert fixed.text == f"Feed #{feed.id} is not paused; checked it now: it works again."
            after = app.store.get_feed(feed.id)
            assert after is not None and after.failures == 0 and not after.paused

            app.store.record_failure(feed.id, now=60.0, error="HTTP 503", next_check=9e9,
                                     paused=True)
            resumed = await app.commands.feed_resume(str(feed.id), console)
            assert resumed.text.startswith(f"Resumed feed #{feed.id}")
            after = app.store.get_feed(feed.id)
            assert after is not None and not after.paused and after.failures == 0
    finally:
        await server.stop()
