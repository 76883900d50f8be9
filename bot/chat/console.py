"""The console channel: posts are printed to the terminal, commands are read from stdin.

It is the embedded default when no chat token is set. The local user is an admin. Feed text is
printed literally, with control and bidi characters removed so a hostile title can't rewrite the
terminal.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import AsyncIterator
from typing import TextIO

from bot.chat.text import one_line, strip_invisible, tidy_cut, trim
from bot.core.commands import Commands, parse_command
from bot.core.context import Context
from bot.models import Message, Reply

log = logging.getLogger(__name__)

CHANNEL = "console"
SCOPE = "console"
RULE = "─" * 60


def render(message: Message) -> str:
    """A post as terminal text."""
    lines = [RULE, tidy_cut(one_line(message.title), 300)]
    meta = [one_line(part) for part in (message.source or "",) if part]
    if message.published is not None:
        meta.append(message.published.strftime("%Y-%m-%d %H:%M %Z").strip())
    if meta:
        lines.append(" · ".join(meta))
    if message.url:
        lines.append(one_line(message.url))
    if message.summary:
        lines.append("")
        lines.append(trim(one_line(" ".join(message.summary)), 2000))
    if message.quotes:
        lines.append("")
        for quote in message.quotes:
            speaker = one_line(quote.speaker or "unnamed")
            lines.append(f"  “{trim(one_line(quote.text), 400)}” — {speaker}")
    return "\n".join(lines)


def render_reply(reply: Reply) -> str:
    """A command answer as terminal text."""
    return strip_invisible(reply.text)


class ConsoleAdapter:
    """Terminal adapter: prints posts and notices, answers commands typed on stdin."""

    prefix = "console"

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def send(self, message: Message) -> None:
        """Print one post."""
        self._print(render(message))

    async def notify(self, channel: str, text: str) -> None:
        """Print a notice."""
        self._print(f"[newsbot] {strip_invisible(text)}")

    def context(self) -> Context:
        """The console user: admin of the console scope."""
        return Context(
            channel=CHANNEL, scope=SCOPE, is_admin=True, user="console",
            resolve_channel=lambda name: CHANNEL if name.strip("#") == CHANNEL else None,
        )

    async def answer(self, commands: Commands, line: str) -> bool:
        """Answer one typed line; return False when the user asked to quit."""
        text = line.strip()
        if not text:
            return True
        if text.lower() in ("quit", "exit", "!quit", "!exit"):
            return False
        reply = await commands.handle_text(text, self.context(), mentioned=True)
        if reply is not None:
            self._print(render_reply(reply))
        return True

    async def lines(self) -> AsyncIterator[str]:
        """Lines typed on stdin until EOF.

        A daemon thread does the blocking reads, so Ctrl-C or SIGTERM ends the bot at once even
        while it waits for input (a worker thread of asyncio's would be waited for at exit).
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str] = asyncio.Queue()

        def reader() -> None:
            while True:
                try:
                    line = sys.stdin.readline()
                except (OSError, ValueError):  # terminal gone, undecodable bytes: end of input
                    log.exception("reading the console input failed; no more commands")
                    line = ""
                try:
                    loop.call_soon_threadsafe(queue.put_nowait, line)
                except RuntimeError:  # the loop is closed: the bot has stopped
                    return
                if line == "":
                    return

        threading.Thread(target=reader, name="console-stdin", daemon=True).start()
        while line := await queue.get():
            yield line

    async def run(
        self, commands: Commands, stop: asyncio.Event, lines: AsyncIterator[str] | None = None
    ) -> None:
        """Read commands (from stdin by default) until EOF or `quit`; `quit` also stops the bot.

        A `summary` fetches a page, which can take up to the fetch timeout: it is answered in the
        background so other commands typed meanwhile are not kept waiting (its answer names the
        article, so it can be told apart when it comes after later answers). `quit` and the end of
        input wait for summaries still being fetched.
        """
        self._print("Newsbot is running on the console. Type `help` for commands, `quit` to stop.")
        pending: set[asyncio.Task[bool]] = set()
        async for line in lines or self.lines():  # EOF ends the loop: no more commands, posts go on
            parsed = parse_command(line, commands.prefix, mentioned=True)
            if parsed is not None and parsed[0] == "summary":  # waits on the network
                task = asyncio.create_task(self.answer(commands, line))
                pending.add(task)
                task.add_done_callback(pending.discard)
            elif not await self.answer(commands, line):
                await self._finish(pending)  # `summary …` then `quit`: the summary still comes
                stop.set()
                return
        await self._finish(pending)  # end of input (a script): its summaries are still answered

    async def _finish(self, pending: set[asyncio.Task[bool]]) -> None:
        """Wait for the summaries still being fetched (each is bounded by the fetch timeout)."""
        if pending:
            count = len(pending)
            self._print(f"Waiting for {count} summar{'y' if count == 1 else 'ies'} still being fetched…")
            await asyncio.gather(*pending, return_exceptions=True)

