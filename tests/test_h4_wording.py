"""Answers in each platform's own words, short answers to huge input, and tidy error wording.

The console takes commands without "!", Discord with its configured prefix, Slack as slash
commands (and calls its scope a workspace); a 10 KB path gets a plain one-line answer, a fetch
error does not repeat the address, and an item without link or title reads well in who-said.
All texts are invented; feeds are served on 127.0.0.1."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest

from bot.chat.console import ConsoleAdapter
from bot.chat.text import tidy_cut
from bot.core.commands import Commands
from bot.core.context import Context, command
from bot.core.formatting import fetch_reason, format_hit
from bot.errors import BlockedURLError
from bot.feeds.guard import check_address
from bot.feeds.local import file_problem
from bot.models import Message, QuoteHit
from tests.support import Harness, LoopbackServer, test_settings
from tests.test_slack_adapter import Bot
from tests.test_slack_adapter import bot as bot  # the Slack fixture

CONSOLE = Context(channel="console", scope="console", is_admin=True, user="console")
DISCORD = Context(channel="discord:5", scope="discord:7", is_admin=True)
SLACK = Context(channel="slack:C5", scope="slack:T7", is_admin=True)


async def console_says(app_commands: Commands, line: str) -> str:
    out = io.StringIO()
    await ConsoleAdapter(out=out).answer(app_commands, line)
    return out.getvalue().strip()


# ---- each platform's way of writing a command --------------------------------------------------


def test_command_forms_per_platform() -> None:
    assert command(CONSOLE, "feed list", "!") == "feed list"
    assert command(DISCORD, "feed list", "?") == "?feed list"
    assert command(SLACK, "feed list", "!") == "/feed list"
    assert command(SLACK, "who said <phrase>", "!") == "/whosaid <phrase>"
    assert command(SLACK, "help", "!") == "/newsbot help"
    assert command(SLACK, "feed add <url> [channel]", "!") == "/feed add <url> [#channel]"


async def test_console_answers_name_commands_without_a_prefix(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path)) as app:
        answers = [await console_says(app.commands, line) for line in (
            "frobnicate", "feed add", "feed remove 4", "feed list", "who said", "who said the",
            "feed bogus", "feed resume 4",
        )]
        help_text = await console_says(app.commands, "help")
    assert answers[0] == "I don't know that command. Try help."
    assert answers[1] == "Usage: feed add <url> [channel]"
    assert answers[2] == "No feed 4 here. See feed list."
    assert answers[3] == "No feeds yet. Add one with feed add <url>."
    assert answers[4] == "Usage: who said <phrase>"
    assert "e.g. who said rebuild the harbour wall" in answers[5]
    assert answers[6] == "Usage: feed add|remove|list|status|resume|why"
    assert answers[7] == "No feed 4 here. See feed list."
    assert not any("!" in answer for answer in answers)
    assert "!" not in help_text and "  feed list " in help_text and "the feeds here" in help_text
    assert "  quit " in help_text


async def test_discord_answers_use_the_configured_prefix(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path, command_prefix="?")) as app:
        unknown = await app.commands.handle_text("<@1> frobnicate", DISCORD, mentioned=True)
        usage = await app.commands.handle_text("?feed add", DISCORD)
        empty = await app.commands.handle_text("?feed list", DISCORD)
        help_text = app.commands.help(DISCORD).text
    assert unknown is not None and unknown.text == "I don't know that command. Try ?help."
    assert usage is not None and usage.text == "Usage: ?feed add <url> [channel]"
    assert empty is not None and empty.text == "No feeds yet. Add one with ?feed add <url>."
    assert "  ?who said <phrase>" in help_text and "the feeds of this server" in help_text
    assert "workspace" not in help_text


async def test_slack_help_and_answers_speak_slack(bot: Bot) -> None:
    help_text = (await bot.slash("/newsbot", "help", user="UMEMBER"))["text"]
    assert "the feeds of this workspace" in help_text and "server" not in help_text
    assert "/newsbot help" in help_text and "/whosaid &lt;phrase&gt;" in help_text
    usage = await bot.slash("/whosaid", "", user="UMEMBER")
    assert usage["text"] == "Usage: /whosaid &lt;phrase&gt;"
    empty = await bot.slash("/feed", "list", user="UADMIN")
    assert empty["text"] == "No feeds yet. Add one with /feed add &lt;url&gt;."
    missing = await bot.slash("/feed", "remove 7", user="UADMIN")
    assert missing["text"] == "No feed 7 here. See /feed list."


# ---- huge input, plain reasons -----------------------------------------------------------------


async def test_a_ten_kilobyte_path_gets_a_short_plain_answer(tmp_path: Path) -> None:
    long_path = "/" + "/".join(["harbour-records"] * 680)  # about 10 KB
    async with Harness(test_settings(tmp_path)) as app:
        summary = await console_says(app.commands, f"summary {long_path}")
        added = await console_says(app.commands, f"feed add {long_path[:6000]}")
    for answer in (summary, added):
        assert len(answer) < 200, answer
        assert "that path is too long" in answer
        assert "Errno" not in answer and "OSError" not in answer
    assert summary.startswith("I couldn't read /harbour-records/") and "…" in summary
    assert added.endswith("Nothing was changed.")


async def test_missing_and_unreadable_files_are_named_plainly(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    async with Harness(test_settings(tmp_path / "data")) as app:
        missing = await console_says(app.commands, f"summary {tmp_path}/no-such-page.html")
        in_file = await console_says(app.commands, f"summary {tmp_path}/a-folder/x/y.html")
        a_dir = await console_says(app.commands, f"feed add {folder}")
        no_home = await console_says(app.commands, "summary ~no-such-user-h4/page.html")
    assert missing.startswith("I couldn't read ") and missing.endswith(": no such file.")
    assert missing.count("no such file") == 1
    assert in_file.endswith(": no such file.")
    assert a_dir.endswith(": it is not a regular file. Nothing was changed.")
    assert no_home == "I couldn't read ~no-such-user-h4/page.html: no such home directory."


async def test_a_fetch_error_names_the_address_once(tmp_path: Path) -> None:
    server = LoopbackServer()
    await server.start()
    try:
        async with Harness(test_settings(tmp_path)) as app:
            url = server.url("/missing.xml")
            added = await console_says(app.commands, f"feed add {url}")
            read = await console_says(app.commands, f"summary {server.url('/gone.html')}")
    finally:
        await server.stop()
    assert added == f"I couldn't add {url}: HTTP 404 Not Found. Nothing was changed."
    assert read.count("/gone.html") == 1 and read.endswith(": HTTP 404 Not Found.")


def test_fetch_reason_drops_the_subject_however_the_message_names_it() -> None:
    url = "http://127.0.0.1:9/feed.xml"
    assert fetch_reason(f"{url}: HTTP 404 Not Found", url) == "HTTP 404 Not Found"
    assert fetch_reason(f"could not read {url}: no such file", url) == "no such file"
    assert (fetch_reason(f"refused {url}: the URL has no host", url)
            == "the address was refused because the URL has no host")
    assert fetch_reason(f"{url} is not a regular file", url) == "it is not a regular file"
    assert fetch_reason(f"no article text found at {url}", url) == "no article text found"
    # the subject in the middle of a sentence is left there, never replaced by "it"
    assert (fetch_reason(f"gave up on {url} after the 10 s total deadline", url)
            == f"gave up on {url} after the 10 s total deadline")
    assert fetch_reason("not a valid feed: no root element", url) == "not a valid feed: no root element"
    assert len(fetch_reason("x" * 5000, url)) <= 300


# ---- cosmetic wording --------------------------------------------------------------------------


def test_blocked_addresses_take_the_right_article() -> None:
    with pytest.raises(BlockedURLError) as unspecified:
        check_address("0.0.0.0", "0.0.0.0")
    assert "an unspecified address" in str(unspecified.value)
    with pytest.raises(BlockedURLError) as private:
        check_address("10.1.2.3", "10.1.2.3")
    assert "a private address" in str(private.value)


def test_a_quote_from_an_item_without_a_link_has_no_dangling_space() -> None:
    hit = QuoteHit(quote_id=1, text="We will paint the pier blue", speaker="Hedda Brask",
                   kind="direct", article_id=1, article_title="Pier news", article_url="",
                   published=None)
    text = format_hit(hit)
    assert text.endswith("said in “Pier news” (undated)")
    assert not any(line.endswith(" ") for line in text.splitlines())
    linked = format_hit(QuoteHit(1, "Fine", "Hedda Brask", "direct", 1, "Pier news",
                                 "https://news.example/pier", None))
    assert linked.endswith("(undated) https://news.example/pier")


def test_a_snippet_title_never_ends_inside_an_open_quotation() -> None:
    cut = "An item that came without a title. Hedda Brask said the plan was sound. “We…"
    assert tidy_cut(cut) == "An item that came without a title. Hedda Brask said the plan was sound."
    assert tidy_cut("Hedda Brask told the council “We…") == "Hedda Brask told the council…"
    assert tidy_cut("“We will paint the pier…") == "“We will paint the pier…”"
    assert tidy_cut("The ferry runs again today.…") == "The ferry runs again today."
    whole = "She said “yes” and left…"
    assert tidy_cut(whole) == whole
    assert tidy_cut("A plain title") == "A plain title"


async def test_who_said_from_an_item_without_title_or_link_reads_well(tmp_path: Path) -> None:
    # no title: the feed reader makes one of the text's first 80 characters, cut in the quote
    text = ("No title here. Hedda Brask said the plan was sound. “We will paint the pier blue "
            "in spring,” Brask said.")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Office</title>'
            f'<item><guid isPermaLink="false">n-1</guid><description>{text}</description>'
            "</item></channel></rss>")
    path = tmp_path / "notices.xml"
    path.write_text(feed, encoding="utf-8")
    async with Harness(test_settings(tmp_path / "data", latest_on_add=1)) as app:
        await console_says(app.commands, f"feed add {path}")
        answer = await console_says(app.commands, "who said paint the pier blue")
    assert "Hedda Brask" in answer, answer
    source = next(line for line in answer.splitlines() if line.startswith("said in "))
    assert source.endswith(")"), source  # the date closes the line: no link, no trailing space
    assert source == "said in “No title here. Hedda Brask said the plan was sound.” (undated)"


def test_file_problems_are_plain_words() -> None:
    assert file_problem(OSError(errno.ENAMETOOLONG, "File name too long")) == "that path is too long"
    assert file_problem(OSError(errno.ENOENT, "No such file or directory")) == "no such file"
    assert file_problem(OSError(errno.EIO, "Input/output error")) == "input/output error"


def test_posts_of_an_untitled_item_do_not_end_in_an_open_quotation() -> None:
    from datetime import UTC, datetime

    from bot.chat import discord_render, slack_render
    from bot.chat.console import render

    title = "No title here. Hedda Brask said the plan was sound. “We will paint the pier…"
    message = Message(channel="console", title=title, url=None, source="Harbour Office",
                      published=datetime(2026, 3, 2, tzinfo=UTC), summary=("A summary.",))
    tidy = "No title here. Hedda Brask said the plan was sound."
    assert render(message).splitlines()[1] == tidy
    assert discord_render.render_embed(message)["title"] == tidy
    assert slack_render.render_post(message).blocks[0]["text"]["text"] == tidy
