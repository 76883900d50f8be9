"""The Slack adapter: slack-bolt's AsyncApp over Socket Mode, plugged into the platform-neutral core.

The only module that imports slack_bolt / slack_sdk. It posts article messages (Block Kit built
by ``slack_render``), answers slash commands (acknowledged at once, answered through the
command's response_url), ``@newsbot who said …`` mentions and ``!who said …`` messages, and
decides who is a feed admin (workspace admins/owners, or users/user groups named in config).

Naming: channels are "slack:<channel id>", the scope is "slack:<team id>" of the workspace the
bot token belongs to (learned from auth.test), so a workspace's who-said searches only its feeds.

Posting is paced per channel (one message per second, FIFO through a per-channel lock) and a
429 answer is retried after its Retry-After delay. Failures become ``DeliveryError``; a channel
the bot cannot post to (not in it, gone, archived) is permanent, and is not asked again for a
while (1 minute doubling to an hour) unless Slack says the bot was invited to it.
Text users type arrives Slack-formatted (``&amp;``, ``<https://…>``) and is turned back into
what they typed (``slack_render.unformat``) before the core sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.chat.base import DeliveryError
from bot.chat.slack_render import render_notice, render_post, render_reply, unformat
from bot.core.commands import REFUSAL, Commands, Context, parse_command
from bot.errors import ConfigError
from bot.models import Message, Reply
from bot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt.context.respond.async_respond import AsyncRespond

log = logging.getLogger(__name__)

PREFIX = "slack"
POST_INTERVAL = 1.0  # Slack allows about one message per second per channel
MAX_RETRY_WAIT = 30.0  # a longer Retry-After fails the send; the delivery is retried later
MAX_ATTEMPTS = 3
ADMIN_CACHE_SECONDS = 300.0
BLOCK_FIRST = 60.0  # a channel that refused a post is not tried again for a while ...
BLOCK_MAX = 3600.0  # ... doubling up to an hour, or until the bot is invited (event)
# Errors that retrying will not fix: the bot is not in the channel, it is gone, or the token
# lacks a permission. The delivery stays pending; the feed shows the error.
PERMANENT_ERRORS = frozenset({
    "not_in_channel", "channel_not_found", "is_archived", "restricted_action",
    "missing_scope", "invalid_auth", "not_authed", "account_inactive", "token_revoked",
    "no_permission", "ekm_access_denied", "team_access_not_granted",
})
SLACK_REFUSAL = (
    "Sorry, only workspace admins and owners (or people named in the bot's config) can manage "
    "feeds. Nothing was changed."
)
SLACK_HELP = (
    "\n\nIn Slack: /whosaid <phrase>, /quotes <person>, /summary <url>, "
    "/feed add <url> [#channel], /feed remove|list|status|resume|why, /newsbot <any command>; "
    "or mention me: @newsbot who said <phrase>."
)
_CHANNEL_MENTION = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_ADDED = re.compile(r"^Added feed #(\d+)")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def channel_id(channel: str) -> str:
    """ "slack:C123" -> "C123"."""
    return channel.split(":", 1)[1] if channel.startswith(PREFIX + ":") else channel


def retry_after(error: SlackApiError) -> float:
    """The Retry-After delay (seconds) of a 429 answer; 1 s when the header is missing."""
    headers = getattr(error.response, "headers", None) or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0


def api_error(error: SlackApiError) -> str:
    """The short Slack error code ("not_in_channel") of a failed call."""
    try:
        return str(error.response.get("error") or "unknown_error")
    except AttributeError:
        return "unknown_error"


class RateLimited(SlackClientError):
    """Slack asked us to wait longer than we are willing to block a send for."""

    def __init__(self, channel: str, wait: float) -> None:
        super().__init__(f"rate limited on {channel} for {wait:.0f} s more")
        self.wait = wait


class ChannelPacer:
    """One post at a time per channel, at most one per ``interval`` seconds, in arrival order."""

    def __init__(self, interval: float = POST_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
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


class AdminCheck:
    """Who may manage feeds: workspace admins/owners (users.info), or configured user/group IDs.

    Answers are cached for a few minutes; any API failure means "not an admin" (fail closed).
    """

    def __init__(self, client: AsyncWebClient, allowed: frozenset[str],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.users = frozenset(a for a in allowed if not a.startswith("S"))
        self.groups = frozenset(a for a in allowed if a.startswith("S"))
        self.clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}

    async def is_admin(self, user: str) -> bool:
        """Whether ``user`` (a Slack user ID) may manage feeds."""
        if user in self.users:
            return True
        cached = self._cache.get(user)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        allowed = await self._workspace_admin(user) or await self._in_admin_group(user)
        self._cache[user] = (self.clock() + ADMIN_CACHE_SECONDS, allowed)
        return allowed

    async def _workspace_admin(self, user: str) -> bool:
        try:
            info = await self.client.users_info(user=user)
        except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
            log.warning("users.info for %s failed (%s): treating as not an admin", user, exc)
            return False
        profile = info.get("user") or {}
        return any(bool(profile.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))

    async def _in_admin_group(self, user: str) -> bool:
        for group in sorted(self.groups):
            try:
                answer = await self.client.usergroups_users_list(usergroup=group)
            except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
                log.warning("usergroups.users.list %s failed (%s)", group, exc)
                continue
            if user in (answer.get("users") or []):
                return True
        return False


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
        self.signing_secret = signing_secret  # only for HTTP-mode requests (tests); Socket Mode
        self.pacer = pacer or ChannelPacer()  # needs none
        self.admins = AdminCheck(self.client, settings.slack_admin_users)
        self.team_id: str | None = None
        self.bot_user_id: str | None = None
        self._channel_names: dict[str, str] = {}
        self._blocked: dict[str, tuple[float, float, str]] = {}  # channel -> until, delay, why
        self._tasks: set[asyncio.Task[Any]] = set()

    # ---- posting -----------------------------------------------------------------------------

    async def _call(self, channel: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
                    ) -> AsyncSlackResponse:
        """Make one API call for a channel, paced, retrying a 429 after its Retry-After."""
        attempt = 1
        while True:
            waiting = self.pacer.quiet_for(channel)
            if waiting > MAX_RETRY_WAIT:  # a long Retry-After: fail now, the core retries later
                raise RateLimited(channel, waiting)
            async with self.pacer.slot(channel):
                try:
                    return await call()
                except SlackApiError as exc:
                    status = getattr(exc.response, "status_code", 0)
                    wait = retry_after(exc)
                    if status != 429 or attempt >= MAX_ATTEMPTS or wait > MAX_RETRY_WAIT:
                        if status == 429:
                            self.pacer.hold(channel, wait)
                        raise
                    log.info("Slack rate limit on %s: retrying in %.1f s", channel, wait)
                    self.pacer.hold(channel, wait)
            attempt += 1

    async def _post(self, channel: str, **fields: Any) -> AsyncSlackResponse:
        return await self._call(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel, unfurl_links=False, unfurl_media=False, **fields
            ),
        )

    def _block(self, channel: str, reason: str) -> None:
        previous = self._blocked.get(channel)
        delay = min(BLOCK_MAX, previous[1] * 2) if previous else BLOCK_FIRST
        self._blocked[channel] = (time.monotonic() + delay, delay, reason)

    async def send(self, message: Message) -> None:
        """Post one article to its channel; raise DeliveryError when Slack refuses."""
        channel = channel_id(message.channel)
        blocked = self._blocked.get(channel)
        if blocked is not None and blocked[0] > time.monotonic():
            # refused recently: don't ask Slack again until the block ends or we are invited
            raise DeliveryError(blocked[2], permanent=True)
        post = render_post(message)
        try:
            try:
                await self._post(channel, text=post.text, blocks=post.blocks)
            except SlackApiError as exc:
                if api_error(exc) != "invalid_blocks":
                    raise
                # most likely Slack could not fetch the image: try without it, then text only
                log.warning("Slack refused the blocks for %s: %s", channel, exc.response)
                plain = render_post(message, with_image=False)
                try:
                    await self._post(channel, text=plain.text, blocks=plain.blocks)
                except SlackApiError as again:
                    if api_error(again) != "invalid_blocks":
                        raise
                    await self._post(channel, text=plain.text)
        except SlackApiError as exc:
            code = api_error(exc)
            hint = ""
            if code == "not_in_channel":
                hint = " (invite the bot with /invite @newsbot)"
            elif code == "ratelimited":
                hint = f" (rate limited: Slack asks to wait {retry_after(exc):.0f} s)"
            reason = f"Slack error {code}{hint}"
            if code in PERMANENT_ERRORS:
                self._block(channel, reason)
            raise DeliveryError(reason, permanent=code in PERMANENT_ERRORS) from exc
        except RateLimited as exc:
            raise DeliveryError(f"Slack {exc}") from exc
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as exc:
            raise DeliveryError(f"Slack unreachable: {exc}") from exc
        self._blocked.pop(channel, None)

    async def notify(self, channel: str, text: str) -> None:
        """Post a literal notice; problems are logged, never raised."""
        target = channel_id(channel)
        try:
            await self._post(target, text=render_notice(text))
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as exc:
            log.warning("notice to %s failed: %s", channel, exc)

    async def _say(self, channel: str, reply: Reply, user: str, thread_ts: str | None) -> None:
        """Answer a typed command in the channel (ephemeral answers only to the asker)."""
        text = render_reply(reply)
        try:
            if reply.ephemeral and user:
                await self._call(channel, lambda: self.client.chat_postEphemeral(
                    channel=channel, user=user, text=text, thread_ts=thread_ts))
            else:
                await self._post(channel, text=text, thread_ts=thread_ts)
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as exc:
            log.warning("answer in %s failed: %s", channel, exc)

    def for_slack(self, reply: Reply, commands: Commands) -> Reply:
        """Slack wording for a core reply: workspace admins rather than "server admins", the
        Slack commands in the help, and an invite hint when a new feed's channel refused us."""
        if reply.text == REFUSAL:
            return Reply(SLACK_REFUSAL, ephemeral=True)
        if reply.text == commands.help().text:
            return self.help(commands)
        added = _ADDED.match(reply.text)
        feed = commands.store.get_feed(int(added.group(1))) if added else None
        if feed is not None and channel_id(feed.channel) in self._blocked:
            return Reply(reply.text + " But I am not in its channel yet: invite me there with "
                         "/invite @newsbot and the waiting posts will follow.",
                         reply.ephemeral, reply.lines)
        return reply

    # ---- who is asking, where ----------------------------------------------------------------

    def scope(self, team_id: str | None) -> str:
        """The who-said scope: the bot's own workspace (from auth.test), else the payload's."""
        return f"{PREFIX}:{self.team_id or team_id or 'unknown'}"

    async def _load_channel_names(self) -> None:
        """Fill the channel name -> ID map (conversations.list) for "#name" arguments."""
        cursor: str | None = None
        try:
            for _ in range(20):  # 20 pages of 200: plenty for a workspace the bot serves
                page = await self.client.conversations_list(
                    types="public_channel,private_channel", exclude_archived=True, limit=200,
                    cursor=cursor,
                )
                for chan in page.get("channels") or []:
                    if chan.get("name") and chan.get("id"):
                        self._channel_names[str(chan["name"]).lower()] = str(chan["id"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
            log.warning("conversations.list failed: %s", exc)

    def resolve_channel(self, name: str) -> str | None:
        """A typed channel ("<#C123|news>", "C123", "slack:C123", "#news") as "slack:C123"."""
        token = name.strip()
        mention = _CHANNEL_MENTION.match(token)
        if mention:
            return f"{PREFIX}:{mention.group(1)}"
        if token.startswith(PREFIX + ":") and _CHANNEL_ID.match(channel_id(token)):
            return token
        if _CHANNEL_ID.match(token):
            return f"{PREFIX}:{token}"
        known = self._channel_names.get(token.lstrip("#").lower())
        return f"{PREFIX}:{known}" if known else None

    async def context(self, *, channel: str, user: str, team: str | None, text: str) -> Context:
        """The core's Context for a command; admin status is looked up only for feed commands."""
        parsed = parse_command(text, "", mentioned=True)
        is_feed = parsed is not None and parsed[0] == "feed"
        is_admin = bool(user) and is_feed and await self.admins.is_admin(user)
        if is_feed and is_admin and any(
            word.startswith("#") and self.resolve_channel(word) is None for word in text.split()
        ):
            await self._load_channel_names()
        return Context(
            channel=f"{PREFIX}:{channel}", scope=self.scope(team), is_admin=is_admin,
            user=f"{PREFIX}:{user}", resolve_channel=self.resolve_channel,
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
        """The core's help plus the Slack command forms."""
        return Reply(commands.help().text + SLACK_HELP)

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
            except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as exc:
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
        if self._blocked.pop(channel, None) is not None:
            log.info("Slack: invited to %s; sending its pending posts", channel)
        task = asyncio.ensure_future(self._deliver(commands))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the background delivery rounds started by events to finish."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    @staticmethod
    async def _deliver(commands: Commands) -> None:
        try:
            await commands.poller.dispatcher.deliver_pending()
        except Exception:  # a delivery round failing must not kill the event handler
            log.exception("delivery round after joining a Slack channel failed")

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
        await self._say(channel, reply, user, str(thread) if thread else None)

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
            except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as exc:
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
