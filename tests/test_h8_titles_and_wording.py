"""Review H8: Swedish and Finnish quotation marks (»…» and ”…”) in cut titles, post titles whose
final cut is the tidy one on every platform (console, Discord through discord.py's real code,
Slack through slack-bolt's), the scheme hint and the wording for local paths on every platform,
Slack text a user copies (``fetch.allow_hosts``) left unaltered, and impossible ports refused
before connecting. Every text here is invented for the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import console, discord_render, slack_render
from bot.chat.slack_adapter import ChannelPacer, SlackAdapter
from bot.chat.text import open_quote, tidy_cut
from bot.core.context import Context
from bot.errors import BlockedURLError
from bot.feeds.failures import web_address_hint
from bot.feeds.fetch import FetchLimits, fetch, make_session
from bot.feeds.guard import checked_url, impossible_port, unbracketed_ipv6
from bot.models import Message, Reply
from tests.discord_fake import GENERAL, FakeDiscord, RunningBot, fake, wait_until
from tests.slack_fake import FakeSlack
from tests.support import Harness, test_settings

__all__ = ["fake"]  # the fake Discord fixture, used by name

CONSOLE = Context(channel="console", scope="console", is_admin=True, user="console")
DISCORD = Context(channel="discord:5", scope="discord:7", is_admin=True, user="9",
                  fits_reply=discord_render.reply_fits)
SLACK = Context(channel="slack:C1", scope="slack:T1", is_admin=True, user="slack:U1",
                fits_reply=slack_render.reply_fits)
CHATS = {"discord": DISCORD, "slack": SLACK}

# A long lead (about 230 characters) and then a long quotation, so every platform's limit
# (console 300, Discord 256, Slack 150) falls inside the lead or inside the quotation.
LEAD = "The ferry company of Lower Brindle announced a new timetable for the winter months " * 3
QUOTED = [
    LEAD + "“Our boats will sail every hour from the north pier until the ice closes the "
    "sound and the harbour master rings the old bell” said the skipper",
    LEAD + "„Unsere Boote fahren jede Stunde vom Nordpier ab, bis das Eis den Sund schließt "
    "und der Hafenmeister die alte Glocke läutet“ sagte die Kapitänin",
]


def _post(title: str, channel: str = "console") -> Message:
    return Message(channel=channel, title=title, url="https://news.example/ferry",
                   source="Brindle Post", published=None, summary=("The ferry runs.",))


# ---- Swedish and Finnish quotation marks ---------------------------------------------------


def test_swedish_guillemets_closed_with_the_same_mark_leave_the_title_whole() -> None:
    short = "Rektorn: »Vi bygger om» – föräldrarna vill ha svar före julen i år och mer…"
    assert tidy_cut(short) == short  # no stray « added
    longer = "Rektorn sade på mötet i går: »Vi bygger om» – föräldrarna vill ha svar före julen…"
    assert tidy_cut(longer) == longer  # not cut back to "Rektorn sade på mötet i går…"
    finnish = "Johtaja sanoi: »Me rakennamme uudelleen» ja vanhemmat odottavat vastausta…"
    assert tidy_cut(finnish) == finnish
    assert open_quote(short) == open_quote(longer) == -1


def test_swedish_right_quotes_pair_with_themselves() -> None:
    closed = "Rektorn sade på mötet i går: ”Vi bygger om” – föräldrarna vill ha svar före julen…"
    assert open_quote(closed) == -1 and tidy_cut(closed) == closed
    left_open = "Rektorn sade på mötet i går kväll: ”Vi bygger om skolan…"
    assert tidy_cut(left_open) == "Rektorn sade på mötet i går kväll…"
    assert tidy_cut("”Vi bygger om…") == "”Vi bygger om…”"
    # an English closing mark with no opening one ("open” he") opens nothing
    stray = "The mayor said the pier stays open” and then the rain came down hard on the town…"
    assert open_quote(stray) == -1 and tidy_cut(stray) == stray


def test_other_styles_still_pair_as_before() -> None:
    german = "Die Sprecherin sagte am Abend: »Der Hafen bleibt offen« – und dann kam der Regen…"
    french = "Le maire a dit hier soir : « Le port reste ouvert » et puis la pluie est venue…"
    english = "The mayor said on Friday “the pier stays open” and then the rain came down…"
    for closed in (german, french, english):
        assert tidy_cut(closed) == closed
    assert tidy_cut("»Der Hafen…") == "»Der Hafen…«"


def test_a_limit_makes_the_final_cut_the_tidy_one() -> None:
    for title in QUOTED:
        for limit in range(10, len(title) + 20, 3):
            cut = tidy_cut(title, limit)
            assert 0 < len(cut) <= limit, (limit, cut)
            assert open_quote(cut) == -1, (limit, cut)
            assert cut == title or cut.endswith(("…", "”", "“")), (limit, cut)
    assert tidy_cut("A short title", 80) == "A short title"
    assert tidy_cut("A short title", 0) == ""


# ---- post titles on every platform ---------------------------------------------------------


def test_console_discord_and_slack_titles_never_end_inside_an_open_quote() -> None:
    for title in QUOTED:
        message = _post(title)
        shown = [
            console.render(message).splitlines()[1],
            discord_render.render_embed(message)["title"],
            discord_render.render_fallback(message).splitlines()[0].strip("*"),
        ]
        post = slack_render.render_post(message)
        shown += [post.blocks[0]["text"]["text"], post.text.split(" — ")[0]]
        for text in shown:
            assert text.endswith("…") and open_quote(text) == -1, text
            assert text.startswith("The ferry company of Lower Brindle"), text
        assert len(shown[0]) <= 300 and len(shown[1]) <= discord_render.TITLE_LIMIT
        assert len(shown[3]) <= slack_render.HEADER_LIMIT


async def test_a_discord_post_title_is_cut_tidily(fake: FakeDiscord, tmp_path: Path) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        for title in QUOTED:
            await bot.adapter.send(_post(title, f"discord:{GENERAL}"))
        await wait_until(lambda: len(fake.posts(GENERAL)) == len(QUOTED))
    for body in fake.posts(GENERAL):
        title = body["embeds"][0]["title"]
        assert len(title) <= discord_render.TITLE_LIMIT
        assert title.endswith("…") and open_quote(title) == -1, title


@pytest.fixture
async def slack_bot(tmp_path: Path) -> AsyncIterator[tuple[SlackAdapter, FakeSlack, AsyncApp]]:
    slack = FakeSlack()
    await slack.start()
    settings = test_settings(tmp_path, slack_bot_token="xoxb-test", slack_app_token="xapp-test")
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    adapter = SlackAdapter(settings, client=client, signing_secret="test-signing-secret",
                           pacer=ChannelPacer(interval=0.01))
    harness = Harness(settings, adapter)  # type: ignore[arg-type]
    app = await harness.__aenter__()
    try:
        bolt = await adapter.start(app.commands)
        yield adapter, slack, bolt
    finally:
        await harness.__aexit__()
        await slack.stop()


async def test_a_slack_post_title_is_cut_tidily(
    slack_bot: tuple[SlackAdapter, FakeSlack, AsyncApp]
) -> None:
    adapter, slack, _ = slack_bot
    for title in QUOTED:
        await adapter.send(_post(title, "slack:CNEWS"))
    for post in await slack.wait_for("chat.postMessage", len(QUOTED)):
        header = post["blocks"][0]["text"]["text"]
        assert len(header) <= slack_render.HEADER_LIMIT
        assert header.endswith("…") and open_quote(header) == -1, header
        assert open_quote(post["text"]) == -1, post["text"]


async def test_slack_keeps_config_keys_copyable(
    slack_bot: tuple[SlackAdapter, FakeSlack, AsyncApp]
) -> None:
    _, slack, bolt = slack_bot
    signed = slack.slash("/feed", "add http://[::1]:9/feed.xml", user="UADMIN")
    assert (await bolt.async_dispatch(signed)).status == 200
    answer = (await slack.wait_for("respond"))[-1]["text"]
    assert 'adding "::1" to fetch.allow_hosts in the config' in answer, answer
    assert "\u200b" not in answer


def test_slack_escapes_underscores_only_where_they_could_format() -> None:
    assert slack_render.literal_mrkdwn("fetch.allow_hosts and max_items_per_poll") == (
        "fetch.allow_hosts and max_items_per_poll")
    assert slack_render.literal_mrkdwn("_quiet_ *loud* ~gone~ `code`") == (
        "\u200b_quiet\u200b_ \u200b*loud\u200b* \u200b~gone\u200b~ \u200b`code\u200b`")
    assert slack_render.literal_mrkdwn("trailing_ and __init") == (
        "trailing\u200b_ and \u200b_\u200b_init")


def test_discord_still_shows_config_keys_correctly() -> None:
    text = 'an admin can allow it by adding "::1" to fetch.allow_hosts in the config'
    # a backslash before "_" displays as a plain underscore on Discord
    assert "fetch.allow\\_hosts" in discord_render.render_reply(Reply(text))


# ---- the scheme hint and local paths on every platform --------------------------------------


async def test_a_web_address_without_a_scheme_gets_the_same_hint_everywhere(tmp_path: Path) -> None:
    hint = "(for a web address, write https://news.example.test/feed.xml)"
    async with Harness(test_settings(tmp_path / "data")) as app:
        for ctx in (CONSOLE, DISCORD, SLACK):
            for command in ("feed add", "summary"):
                answer = await app.commands.handle_text(
                    f"{command} news.example.test/feed.xml", ctx, mentioned=True)
                assert hint in answer.text, (ctx.channel, answer.text)
        assert app.store.list_feeds() == []
    assert web_address_hint("localhost:8080/feed") == (
        " (for a web address, write http://localhost:8080/feed)")
    assert web_address_hint("notes/feed.xml") == ""


async def test_a_local_path_in_chat_is_not_called_an_address(tmp_path: Path) -> None:
    page = tmp_path / "hostname"
    page.write_text("a-machine-name\n", encoding="utf-8")
    async with Harness(test_settings(tmp_path / "data")) as app:
        for ctx in CHATS.values():
            for typed in (str(page), page.as_uri()):
                for command in ("feed add", "summary"):
                    answer = await app.commands.handle_text(f"{command} {typed}", ctx,
                                                            mentioned=True)
                    assert "local files can't be read here, only http:// or https:// links" in (
                        answer.text), answer.text
                    assert "address" not in answer.text, answer.text
        assert app.store.list_feeds() == []


# ---- impossible ports ----------------------------------------------------------------------

IMPOSSIBLE = {
    "http://127.0.0.1:0/a.xml": "0",
    "http://127.0.0.1:99999/a.xml": "99999",
    "http://127.0.0.1:abc/a.xml": "abc",
    "http://[::1]:99999/a.xml": "99999",
    "https://user@127.0.0.1:65536/": "65536",
}


def test_impossible_ports_are_found() -> None:
    for url, port in IMPOSSIBLE.items():
        assert impossible_port(url) == port, url
    for fine in ("http://127.0.0.1:1/a", "http://127.0.0.1:65535/a", "http://127.0.0.1:/a",
                 "https://news.example/a", "http://[::1]:8080/a", "http://[::1]/a",
                 "ftp://127.0.0.1:0/a", "notes/feed.xml", "http://[::1/feed"):
        assert impossible_port(fine) is None, fine


async def test_impossible_ports_are_refused_before_connecting(tmp_path: Path) -> None:
    allowed = frozenset({"127.0.0.1", "::1"})
    limits = FetchLimits(max_bytes=1000, connect_timeout=1.0, read_timeout=1.0,
                         total_timeout=2.0, max_redirects=1, allow_hosts=allowed)
    async with make_session(limits) as session:
        for url, port in IMPOSSIBLE.items():
            with pytest.raises(BlockedURLError) as caught:
                await checked_url(session, url, allowed)
            assert str(caught.value).endswith(f"its port '{port}' is not a number from 1 to 65535")
            with pytest.raises(BlockedURLError):  # the host is allowed: still no connection
                await fetch(session, url, limits=limits, allow_local=False)
    async with Harness(test_settings(tmp_path)) as app:
        for ctx in (CONSOLE, DISCORD, SLACK):
            added = await app.commands.feed_add("http://127.0.0.1:0/a.xml", None, ctx)
            read = await app.commands.summary("http://[::1]:99999/a.xml", ctx)
            assert added.text == (
                "I couldn't add http://127.0.0.1:0/a.xml: the address was refused because its "
                "port '0' is not a number from 1 to 65535. Nothing was changed.")
            assert read.text == (
                "I couldn't read http://[::1]:99999/a.xml: the address was refused because its "
                "port '99999' is not a number from 1 to 65535.")
        assert app.store.list_feeds() == []



async def test_an_ipv6_address_without_brackets_gets_told_to_use_them(tmp_path: Path) -> None:
    for url in ("http://::1/a", "http://fe80::1/feed.xml", "http://::1:8080/a"):
        assert unbracketed_ipv6(url) and impossible_port(url) is None, url
    for url in ("http://[::1]:8080/a", "http://127.0.0.1:8/a", "http://example.com:80:90/a"):
        assert not unbracketed_ipv6(url), url
    async with Harness(test_settings(tmp_path)) as app:
        added = await app.commands.feed_add("http://::1:8080/a", None, CONSOLE)
        assert "must be written in brackets" in added.text and "port" not in added.text.split("(")[0]
        assert app.store.list_feeds() == []
