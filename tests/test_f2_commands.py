"""What users read from the commands: evidence for who said, paraphrases marked, no repeats,
tolerant parsing, short echoes, plurals, per-platform help, quotes per post in `summary`.

A whole bot on a real SQLite file; pages served on 127.0.0.1. Every text is invented here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.chat.console import ConsoleAdapter
from bot.core.commands import ASK_BETTER, parse_command
from bot.core.context import Context
from bot.models import Article, Quote
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

DISCORD = Context(channel="discord:42", scope="discord:7", is_admin=True)

BRIDGE = "The old bridge over the river will close for repairs in May."
CAUSE = "the cause of the flooding was not yet known"


def bridge_article(url: str) -> Article:
    text = f"“{BRIDGE}” said Ines Duarte. Duarte said {CAUSE}."
    return Article(
        url=url, title="River bridge to close", text=text,
        quotes=(
            Quote(BRIDGE, 1, 1 + len(BRIDGE), "Ines Duarte", None, None, "direct"),
            Quote(CAUSE, 80, 80 + len(CAUSE), "Ines Duarte", None, None, "reported"),
        ),
    )


async def ask(console: ConsoleAdapter, app: object, line: str) -> str:
    out = console.out
    assert isinstance(out, io.StringIO)
    out.seek(0)
    out.truncate()
    assert await console.answer(app.commands, line)  # type: ignore[attr-defined]
    return out.getvalue()


async def test_who_said_needs_evidence(tmp_path: Path) -> None:
    console = ConsoleAdapter(out=io.StringIO())
    async with Harness(test_settings(tmp_path)) as app:
        app.store.add_article(bridge_article("https://example.test/b"), feed_id=None,
                              scope="console", now=0.0)
        assert "No one in the 1 article" in await ask(console, app, "who said the bridge is safe")
        assert "No one in the 1 article" in await ask(console, app, "who said peak bananas")
        better = ASK_BETTER.format(example="who said rebuild the harbour wall")  # no "!" here
        assert better in await ask(console, app, "who said the")
        chat = await app.commands.who_said("the", Context("discord:1", "discord:9", is_admin=False))
        assert "e.g. !who said rebuild" in chat.text
        found = await ask(console, app, "who said close for repairs in May")
        assert found.startswith(f"“{BRIDGE}” — Ines Duarte")


async def test_reported_speech_is_no_quotation(tmp_path: Path) -> None:
    console = ConsoleAdapter(out=io.StringIO())
    async with Harness(test_settings(tmp_path)) as app:
        app.store.add_article(bridge_article("https://example.test/b"), feed_id=None,
                              scope="console", now=0.0)
        listed = await ask(console, app, "quotes Duarte")
        assert f"Ines Duarte said {CAUSE} (paraphrase)" in listed
        assert f"“{CAUSE}”" not in listed
        answer = await ask(console, app, "who said the cause of the flooding")
        assert answer.startswith(f"Ines Duarte said {CAUSE} (paraphrase)\nin “River bridge")


async def test_quotes_of_an_article_stored_twice_are_listed_once(tmp_path: Path) -> None:
    console = ConsoleAdapter(out=io.StringIO())
    async with Harness(test_settings(tmp_path)) as app:
        for now in (0.0, 1.0, 2.0):
            app.store.add_article(bridge_article("https://example.test/b"), feed_id=None,
                                  scope="console", now=now)
        listed = await ask(console, app, "quotes Ines Duarte")
        assert listed.count(BRIDGE) == 1 and listed.count(CAUSE) == 1


def test_extra_spaces_between_words_of_a_command() -> None:
    assert parse_command("who   said    ferry", "!", mentioned=True) == ("whosaid", "ferry")
    assert parse_command("!feed \t status", "!") == ("feed", "status")
    assert parse_command("  quotes   by  Ines  Duarte ", "!", mentioned=True) == (
        "quotes", "Ines Duarte"
    )


async def test_long_input_is_not_echoed_back(tmp_path: Path) -> None:
    console = ConsoleAdapter(out=io.StringIO())
    async with Harness(test_settings(tmp_path)) as app:
        for line in ("quotes " + "z" * 10_000, "feed remove " + "9" * 10_000 + "x",
                     "feed why " + "y " * 5_000):
            answer = await ask(console, app, line)
            assert len(answer) < 300, line[:20]


async def test_counts_are_worded_in_the_singular_and_the_plural(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/one.xml", rss([FeedItem("a-1", "A single story", server.url("/s/1"), later(1))]))
    server.set("/none.xml", rss([], title="Quiet Desk"))
    async with Harness(test_settings(tmp_path)) as app:
        one = await app.commands.feed_add(server.url("/one.xml"), None, CONSOLE)
        assert "I recorded its 1 current item;" in one.text
        none = await app.commands.feed_add(server.url("/none.xml"), None, CONSOLE)
        assert "It has no items yet;" in none.text and "0 current" not in none.text
        app.store.record_failure(1, now=0.0, error="HTTP 503", next_check=0.0, paused=False)
        status = (await app.commands.feed_status(CONSOLE)).text
        assert ", 1 item, 1 failure in a row" in status
        assert ", 0 items" in status


async def test_feed_why_names_the_console_feeds_as_here(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path)) as app:
        console = (await app.commands.feed_why("Nothing like this", CONSOLE)).text
        assert "in the feeds here" in console and "server" not in console
        discord = (await app.commands.feed_why("Nothing like this", DISCORD)).text
        assert "in this server's feeds" in discord


async def test_help_says_how_to_type_commands_where_you_are(tmp_path: Path) -> None:
    console = ConsoleAdapter(out=io.StringIO())
    async with Harness(test_settings(tmp_path)) as app:
        text = await ask(console, app, "help")
        assert "slash" not in text and "@mention" not in text and "!" not in text
        assert "  who said <phrase>" in text and "quit" in text
        chat = app.commands.help(DISCORD).text
        assert "(! prefix, / slash command, or @mention me)" in chat and "  !who said" in chat
        assert app.commands.help().text == chat  # adapters that add their own forms rely on it


@pytest.mark.parametrize("per_post", [0, 1, 3])
async def test_summary_shows_as_many_quotes_as_a_post(
    server: LoopbackServer, tmp_path: Path, per_post: int
) -> None:
    server.set("/story", article_html("Old ferry terminal to close", STORY_PARAGRAPHS),
               content_type="text/html")
    async with Harness(test_settings(tmp_path, quotes_per_post=per_post)) as app:
        reply = await app.commands.summary(server.url("/story"), CONSOLE)
    quote_lines = [line for line in reply.text.splitlines() if line.startswith("“")]
    assert len(quote_lines) == per_post


async def test_the_same_feed_under_another_spelling_is_not_added_twice(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/feed.xml", rss([FeedItem("a-1", "A single story", server.url("/s/1"), later(1))]))
    base = server.url("/feed.xml")
    async with Harness(test_settings(tmp_path)) as app:
        assert "Added feed #1" in (await app.commands.feed_add(base, None, CONSOLE)).text
        hits_after_add = server.hits["/feed.xml"]
        for variant in (base.replace("http://", "HTTP://"), base + "?utm_source=x", f" <{base}#top> "):
            reply = await app.commands.feed_add(variant, None, CONSOLE)
            assert reply.text.startswith("Feed #1 (") and "already posting" in reply.text
        assert len(app.store.list_feeds()) == 1
        assert server.hits["/feed.xml"] == hits_after_add  # refused before fetching anything
        removed = await app.commands.feed_remove(base.replace("http://", "HTTP://"), CONSOLE)
        assert removed.text.startswith("Removed feed #1")


async def test_a_relative_local_path_is_stored_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "site").mkdir()
    feed_file = tmp_path / "site" / "local.xml"
    feed_file.write_text(rss([FeedItem("l-1", "A local story", "https://example.test/l1")]),
                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    async with Harness(test_settings(tmp_path / "data")) as app:
        added = await app.commands.feed_add("site/local.xml", None, CONSOLE)
        assert "Added feed #1" in added.text
        assert [f.url for f in app.store.list_feeds()] == [str(feed_file)]
        again = await app.commands.feed_add(str(feed_file), None, CONSOLE)
        assert "already posting" in again.text
        assert "already posting" in (await app.commands.feed_add("./site/local.xml", None,
                                                                 CONSOLE)).text


async def test_add_says_nothing_was_posted_when_the_latest_item_was_a_duplicate(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.set("/story", article_html("Old ferry terminal to close", STORY_PARAGRAPHS),
               content_type="text/html")
    story = FeedItem("x-1", "Old ferry terminal to close", server.url("/story"), later(1))
    server.set("/a.xml", rss([story], title="Desk A"))
    server.set("/b.xml", rss([FeedItem("y-1", story.title, story.link, later(2))], title="Desk B"))
    async with Harness(test_settings(tmp_path, latest_on_add=1)) as app:
        first = await app.commands.feed_add(server.url("/a.xml"), None, CONSOLE)
        assert "and posted the latest 1;" in first.text
        second = await app.commands.feed_add(server.url("/b.xml"), None, CONSOLE)
        assert "Added feed #2" in second.text and "posted" not in second.text.split(";")[0]
        posts = app.dispatcher.adapters["console"].posts  # type: ignore[attr-defined]
        assert len(posts) == 1


def test_feeds_that_differ_by_a_query_parameter_are_different_feeds() -> None:
    from bot.feeds.local import feed_identity as _feed_key

    assert _feed_key("http://e.test/f?ref=sport") != _feed_key("http://e.test/f?ref=politics")
    assert _feed_key("http://e.test/news/") != _feed_key("http://e.test/news")
    assert _feed_key("HTTP://E.test:80/f?utm_medium=x#top") == _feed_key("http://e.test/f")


def test_a_long_list_of_quotes_keeps_whole_entries_and_counts_the_rest() -> None:
    from bot.core.formatting import LIST_BUDGET, list_hits
    from bot.models import QuoteHit

    hits = [
        QuoteHit(quote_id=i, text="We will rebuild the harbour wall " * 30, speaker="Jane Roe",
                 kind="direct", article_id=i, article_title="Harbour " * 30,
                 article_url=f"https://example.test/{i}", published=None, score=1.0)
        for i in range(6)
    ]
    text = list_hits(hits)
    assert len(text) <= LIST_BUDGET + 40
    entries = text.split("\n\n")
    assert entries[-1].startswith("…and ") and entries[-1].endswith(" more.")
    assert all("said in “Harbour" in entry for entry in entries[:-1])  # no entry cut in two
