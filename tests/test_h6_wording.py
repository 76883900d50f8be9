"""Answer wording after review H6: quotation marks paired as the text uses them („…“, »…«), fetch
errors that name the address once in whole sentences (a refusal says so and how an admin allows
the host), and `feed resume` on a failing feed that is not paused."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.chat.text import open_quote, tidy_cut
from bot.core.context import Context
from bot.core.formatting import echo, fetch_reason, in_time, subjects
from tests.support import Harness, LoopbackServer, test_settings

CONSOLE = Context(channel="console", scope="console", is_admin=True)
DISCORD = Context(channel="discord:5", scope="discord:7", is_admin=True)
HINT = "to fetch.allow_hosts in the config"


# ---- quotation marks ---------------------------------------------------------------------------


def test_german_quotation_marks_pair_low_with_high() -> None:
    closed = "Die Ministerin sagte: „Wir öffnen den Hafen wieder“ – und dann kam der lange Regen…"
    assert tidy_cut(closed) == closed
    sentence = ("Der Fährmann sagte: „Wir fahren ab Montag wieder.“ Die Gemeinde antwortete "
                "später am Abend mit einer langen Erklärung…")
    assert tidy_cut(sentence) == sentence
    assert tidy_cut("Der Fährmann sagte heute Abend: „Wir fahren ab…") == (
        "Der Fährmann sagte heute Abend…")
    assert tidy_cut("„Wir fahren…") == "„Wir fahren…“"
    assert tidy_cut("‚Nie…") == "‚Nie…‘"


def test_guillemets_pair_both_ways() -> None:
    french = "Le maire a dit « nous rouvrons le port » puis il est parti vers la mairie…"
    german = "Sie nannte es »einen guten Tag« und ging danach zurück in das Rathaus…"
    assert tidy_cut(french) == french
    assert tidy_cut(german) == german
    assert tidy_cut("Die Sprecherin der Stadt erklärte: »Der Hafen bleibt…") == (
        "Die Sprecherin der Stadt erklärte…")


def test_open_quote_reads_marks_in_order() -> None:
    assert open_quote("„a“ “b”") == -1
    assert open_quote("“a” „b") == 4
    assert open_quote("„a ‚b‘ c“") == -1  # a nested quotation inside a closed one
    assert open_quote("no marks at all") == -1
    assert open_quote("a stray closing ” mark") == -1


# ---- fetch errors, named once ------------------------------------------------------------------


def _grammatical(answer: str, url: str) -> None:
    assert answer.count(echo(url)) == 1, answer  # as the answer quotes it back
    assert not answer.rstrip(".").endswith(" it"), answer
    assert " it resolves" not in answer and ": it is" not in answer, answer
    assert "refused " + url not in answer and "refused 127" not in answer, answer


async def test_refused_addresses_say_refused_and_how_to_allow_them(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path, allow_hosts=frozenset())) as app:
        for ctx in (CONSOLE, DISCORD):
            loop_url = "http://127.0.0.1:9/a.xml"
            added = await app.commands.feed_add(loop_url, None, ctx)
            read = await app.commands.summary(loop_url, ctx)
            assert added.text == (
                f"I couldn't add {loop_url}: the address was refused because 127.0.0.1 is a "
                f'loopback address (an admin can allow it by adding "127.0.0.1" {HINT}). '
                "Nothing was changed.")
            assert read.text.startswith(f"I couldn't read {loop_url}: the address was refused")
            by_name = await app.commands.feed_add("http://localhost:9/a.xml", None, ctx)
            assert "the address was refused because localhost resolves to " in by_name.text
            assert f'adding "localhost" {HINT}' in by_name.text
            odd = await app.commands.feed_add("http://127.1:9/a.xml", None, ctx)
            assert odd.text == (
                "I couldn't add http://127.1:9/a.xml: the address was refused because 127.1 is "
                "not a canonical IP address (write it as 127.0.0.1). Nothing was changed.")
            anywhere = await app.commands.summary("http://0.0.0.0:9/", ctx)
            assert "because 0.0.0.0 is an unspecified address (an admin" in anywhere.text
            for answer, url in ((added.text, loop_url), (read.text, loop_url),
                                (by_name.text, "http://localhost:9/a.xml"),
                                (odd.text, "http://127.1:9/a.xml"),
                                (anywhere.text, "http://0.0.0.0:9/")):
                _grammatical(answer, url)
        assert app.store.list_feeds() == []


async def test_local_files_from_chat_and_pages_without_text(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body></body></html>", encoding="utf-8")
    async with Harness(test_settings(tmp_path / "data")) as app:
        chat = await app.commands.summary(str(page), DISCORD)
        console = await app.commands.summary(str(page), CONSOLE)
        scheme = await app.commands.feed_add("ftp://127.0.0.1/feed.xml", None, DISCORD)
    assert chat.text == (f"I couldn't read {echo(str(page))}: local files can't be read here, only "
                         "http:// or https:// links.")
    assert console.text == f"I couldn't read {echo(str(page))}: no article text found."
    assert scheme.text.startswith("I couldn't add ftp://127.0.0.1/feed.xml: the address was "
                                  "refused because the ftp: scheme is not allowed")
    for answer, url in ((chat.text, str(page)), (console.text, str(page)),
                        (scheme.text, "ftp://127.0.0.1/feed.xml")):
        _grammatical(answer, url)


async def test_a_broken_address_or_one_without_a_scheme_is_answered(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path)) as app:
        broken = await app.commands.feed_add("http://[::1/feed", None, CONSOLE)
        bare = await app.commands.summary("localhost:8080/feed.xml", DISCORD)
    assert broken.text == ("I couldn't add http://[::1/feed: the address was refused because it "
                           "is not a valid URL. Nothing was changed.")
    assert bare.text == ("I couldn't read localhost:8080/feed.xml: the address was refused because "
                         "it does not start with http:// or https:// (for a web address, write "
                         "http://localhost:8080/feed.xml).")


@pytest.fixture
async def silent() -> AsyncIterator[str]:
    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late")

    app = web.Application()
    app.router.add_get("/{tail:.*}", hang)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_timeouts_and_closed_ports_read_as_sentences(silent: str, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"
    slow = f"{silent}/feed.xml"
    settings = test_settings(tmp_path, fetch_timeout=0.2, fetch_total_timeout=0.6)
    async with Harness(settings) as app:
        waited = await app.commands.feed_add(slow, None, CONSOLE)
        refused = await app.commands.summary(closed, CONSOLE)
    assert waited.text.startswith(f"I couldn't add {slow}: ")
    assert ("the server was too slow to connect or to send data" in waited.text
            or "no complete answer within the 0.6 s total deadline" in waited.text), waited.text
    assert refused.text == (f"I couldn't read {closed}: could not connect to 127.0.0.1 port "
                            f"{closed.split(':')[2].split('/')[0]} (the connection was refused: "
                            "nothing is listening there).")
    _grammatical(waited.text, slow)
    _grammatical(refused.text, closed)


async def test_feed_status_names_the_refusal_and_the_fix(tmp_path: Path) -> None:
    async with Harness(test_settings(tmp_path, allow_hosts=frozenset())) as app:
        feed, _ = app.store.add_feed("http://127.0.0.1:9/a.xml", "console", "console", now=0.0)
        result = await app.poller.check_feed(feed)
        assert result.error is not None and result.error.startswith("refused 127.0.0.1: ")
        status = await app.commands.feed_status(CONSOLE)
    (error,) = [line for line in status.text.splitlines() if "last error:" in line]
    assert error == ("    last error: the address was refused because 127.0.0.1 is a loopback "
                     f'address (an admin can allow it by adding "127.0.0.1" {HINT})')


def test_fetch_reason_keeps_another_address_and_old_messages_readable() -> None:
    url = "http://127.0.0.1:9/feed.xml"
    moved = "http://127.0.0.1:9/moved.xml: HTTP 404 Not Found"
    assert fetch_reason(moved, *subjects(url)) == moved  # a redirect's target stays named
    old = f"timed out connecting to or reading {url}"
    assert fetch_reason(old, *subjects(url)) == old  # never "… reading it"
    assert fetch_reason("refused 10.0.0.7: it resolves to 10.0.0.7, a private address", url) == (
        "the address was refused because 10.0.0.7 resolves to 10.0.0.7, a private address")


def test_in_time_rounds_like_ago() -> None:
    assert [in_time(s) for s in (0, 40, 300, 7200, 3 * 86400)] == [
        "in 0 s", "in 40 s", "in 5 min", "in 2 h", "in 3 days"]


# ---- feed resume on a failing feed -------------------------------------------------------------


async def test_resume_checks_a_failing_feed_that_is_not_paused(tmp_path: Path) -> None:
    server = LoopbackServer()
    await server.start()
    try:
        async with Harness(test_settings(tmp_path)) as app:
            feed, _ = app.store.add_feed(server.url("/gone.xml"), "console", "console", now=0.0)
            app.store.record_failure(feed.id, now=1.0, error="HTTP 503", next_check=9e9,
                                     paused=False)
            still = await app.commands.feed_resume(str(feed.id), CONSOLE)
            after = app.store.get_feed(feed.id)
    finally:
        await server.stop()
    assert still.text.startswith(f"Feed #{feed.id} is not paused; checked it now: still failing: "
                                 "HTTP 404 Not Found; next check in ")
    assert still.text.count(server.url("/gone.xml")) == 0
    assert after is not None and after.failures == 2 and not after.paused
