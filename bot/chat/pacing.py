"""Platform-neutral pacing of posts to chat channels: a per-channel send queue and a backoff for
channels that refused a post.

``ChannelPacer`` lets one post at a time through per channel, in arrival order, optionally
spaced ``interval`` seconds apart and held quiet after a rate-limit answer. ``ChannelBlocks``
remembers channels the platform refused (missing permission, not a member, deleted) so they are
not asked again before the block ends: 1 minute at first, doubling up to an hour, or until the
adapter learns that access may have changed and clears it. Time comes from an injected clock.
No platform library is imported here; the Discord and Slack adapters both use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

BLOCK_FIRST = 60.0  # after a refused post, wait this long before asking the platform again ...
BLOCK_MAX = 3600.0  # ... doubling up to this


class ChannelPacer:
    """One post at a time per channel, at most one per ``interval`` seconds, in arrival order."""

    def __init__(self, interval: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, channel: str) -> AsyncIterator[None]:
        """Wait for this channel's turn; the next post waits ``interval`` after this one."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:  # asyncio.Lock wakes waiters in FIFO order: a per-channel queue
            wait = self._next.get(channel, 0.0) - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next[channel] = max(self._next.get(channel, 0.0),
                                          self.clock() + self.interval)

    def quiet_for(self, channel: str) -> float:
        """Seconds until the channel may be posted to again (0 when it may now)."""
        return max(0.0, self._next.get(channel, 0.0) - self.clock())

    def hold(self, channel: str, seconds: float) -> None:
        """Keep the channel quiet for ``seconds`` (after a 429)."""
        self._next[channel] = max(self._next.get(channel, 0.0), self.clock() + seconds)


@dataclass
class _Block:
    """A refused channel: not asked again before ``until``; ``delay`` doubles on each refusal."""

    until: float
    delay: float
    reason: str


class ChannelBlocks:
    """Channels that refused a post, each with the reason and when it may be tried again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 first: float = BLOCK_FIRST, most: float = BLOCK_MAX) -> None:
        self.clock = clock
        self.first = first
        self.most = most
        self._blocked: dict[str, _Block] = {}

    def block(self, channel: str, reason: str) -> None:
        """The channel refused a post: wait ``first`` seconds, or twice the last wait (capped)."""
        previous = self._blocked.get(channel)
        delay = min(self.most, previous.delay * 2) if previous else self.first
        self._blocked[channel] = _Block(self.clock() + delay, delay, reason)

    def refusal(self, channel: str) -> str | None:
        """The reason the channel is blocked while its block lasts, else None."""
        block = self._blocked.get(channel)
        if block is not None and self.clock() < block.until:
            return block.reason
        return None

    def clear(self, channel: str) -> bool:
        """Forget the channel's block (a post went through, or the bot was let in); True if any."""
        return self._blocked.pop(channel, None) is not None

    def clear_all(self) -> bool:
        """Forget every block (access may have changed anywhere); True if there were any."""
        had = bool(self._blocked)
        self._blocked.clear()
        return had

    def __contains__(self, channel: object) -> bool:
        """Whether the channel has refused a post and not been cleared since (even if expired)."""
        return channel in self._blocked
