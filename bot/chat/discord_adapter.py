"""The Discord adapter: posts articles as embeds and answers commands in Discord servers.

It plugs the platform-neutral core into discord.py: ``DiscordAdapter`` connects (retrying an
unreachable Discord, reconnecting without the Message Content intent when that is refused),
posts one embed per article (rendered by ``discord_render``) through a per-channel send queue
and a backoff for refused channels (``pacing``), and answers commands: the hybrid commands of
``discord_commands`` and the core's own text forms (`!who said ...`, `@Newsbot who said ...`).
The client and its events live in ``discord_client``, server naming and permissions in
``discord_guild``. Failed sends raise DeliveryError.

Naming: channel "discord:<channel id>", scope "discord:<guild id>". Nothing the bot sends can
ping: ``AllowedMentions.none()`` goes with every send and feed text is escaped. Only modules
named ``discord_*`` import discord.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
from discord.ext import commands

from bot.chat.background import Background, deliver_pending
from bot.chat.base import DeliveryError
from bot.chat.discord_client import NO_MENTIONS, NewsBot
from bot.chat.discord_commands import discord_help
from bot.chat.discord_guild import (
    PERMISSIONS,
    PREFIX,
    channel_id_of,
    channel_string,
    invite_url,
    is_admin,
    resolve_channel,
    scope_string,
)
from bot.chat.discord_render import (
    nonce_for,
    render_embed,
    render_fallback,
    render_reply,
    render_text,
    reply_fits,
)
from bot.chat.pacing import ChannelBlocks, ChannelPacer
from bot.core.commands import Commands, parse_command
from bot.core.context import Context
from bot.errors import ConfigError
from bot.models import Message, Reply
from bot.settings import Settings

__all__ = [
    "NO_MENTIONS",
    "PERMISSIONS",
    "DiscordAdapter",
    "NewsBot",
    "invite_url",
]

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds a slash answer may take before we defer (Discord allows 3)
STARTUP_WAIT = 20.0  # at start, sends wait this long for the connection (later they fail fast)
RETRY_FIRST = 5.0  # Discord unreachable at start: retry after this, doubling ...
RETRY_MAX = 300.0  # ... up to this
DM_REPLY = "I answer in server channels. Add me to a server and use /help there."
INTENT_HINT = (
    "Discord refused the Message Content intent: it is off for this application (Developer "
    "Portal > Bot > Privileged Gateway Intents). Reconnecting without it: slash commands and "
    "@mentions work, `!` commands need that intent."
)
Answer = Callable[[Context], Awaitable[Reply]]


class DiscordAdapter:
    """Discord as the core sees it (the Adapter protocol)."""

    prefix = PREFIX

    def __init__(self, settings: Settings, *, ready_timeout: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.ready_timeout = ready_timeout  # how long discord.py waits for the server list
        self.clock = clock
        self.message_content = True
        self.defer_after = DEFER_AFTER
        self.retry_first = RETRY_FIRST
        self.bot: NewsBot | None = None
        self.commands: Commands | None = None
        self._pacer = ChannelPacer(clock=clock)  # one send at a time per channel, in order
        self._blocks = ChannelBlocks(clock)
        self._background = Background()
        self._startup_deadline = 0.0

    # ---- running ----------------------------------------------------------------------------

    def build_bot(self) -> NewsBot:
        """A fresh client with the intents we ask for."""
        intents = discord.Intents.default()
        intents.message_content = self.message_content
        return NewsBot(self, intents=intents, guild_ready_timeout=self.ready_timeout)

    async def run(self, commands: Commands, stop: asyncio.Event) -> None:
        """Connect and answer until ``stop`` is set. Without the Message Content intent it
        reconnects without it; an unreachable Discord is retried with backoff (discord.py itself
        reconnects once connected); a refused token ends the adapter (logged)."""
        self.commands = commands
        self._startup_deadline = self.clock() + STARTUP_WAIT
        if not self.settings.discord_token:
            log.error("DISCORD_TOKEN is not set; the Discord adapter does not start.")
            return
        delay = self.retry_first
        while not stop.is_set():
            bot = self.build_bot()
            self.bot = bot
            try:
                outcome = await self._run_once(bot, self.settings.discord_token, stop)
            finally:
                if not bot.is_closed():
                    await bot.close()
            if outcome == "intent" and self.message_content:
                log.warning("%s", INTENT_HINT)
                self.message_content = False
                continue
            if outcome == "token":
                raise ConfigError(
                    "Discord refused the token in DISCORD_TOKEN; check it in the Developer "
                    "Portal > Bot > Reset Token."
                )
            if outcome != "retry":
                return
            delay, wait = min(delay * 2, RETRY_MAX), delay
            log.warning("cannot reach Discord; trying again in %.0f s", wait)
            try:
                await asyncio.wait_for(stop.wait(), wait)
            except TimeoutError:
                pass

    async def _run_once(self, bot: NewsBot, token: str, stop: asyncio.Event) -> str:
        starter = asyncio.create_task(bot.start(token))
        stopper = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({starter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        if not starter.done():
            await bot.close()
            starter.cancel()
            await asyncio.gather(starter, return_exceptions=True)
            return "stopped"
        error = starter.exception()
        if isinstance(error, discord.PrivilegedIntentsRequired):
            return "intent"
        if isinstance(error, (OSError, aiohttp.ClientError, TimeoutError,
                              discord.GatewayNotFound, discord.DiscordServerError)):
            log.info("Discord connection failed: %s", error)
            return "retry"  # the network or Discord is down: the bot must come back by itself
        if isinstance(error, discord.LoginFailure):
            log.error("Discord refused the token in DISCORD_TOKEN (%s). Check it in the "
                      "Developer Portal > Bot > Reset Token.", error)
            return "token"
        if error is not None:
            log.error("Discord connection ended: %r", error, exc_info=error)
        return "ended"

    def spawn(self, coro: Awaitable[Any]) -> None:
        """Run a background job, keeping a reference until it ends."""
        self._background.spawn(coro)

    async def deliver_now(self) -> None:
        """Ask the core to send what is pending (after connecting or a permission change)."""
        if self.commands is not None:
            await deliver_pending(self.commands, log, "a Discord event")

    def fix_scopes(self, bot: NewsBot) -> None:
        """Give config feeds ("discord:<channel>" with a provisional scope) their server."""
        if self.commands is None:
            return
        store = self.commands.store
        for feed in store.list_feeds():
            channel_id = channel_id_of(feed.channel)
            if channel_id is None:
                continue
            channel = bot.get_channel(channel_id)
            guild = getattr(channel, "guild", None)
            if isinstance(guild, discord.Guild) and feed.scope != scope_string(guild.id):
                store.set_channel_scope(feed.channel, scope_string(guild.id))
                log.info("feed #%d: channel %s is in server %s", feed.id, feed.channel, guild.id)

    def permissions_changed(self) -> None:
        """Something that can grant access changed: retry refused channels right away."""
        if self._blocks.clear_all():
            self.spawn(self.deliver_now())

    # ---- posting ----------------------------------------------------------------------------

    async def _ready_bot(self) -> NewsBot:
        bot = self.bot
        if bot is None or bot.is_closed():
            raise DeliveryError("not connected to Discord")
        if bot.is_ready():
            return bot
        # only while first connecting is a send worth waiting for: on_ready delivers anyway
        remaining = self._startup_deadline - self.clock()
        if remaining <= 0:
            raise DeliveryError("not connected to Discord")
        try:
            await asyncio.wait_for(bot.wait_until_ready(), remaining)
        except (TimeoutError, RuntimeError):
            raise DeliveryError("not connected to Discord yet") from None
        return bot

    async def send(self, message: Message) -> None:
        """Post one article as an embed; DeliveryError (permanent for missing permissions or a
        deleted channel) when Discord refuses."""
        channel_id = channel_id_of(message.channel)
        if channel_id is None:
            raise DeliveryError(f"{message.channel} is not a Discord channel", permanent=True)
        refusal = self._blocks.refusal(message.channel)
        if refusal is not None:
            raise DeliveryError(refusal, permanent=True)
        bot = await self._ready_bot()
        async with self._pacer.slot(message.channel):  # one send at a time per channel, in order
            target = bot.get_partial_messageable(channel_id)
            embed = discord.Embed.from_dict(render_embed(message))
            try:
                await target.send(embed=embed, allowed_mentions=NO_MENTIONS,
                                  nonce=nonce_for(message))
            except discord.HTTPException as exc:
                if exc.status != 400 or isinstance(exc, (discord.Forbidden, discord.NotFound)):
                    raise self._failure(message.channel, channel_id, exc) from None
                log.warning("Discord rejected the embed for %s (%s); sending plain text",
                            message.channel, exc)
                try:
                    await target.send(render_fallback(message), allowed_mentions=NO_MENTIONS,
                                      nonce=nonce_for(message))
                except discord.HTTPException as again:
                    raise self._failure(message.channel, channel_id, again) from None
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                raise DeliveryError(f"network error talking to Discord: {exc}") from None
        self._blocks.clear(message.channel)  # the core tells the channel it works again

    def _failure(self, channel: str, channel_id: int, exc: discord.HTTPException) -> DeliveryError:
        if isinstance(exc, discord.Forbidden):
            reason = (f"Discord refused the post in channel {channel_id}: missing permissions "
                      "(the bot needs View Channel, Send Messages and Embed Links there)")
        elif isinstance(exc, discord.NotFound):
            reason = (f"channel {channel_id} does not exist any more or the bot cannot see it")
        elif exc.status == 400:
            reason = f"Discord rejected the post in channel {channel_id}: {exc.text}"
        else:
            return DeliveryError(f"Discord error {exc.status}: {exc.text}")
        self._blocks.block(channel, reason)
        return DeliveryError(reason, permanent=True)

    async def notify(self, channel: str, text: str) -> None:
        """A short literal notice; problems are logged, never raised."""
        channel_id = channel_id_of(channel)
        bot = self.bot
        if channel_id is None or bot is None or bot.is_closed() or not bot.is_ready():
            log.info("notice for %s not sent (not connected): %s", channel, text)
            return
        try:
            await bot.get_partial_messageable(channel_id).send(
                render_text(text), allowed_mentions=NO_MENTIONS
            )
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("notice to %s failed: %s", channel, exc)

    # ---- answering --------------------------------------------------------------------------

    def context(self, guild: discord.Guild | None, channel_id: int, user: discord.abc.User,
                permissions: discord.Permissions | None = None) -> Context | None:
        """The core's view of who asked where; None outside a server."""
        if guild is None:
            return None
        return Context(
            channel=channel_string(channel_id),
            scope=scope_string(guild.id),
            is_admin=is_admin(user, self.settings.discord_admin_role, permissions),
            user=str(user.id),
            resolve_channel=lambda text: resolve_channel(guild, text),
            fits_reply=reply_fits,
        )

    def core(self) -> Commands:
        """The platform-neutral commands the adapter runs with (set by ``run``)."""
        if self.commands is None:
            raise RuntimeError("the Discord adapter is not running")
        return self.commands

    async def answer_message(self, message: discord.Message, call: Answer) -> None:
        """Answer a typed command in the channel it came from."""
        ctx = self.context(message.guild, message.channel.id, message.author)
        if ctx is None:
            reply = Reply(DM_REPLY)
        else:
            reply = await self._safely(call, ctx)
        reference = message.to_reference(fail_if_not_exists=False)
        try:
            await message.channel.send(render_reply(reply), allowed_mentions=NO_MENTIONS,
                                       reference=reference)
        except discord.HTTPException as exc:
            log.warning("could not answer in channel %s: %s", message.channel.id, exc)

    async def answer_interaction(self, interaction: discord.Interaction[Any], call: Answer) -> None:
        """Answer a slash command: directly when quick, else deferred; refusals and errors are
        ephemeral."""
        ctx = self.context(interaction.guild, interaction.channel_id or 0, interaction.user,
                           interaction.permissions)
        if ctx is None:
            await interaction.response.send_message(DM_REPLY, ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
            return
        job = asyncio.ensure_future(self._safely(call, ctx))
        done, _ = await asyncio.wait({job}, timeout=self.defer_after)
        if not done:
            await interaction.response.defer(thinking=True)
        reply = await job
        content = render_reply(reply)
        if not interaction.response.is_done():
            await interaction.response.send_message(content, ephemeral=reply.ephemeral,
                                                    allowed_mentions=NO_MENTIONS)
        elif reply.ephemeral:  # a public "thinking..." can't turn private: replace it
            await interaction.delete_original_response()
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.edit_original_response(content=content,
                                                     allowed_mentions=NO_MENTIONS)

    async def answer(self, ctx: commands.Context[NewsBot], call: Answer) -> None:
        """Answer a hybrid command, slash or prefix."""
        if ctx.interaction is not None:
            await self.answer_interaction(ctx.interaction, call)
        else:
            await self.answer_message(ctx.message, call)

    async def _safely(self, call: Answer, ctx: Context) -> Reply:
        try:
            return await call(ctx)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("command failed")
            return Reply("Sorry, something went wrong answering that.", ephemeral=True)

    async def on_text(self, message: discord.Message) -> None:
        """A message that is not a hybrid command: the core's text form or an @mention."""
        bot = self.bot
        if bot is None or bot.user is None or self.commands is None:
            return
        body = message.content
        # "@Newsbot" may come as the bot's user mention or as its own managed role's mention
        role = message.guild.self_role if message.guild is not None else None
        names = rf"@!?{bot.user.id}" + (rf"|@&{role.id}" if role is not None else "")
        mention = re.match(rf"\s*<(?:{names})>[\s,:]*", body)
        if mention:
            body, mentioned = body[mention.end():], True
        elif body.lstrip().startswith(self.commands.prefix):
            mentioned = False
        else:
            return
        core = self.commands
        parsed = parse_command(body, core.prefix, mentioned=mentioned)
        if parsed is None:
            return

        async def call(ctx: Context) -> Reply:
            if parsed[0] == "help":
                return discord_help(core)
            reply = await core.handle_text(body, ctx, mentioned=mentioned)
            return reply if reply is not None else Reply("I don't know that command.")

        await self.answer_message(message, call)
