"""The Discord adapter: posts articles as embeds and answers commands in Discord servers.

The only module that imports discord. It plugs the platform-neutral core into a
``commands.Bot``: hybrid commands (`!whosaid ...` and `/whosaid ...`), the core's own text
commands (`!who said ...`, `@Newsbot who said ...`), one embed per article (rendered by
``bot.chat.discord_render``), a per-channel send queue, and DeliveryError for failed sends.

Naming: channel "discord:<channel id>", scope "discord:<guild id>". Nothing the bot sends can
ping: ``AllowedMentions.none()`` goes with every send and feed text is escaped.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.base import DeliveryError
from bot.chat.discord_render import (
    nonce_for,
    render_embed,
    render_fallback,
    render_reply,
    render_text,
)
from bot.core.commands import Commands, Context, parse_command
from bot.errors import ConfigError
from bot.models import Message, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

PREFIX = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
# View Channel, Send Messages, Embed Links, Read Message History, Use Application Commands.
PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, read_message_history=True,
    use_application_commands=True,
)
DEFER_AFTER = 1.5  # seconds a slash answer may take before we defer (Discord allows 3)
STARTUP_WAIT = 20.0  # at start, sends wait this long for the connection (later they fail fast)
BLOCK_FIRST = 60.0  # after a refused send, wait this long before asking Discord again ...
BLOCK_MAX = 3600.0  # ... doubling up to this; a permission change clears the wait
RETRY_FIRST = 5.0  # Discord unreachable at start: retry after this, doubling ...
RETRY_MAX = 300.0  # ... up to this
DM_REPLY = "I answer in server channels. Add me to a server and use /help there."
INTENT_HINT = (
    "Discord refused the Message Content intent: it is off for this application (Developer "
    "Portal > Bot > Privileged Gateway Intents). Reconnecting without it: slash commands and "
    "@mentions work, `!` commands need that intent."
)
Answer = Callable[[Context], Awaitable[Reply]]
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


def invite_url(application_id: int) -> str:
    """The URL an admin opens to add the bot to a server, with the permissions it needs."""
    return discord.utils.oauth_url(
        application_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands")
    )


def channel_string(channel_id: int) -> str:
    """Core channel name of a Discord channel."""
    return f"{PREFIX}:{channel_id}"


def scope_string(guild_id: int) -> str:
    """Core scope name of a Discord server."""
    return f"{PREFIX}:{guild_id}"


def channel_id_of(channel: str) -> int | None:
    """The Discord id in "discord:<id>", or None for any other string."""
    platform, _, rest = channel.partition(":")
    return int(rest) if platform == PREFIX and rest.isdigit() else None


def is_admin(user: discord.abc.User, role_name: str,
             permissions: discord.Permissions | None = None) -> bool:
    """Manage Server (or Administrator), or the configured admin role."""
    if permissions is not None and (permissions.manage_guild or permissions.administrator):
        return True
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:  # owner and Administrator imply it
        return True
    wanted = role_name.strip().casefold()
    return bool(wanted) and any(role.name.casefold() == wanted for role in user.roles)


def resolve_channel(guild: discord.Guild, text: str) -> str | None:
    """A typed channel ("<#123>", "#news", "123", "discord:123", "news") in this server."""
    text = text.strip()
    match = re.fullmatch(r"<#(\d+)>|(?:discord:)?(\d+)", text)
    if match:
        found = guild.get_channel_or_thread(int(match.group(1) or match.group(2)))
    else:
        name = text.lstrip("#").casefold()
        found = next((c for c in guild.text_channels if c.name.casefold() == name), None)
    if isinstance(found, (discord.TextChannel, discord.Thread)):
        return channel_string(found.id)
    return None


def missing_permissions(guild: discord.Guild, channel_id: int | None) -> list[str]:
    """The permissions the bot lacks to post articles in a channel (as far as the cache knows)."""
    channel = guild.get_channel_or_thread(channel_id) if channel_id is not None else None
    if channel is None or guild.me is None:
        return []
    perms = channel.permissions_for(guild.me)
    send = perms.send_messages_in_threads if isinstance(channel, discord.Thread) else (
        perms.send_messages)
    needed = {"View Channel": perms.view_channel, "Send Messages": send,
              "Embed Links": perms.embed_links}
    return [name for name, granted in needed.items() if not granted]


def _after_feed(ctx: commands.Context[Any]) -> str:
    """The typed words after "feed": "add <url> #news"."""
    content = ctx.message.content
    start = content.lower().find("feed", len(ctx.prefix or ""))
    return content[start + len("feed") :].strip() if start >= 0 else ""


@dataclass
class _Block:
    """A channel Discord refused: don't ask again before ``until`` unless permissions change."""

    until: float
    delay: float
    reason: str


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
        self._locks: dict[str, asyncio.Lock] = {}
        self._blocked: dict[str, _Block] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
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
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def deliver_now(self) -> None:
        """Ask the core to send what is pending (after connecting or a permission change)."""
        if self.commands is not None:
            try:
                await self.commands.poller.dispatcher.deliver_pending()
            except Exception:  # a delivery round failing must not kill the event handler
                log.exception("delivery round after a Discord event failed")

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
        if self._blocked:
            self._blocked.clear()
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

    def _lock(self, channel: str) -> asyncio.Lock:
        return self._locks.setdefault(channel, asyncio.Lock())

    def _block(self, channel: str, reason: str) -> None:
        previous = self._blocked.get(channel)
        delay = min(BLOCK_MAX, previous.delay * 2) if previous else BLOCK_FIRST
        self._blocked[channel] = _Block(self.clock() + delay, delay, reason)

    async def send(self, message: Message) -> None:
        """Post one article as an embed; DeliveryError (permanent for missing permissions or a
        deleted channel) when Discord refuses."""
        channel_id = channel_id_of(message.channel)
        if channel_id is None:
            raise DeliveryError(f"{message.channel} is not a Discord channel", permanent=True)
        block = self._blocked.get(message.channel)
        if block is not None and self.clock() < block.until:
            raise DeliveryError(block.reason, permanent=True)
        bot = await self._ready_bot()
        async with self._lock(message.channel):  # one send at a time per channel, in order
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
        self._blocked.pop(message.channel, None)  # the core tells the channel it works again

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
        self._block(channel, reason)
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
        )

    def _core(self) -> Commands:
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


class NewsCommands(commands.Cog):
    """Every core command as a hybrid command (`!name ...` and `/name ...`)."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    def _core(self) -> Commands:
        return self.adapter._core()

    @hybrid_command(name="whosaid", description="Who said a phrase, and where")
    @app_commands.describe(phrase="Words from the quote")
    async def whosaid(self, ctx: commands.Context[NewsBot], *, phrase: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.who_said(phrase, c))

    @hybrid_command(name="quotes", description="A person's latest quotes")
    @app_commands.describe(person="Name of the speaker")
    async def quotes(self, ctx: commands.Context[NewsBot], *, person: str) -> None:
        core = self._core()
        person = re.sub(r"^by\s+", "", person.strip(), flags=re.IGNORECASE)
        await self.adapter.answer(ctx, lambda c: core.quotes(person, c))

    @hybrid_command(name="summary", description="Summarise one article now")
    @app_commands.describe(url="Link to the article")
    async def summary(self, ctx: commands.Context[NewsBot], url: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.summary(url, c))

    @hybrid_command(name="help", description="What Newsbot can do")
    async def help(self, ctx: commands.Context[NewsBot]) -> None:
        core = self._core()

        async def call(c: Context) -> Reply:
            return discord_help(core)

        await self.adapter.answer(ctx, call)

    @hybrid_group(name="feed", description="Manage the feeds of this server (admins)",
                           invoke_without_command=True)
    async def feed(self, ctx: commands.Context[NewsBot]) -> None:
        # typed "!feed" or "!feed <unknown>": the core lists the feeds or shows the usage
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_text(_after_feed(ctx), c))

    @subcommand(feed, name="add", description="Watch a feed and post its new articles")
    @app_commands.describe(url="Feed address (RSS, Atom or JSON Feed)",
                           channel="Channel to post in (default: this one)")
    async def feed_add(self, ctx: commands.Context[NewsBot], url: str,
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
    async def feed_remove(self, ctx: commands.Context[NewsBot], feed: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_remove(feed, c))

    @subcommand(feed, name="list", description="The feeds of this server")
    async def feed_list(self, ctx: commands.Context[NewsBot]) -> None:
        await self.adapter.answer(ctx, self._core().feed_list)

    @subcommand(feed, name="status", description="Health of each feed")
    async def feed_status(self, ctx: commands.Context[NewsBot]) -> None:
        await self.adapter.answer(ctx, self._core().feed_status)

    @subcommand(feed, name="resume", description="Resume a paused feed")
    @app_commands.describe(feed="Feed number (see /feed list) or its address")
    async def feed_resume(self, ctx: commands.Context[NewsBot], feed: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_resume(feed, c))

    @subcommand(feed, name="why", description="Why an item was or wasn't posted")
    @app_commands.describe(item="The item's link or title")
    async def feed_why(self, ctx: commands.Context[NewsBot], *, item: str) -> None:
        core = self._core()
        await self.adapter.answer(ctx, lambda c: core.feed_why(item, c))
