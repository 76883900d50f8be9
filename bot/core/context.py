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
    a channel string of this platform, or None when it names no channel the bot can use.
    ``fits_reply`` says whether an answer's literal text fits one message of the platform once
    the adapter has escaped it, so lists are cut between entries rather than by the renderer
    (None: any text the core's own budget allows fits)."""

    channel: str
    scope: str
    is_admin: bool
    user: str = ""
    resolve_channel: Callable[[str], str | None] | None = None
    fits_reply: Callable[[str], bool] | None = None


def is_local(ctx: Context) -> bool:
    """Whether the asker sits at the bot's own machine (may name local files)."""
    return channel_platform(ctx.channel) == "console"


def command(ctx: Context, words: str, prefix: str) -> str:
    """A command written the way the asker types it on its platform: "feed list" on the console
    (no prefix), "!feed list" on Discord (the configured ``prefix``), "/feed list" in Slack (its
    slash commands: "/whosaid <phrase>", "/newsbot help")."""
    return command_on(channel_platform(ctx.channel), words, prefix)


def command_on(platform: str, words: str, prefix: str) -> str:
    """``command`` for a platform named by its channel prefix ("console", "discord", "slack")."""
    if platform == "console":
        return words
    if platform == "slack":
        return slack_command(words)
    return prefix + words


def slack_command(words: str) -> str:
    """A core command as a Slack slash command: "who said x" -> "/whosaid x", "help" ->
    "/newsbot help" (Slack has no /help of ours), anything else behind a slash."""
    if words == "who said" or words.startswith("who said "):
        return "/whosaid" + words[len("who said") :]
    if words == "help":
        return "/newsbot help"
    return "/" + words.replace("[channel]", "[#channel]")  # Slack's channel picker


def feeds_here(ctx: Context) -> str:
    """How to name the feeds of the asker's scope on its platform."""
    platform = channel_platform(ctx.channel)
    if platform == "console":
        return "the feeds here"
    return "this workspace's feeds" if platform == "slack" else "this server's feeds"
