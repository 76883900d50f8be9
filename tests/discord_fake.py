"""A tiny fake Discord on 127.0.0.1 for the adapter tests: the gateway websocket and the REST routes
the bot uses, so discord.py's real client code runs against it and a test can assert on the HTTP
requests the bot really makes.

One server ("Test Server") with channels #general, #news and #locked (where the bot may not send),
roles @everyone, Admins (Manage Server) and Editors (no permission; the configured admin role),
and users: the bot, an admin, a member and an editor. Like Discord, message sends are checked
against the embed limits (400 when exceeded) and can be refused per channel (403) or be unknown
(404).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import yarl
from aiohttp import WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

SNOWFLAKE = 10**17  # real ids have 17-20 digits; discord.py's converters insist
GUILD = SNOWFLAKE + 1000
GENERAL, NEWS, LOCKED = SNOWFLAKE + 2001, SNOWFLAKE + 2002, SNOWFLAKE + 2003
ADMIN_ROLE, EDITOR_ROLE = SNOWFLAKE + 3001, SNOWFLAKE + 3002
BOT_ROLE = SNOWFLAKE + 3003  # the role Discord makes for an invited bot ("@Newsbot" too)
DM = SNOWFLAKE + 2999  # a direct-message channel between a member and the bot
APP = SNOWFLAKE + 8000
BOT, ADMIN, MEMBER, EDITOR = SNOWFLAKE + 9000, SNOWFLAKE + 9001, SNOWFLAKE + 9002, SNOWFLAKE + 9003
MESSAGE_CONTENT = 1 << 15
EVERYONE_PERMISSIONS = 2147568640  # view, send, embed links, read history, use app commands
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
EPHEMERAL = 1 << 6
TIMESTAMP = "2026-03-02T09:00:00+00:00"


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot}


USERS = {
    BOT: user(BOT, "Newsbot", bot=True), ADMIN: user(ADMIN, "alice"),
    MEMBER: user(MEMBER, "bob"), EDITOR: user(EDITOR, "carol"),
}
ROLES_OF = {BOT: [str(BOT_ROLE)], ADMIN: [str(ADMIN_ROLE)], MEMBER: [], EDITOR: [str(EDITOR_ROLE)]}


def member(user_id: int) -> dict[str, Any]:
    return {"user": USERS[user_id], "roles": ROLES_OF[user_id], "joined_at": TIMESTAMP,
            "deaf": False, "mute": False, "flags": 0}


def role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
    return {"id": str(role_id), "name": name, "permissions": str(permissions),
            "position": position, "color": 0, "hoist": False, "managed": False,
            "mentionable": False, "flags": 0}


def text_channel(channel_id: int, name: str, position: int) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 0, "guild_id": str(GUILD), "name": name,
            "position": position, "permission_overwrites": [], "nsfw": False, "topic": None,
            "last_message_id": None, "rate_limit_per_user": 0, "parent_id": None}


CHANNELS = [text_channel(GENERAL, "general", 0), text_channel(NEWS, "news", 1),
            text_channel(LOCKED, "locked", 2)]
# #locked denies Send Messages to @everyone (so to the bot, which has no other role)
CHANNELS[2]["permission_overwrites"] = [
    {"id": str(GUILD), "type": 0, "allow": "0", "deny": str(SEND_MESSAGES)}]


def guild_payload() -> dict[str, Any]:
    return {
        "id": str(GUILD), "name": "Test Server", "icon": None, "owner_id": str(SNOWFLAKE + 1),
        "roles": [role(GUILD, "@everyone", EVERYONE_PERMISSIONS, 0),
                  role(ADMIN_ROLE, "Admins", MANAGE_GUILD, 2),
                  role(EDITOR_ROLE, "Editors", 0, 1),
                  role(BOT_ROLE, "Newsbot", 0, 3) | {"managed": True,
                                                      "tags": {"bot_id": str(BOT)}}],
        "emojis": [], "stickers": [], "features": [], "channels": CHANNELS, "threads": [],
        "members": [member(BOT)], "voice_states": [], "presences": [], "member_count": 4,
        "large": False, "unavailable": False, "mfa_level": 0, "verification_level": 0,
        "premium_tier": 0, "system_channel_flags": 0, "preferred_locale": "en-US",
        "nsfw_level": 0, "explicit_content_filter": 0, "default_message_notifications": 0,
        "afk_timeout": 300, "joined_at": TIMESTAMP,
    }


@dataclass
class Request:
    """One HTTP request the bot made."""

    method: str
    path: str
    body: Any
    status: int = 0


def embed_problems(embed: dict[str, Any]) -> list[str]:
    """Discord's embed limits, checked like the real API does."""
    problems = []
    limits = {"title": 256, "description": 4096}
    for key, limit in limits.items():
        if len(embed.get(key, "")) > limit:
            problems.append(f"{key} longer than {limit}")
    fields = embed.get("fields", [])
    if len(fields) > 25:
        problems.append("more than 25 fields")
    for item in fields:
        if len(item.get("name", "")) > 256 or len(item.get("value", "")) > 1024:
            problems.append("field too long")
    if len(embed.get("footer", {}).get("text", "")) > 2048:
        problems.append("footer longer than 2048")
    total = (len(embed.get("title", "")) + len(embed.get("description", ""))
             + len(embed.get("footer", {}).get("text", ""))
             + len(embed.get("author", {}).get("name", ""))
             + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields))
    if total > 6000:
        problems.append("embed longer than 6000 in total")
    return problems


class FakeDiscord:
    """The fake API and gateway. ``requests`` records every REST call, in order."""

    def __init__(self, *, allow_message_content: bool = True) -> None:
        self.allow_message_content = allow_message_content
        self.requests: list[Request] = []
        self.forbidden: set[int] = set()
        self.reject_embeds = False  # answer 400 to any embed, like a malformed one
        self.token: str | None = None  # when set, any other token gets 401
        self.rate_limited = 0  # answer this many message creates with 429 (retry after 50 ms)
        self.identify_intents: list[int] = []
        self.ready = asyncio.Event()
        self.ws: web.WebSocketResponse | None = None
        self.runner: web.AppRunner | None = None
        self.port = 0
        self._ids = itertools.count(SNOWFLAKE + 500_000)
        self._seq = itertools.count(1)

    # ---- plumbing ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point discord.py's REST base and gateway at this server."""
        monkeypatch.setattr(Route, "BASE", f"http://127.0.0.1:{self.port}/api/v10")
        monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY",
                            yarl.URL(f"ws://127.0.0.1:{self.port}/gateway"))

    def next_id(self) -> str:
        return str(next(self._ids))

    # ---- gateway ----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_json({"op": 11})
            elif data["op"] == 2:
                intents = int(data["d"].get("intents", 0))
                self.identify_intents.append(intents)
                if intents & MESSAGE_CONTENT and not self.allow_message_content:
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await self.dispatch("READY", {
                    "v": 10, "user": USERS[BOT], "guilds": [{"id": str(GUILD),
                                                               "unavailable": True}],
                    "session_id": "fake-session",
                    "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                    "application": {"id": str(APP), "flags": 0},
                })
                await self.dispatch("GUILD_CREATE", guild_payload())
                self.ready.set()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway event to the bot."""
        assert self.ws is not None, "the bot is not connected"
        await self.ws.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def user_message(self, author: int, content: str, *, channel: int = GENERAL,
                           mentions_bot: bool = False) -> None:
        """A member types a message in a channel."""
        mentions = [dict(USERS[BOT], member=member(BOT))] if mentions_bot else []
        where: dict[str, Any] = (
            {} if channel == DM else {"guild_id": str(GUILD), "member": member(author)})
        await self.dispatch("MESSAGE_CREATE", where | {
            "id": self.next_id(), "channel_id": str(channel),
            "author": USERS[author], "content": content,
            "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": mentions, "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
        })

    async def slash(self, author: int, name: str, options: list[dict[str, Any]], *,
                    channel: int = GENERAL, permissions: int | None = None) -> str:
        """A member uses a slash command; returns the interaction id."""
        interaction_id = self.next_id()
        if permissions is None:
            permissions = EVERYONE_PERMISSIONS | (MANAGE_GUILD if author == ADMIN else 0)
        data: dict[str, Any] = {"id": str(SNOWFLAKE + 7000), "name": name, "type": 1, "options": options}
        channel_ids = [o["value"] for o in _flatten(options) if o.get("type") == 7]
        if channel_ids:
            data["resolved"] = {"channels": {
                cid: dict(next(c for c in CHANNELS if c["id"] == cid), permissions="0")
                for cid in channel_ids}}
        await self.dispatch("INTERACTION_CREATE", {
            "id": interaction_id, "application_id": str(APP), "type": 2, "data": data,
            "guild_id": str(GUILD), "channel_id": str(channel),
            "channel": next(c for c in CHANNELS if c["id"] == str(channel)),
            "member": dict(member(author), permissions=str(permissions)),
            "token": f"token-{interaction_id}", "version": 1,
            "app_permissions": str(EVERYONE_PERMISSIONS), "locale": "en-US",
            "guild_locale": "en-US", "entitlements": [], "authorizing_integration_owners": {},
            "context": 0, "attachment_size_limit": 10_000_000,
        })
        return interaction_id

    # ---- REST -------------------------------------------------------------------------------

    def message(self, channel_id: str, body: dict[str, Any], *,
                webhook: bool = False) -> dict[str, Any]:
        payload = {
            "id": self.next_id(), "channel_id": channel_id, "author": USERS[BOT],
            "content": body.get("content") or "", "timestamp": TIMESTAMP,
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
            "pinned": False, "type": 0, "flags": body.get("flags", 0),
        }
        if webhook:
            payload["webhook_id"] = str(APP)
        return payload

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        text = await request.text()
        body = json.loads(text) if text else None
        record = Request(request.method, path, body)
        self.requests.append(record)
        if self.token is not None and request.headers.get("Authorization") != f"Bot {self.token}":
            record.status = 401
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        response = self._answer(request.method, path, body)
        record.status = response.status
        return response

    def _answer(self, method: str, path: str, body: Any) -> web.Response:
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return _json(USERS[BOT])
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json({
                "id": str(APP), "name": "Newsbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "owner": USERS[ADMIN],
                "verify_key": "0" * 64, "flags": 0,
            })
        if method == "PUT" and parts[:1] == ["applications"]:
            return _json([
                dict(cmd, id=self.next_id(), application_id=str(APP), version="1", type=1)
                for cmd in body or []
            ])
        if method == "POST" and parts[0] == "channels" and parts[2:] == ["messages"]:
            return self._create_message(parts[1], body or {})
        if parts[0] == "interactions" and parts[-1] == "callback":
            kind = (body or {}).get("type")
            flags = ((body or {}).get("data") or {}).get("flags", 0)
            return _json({"interaction": {
                "id": parts[1], "type": 2, "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(flags & EPHEMERAL)}})
        if parts[0] == "webhooks":
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self.message(str(GENERAL), body or {}, webhook=True))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _create_message(self, channel_id: str, body: dict[str, Any]) -> web.Response:
        if self.rate_limited > 0:
            self.rate_limited -= 1
            response = _json({"message": "You are being rate limited.", "retry_after": 0.05,
                              "global": False}, status=429)
            response.headers.update({"Via": "1.1 google", "X-RateLimit-Scope": "user"})
            return response
        if int(channel_id) in self.forbidden:
            return _json({"message": "Missing Permissions", "code": 50013},
                                     status=403)
        if channel_id not in {c["id"] for c in CHANNELS} | {str(DM)}:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        problems = [p for e in body.get("embeds") or [] for p in embed_problems(e)]
        if self.reject_embeds and body.get("embeds"):
            problems.append("embeds rejected by the test")
        if len(body.get("content") or "") > 2000:
            problems.append("content longer than 2000")
        if problems:
            errors = {"embeds": {"_errors": [{"code": "LIMIT", "message": p} for p in problems]}}
            return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors},
                         status=400)
        return _json(self.message(channel_id, body))

    # ---- what the bot did -------------------------------------------------------------------

    def posts(self, channel: int | None = None) -> list[dict[str, Any]]:
        """Bodies of the channel messages the bot created (all channels, or one)."""
        return [
            r.body for r in self.requests
            if r.method == "POST" and r.status == 200 and r.path.startswith("/channels/")
            and r.path.endswith("/messages")
            and (channel is None or r.path == f"/channels/{channel}/messages")
        ]

    def attempts(self, channel: int) -> list[Request]:
        """Every message create the bot tried in a channel, refused ones too."""
        return [r for r in self.requests
                if r.method == "POST" and r.path == f"/channels/{channel}/messages"]

    def interaction_replies(self, interaction_id: str) -> list[Request]:
        """The callback, edits and follow-ups for one interaction, in order."""
        token = f"token-{interaction_id}"
        return [r for r in self.requests
                if f"/interactions/{interaction_id}/" in r.path or f"/{token}" in r.path]


def _json(data: Any, status: int = 200) -> web.Response:
    # exactly "application/json": discord.py compares the header, a charset would turn it to text
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json"})


def _flatten(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for option in options:
        out.append(option)
        out.extend(_flatten(option.get("options", [])))
    return out


async def wait_until(predicate: Any, seconds: float = 5.0) -> None:
    """Poll ``predicate()`` until true (the bot works concurrently over real sockets)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.01)


class RunningBot:
    """The whole bot (real store, core and poller) with the Discord adapter connected to a fake
    Discord. ``async with RunningBot(fake, settings) as bot:`` gives ``bot.app`` (the core),
    ``bot.adapter`` and ``bot.fake``."""

    def __init__(self, fake: FakeDiscord, settings: Any) -> None:
        from bot.chat.discord_adapter import DiscordAdapter
        from tests.support import Harness

        self.fake = fake
        self.adapter = DiscordAdapter(settings, ready_timeout=0.05)
        self.harness = Harness(settings, self.adapter)  # type: ignore[arg-type]
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningBot:
        import time

        self.app = await self.harness.__aenter__()
        self.app.sync_config_feeds(time.time())  # as `python -m bot` does before connecting
        self.task = asyncio.create_task(self.adapter.run(self.app.commands, self.stop))
        await wait_until(lambda: self.adapter.bot is not None and self.adapter.bot.is_ready())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 5)
        await self.harness.__aexit__(*exc)


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A running fake Discord that discord.py is pointed at (import this fixture by name)."""
    server = FakeDiscord()
    await server.start()
    server.install(monkeypatch)
    yield server
    await server.stop()
