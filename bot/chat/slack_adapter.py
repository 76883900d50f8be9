"""The Slack adapter: slack-bolt's AsyncApp over Socket Mode, plugged into the platform-neutral core.

It answers slash commands (acknowledged at once, answered through the command's response_url),
``@newsbot who said …`` mentions and ``!who said …`` messages, and posts article messages
through ``slack_posting`` (Block Kit built by ``slack_render``; paced per channel, 429s retried,
refused channels backed off until the bot is invited). Feed admins are decided by
``slack_admins``, typed channels resolved by ``slack_channels``. Only modules named ``slack_*``
import slack_bolt / slack_sdk.

Naming: channels are "slack:<channel id>", the scope is "slack:<team id>" of the workspace the
bot token belongs to (learned from auth.test), so a workspace's who-said searches only its feeds.
Text users type arrives Slack-formatted (``&amp;``, ``<https://…>``) and is turned back into
what they typed (``slack_render.unformat``) before the core sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.background import Background, deliver_pending
from bot.chat.pacing import ChannelPacer
from bot.chat.slack_admins import AdminCheck
from bot.chat.slack_channels import PREFIX, SlackChannels, channel_id
from bot.chat.slack_posting import CALL_ERRORS, SlackPoster, api_error
from bot.chat.slack_render import render_reply, reply_fits, unformat
from bot.core.commands import Commands, parse_command
from bot.core.context import Context
from bot.core.feed_commands import REFUSAL
from bot.errors import ConfigError
from bot.models import Message, Reply
from bot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt.context.respond.async_respond import AsyncRespond

__all__ = ["AdminCheck", "ChannelPacer", "SlackAdapter"]

log = logging.getLogger(__name__)

SLACK_REFUSAL = (
    "Sorry, only workspace admins and owners (or people named in the bot's config) can manage "
    "feeds. Nothing was changed."
)
SLACK_HELP = (
    "\n\nEvery command also works as /newsbot <command> (e.g. /newsbot feed list), after a "
    "mention (@newsbot who said <phrase>), or typed in a channel I am in as {p}who said <phrase>."
)
_ADDED = re.compile(r"^Added feed #(\d+)")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class SlackAdapter:
    """Newsbot in one Slack workspace, over Socket Mode."""

    prefix = PREFIX

    def __init__(
        self,
        settings: Settings,
        *,
        client: AsyncWebClient | None = None,
        signing_secret: str = "",
        pacer: ChannelPacer | None = None,
    ) -> None:
        self.settings = settings
        self.client = client or AsyncWebClient(token=settings.slack_bot_token)
        # only for HTTP-mode requests (tests); Socket Mode needs none
        self.signing_secret = signing_secret
        self.poster = SlackPoster(self.client, pacer)
        self.pacer = self.poster.pacer
        self.admins = AdminCheck(self.client, settings.slack_admin_users)
        self.channels = SlackChannels(self.client)
        self.team_id: str | None = None
        self.bot_user_id: str | None = None
        self._background = Background()

    # ---- posting -----------------------------------------------------------------------------

    async def send(self, message: Message) -> None:
        """Post one article to its channel; raise DeliveryError when Slack refuses."""
        await self.poster.send(message)

    async def notify(self, channel: str, text: str) -> None:
        """Post a literal notice; problems are logged, never raised."""
        await self.poster.notify(channel, text)

    def for_slack(self, reply: Reply, commands: Commands) -> Reply:
        """Slack wording for a core reply: workspace admins rather than "server admins", the
        Slack commands in the help, and an invite hint when a new feed's channel refused us."""
        if reply.text == REFUSAL:
            return Reply(SLACK_REFUSAL, ephemeral=True)
        if reply.text == commands.help_for(PREFIX).text:
            return self.help(commands)
        added = _ADDED.match(reply.text)
        feed = commands.store.get_feed(int(added.group(1))) if added else None
        if feed is not None and channel_id(feed.channel) in self.poster.blocks:
            return Reply(reply.text + " But I am not in its channel yet: invite me there with "
                         "/invite @newsbot and the waiting posts will follow.",
                         reply.ephemeral, reply.lines)
        return reply

    # ---- who is asking, where ----------------------------------------------------------------

    def scope(self, team_id: str | None) -> str:
        """The who-said scope: the bot's own workspace (from auth.test), else the payload's."""
        return f"{PREFIX}:{self.team_id or team_id or 'unknown'}"

    async def context(self, *, channel: str, user: str, team: str | None, text: str) -> Context:
        """The core's Context for a command; admin status is looked up only for feed commands."""
        parsed = parse_command(text, "", mentioned=True)
        is_feed = parsed is not None and parsed[0] == "feed"
        is_admin = bool(user) and is_feed and await self.admins.is_admin(user)
        if is_feed and is_admin and any(
            word.startswith("#") and self.channels.resolve(word) is None for word in text.split()
        ):
            await self.channels.load_names()
        return Context(
            channel=f"{PREFIX}:{channel}", scope=self.scope(team), is_admin=is_admin,
            user=f"{PREFIX}:{user}", resolve_channel=self.channels.resolve,
            fits_reply=reply_fits,
        )

    # ---- commands ----------------------------------------------------------------------------

    async def answer_slash(self, commands: Commands, name: str, text: str, ctx: Context) -> Reply:
        """The answer to a slash command (``name`` without the slash)."""
        text = text.strip()
        if name == "whosaid":
            return await commands.who_said(text, ctx)
        if name == "quotes":
            return await commands.quotes(text, ctx)
        if name == "summary":
            return await commands.summary(text, ctx)
        if name == "feed":
            return await commands.feed_text(text, ctx)
        # /newsbot (or a renamed command): the whole text is a command, as after an @mention
        if not text or text.lower() == "help":
            return self.help(commands)
        reply = await commands.handle_text(text, ctx, mentioned=True)
        return reply if reply is not None else self.help(commands)

    @staticmethod
    def help(commands: Commands) -> Reply:
        """The core's help with Slack's command forms, plus the other ways to ask."""
        return Reply(commands.help_for(PREFIX).text + SLACK_HELP.replace("{p}", commands.prefix))

    def strip_mention(self, text: str) -> str:
        """The text of an app_mention without the bot's own mention(s)."""
        if self.bot_user_id:
            text = re.sub(rf"<@{re.escape(self.bot_user_id)}(?:\|[^>]*)?>", " ", text)
        else:
            text = _USER_MENTION.sub(" ", text, count=1)
        return " ".join(text.split())

    def build_app(self, commands: Commands) -> AsyncApp:
        """The bolt app with every listener registered (tests dispatch requests to it)."""
        app = AsyncApp(client=self.client, signing_secret=self.signing_secret,
                       logger=logging.getLogger("bot.chat.slack.bolt"))

        async def on_command(ack: Callable[..., Awaitable[None]], command: dict[str, Any],
                             respond: AsyncRespond) -> None:
            await ack()  # within Slack's 3 seconds, before any slow work (a /summary fetch)
            name = str(command.get("command", "")).lstrip("/").lower()
            text = unformat(str(command.get("text") or ""))
            typed = text if name == "newsbot" else f"{name} {text}"
            ctx = await self.context(channel=str(command.get("channel_id", "")),
                                     user=str(command.get("user_id", "")),
                                     team=command.get("team_id"), text=typed)
            answer = await self._safely(self.answer_slash(commands, name, text, ctx))
            reply = self.for_slack(answer or self.help(commands), commands)
            try:
                await respond(text=render_reply(reply),
                              response_type="ephemeral" if reply.ephemeral else "in_channel")
            except CALL_ERRORS as exc:
                log.warning("answering /%s failed: %s", name, exc)

        async def on_mention(event: dict[str, Any], body: dict[str, Any]) -> None:
            await self._on_text(commands, event, body, mentioned=True)

        async def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
            if event.get("subtype") or event.get("bot_id"):
                return  # edits, joins, bot posts (ours included): never commands
            text = str(event.get("text") or "")
            if self.bot_user_id and f"<@{self.bot_user_id}" in text:
                return  # the app_mention event answers this one
            await self._on_text(commands, event, body,
                                mentioned=event.get("channel_type") == "im")

        async def on_member_joined(event: dict[str, Any]) -> None:
            if self.bot_user_id and event.get("user") == self.bot_user_id:
                self.joined(str(event.get("channel", "")), commands)

        app.command(re.compile(r"^/.+"))(on_command)
        app.event("app_mention")(on_mention)
        app.event("message")(on_message)
        app.event("member_joined_channel")(on_member_joined)
        return app

    def joined(self, channel: str, commands: Commands) -> None:
        """The bot was invited to a channel: send what is waiting for it right away."""
        if self.poster.blocks.clear(channel):
            log.info("Slack: invited to %s; sending its pending posts", channel)
        self._background.spawn(deliver_pending(commands, log, "joining a Slack channel"))

    async def drain(self) -> None:
        """Wait for the background delivery rounds started by events to finish."""
        await self._background.drain()

    @staticmethod
    async def _safely(answer: Awaitable[Reply | None]) -> Reply | None:
        """The command's reply; a bug becomes an apology instead of silence."""
        try:
            return await answer
        except Exception:
            log.exception("Slack command failed")
            return Reply("Sorry, something went wrong answering that.", ephemeral=True)

    async def _on_text(self, commands: Commands, event: dict[str, Any], body: dict[str, Any],
                       *, mentioned: bool) -> None:
        text = str(event.get("text") or "")
        if mentioned:
            text = self.strip_mention(text)
        text = unformat(text)
        channel = str(event.get("channel", ""))
        user = str(event.get("user", ""))
        if not channel or parse_command(text, commands.prefix, mentioned=mentioned) is None:
            return
        body_text = text.strip()
        body_text = body_text.removeprefix(commands.prefix)
        ctx = await self.context(channel=channel, user=user, team=body.get("team_id"),
                                 text=body_text)
        reply = await self._safely(commands.handle_text(text, ctx, mentioned=mentioned))
        if reply is None:
            return
        reply = self.for_slack(reply, commands)
        thread = event.get("thread_ts")
        await self.poster.say(channel, reply, user, str(thread) if thread else None)

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(self, commands: Commands) -> AsyncApp:
        """Learn who we are (auth.test), give config feeds their workspace scope, build the app."""
        identity = await self.client.auth_test()
        self.team_id = str(identity.get("team_id") or "") or None
        self.bot_user_id = str(identity.get("user_id") or "") or None
        if self.team_id:
            scope = self.scope(None)
            for feed in commands.store.list_feeds():
                # config feeds are stored with the channel string as a provisional scope
                if feed.channel.startswith(PREFIX + ":") and feed.scope == feed.channel:
                    commands.store.set_channel_scope(feed.channel, scope)
        return self.build_app(commands)

    async def check_app_token(self) -> str | None:
        """None when the app token may open Socket Mode connections, else Slack's error code.

        slack_sdk retries a failing connect forever (logging a traceback every 10 s); a wrong
        or missing token is better reported once, clearly.
        """
        try:
            await self.client.apps_connections_open(app_token=self.settings.slack_app_token or "")
        except SlackApiError as exc:
            code = api_error(exc)
            return None if code == "ratelimited" else code
        return None

    async def run(self, commands: Commands, stop: asyncio.Event) -> None:
        """Connect over Socket Mode and answer until ``stop`` is set.

        A refused token raises ConfigError (the bot stops with that message); an unreachable
        Slack is retried with backoff, from 5 s up to every 5 minutes."""
        delay = 5.0
        while True:
            try:
                app = await self.start(commands)
                refused = await self.check_app_token()
                break
            except SlackApiError as exc:
                raise ConfigError(
                    f"Slack refused SLACK_BOT_TOKEN ({api_error(exc)}). Copy the Bot User OAuth "
                    "Token (xoxb-...) from Install App."
                ) from None
            except CALL_ERRORS as exc:
                log.error("Slack is unreachable (%s); trying again in %.0f s.", exc, delay)
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                    return
                except TimeoutError:
                    delay = min(delay * 2, 300.0)
        if refused:
            raise ConfigError(
                f"Slack refused SLACK_APP_TOKEN ({refused}). It must be an app-level token "
                "(xapp-...) with the connections:write scope, and Socket Mode must be enabled."
            )
        handler = AsyncSocketModeHandler(app, self.settings.slack_app_token)
        connecting = asyncio.ensure_future(handler.connect_async())  # type: ignore[no-untyped-call]
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if connecting.done():
                error = connecting.exception()
                if error is not None:
                    log.error("Slack: the Socket Mode connection failed: %s", error)
                    return
                log.info("Slack: connected to workspace %s over Socket Mode", self.team_id)
                await stop.wait()
        finally:
            stopping.cancel()
            connecting.cancel()
            await asyncio.gather(connecting, stopping, return_exceptions=True)
            with contextlib.suppress(Exception):
                await handler.close_async()  # type: ignore[no-untyped-call]
            await self.drain()
