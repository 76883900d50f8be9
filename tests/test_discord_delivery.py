"""Posting to Discord over the wire: real feeds (loopback) through the real core into a fake
Discord; embeds within limits, nothing that can ping, refused channels kept pending and retried."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.chat.base import DeliveryError
from bot.chat.discord_adapter import DiscordAdapter
from bot.chat.discord_render import nonce_for
from bot.errors import ConfigError
from bot.models import Message
from bot.settings import FeedConfig
from tests.discord_fake import (
    ADMIN,
    BOT,
    GENERAL,
    GUILD,
    LOCKED,
    MEMBER,
    MESSAGE_CONTENT,
    NEWS,
    SNOWFLAKE,
    FakeDiscord,
    RunningBot,
    embed_problems,
    wait_until,
)
from tests.support import FeedItem, LoopbackServer, article_html, later, rss, test_settings

HOSTILE_TITLE = "@everyone <@&123> **Harbour** council votes on __new__ pier"


def long_article() -> list[str]:
    """About 20,000 characters of invented news text with a couple of quotes."""
    paragraphs = [
        "\u201cWe will rebuild the pier before the winter storms,\u201d said Dana Whitcombe, "
        "the harbour council's chair, after the vote on Monday evening."
    ]
    for n in range(1, 120):
        paragraphs.append(
            f"Section {n} of the plan covers berth {n} and the road behind it. Inspectors "
            f"found that the timber piles under berth {n} had rotted faster than expected, and "
            "the council agreed to replace them with concrete."
        )
    paragraphs.append("\u201cThe fishing fleet cannot wait another year,\u201d Whitcombe said.")
    return paragraphs


@pytest.fixture
async def site() -> AsyncIterator[LoopbackServer]:
    server = LoopbackServer()
    await server.start()
    yield server
    await server.stop()


def publish(site: LoopbackServer, *items: FeedItem) -> None:
    site.set("/feed.xml", rss(items, title="Harbour Gazette"))


def first_item(site: LoopbackServer) -> FeedItem:
    site.set("/old.html", article_html("Old story", ["Nothing new happened at the harbour."]),
             content_type="text/html")
    return FeedItem("old", "Old story at the harbour", site.url("/old.html"))


async def add_feed(bot: RunningBot, site: LoopbackServer, channel: int) -> None:
    publish(site, first_item(site))
    await bot.app.poller.add_feed(site.url("/feed.xml"), f"discord:{channel}",
                                  f"discord:{GUILD}")


def new_story(site: LoopbackServer, title: str = HOSTILE_TITLE) -> FeedItem:
    site.set("/pier.html", article_html(title, long_article()), content_type="text/html")
    return FeedItem("pier", title, site.url("/pier.html"), published=later(30),
                    description="The council voted on the pier.")


async def test_a_20000_character_article_becomes_one_embed_within_limits(
    fake: FakeDiscord, site: LoopbackServer, tmp_path: Path
) -> None:
    assert sum(len(p) for p in long_article()) > 20_000
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await add_feed(bot, site, NEWS)
        publish(site, first_item(site), new_story(site))
        await bot.app.poller.poll(force=True)
        await wait_until(lambda: fake.posts(NEWS))
        assert bot.app.store.pending_deliveries() == []
        # and members can ask who said one of its quotes
        await fake.slash(MEMBER, "whosaid", [
            {"type": 3, "name": "phrase", "value": "rebuild the pier before the winter storms"}])
        await wait_until(lambda: any(r.path.endswith("/callback") for r in fake.requests))
    (answer,) = [r.body for r in fake.requests if r.path.endswith("/callback")]
    assert "Dana Whitcombe" in answer["data"]["content"]
    (body,) = fake.posts(NEWS)
    (embed,) = body["embeds"]
    assert body["allowed_mentions"] == {"parse": []}
    assert body["nonce"] and body["enforce_nonce"] is True
    assert embed_problems(embed) == []
    assert embed["url"] == site.url("/pier.html")
    assert embed["footer"]["text"] == "Harbour Gazette"
    assert embed["timestamp"].startswith(later(30).date().isoformat())
    assert 0 < len(embed["description"]) <= 4096
    # the hostile title is shown literally: no ping, no role pill, no bold
    assert "@everyone" not in embed["title"] and "<@&" not in embed["title"]
    assert embed["title"].replace("\u200b", "").replace("\\", "") == HOSTILE_TITLE
    assert body.get("content") in (None, "")
    assert "\u201d \u2014 **Dana Whitcombe**" in embed["description"]  # “quote” — **Speaker**


async def test_oversized_everything_is_accepted_by_discord_first_time(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    from bot.models import QuoteLine

    huge = Message(
        channel=f"discord:{GENERAL}", title="\u202e@everyone " * 10_000, url=None,
        source="S" * 5000, published=None, summary=("A long sentence about ports. " * 800,),
        quotes=tuple(QuoteLine("q " * 3000, "<@&1> " * 100) for _ in range(30)),
    )
    assert len(huge.title) > 100_000
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await bot.adapter.send(huge)
    assert [r.status for r in fake.attempts(GENERAL)] == [200]  # no 400, no plain fallback
    assert embed_problems(fake.posts(GENERAL)[0]["embeds"][0]) == []


async def test_quotes_in_a_post_name_their_speaker(fake: FakeDiscord, tmp_path: Path) -> None:
    from bot.models import QuoteLine

    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await bot.adapter.send(Message(
            channel=f"discord:{GENERAL}", title="Pier vote", url="https://news.example/pier",
            source="Harbour Gazette", published=None, summary=("The council voted.",),
            quotes=(QuoteLine("We will rebuild the pier *now*", "Dana Whitcombe"),),
            image="https://news.example/logo.png",
        ))
    (body,) = fake.posts(GENERAL)
    embed = body["embeds"][0]
    assert embed["description"].endswith(
        "\u201cWe will rebuild the pier \\*now\\*\u201d \u2014 **Dana Whitcombe**")
    assert embed["thumbnail"]["url"] == "https://news.example/logo.png"


async def test_refused_channel_records_the_error_and_is_retried_when_fixed(
    fake: FakeDiscord, site: LoopbackServer, tmp_path: Path
) -> None:
    fake.forbidden.add(LOCKED)
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await add_feed(bot, site, LOCKED)
        publish(site, first_item(site), new_story(site, "Pier vote tonight"))
        await bot.app.poller.poll(force=True)
        (pending,) = bot.app.store.pending_deliveries()
        assert "missing permissions" in (pending.last_error or "")
        (feed,) = bot.app.store.list_feeds()
        assert "missing permissions" in (feed.last_error or "")
        assert len(fake.posts(LOCKED)) == 0

        # the next rounds don't hammer Discord with the same refused request
        await bot.app.dispatcher.deliver_pending()
        await bot.app.dispatcher.deliver_pending()
        assert [r.status for r in fake.attempts(LOCKED)] == [403]

        # an admin sees why in /feed status
        await fake.user_message(ADMIN, "!feed status")
        await wait_until(lambda: fake.posts(GENERAL))
        assert "missing permissions" in fake.posts(GENERAL)[0]["content"]

        # the admin fixes the channel's permissions: Discord tells the bot, the post goes out
        fake.forbidden.clear()
        await fake.dispatch("CHANNEL_UPDATE", _channel(LOCKED, "locked"))
        await wait_until(lambda: len(fake.posts(LOCKED)) == 2)
        assert bot.app.store.pending_deliveries() == []
        assert bot.app.store.list_feeds()[0].last_error is None
    post, notice = fake.posts(LOCKED)
    assert post["embeds"][0]["title"] == "Pier vote tonight"
    assert "missing permissions" in notice["content"]  # the channel is told what went wrong
    assert notice["allowed_mentions"] == {"parse": []}


def _channel(channel_id: int, name: str) -> dict[str, Any]:
    from tests.discord_fake import CHANNELS

    channel = next(c for c in CHANNELS if c["id"] == str(channel_id))
    return channel | {"name": name, "permission_overwrites": []}


async def test_forbidden_send_raises_a_permanent_delivery_error(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    fake.forbidden.add(LOCKED)
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        refused = Message(channel=f"discord:{LOCKED}", title="x", url=None, source=None,
                          published=None, summary=())
        with pytest.raises(DeliveryError) as caught:
            await bot.adapter.send(refused)
    assert caught.value.permanent and "missing permissions" in str(caught.value)
    assert [r.status for r in fake.attempts(LOCKED)] == [403]


async def test_deleted_channel_is_a_permanent_delivery_error(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        gone = Message(channel=f"discord:{SNOWFLAKE + 4040}", title="x", url=None, source=None,
                       published=None, summary=())
        with pytest.raises(DeliveryError) as caught:
            await bot.adapter.send(gone)
    assert caught.value.permanent
    assert "does not exist" in str(caught.value)


async def test_a_rejected_embed_falls_back_to_plain_text(fake: FakeDiscord, tmp_path: Path) -> None:
    fake.reject_embeds = True
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await bot.adapter.send(Message(
            channel=f"discord:{GENERAL}", title="Pier vote @here", url="https://news.example/p",
            source=None, published=None, summary=("The council voted.",)))
    embed_try, plain = (r.body for r in fake.attempts(GENERAL))
    assert [r.status for r in fake.attempts(GENERAL)] == [400, 200]
    assert embed_try["embeds"] and not plain.get("embeds")
    assert plain["content"] == "**Pier vote @\u200bhere**\nhttps://news.example/p\nThe council voted."
    assert plain["nonce"] == embed_try["nonce"]


async def test_sends_to_one_channel_keep_their_order(fake: FakeDiscord, tmp_path: Path) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        messages = [
            Message(channel=f"discord:{NEWS}", title=f"Story {n}", url=None, source=None,
                    published=None, summary=()) for n in range(6)
        ]
        await asyncio.gather(*(bot.adapter.send(m) for m in messages))
    assert [b["embeds"][0]["title"] for b in fake.posts(NEWS)] == [f"Story {n}" for n in range(6)]
    assert [b["nonce"] for b in fake.posts(NEWS)] == [nonce_for(m) for m in messages]


async def test_rate_limits_are_waited_out_by_discord_py(fake: FakeDiscord, tmp_path: Path) -> None:
    fake.rate_limited = 2
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        messages = [
            Message(channel=f"discord:{NEWS}", title=f"Story {n}", url=None, source=None,
                    published=None, summary=()) for n in range(3)
        ]
        await asyncio.gather(*(bot.adapter.send(m) for m in messages))  # no DeliveryError
    assert [r.status for r in fake.attempts(NEWS)] == [429, 429, 200, 200, 200]
    assert [b["embeds"][0]["title"] for b in fake.posts(NEWS)] == ["Story 0", "Story 1", "Story 2"]


async def test_notices_are_literal_and_never_ping(fake: FakeDiscord, tmp_path: Path) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        await bot.adapter.notify(f"discord:{GENERAL}",
                                 "Feed #1 (@everyone **news**) is paused. Resume: `feed resume 1`.")
        fake.forbidden.add(NEWS)
        await bot.adapter.notify(f"discord:{NEWS}", "this one can't be posted")  # no exception
    (body,) = fake.posts(GENERAL)
    assert body["content"] == (
        "Feed #1 (@\u200beveryone \\*\\*news\\*\\*) is paused. Resume: \\`feed resume 1\\`.")
    assert body["allowed_mentions"] == {"parse": []}


async def test_send_before_connecting_is_a_temporary_failure(tmp_path: Path) -> None:
    adapter = DiscordAdapter(test_settings(tmp_path, discord_token="t"))
    with pytest.raises(DeliveryError) as caught:
        await adapter.send(Message(channel="discord:1", title="x", url=None, source=None,
                                   published=None, summary=()))
    assert not caught.value.permanent


async def test_config_feeds_learn_their_server_on_connect(
    fake: FakeDiscord, site: LoopbackServer, tmp_path: Path
) -> None:
    settings = test_settings(tmp_path, discord_token="t",
                             feeds=(FeedConfig(site.url("/feed.xml"), f"discord:{NEWS}"),))
    async with RunningBot(fake, settings) as bot:
        await wait_until(lambda: bot.app.store.list_feeds()[0].scope == f"discord:{GUILD}")


async def test_works_without_the_message_content_intent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeDiscord(allow_message_content=False)
    await fake.start()
    fake.install(monkeypatch)
    try:
        async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
            await fake.user_message(MEMBER, f"<@{BOT}> help", mentions_bot=True)
            await wait_until(lambda: fake.posts(GENERAL))
    finally:
        await fake.stop()
    first, second = fake.identify_intents
    assert first & MESSAGE_CONTENT and not second & MESSAGE_CONTENT
    assert not bot.adapter.message_content
    assert "Newsbot commands" in fake.posts(GENERAL)[0]["content"]
    assert any("Message Content intent" in r.message and "slash commands" in r.message
               for r in caplog.records if r.levelno == logging.WARNING)


async def test_unreachable_discord_at_start_is_retried(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from discord.http import Route

    with socket.socket() as probe:  # a loopback port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    working = Route.BASE
    monkeypatch.setattr(Route, "BASE", f"http://127.0.0.1:{dead}/api/v10")
    bot = RunningBot(fake, test_settings(tmp_path, discord_token="t"))
    bot.adapter.retry_first = 0.05

    async def repair() -> None:
        await asyncio.sleep(0.3)
        monkeypatch.setattr(Route, "BASE", working)

    repairing = asyncio.create_task(repair())
    async with bot:
        await fake.user_message(MEMBER, "!help")
        await wait_until(lambda: fake.posts(GENERAL))
    await repairing


async def test_a_wrong_token_stops_the_bot_with_a_clear_error(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.token = "the-right-one"
    adapter = DiscordAdapter(test_settings(tmp_path, discord_token="a-wrong-one"))
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await asyncio.wait_for(adapter.run(None, asyncio.Event()), 5)  # type: ignore[arg-type]
    assert any("Discord refused the token in DISCORD_TOKEN" in r.message for r in caplog.records)
    assert [r.status for r in fake.requests] == [401]


async def test_a_post_during_start_up_waits_for_the_connection(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    from tests.support import Harness

    settings = test_settings(tmp_path, discord_token="t")
    adapter = DiscordAdapter(settings, ready_timeout=0.05)
    async with Harness(settings, adapter) as app:  # type: ignore[arg-type]
        stop = asyncio.Event()
        running = asyncio.create_task(adapter.run(app.commands, stop))
        await asyncio.sleep(0)  # the adapter starts connecting
        assert adapter.bot is not None and not adapter.bot.is_ready()
        await adapter.send(Message(channel=f"discord:{NEWS}", title="Early story", url=None,
                                   source=None, published=None, summary=()))
        stop.set()
        await running
    assert [b["embeds"][0]["title"] for b in fake.posts(NEWS)] == ["Early story"]
