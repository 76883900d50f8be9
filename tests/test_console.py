"""The console adapter: posts rendered literally without terminal tricks, commands answered."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from bot.chat.console import ConsoleAdapter, render
from bot.models import Message, QuoteLine
from tests.support import Harness, test_settings


def hostile_message() -> Message:
    return Message(
        channel="console",
        title="Breaking \u202egnikaerb @everyone \x1b[2J\x1b[31mred" + "x" * 100_000,
        url="https://news.example/a",
        source="Wire\u200b Service",
        published=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        summary=("First sentence.", "Second\x07 sentence."),
        quotes=(QuoteLine("We will rebuild", "Ada Moreno"), QuoteLine("Unclear", None)),
    )


def test_render_strips_controls_and_bidi_and_keeps_within_limits() -> None:
    text = render(hostile_message())
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\u200b" not in text
    assert "@everyone" in text  # shown literally: a terminal can't ping
    title_line = text.splitlines()[1]
    assert len(title_line) <= 300 and title_line.endswith("…")
    assert "Wire Service · 2026-03-02 09:30 UTC" in text
    assert "“We will rebuild” — Ada Moreno" in text
    assert "First sentence. Second sentence." in text


async def test_console_answers_commands_and_quits(tmp_path: Path) -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out=out)
    async with Harness(test_settings(tmp_path), adapter=None) as app:
        assert await console.answer(app.commands, "help\n")
        assert await console.answer(app.commands, "!feed list\n")
        assert await console.answer(app.commands, "who said \"AND OR NEAR(*\n")
        assert await console.answer(app.commands, "   \n")
        assert not await console.answer(app.commands, "quit\n")
    printed = out.getvalue()
    assert "Newsbot commands" in printed
    assert "No feeds yet" in printed
    assert "No one in the 0 articles I have read said that." in printed


class HangingPage:
    """A loopback HTTP server that answers 404 only once ``release`` is set (a page that hangs)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.server: asyncio.Server | None = None
        self.url = ""

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await self.release.wait()  # answers only when the test says so
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> HangingPage:
        self.server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/slow.html"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_a_slow_summary_does_not_hold_up_other_commands(tmp_path: Path) -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out=out)
    typed: asyncio.Queue[str] = asyncio.Queue()

    async def lines() -> AsyncIterator[str]:
        while line := await typed.get():
            yield line

    settings = test_settings(tmp_path)
    async with HangingPage() as page, Harness(settings, adapter=None) as app:
        run = asyncio.create_task(console.run(app.commands, asyncio.Event(), lines()))
        await typed.put(f"summary {page.url}\n")
        await typed.put("feed list\n")
        for _ in range(200):  # the second command is answered while the page still hangs
            if "No feeds yet" in out.getvalue():
                break
            await asyncio.sleep(0.01)
        assert "No feeds yet" in out.getvalue()
        page.release.set()
        await typed.put("")  # end of input: the summary's answer still comes
        await asyncio.wait_for(run, 10)
    assert "404" in out.getvalue() or "Could not" in out.getvalue()


async def test_quit_waits_for_a_summary_still_being_fetched(tmp_path: Path) -> None:
    out = io.StringIO()
    stop = asyncio.Event()
    async with HangingPage() as page, Harness(test_settings(tmp_path), adapter=None) as app:

        async def lines() -> AsyncIterator[str]:
            yield f"summary {page.url}\n"
            yield "quit\n"

        run = asyncio.create_task(ConsoleAdapter(out=out).run(app.commands, stop, lines()))
        await asyncio.sleep(0.2)
        assert not run.done()  # quit typed, but the summary is still on its way
        page.release.set()
        await asyncio.wait_for(run, 10)
    assert stop.is_set()
    assert "Waiting for 1 summary still being fetched" in out.getvalue()
    assert "404" in out.getvalue() or "Could not" in out.getvalue()
