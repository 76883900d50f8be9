"""Lists cut to what the platform really sends: on Discord markdown escaping can double a feed's
title, so `feed status`, `feed list` and `quotes` are budgeted on the escaped text and never lose
an entry's end or the "…and N more" line (discord.py's real code against the fake Discord)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bot.chat import slack_render
from bot.chat.discord_render import MESSAGE_LIMIT, escape
from bot.core.context import Context
from bot.core.formatting import LIST_BUDGET, within_budget
from bot.models import Article, Quote, Reply
from tests.discord_fake import ADMIN, GENERAL, GUILD, MEMBER, FakeDiscord, RunningBot, wait_until
from tests.support import Harness, test_settings

SCOPE = f"discord:{GUILD}"
MARKUP = "**__||~~`>"  # every character here is escaped on Discord


def _hostile_feeds(bot: RunningBot, count: int) -> None:
    store = bot.app.store
    for i in range(count):
        feed, _ = store.add_feed(f"http://127.0.0.1:9/{i}.xml", f"discord:{GENERAL}", SCOPE, 0.0)
        store.record_check(feed.id, now=0.0, next_check=1e12, etag=None, last_modified=None,
                           title=f"{MARKUP} desk {i} " + "*_" * 30)
        if i % 2:
            store.record_failure(feed.id, now=0.0, error="*_" * 100, next_check=1e12,
                                 paused=False)


async def _answer(fake: FakeDiscord, text: str, user: int = ADMIN) -> str:
    before = len(fake.posts(GENERAL))
    await fake.user_message(user, text)
    await wait_until(lambda: len(fake.posts(GENERAL)) > before)
    content: str = fake.posts(GENERAL)[before]["content"]
    return content


async def test_feed_status_of_markup_heavy_feeds_keeps_whole_entries_and_the_count(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        _hostile_feeds(bot, 40)
        status = await _answer(fake, "!feed status")
        listing = await _answer(fake, "!feed list")
    for content in (status, listing):
        assert len(content) <= MESSAGE_LIMIT
        last = content.splitlines()[-1]
        more = re.fullmatch(r"…and (\d+) more feeds \(!feed status <id> shows one\)\.", last)
        assert more, last
        shown = len(re.findall(r"^#\d+ ", content, re.MULTILINE))
        assert shown >= 1 and shown + int(more.group(1)) == 40
    assert status.startswith("40 feeds: 20 failing, 20 ok.\n")
    # every failing entry shown ends with its (escaped) error line, whole
    errors = [line for line in status.splitlines() if line.startswith("    last error: ")]
    assert errors and all(line.endswith("…") for line in errors)


async def test_quotes_full_of_markup_are_listed_whole(fake: FakeDiscord, tmp_path: Path) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="t")) as bot:
        for i in range(5):
            words = f"We will *never* _ever_ close pier {i}, not this year and not the next"
            text = f"“{words} {' '.join([MARKUP] * 25)}”, said Hedda Brask."
            quote = Quote(text[1 : text.index("”")], 1, text.index("”"), "Hedda Brask",
                          text.index("Hedda"), len(text) - 1, "direct")
            bot.app.store.add_article(
                Article(url=f"https://news.example/pier/{i}", title=f"Pier {MARKUP} {i}",
                        text=text, source="Example News", summary=(text,), quotes=(quote,)),
                feed_id=None, scope=SCOPE, now=time.time() + i,
            )
        content = await _answer(fake, "!quotes Hedda Brask", MEMBER)
    assert len(content) <= MESSAGE_LIMIT
    entries = content.split("\n\n")
    more = re.fullmatch(r"…and (\d+) more\.", entries[-1])
    assert more, content
    assert len(entries) - 1 + int(more.group(1)) == 5
    assert all(entry.startswith("“") and "said in “Pier" in entry for entry in entries[:-1])


def test_a_slack_list_is_budgeted_on_its_escaped_text() -> None:
    entries = [f"#{i} R&D <news> & more & more & more " + "&" * 150 for i in range(30)]
    text = within_budget(entries, "…and {left} more feeds.", fits=slack_render.reply_fits)
    sent = slack_render.render_reply(Reply(text))
    assert sent == slack_render.literal_mrkdwn(text)  # nothing trimmed by the renderer
    kept = text.count("\n")
    assert text.endswith(f"…and {30 - kept} more feeds.")
    assert len(text) <= LIST_BUDGET


def test_without_a_platform_measure_the_plain_budget_applies() -> None:
    entries = ["x" * 100] * 30
    text = within_budget(entries, "…and {left} more.", head="30 feeds.\n")
    assert len(text) <= LIST_BUDGET and text.startswith("30 feeds.\n")
    left = int(re.findall(r"and (\d+) more", text)[0])
    assert text.count("x" * 100) + left == 30
    assert len(escape(text)) <= MESSAGE_LIMIT  # nothing to escape here


async def test_the_console_context_has_no_platform_measure(tmp_path: Path) -> None:
    console = Context(channel="console", scope="console", is_admin=True)
    assert console.fits_reply is None
    async with Harness(test_settings(tmp_path)) as app:
        reply = await app.commands.feed_status(console)
    assert reply.text.startswith("No feeds yet.")



async def test_one_feeds_status_shortens_its_error_to_what_discord_sends(tmp_path: Path) -> None:
    from bot.chat.discord_render import render_reply, reply_fits

    discord = Context(channel="discord:1", scope="discord:9", is_admin=True, fits_reply=reply_fits)
    async with Harness(test_settings(tmp_path)) as app:
        feed, _ = app.store.add_feed("http://127.0.0.1:9/x.xml", "discord:1", "discord:9", 0.0)
        app.store.record_failure(feed.id, now=0.0, error="*_*_*_*_*_*_ " * 90, next_check=1e12,
                                 paused=False)
        reply = await app.commands.feed_status(discord, str(feed.id))
        plain = await app.commands.feed_status(
            Context(channel="console", scope="discord:9", is_admin=True), str(feed.id))
    assert reply_fits(reply.text) and render_reply(reply) == escape(reply.text)
    assert reply.text.endswith("…") and "last error: " in reply.text
    assert len(plain.text) > len(reply.text)  # without a platform measure: the error in full
