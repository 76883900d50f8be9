"""Who asked a command, and where: the Context every adapter passes to the command core.

The adapter says who is an admin and which scope (server/workspace) the asker is in; the helpers
here read what the asker's channel implies (the console sits at the bot's own machine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.chat.base import channel_platform


@dataclass(frozen=True)
class Context:
    """Who asked, where. ``resolve_channel`` turns a user-typed channel ("#news", "<#123>") into
    a channel string of this platform, or None when it names no channel the bot can use."""

    channel: str
    scope: str
    is_admin: bool
    user: str = ""
    resolve_channel: Callable[[str], str | None] | None = None


def is_local(ctx: Context) -> bool:
    """Whether the asker sits at the bot's own machine (may name local files)."""
    return channel_platform(ctx.channel) == "console"


def feeds_here(ctx: Context) -> str:
    """How to name the feeds of the asker's scope on its platform."""
    platform = channel_platform(ctx.channel)
    if platform == "console":
        return "the feeds here"
    return "this workspace's feeds" if platform == "slack" else "this server's feeds"
