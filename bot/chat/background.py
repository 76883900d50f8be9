"""Background jobs a chat adapter starts from its event handlers, and the delivery round they run.

Event handlers (connected, invited to a channel, a permission changed) must return quickly, so
they start the core's delivery round as a background task. ``Background`` keeps a reference to
each task until it ends (asyncio only keeps weak ones) and can wait for them all;
``deliver_pending`` runs one round and logs, never raises, a failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.commands import Commands


class Background:
    """The running background tasks of one adapter."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Awaitable[Any]) -> None:
        """Run a background job, keeping a reference until it ends."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the background jobs (and any they start) to finish."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def deliver_pending(commands: Commands, log: logging.Logger, after: str) -> None:
    """Ask the core to send what is pending; a failing round is logged (``after`` says what
    prompted it) and never kills the event handler that started it."""
    try:
        await commands.poller.dispatcher.deliver_pending()
    except Exception:
        log.exception("delivery round after %s failed", after)
