"""The discord.py client: connects with the adapter's settings and routes Discord's events to it.

``NewsBot`` loads the command cog and registers the slash commands (server-only) at start-up,
sends typed messages that are not hybrid commands to the adapter's text handler, asks the
adapter to deliver pending posts when connected, and tells it whenever something that can grant
access changed (joined a server, channel, role or own member updated). Command errors become a
short ephemeral apology or usage hint. ``NO_MENTIONS`` goes with every send: nothing can ping.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.discord_commands import NewsCommands
from bot.chat.discord_guild import invite_url
from bot.chat.discord_render import render_text

if TYPE_CHECKING:
    from bot.chat.discord_adapter import DiscordAdapter

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


class NewsBot(commands.Bot):
    """The discord.py client: routes events to the adapter."""

    def __init__(self, adapter: DiscordAdapter, *, intents: discord.Intents,
                 guild_ready_timeout: float) -> None:
        super().__init__(
            command_prefix=adapter.settings.command_prefix, intents=intents, help_command=None,
            allowed_mentions=NO_MENTIONS, guild_ready_timeout=guild_ready_timeout,
        )
        self.adapter = adapter

    async def setup_hook(self) -> None:
        await self.add_cog(NewsCommands(self.adapter))
        for command in self.tree.get_commands():
            if isinstance(command, (app_commands.Command, app_commands.Group)):
                command.guild_only = True  # scopes are servers; DMs get a short hint instead
        try:
            await self.tree.sync()
        except discord.HTTPException as exc:
            log.warning("could not register the slash commands with Discord: %s", exc)

    async def on_ready(self) -> None:
        intent = "on" if self.intents.message_content else "off (slash and @mentions only)"
        log.info("connected to Discord as %s in %d servers; Message Content intent %s",
                 self.user, len(self.guilds), intent)
        if not self.guilds and self.application_id:
            log.warning("the bot is in no server yet; invite it with %s",
                        invite_url(self.application_id))
        self.adapter.fix_scopes(self)
        self.adapter.spawn(self.adapter.deliver_now())

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.adapter.fix_scopes(self)
        self.adapter.permissions_changed()

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.adapter.permissions_changed()

    async def on_guild_channel_update(self, before: discord.abc.GuildChannel,
                                      after: discord.abc.GuildChannel) -> None:
        self.adapter.permissions_changed()

    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        self.adapter.permissions_changed()

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if self.user is not None and after.id == self.user.id:
            self.adapter.permissions_changed()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        ctx = await self.get_context(message)
        if ctx.valid:
            await self.invoke(ctx)
        else:
            await self.adapter.on_text(message)

    async def on_command_error(self, ctx: commands.Context[NewsBot],  # type: ignore[override]
                               error: commands.CommandError) -> None:
        cause: BaseException = error
        if isinstance(cause, commands.HybridCommandError):
            cause = cause.original
        if isinstance(cause, (commands.UserInputError, app_commands.TransformerError)):
            text = f"{cause} See {self.adapter.settings.command_prefix}help or /help."
        elif isinstance(cause, (commands.CheckFailure, app_commands.CheckFailure)):
            text = "Sorry, you can't use that command here."
        else:
            log.error("command %s failed", ctx.command, exc_info=cause)
            text = "Sorry, something went wrong answering that."
        try:
            await ctx.send(render_text(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not report a command error: %s", exc)
