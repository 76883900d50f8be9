"""Discord's command surface: every core command as a hybrid command (`!name ...` and `/name ...`).

``NewsCommands`` is the cog the client loads: /whosaid, /quotes, /summary, /help and the /feed
group (add, remove, list, status, resume, why). Each command hands a call on the platform-neutral
core to the adapter, which answers it (deferring slow slash answers, replying to typed ones).
``discord_help`` is the core's help plus the slash names.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.discord_guild import channel_id_of, missing_permissions
from bot.core.commands import Commands
from bot.core.context import Context
from bot.models import Reply

if TYPE_CHECKING:
    from bot.chat.discord_adapter import DiscordAdapter

# discord.py types its hybrid decorators with a ParamSpec union that mypy cannot solve; these
# aliases erase just that signature.
_Callback = Callable[..., Awaitable[None]]
hybrid_command: Callable[..., Callable[[_Callback], commands.HybridCommand[Any, ..., Any]]] = (
    commands.hybrid_command  # type: ignore[assignment]
)
hybrid_group: Callable[..., Callable[[_Callback], commands.HybridGroup[Any, ..., Any]]] = (
    commands.hybrid_group  # type: ignore[assignment]
)


def subcommand(
    group: commands.HybridGroup[Any, ..., Any], **attrs: Any
) -> Callable[[_Callback], commands.HybridCommand[Any, ..., Any]]:
    """``group.command(...)`` with the same type erasure."""
    return cast(Callable[[_Callback], commands.HybridCommand[Any, ..., Any]],
                group.command(**attrs))


SLASH_HELP = (
    "\nAs slash commands: /whosaid, /quotes, /summary, /help, and /feed add, remove, list, "
    "status, resume, why."
)


def discord_help(core: Commands) -> Reply:
    """The core's command list plus the slash names, which differ a little ("/whosaid")."""
    return Reply(core.help().text + SLASH_HELP)


def _after_feed(ctx: commands.Context[Any]) -> str:
    """The typed words after "feed": "add <url> #news"."""
    content = ctx.message.content
    start = content.lower().find("feed", len(ctx.prefix or ""))
    return content[start + len("feed") :].strip() if start >= 0 else ""


class NewsCommands(commands.Cog):
    """Every core command as a hybrid command (`!name ...` and `/name ...`)."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    def _core(self) -> Commands:
        return self.adapter.core()

    @hybrid_command(name="whosaid", description="Who said a phrase, and where")
    @app_commands.describe(phrase="Words from the quote")
    async def whosaid(self, ctx: commands.Context[Any], *, phrase: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.who_said(phrase, c))

    @hybrid_command(name="quotes", description="A person's latest quotes")
    @app_commands.describe(person="Name of the speaker")
    async def quotes(self, ctx: commands.Context[Any], *, person: str) -> None:
        core = self._core()
        person = re.sub(r"^by\s+", "", person.strip(), flags=re.IGNORECASE)
        await self.adapter.answer(ctx, lambda c: core.quotes(person, c))

    @hybrid_command(name="summary", description="Summarise one article now")
    @app_commands.describe(url="Link to the article")
    async def summary(self, ctx: commands.Context[Any], url: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.summary(url, c))

    @hybrid_command(name="help", description="What Newsbot can do")
    async def help(self, ctx: commands.Context[Any]) -> None:
        core = self._core()

        async def call(c: Context) -> Reply:
            return discord_help(core)

        await self.adapter.answer(ctx, call)

    @hybrid_group(name="feed", description="Manage the feeds of this server (admins)",
                  invoke_without_command=True)
    async def feed(self, ctx: commands.Context[Any]) -> None:
        # typed "!feed" or "!feed <unknown>": the core lists the feeds or shows the usage
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_text(_after_feed(ctx), c))

    @subcommand(feed, name="add", description="Watch a feed and post its new articles")
    @app_commands.describe(url="Feed address (RSS, Atom or JSON Feed)",
                           channel="Channel to post in (default: this one)")
    async def feed_add(self, ctx: commands.Context[Any], url: str,
                       channel: discord.TextChannel | None = None) -> None:
        core = self._core()
        target = f"<#{channel.id}>" if channel is not None else None

        async def call(c: Context) -> Reply:
            before = {feed.id for feed in core.store.list_feeds(c.scope)}
            if ctx.interaction is None:
                # typed: the core reads "#name" or "<#id>" itself and says when a channel is
                # unknown (discord.py would silently drop a channel it can't convert)
                reply = await core.feed_text(_after_feed(ctx), c)
            else:
                reply = await core.feed_add(url, target, c)
            added = [f for f in core.store.list_feeds(c.scope) if f.id not in before]
            if ctx.guild is None or not added:
                return reply
            missing = missing_permissions(ctx.guild, channel_id_of(added[0].channel))
            if not missing:
                return reply
            return Reply(f"{reply.text}\nHeads-up: I can't post in that channel yet; I need "
                         f"{', '.join(missing)} there. Its posts wait until that is fixed.")

        await self.adapter.answer(ctx, call)

    @subcommand(feed, name="remove", description="Stop watching a feed")
    @app_commands.describe(feed="Feed number (see /feed list) or its address")
    async def feed_remove(self, ctx: commands.Context[Any], feed: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_remove(feed, c))

    @subcommand(feed, name="list", description="The feeds of this server")
    async def feed_list(self, ctx: commands.Context[Any]) -> None:
        await self.adapter.answer(ctx, self._core().feed_list)

    @subcommand(feed, name="status", description="Health of each feed, or of one")
    @app_commands.describe(feed="Feed number (see /feed list) or its address; all when empty")
    async def feed_status(self, ctx: commands.Context[Any], feed: str | None = None) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_status(c, feed or ""))

    @subcommand(feed, name="resume", description="Resume a paused feed")
    @app_commands.describe(feed="Feed number (see /feed list) or its address")
    async def feed_resume(self, ctx: commands.Context[Any], feed: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_resume(feed, c))

    @subcommand(feed, name="why", description="Why an item was or wasn't posted")
    @app_commands.describe(item="The item's link or title")
    async def feed_why(self, ctx: commands.Context[Any], *, item: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_why(item, c))
