"""The small Protocol every chat adapter implements, and the error a failed send raises.

Channels are strings namespaced by platform: "console", "discord:<channel id>",
"slack:<channel id>". Scopes (whose articles a who-said searches) likewise: "console",
"discord:<guild id>", "slack:<team id>". The core only ever sees these strings.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from bot.models import Message

if TYPE_CHECKING:
    from bot.core.commands import Commands


class DeliveryError(Exception):
    """A send failed. ``permanent`` means retrying soon will not help (missing permission,
    deleted channel); the delivery stays pending and the feed records the error either way."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Adapter(Protocol):
    """A chat platform as the core sees it."""

    @property
    def prefix(self) -> str:
        """The channel prefix this adapter owns: "console", "discord" or "slack"."""
        ...

    async def send(self, message: Message) -> None:
        """Post one article message to ``message.channel``; raise DeliveryError on failure."""
        ...

    async def notify(self, channel: str, text: str) -> None:
        """Post a short literal notice (a feed paused, a send problem) to a channel.

        Must not raise for delivery problems: notices are best effort."""
        ...

    async def run(self, commands: Commands, stop: asyncio.Event) -> None:
        """Receive commands and answer them through ``commands`` until ``stop`` is set (or the
        platform disconnects for good)."""
        ...


def channel_platform(channel: str) -> str:
    """The platform part of a channel string: "discord:123" -> "discord", "console" -> "console"."""
    return channel.split(":", 1)[0]
