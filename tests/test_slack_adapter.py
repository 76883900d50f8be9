"""The Slack adapter through slack-bolt's and slack_sdk's real code, fully offline.

The bolt app's AsyncWebClient talks to a fake Slack Web API on 127.0.0.1 (tests/slack_fake.py);
slash commands and events reach the app as Slack sends them, signed with the signing secret.
Behind it runs the real core: SQLite in tmp_path, Commands, Poller, Dispatcher, and feeds and
article pages served by a loopback aiohttp server. All article texts are invented.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.__main__ import App
from bot.chat.base import DeliveryError
from bot.chat.slack_adapter import ChannelPacer, SlackAdapter
from bot.chat.slack_render import HEADER_LIMIT, MAX_BLOCKS, SECTION_LIMIT
from bot.errors import ConfigError
from bot.models import Message
from tests.slack_fake import TEAM, FakeSlack
from tests.support import FeedItem, Harness, LoopbackServer, article_html, later, rss, test_settings

SCOPE = f"slack:{TEAM}"
OBSERVATORY = [
    ("The town council of Ashcombe Vale agreed on Thursday to reopen the old observatory on "
    "Crane Hill, which has been shut since a storm tore off its dome in 2019."),
    ("Ilse Varga-Thornbury, who chairs the observatory trust, said the vote ended five years of "
    "fundraising."),
    ("\u201cThe sky over the valley deserves a telescope again,\u201d Varga-Thornbury said. "
    "\u201cChildren here have never looked at Saturn.\u201d"),
    ("Councillor Bram Oduya opposed the plan. \u201cWe are spending roof money on a roof for the "
    "stars,\u201d he told the meeting."),
    "The trust hopes to hold its first public night before the winter solstice.",
    "Cafe owner Tamsin Holloway-Reyes welcomed the news. \u201cStargazers & late diners are "
    "good for the high street,\u201d she said.",
]
OBSERVATORY_TITLE = "Ashcombe Vale votes to reopen its observatory"


@dataclass
class Bot:
    """One running bot with a Slack adapter, its bolt app and the fakes around it."""

    app: App
    adapter: SlackAdapter
    bolt: AsyncApp
    slack: FakeSlack
    web: LoopbackServer

    async def dispatch(self, request: Any) -> int:
        response = await self.bolt.async_dispatch(request)
        return int(response.status)

    async def slash(self, command: str, text: str, *, user: str, channel: str = "CNEWS"
                    ) -> dict[str, Any]:
        """Send a slash command; check it is acknowledged before it is answered; the answer."""
        before = len(self.slack.of("respond"))
        status = await self.dispatch(self.slack.slash(command, text, user=user, channel=channel))
        assert status == 200
        answers = await self.slack.wait_for("respond", before + 1)
        return answers[-1]

    def feed_xml(self, items: list[FeedItem]) -> str:
        self.web.set("/feed.xml", rss(items, title="Vale Courier"))
        return self.web.url("/feed.xml")

    def article(self, path: str, title: str, paragraphs: list[str]) -> str:
        self.web.set(path, article_html(title, paragraphs), content_type="text/html")
        return self.web.url(path)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    slack, web = FakeSlack(), LoopbackServer()
    await slack.start()
    await web.start()
    settings = test_settings(tmp_path, latest_on_add=1, slack_bot_token="xoxb-test",
                             slack_app_token="xapp-test",
                             slack_admin_users=frozenset({"UCONFIG", "SADMINS"}))
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    adapter = SlackAdapter(settings, client=client, signing_secret="test-signing-secret",
                           pacer=ChannelPacer(interval=0.01))
    harness = Harness(settings, adapter)  # type: ignore[arg-type]
    app = await harness.__aenter__()
    try:
        bolt = await adapter.start(app.commands)
        yield Bot(app, adapter, bolt, slack, web)
    finally:
        await harness.__aexit__()
        await web.stop()
        await slack.stop()


def observatory_feed(bot: Bot) -> str:
    link = bot.article("/news/observatory", OBSERVATORY_TITLE, OBSERVATORY)
    return bot.feed_xml([FeedItem("obs-1", OBSERVATORY_TITLE, link, later(5))])


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_admin_adds_feed_post_has_blocks_and_members_ask_who_said(bot: Bot) -> None:
    url = observatory_feed(bot)
    answer = await bot.slash("/feed", f"add <{url}>", user="UADMIN")  # as Slack escapes it
    assert answer["response_type"] == "in_channel"
    assert answer["text"].startswith("Added feed #1: Vale Courier.")

    post = (await bot.slack.wait_for("chat.postMessage"))[0]
    assert post["channel"] == "CNEWS"
    assert post["text"] == f"{OBSERVATORY_TITLE} — Vale Courier"
    blocks = post["blocks"]
    assert blocks[0] == {"type": "header",
                         "text": {"type": "plain_text", "text": OBSERVATORY_TITLE, "emoji": False}}
    assert blocks[1]["elements"][0]["text"] == "Vale Courier"
    assert "observatory" in blocks[2]["text"]["text"]
    quotes = [b["text"]["text"] for b in blocks[2:] if b["text"]["text"].startswith("> ")]
    assert "> “The sky over the valley deserves a telescope again”\n> — _Ilse Varga-Thornbury_" \
        in quotes
    assert blocks[-1]["text"]["text"] == (
        f"*<{bot.web.url('/news/observatory')}|Read the full article>*"
    )
    assert [f.scope for f in bot.app.store.list_feeds()] == [SCOPE]

    said = await bot.slash("/whosaid", "never looked at saturn", user="UMEMBER")
    assert said["response_type"] == "in_channel"
    assert "— Ilse Varga-Thornbury" in said["text"]
    assert OBSERVATORY_TITLE in said["text"]

    quotes_by = await bot.slash("/quotes", "Varga-Thornbury", user="UMEMBER")
    assert "deserves a telescope again" in quotes_by["text"]

    listed = await bot.slash("/newsbot", "feed list", user="UADMIN")
    assert "Vale Courier" in listed["text"] and "slack:CNEWS" in listed["text"]
    status = await bot.slash("/feed", "status", user="UADMIN")
    assert "[ok]" in status["text"]


async def test_member_is_refused_feed_commands_and_nothing_changes(bot: Bot) -> None:
    url = observatory_feed(bot)
    for command, text in (("/feed", f"add {url}"), ("/feed", "list"), ("/newsbot", "feed status"),
                          ("/feed", "remove 1")):
        answer = await bot.slash(command, text, user="UMEMBER")
        assert answer["response_type"] == "ephemeral"
        assert answer["text"].startswith("Sorry, only workspace admins and owners")
    assert bot.app.store.list_feeds() == []
    assert bot.slack.of("chat.postMessage") == []
    assert bot.web.hits.get("/feed.xml") is None  # refused before fetching anything


async def test_config_users_and_user_groups_are_admins(bot: Bot) -> None:
    bot.slack.groups["SADMINS"] = ["UGROUPIE"]
    url = observatory_feed(bot)
    first = await bot.slash("/feed", f"add {url} <#CGEN|general>", user="UGROUPIE")
    assert first["text"].startswith("Added feed #1")
    second = await bot.slash("/feed", f"add {url} #news", user="UCONFIG")
    assert second["text"].startswith("Added feed #2")
    assert {f.channel for f in bot.app.store.list_feeds()} == {"slack:CGEN", "slack:CNEWS"}
    unknown = await bot.slash("/feed", f"add {url} #nowhere", user="UCONFIG")
    assert unknown["response_type"] == "ephemeral" and "can't find the channel" in unknown["text"]


async def test_who_said_by_mention_and_by_typed_message(bot: Bot) -> None:
    await bot.slash("/feed", f"add {observatory_feed(bot)}", user="UADMIN")
    await bot.slack.wait_for("chat.postMessage")

    mention = {"type": "app_mention", "user": "UMEMBER", "channel": "CNEWS", "ts": "1.1",
               "text": "<@UBOT> who said roof money on a roof"}
    assert await bot.dispatch(bot.slack.event(mention)) == 200
    answers = await bot.slack.wait_for("chat.postMessage", 2)
    assert answers[1]["channel"] == "CNEWS"
    assert "— Councillor Bram Oduya" in answers[1]["text"]

    typed = {"type": "message", "channel_type": "channel", "user": "UMEMBER", "channel": "CNEWS",
             "ts": "1.2", "text": "!who said “the sky over the valley”"}
    assert await bot.dispatch(bot.slack.event(typed)) == 200
    answers = await bot.slack.wait_for("chat.postMessage", 3)
    assert "— Ilse Varga-Thornbury" in answers[2]["text"]

    # chatter, the bot's own posts and the message copy of a mention get no answer
    for event in (
        {**typed, "text": "who said the sky over the valley", "ts": "1.3"},
        {**typed, "bot_id": "BBOT", "ts": "1.4"},
        {**typed, "text": "<@UBOT> who said roof money", "ts": "1.5"},
        {**typed, "subtype": "message_changed", "ts": "1.6"},
    ):
        assert await bot.dispatch(bot.slack.event(event)) == 200
    await asyncio.sleep(0.3)
    assert len(bot.slack.of("chat.postMessage")) == 3

    # Slack sends "&" as "&amp;": the phrase is searched as the user typed it
    ampersand = {**typed, "text": "!who said stargazers &amp; late diners", "ts": "1.7"}
    await bot.dispatch(bot.slack.event(ampersand))
    answers = await bot.slack.wait_for("chat.postMessage", 4)
    assert "— Tamsin Holloway-Reyes" in answers[3]["text"]
    assert "“Stargazers &amp; late diners are good for the high street”" in answers[3]["text"]

    nothing = await bot.slash("/whosaid", "purple elephants sing", user="UMEMBER")
    assert nothing["text"] == "No one in the 1 article I have read said that."


async def test_mention_refusal_is_ephemeral(bot: Bot) -> None:
    event = {"type": "app_mention", "user": "UMEMBER", "channel": "CNEWS", "ts": "2.1",
             "text": "<@UBOT> feed add https://news.example/feed.xml"}
    await bot.dispatch(bot.slack.event(event))
    refusal = (await bot.slack.wait_for("chat.postEphemeral"))[0]
    assert refusal["user"] == "UMEMBER"
    assert refusal["text"].startswith("Sorry, only workspace admins")
    assert bot.app.store.list_feeds() == []


async def test_who_said_searches_only_this_workspace(bot: Bot) -> None:
    other = await bot.app.pipeline.article_for_url(
        bot.article("/elsewhere", OBSERVATORY_TITLE, OBSERVATORY))
    bot.app.store.add_article(other, feed_id=None, scope="slack:T0OTHER", now=0.0)
    answer = await bot.slash("/whosaid", "never looked at saturn", user="UMEMBER")
    assert answer["text"] == "No one in the 0 articles I have read said that."


async def test_slash_command_is_acknowledged_before_the_slow_answer(bot: Bot) -> None:
    release = asyncio.Event()
    page = article_html(OBSERVATORY_TITLE, OBSERVATORY)

    async def slow_page(request: web.Request) -> web.Response:
        await release.wait()  # the page "takes forever" until the test releases it
        return web.Response(text=page, content_type="text/html")

    server = web.Application()
    server.router.add_get("/slow", slow_page)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        request = bot.slack.slash("/summary", f"<http://127.0.0.1:{port}/slow>", user="UMEMBER")
        assert await bot.dispatch(request) == 200  # acked while the fetch is still pending
        assert bot.slack.of("respond") == []
        release.set()
        answer = (await bot.slack.wait_for("respond"))[0]
    finally:
        await runner.cleanup()
    assert answer["text"].startswith(OBSERVATORY_TITLE)
    assert "Varga-Thornbury" in answer["text"]


async def test_help(bot: Bot) -> None:
    answer = await bot.slash("/newsbot", "", user="UMEMBER")
    assert "/whosaid &lt;phrase&gt;" in answer["text"] and "!who said" in answer["text"]
    answer = await bot.slash("/newsbot", "help", user="UMEMBER")
    assert "/feed add &lt;url&gt; [#channel]" in answer["text"]


async def test_twenty_thousand_character_article_fits_slack_limits(bot: Bot) -> None:
    paragraphs = []
    for n in range(120):
        paragraphs.append(
            f"Volunteer number {n} spent the long evening polishing brass fittings in the dome, "
            f"logging the weather and sweeping dust from the floor of the old building."
        )
        if n % 4 == 0:
            paragraphs.append(f"\u201cThis brass has not shone since the war, and it will shine "
                              f"again by spring number {n},\u201d said Petra Lindqvist-Ayodele.")
    assert sum(len(p) for p in paragraphs) > 20_000
    link = bot.article("/news/long", "Brass " * 60, paragraphs)
    url = bot.feed_xml([FeedItem("long-1", "Brass " * 60, link, later(1))])
    await bot.slash("/feed", f"add {url}", user="UADMIN")
    post = (await bot.slack.wait_for("chat.postMessage"))[0]
    blocks = post["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert len(blocks[0]["text"]["text"]) <= HEADER_LIMIT
    assert blocks[0]["text"]["text"].endswith("Brass…")
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_LIMIT
    assert any("Petra Lindqvist-Ayodele" in b.get("text", {}).get("text", "") for b in blocks)


async def test_title_with_slack_markup_is_rendered_literally(bot: Bot) -> None:
    title = "<!channel> Dome reopens <@U123> & <http://evil.example|free tickets>"
    link = bot.article("/news/hostile", title, OBSERVATORY)
    url = bot.feed_xml([FeedItem("hostile-1", title, link, later(1))])
    await bot.slash("/feed", f"add {url}", user="UADMIN")
    post = (await bot.slack.wait_for("chat.postMessage"))[0]
    dumped = all_text(post["blocks"]) + post["text"]
    for needle in ("<!channel>", "<@U123>", "<http://evil"):
        assert needle not in dumped
    assert post["blocks"][0]["text"]["text"] == (
        "&lt;!channel&gt; Dome reopens &lt;@U123&gt; &amp; "
        "&lt;http://evil.example|free tickets&gt;"
    )
    said = await bot.slash("/whosaid", "roof for the stars", user="UMEMBER")
    assert "&lt;!channel&gt;" in said["text"] and "<!channel>" not in said["text"]


async def test_rate_limit_waits_for_retry_after(bot: Bot) -> None:
    bot.slack.rate_limited = 1
    bot.slack.retry_after = "1"
    await bot.slash("/feed", f"add {observatory_feed(bot)}", user="UADMIN")
    posts = [c for c in bot.slack.calls if c.method == "chat.postMessage"]
    assert len(posts) == 2  # the 429, then the retry
    assert posts[1].at - posts[0].at >= 1.0
    assert bot.app.store.pending_deliveries() == []


async def test_an_image_slack_cannot_fetch_is_dropped_not_the_post(bot: Bot) -> None:
    bot.slack.refuse_images = True
    message = Message(channel="slack:CNEWS", title="Dome", url="https://news.example/dome",
                      source="Vale Courier", published=None, summary=("The dome is back.",),
                      image="https://img.example/missing.jpg")
    await bot.adapter.send(message)
    first, second = bot.slack.of("chat.postMessage")
    assert "accessory" in first["blocks"][2]
    assert "accessory" not in second["blocks"][2]
    assert second["blocks"][0]["text"]["text"] == "Dome"


async def test_long_retry_after_fails_the_send_without_blocking(bot: Bot) -> None:
    bot.slack.rate_limited = 1
    bot.slack.retry_after = "3600"
    message = Message(channel="slack:CNEWS", title="A post", url=None, source=None,
                      published=None, summary=("Text.",))
    for _ in range(2):
        with pytest.raises(DeliveryError) as caught:
            await bot.adapter.send(message)
        assert not caught.value.permanent and "rate limited" in str(caught.value)
    assert len(bot.slack.of("chat.postMessage")) == 1  # the second send did not even try
    other = Message(channel="slack:CGEN", title="A post", url=None, source=None,
                    published=None, summary=("Text.",))
    await bot.adapter.send(other)  # other channels are not held up
    assert bot.slack.of("chat.postMessage")[-1]["channel"] == "CGEN"


async def test_channel_the_bot_is_not_in(bot: Bot) -> None:
    message = Message(channel="slack:CNOTIN", title="A post", url=None, source=None,
                      published=None, summary=("Text.",))
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.send(message)
    assert caught.value.permanent
    assert "not_in_channel" in str(caught.value)

    # through the core: the delivery stays pending and the feed shows why
    url = observatory_feed(bot)
    answer = await bot.slash("/feed", f"add {url}", user="UADMIN", channel="CNOTIN")
    assert answer["text"].startswith("Added feed #1")
    assert answer["text"].endswith("invite me there with /invite @newsbot and the waiting posts "
                                   "will follow.")
    [feed] = bot.app.store.list_feeds()
    assert feed.last_error is not None and "not_in_channel" in feed.last_error
    assert len(bot.app.store.pending_deliveries()) == 1
    tries = len(bot.slack.of("chat.postMessage"))
    await bot.app.dispatcher.deliver_pending()  # refused recently: Slack is not asked again
    assert len(bot.slack.of("chat.postMessage")) == tries

    # someone invites the bot: Slack sends member_joined_channel and the post goes out
    bot.slack.not_in.discard("CNOTIN")
    joined = {"type": "member_joined_channel", "user": "UBOT", "channel": "CNOTIN",
              "channel_type": "C", "team": TEAM, "inviter": "UADMIN"}
    assert await bot.dispatch(bot.slack.event(joined)) == 200
    posts = await bot.slack.wait_for("chat.postMessage", tries + 1)
    assert posts[-1]["channel"] == "CNOTIN" and posts[-1]["blocks"][0]["type"] == "header"
    await bot.adapter.drain()
    assert bot.app.store.pending_deliveries() == []


async def test_config_feed_gets_the_workspace_scope(bot: Bot, tmp_path: Path) -> None:
    feed, _ = bot.app.store.add_feed("https://news.example/rss", "slack:CCONF", "slack:CCONF", 0.0)
    await bot.adapter.start(bot.app.commands)
    stored = bot.app.store.get_feed(feed.id)
    assert stored is not None and stored.scope == SCOPE


async def test_pacer_keeps_one_post_per_interval_per_channel() -> None:
    pacer = ChannelPacer(interval=0.2)
    stamps: dict[str, list[float]] = {"A": [], "B": []}
    loop = asyncio.get_running_loop()

    async def post(channel: str) -> None:
        async with pacer.slot(channel):
            stamps[channel].append(loop.time())

    await asyncio.gather(*(post(c) for c in ("A", "A", "A", "B")))
    gaps = [b - a for a, b in zip(stamps["A"], stamps["A"][1:], strict=False)]
    assert len(gaps) == 2 and all(gap >= 0.19 for gap in gaps)
    assert stamps["B"][0] - stamps["A"][0] < 0.19  # another channel does not wait


async def acked(slack: FakeSlack, envelope_id: str) -> None:
    for _ in range(500):
        if any(ack.get("envelope_id") == envelope_id for ack in slack.acks):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"envelope {envelope_id} was never acknowledged: {slack.acks}")


async def test_run_over_socket_mode_acks_envelopes_and_stops(bot: Bot) -> None:
    """run(): apps.connections.open, a WebSocket to the fake, envelopes acked, clean stop."""
    await bot.slash("/feed", f"add {observatory_feed(bot)}", user="UADMIN")
    stop = asyncio.Event()
    running = asyncio.create_task(bot.adapter.run(bot.app.commands, stop))

    command = bot.slack.slash_payload("/whosaid", "telescope again", user="UMEMBER")
    await bot.slack.envelope("slash_commands", command, "env-1")
    answers = await bot.slack.wait_for("respond", 2)
    assert "— Ilse Varga-Thornbury" in answers[-1]["text"]
    await acked(bot.slack, "env-1")

    mention = {"type": "app_mention", "user": "UMEMBER", "channel": "CNEWS", "ts": "9.1",
               "text": "<@UBOT> who said roof money"}
    event = json.loads(bot.slack.event(mention).raw_body)
    await bot.slack.envelope("events_api", event, "env-2")
    posts = await bot.slack.wait_for("chat.postMessage", 2)
    assert "Bram Oduya" in posts[-1]["text"]
    await acked(bot.slack, "env-2")
    assert "apps.connections.open" in {call.method for call in bot.slack.calls}

    stop.set()
    await asyncio.wait_for(running, 10)


async def test_run_with_a_refused_app_token_stops_with_a_clear_error(bot: Bot) -> None:
    bot.slack.app_token_refused = True
    with pytest.raises(ConfigError) as info:
        await asyncio.wait_for(bot.adapter.run(bot.app.commands, asyncio.Event()), 10)
    assert str(info.value) == (
        "Slack refused SLACK_APP_TOKEN (invalid_auth). It must be an app-level token "
        "(xapp-...) with the connections:write scope, and Socket Mode must be enabled."
    )
    assert bot.slack.socket is None
