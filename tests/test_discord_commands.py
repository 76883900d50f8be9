"""Discord commands over the wire: a member types `!who said`, uses `/whosaid` or @mentions the
bot in a fake Discord on 127.0.0.1, and the tests check the HTTP requests discord.py really made."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.models import Article, Quote
from tests.discord_fake import (
    ADMIN,
    BOT,
    BOT_ROLE,
    DM,
    EDITOR,
    EPHEMERAL,
    GENERAL,
    GUILD,
    LOCKED,
    MEMBER,
    NEWS,
    FakeDiscord,
    Request,
    RunningBot,
    wait_until,
)
from tests.support import FeedItem, LoopbackServer, rss, test_settings

ARTICLE_TEXT = (
    "The city will reopen the old river bridge after two years of repairs. "
    "\u201cThe bridge will open in spring, and not a day later,\u201d said Mayor Ines Valdora. "
    "Engineers checked every cable twice."
)


def valdora_article(scope_url: str = "https://news.example/bridge") -> Article:
    start = ARTICLE_TEXT.index("The bridge will")
    end = ARTICLE_TEXT.index(",\u201d said")
    speaker_start = ARTICLE_TEXT.index("Ines Valdora")
    return Article(
        url=scope_url, title="Old river bridge to reopen", text=ARTICLE_TEXT,
        source="Example News", summary=("The city will reopen the old river bridge.",),
        quotes=(Quote(ARTICLE_TEXT[start:end], start, end, "Ines Valdora", speaker_start,
                      speaker_start + len("Ines Valdora"), "direct"),),
    )


@pytest.fixture
async def feeds() -> AsyncIterator[LoopbackServer]:
    server = LoopbackServer()
    await server.start()
    server.set("/feed.xml", rss([FeedItem("a-1", "Tram line approved",
                                          "https://news.example/tram")], title="City Desk"))
    yield server
    await server.stop()


@pytest.fixture
async def running(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[RunningBot]:
    settings = test_settings(tmp_path, discord_token="fake-token", discord_admin_role="editors")
    async with RunningBot(fake, settings) as bot:
        bot.app.store.add_article(valdora_article(), feed_id=None, scope=f"discord:{GUILD}",
                                  now=time.time())
        yield bot


async def reply_in(fake: FakeDiscord, channel: int = GENERAL, count: int = 1) -> dict[str, Any]:
    await wait_until(lambda: len(fake.posts(channel)) >= count)
    body = fake.posts(channel)[count - 1]
    assert body["allowed_mentions"] == {"parse": []}
    return body


async def interaction_done(fake: FakeDiscord, interaction_id: str, count: int = 1) -> list[Request]:
    await wait_until(lambda: len(fake.interaction_replies(interaction_id)) >= count)
    return fake.interaction_replies(interaction_id)


async def test_who_said_with_the_prefix(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, "!who said \u201cbridge will open in spring\u201d")
    body = await reply_in(fake)
    assert "Ines Valdora" in body["content"]
    assert "https://news.example/bridge" in body["content"]
    assert body["message_reference"]["fail_if_not_exists"] is False


async def test_whosaid_hybrid_prefix_form(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, "!whosaid not a day later")
    assert "Ines Valdora" in (await reply_in(fake))["content"]


async def test_who_said_as_a_slash_command(running: RunningBot, fake: FakeDiscord) -> None:
    interaction = await fake.slash(MEMBER, "whosaid", [
        {"type": 3, "name": "phrase", "value": "bridge will open"}])
    (callback,) = await interaction_done(fake, interaction)
    assert callback.body["type"] == 4  # answered directly: it was quick
    data = callback.body["data"]
    assert "Ines Valdora" in data["content"]
    assert not data.get("flags", 0) & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}


async def test_who_said_by_mentioning_the_bot(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, f"<@{BOT}> who said the bridge will open?",
                            mentions_bot=True)
    assert "Ines Valdora" in (await reply_in(fake))["content"]


async def test_who_said_by_mentioning_the_bots_role(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, f"<@&{BOT_ROLE}> who said the bridge will open?")
    assert "Ines Valdora" in (await reply_in(fake))["content"]


async def test_who_said_searches_only_this_server(running: RunningBot, fake: FakeDiscord) -> None:
    running.app.store.add_article(
        Article(url="https://other.example/x", title="Elsewhere", text="x", source=None,
                quotes=(Quote("purple ferries sail at dawn", 0, 1, "Otto Brandt", None, None,
                              "direct"),)),
        feed_id=None, scope="discord:5555", now=time.time(),
    )
    await fake.user_message(MEMBER, "!who said purple ferries sail at dawn")
    body = await reply_in(fake)
    assert "Otto Brandt" not in body["content"]
    assert "No one in the 1 article I have read said that." in body["content"]


async def test_ordinary_chat_is_ignored(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, "who said lunch was at noon?")
    await fake.user_message(MEMBER, "!help")  # a later message that is answered
    body = await reply_in(fake)
    assert "Newsbot commands" in body["content"]
    assert len(fake.posts()) == 1


async def test_admin_adds_a_feed_with_the_slash_command(
    running: RunningBot, fake: FakeDiscord, feeds: LoopbackServer
) -> None:
    interaction = await fake.slash(ADMIN, "feed", [{"type": 1, "name": "add", "options": [
        {"type": 3, "name": "url", "value": feeds.url("/feed.xml")},
        {"type": 7, "name": "channel", "value": str(NEWS)}]}])
    replies = await interaction_done(fake, interaction)
    text = replies[-1].body.get("content") or replies[-1].body["data"]["content"]
    assert "Added feed #1: City Desk" in text
    (feed,) = running.app.store.list_feeds()
    assert (feed.channel, feed.scope) == (f"discord:{NEWS}", f"discord:{GUILD}")


async def test_member_is_refused_politely_and_nothing_changes(
    running: RunningBot, fake: FakeDiscord, feeds: LoopbackServer
) -> None:
    interaction = await fake.slash(MEMBER, "feed", [{"type": 1, "name": "add", "options": [
        {"type": 3, "name": "url", "value": feeds.url("/feed.xml")}]}])
    (callback,) = await interaction_done(fake, interaction)
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert "only server admins" in callback.body["data"]["content"]
    await fake.user_message(MEMBER, f"!feed add {feeds.url('/feed.xml')}")
    assert "only server admins" in (await reply_in(fake))["content"]
    assert running.app.store.list_feeds() == []
    assert feeds.hits == {}  # refused before anything was fetched


async def test_the_configured_role_counts_as_admin(
    running: RunningBot, fake: FakeDiscord, feeds: LoopbackServer
) -> None:
    await fake.user_message(EDITOR, f"!feed add {feeds.url('/feed.xml')} <#{NEWS}>")
    assert "Added feed #1" in (await reply_in(fake))["content"]
    await fake.user_message(EDITOR, "!feed list")
    listing = (await reply_in(fake, count=2))["content"]
    assert f"discord:{NEWS}" in listing and "City Desk" in listing
    assert running.app.store.list_feeds()[0].channel == f"discord:{NEWS}"


async def test_adding_a_feed_where_the_bot_cannot_post_warns(
    running: RunningBot, fake: FakeDiscord, feeds: LoopbackServer
) -> None:
    interaction = await fake.slash(ADMIN, "feed", [{"type": 1, "name": "add", "options": [
        {"type": 3, "name": "url", "value": feeds.url("/feed.xml")},
        {"type": 7, "name": "channel", "value": str(LOCKED)}]}])
    (callback,) = await interaction_done(fake, interaction)
    text = callback.body["data"]["content"]
    assert "Added feed #1" in text
    assert "I need Send Messages, Embed Links there" in text  # no send implies no embeds


async def test_unknown_channel_is_reported(
    running: RunningBot, fake: FakeDiscord, feeds: LoopbackServer
) -> None:
    await fake.user_message(ADMIN, f"!feed add {feeds.url('/feed.xml')} #nowhere")
    body = await reply_in(fake)
    assert body["content"] == "I can't find the channel #nowhere."
    assert running.app.store.list_feeds() == []


async def test_unknown_feed_subcommand_gets_usage(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(ADMIN, "!feed frobnicate")
    assert (await reply_in(fake))["content"] == "Usage: !feed add\\|remove\\|list\\|status\\|resume\\|why"


async def test_direct_messages_point_to_a_server(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, "!who said the bridge will open", channel=DM)
    body = await reply_in(fake, channel=DM)
    assert "server" in body["content"] and "Valdora" not in body["content"]


async def test_missing_argument_gets_usage(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, "!summary")
    assert "url is a required argument" in (await reply_in(fake))["content"]


class SlowPages:
    """Article pages that take a moment, so slash answers must be deferred."""

    def __init__(self) -> None:
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        if request.path == "/gone":
            return web.Response(status=404, text="gone")
        return web.Response(text=f"<html><head><title>Slow story</title></head><body><article>"
                                 f"<p>{ARTICLE_TEXT}</p><p>{ARTICLE_TEXT}</p></article></body>"
                                 "</html>", content_type="text/html")

    async def __aenter__(self) -> SlowPages:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


async def test_slow_slash_answers_are_deferred(running: RunningBot, fake: FakeDiscord) -> None:
    running.adapter.defer_after = 0.05
    async with SlowPages() as pages:
        interaction = await fake.slash(MEMBER, "summary", [
            {"type": 3, "name": "url", "value": f"http://127.0.0.1:{pages.port}/story"}])
        callback, edit = await interaction_done(fake, interaction, count=2)
    assert callback.body["type"] == 5  # "Newsbot is thinking..."
    assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
    assert "Slow story" in edit.body["content"]
    assert edit.body["allowed_mentions"] == {"parse": []}


async def test_slow_errors_on_slash_become_ephemeral(running: RunningBot, fake: FakeDiscord) -> None:
    running.adapter.defer_after = 0.05
    async with SlowPages() as pages:
        interaction = await fake.slash(MEMBER, "summary", [
            {"type": 3, "name": "url", "value": f"http://127.0.0.1:{pages.port}/gone"}])
        callback, delete, followup = await interaction_done(fake, interaction, count=3)
    assert callback.body["type"] == 5
    assert delete.method == "DELETE"  # the public "thinking..." is replaced ...
    assert followup.method == "POST" and followup.body["flags"] & EPHEMERAL  # ... by a private note
    assert "couldn't read" in followup.body["content"]


async def test_help_lists_the_slash_commands_too(running: RunningBot, fake: FakeDiscord) -> None:
    await fake.user_message(MEMBER, f"<@{BOT}> help", mentions_bot=True)
    interaction = await fake.slash(MEMBER, "help", [])
    mention_reply = (await reply_in(fake))["content"]
    (callback,) = await interaction_done(fake, interaction)
    assert mention_reply == callback.body["data"]["content"]
    assert "!who said" in mention_reply and "/whosaid" in mention_reply


async def test_feed_text_in_answers_is_literal(running: RunningBot, fake: FakeDiscord) -> None:
    text = "\u201cWe ping <@&123> and @everyone daily,\u201d said Rex Hollow."
    running.app.store.add_article(
        Article(url="https://news.example/ping", title="**Loud** news for @here <#1>", text=text,
                source=None, quotes=(Quote("We ping <@&123> and @everyone daily", 1, 36,
                                           "Rex Hollow", 45, 55, "direct"),)),
        feed_id=None, scope=f"discord:{GUILD}", now=time.time(),
    )
    interaction = await fake.slash(MEMBER, "whosaid", [
        {"type": 3, "name": "phrase", "value": "ping daily"}])
    (callback,) = await interaction_done(fake, interaction)
    content = callback.body["data"]["content"]
    assert "Rex Hollow" in content
    assert "@\u200beveryone" in content and "@\u200bhere" in content
    assert "<\u200b@&123>" in content and "<\u200b#1>" in content
    assert "\\*\\*Loud\\*\\*" in content
    assert callback.body["data"]["allowed_mentions"] == {"parse": []}
