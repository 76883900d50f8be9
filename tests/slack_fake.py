"""A fake Slack for the Slack adapter tests, all on 127.0.0.1.

``FakeSlack`` is an aiohttp server that answers the Web API methods the adapter calls
(``/api/<method>``: auth.test, users.info, chat.postMessage, ...) and the slash commands'
``response_url`` (``/respond/<n>``), recording every request. It can answer chat.postMessage
with a 429 + Retry-After, or with not_in_channel for channels the bot is "not in".
``signed`` builds a request to the bolt app the way Slack sends one: raw body plus a real
``X-Slack-Signature`` made with the signing secret. Every text here is invented for the tests.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"
TEAM = "T0TEAM"
BOT_USER = "UBOT"


@dataclass
class Call:
    """One request the fake received."""

    method: str
    data: dict[str, Any]
    at: float


@dataclass
class FakeSlack:
    """The fake Web API. Users: ``admins`` are workspace admins; everyone else is a member."""

    admins: set[str] = field(default_factory=lambda: {"UADMIN"})
    owners: set[str] = field(default_factory=set)
    groups: dict[str, list[str]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=lambda: {"news": "CNEWS", "general": "CGEN"})
    not_in: set[str] = field(default_factory=lambda: {"CNOTIN"})
    rate_limited: int = 0  # answer this many chat.postMessage calls with 429
    retry_after: str = "1"
    app_token_refused: bool = False
    refuse_images: bool = False  # answer invalid_blocks to blocks with an image (fetch failed)
    calls: list[Call] = field(default_factory=list)
    port: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acknowledgements
    socket: web.WebSocketResponse | None = None
    _runner: web.AppRunner | None = None
    _responses: int = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        self._responses += 1
        return f"http://127.0.0.1:{self.port}/respond/{self._responses}"

    def of(self, method: str) -> list[dict[str, Any]]:
        """The bodies of every call of one method (``respond`` for response_url posts)."""
        return [call.data for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        """Wait (up to 10 s) until ``count`` calls of ``method`` arrived; return them."""
        deadline = time.monotonic() + 10.0
        while len(self.of(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} {method} calls; got {self.calls}")
            await asyncio.sleep(0.01)
        return self.of(method)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            data = json.loads(raw or "{}")
            return data if isinstance(data, dict) else {}
        form: dict[str, Any] = dict(parse_qsl(raw))
        form.update(request.query)
        for key in ("blocks", "attachments"):
            if isinstance(form.get(key), str):
                form[key] = json.loads(form[key])
        return form

    def _method(self, method: str, data: dict[str, Any]) -> web.Response:
        def ok(**extra: Any) -> web.Response:
            return web.json_response({"ok": True, **extra})

        if method == "auth.test":
            return ok(team_id=TEAM, team="Test Team", user_id=BOT_USER, bot_id="BBOT",
                      url="https://test-team.example/")
        if method == "apps.connections.open":
            if self.app_token_refused:
                return web.json_response({"ok": False, "error": "invalid_auth"})
            return ok(url=f"ws://127.0.0.1:{self.port}/link")
        if method == "users.info":
            user = str(data.get("user", ""))
            return ok(user={"id": user, "team_id": TEAM, "is_admin": user in self.admins,
                            "is_owner": user in self.owners, "is_primary_owner": False})
        if method == "usergroups.users.list":
            return ok(users=self.groups.get(str(data.get("usergroup", "")), []))
        if method == "conversations.list":
            chans = [{"id": cid, "name": name} for name, cid in self.channels.items()]
            return ok(channels=chans, response_metadata={"next_cursor": ""})
        if method in ("chat.postMessage", "chat.postEphemeral"):
            channel = str(data.get("channel", ""))
            if channel in self.not_in:
                return web.json_response({"ok": False, "error": "not_in_channel"})
            if self.refuse_images and '"image"' in json.dumps(data.get("blocks") or []):
                return web.json_response({"ok": False, "error": "invalid_blocks",
                                          "errors": ["downloading image failed"]})
            if method == "chat.postMessage" and self.rate_limited > 0:
                self.rate_limited -= 1
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": self.retry_after})
            return ok(channel=channel, ts=f"{time.time():.6f}")
        return web.json_response({"ok": False, "error": "unknown_method"})

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        data = await self._body(request)
        self.calls.append(Call(method, data, time.monotonic()))
        return self._method(method, data)

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("respond", await self._body(request), time.monotonic()))
        return web.Response(text="ok")

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        """The Socket Mode WebSocket: say hello, then record what the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0APP"}})
        self.socket = ws
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                self.acks.append(json.loads(frame.data))
        return ws

    async def envelope(self, kind: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Send one Socket Mode envelope ("slash_commands", "events_api") to the app."""
        deadline = time.monotonic() + 10
        while self.socket is None:
            if time.monotonic() > deadline:
                raise AssertionError("the app never opened the Socket Mode connection")
            await asyncio.sleep(0.01)
        await self.socket.send_json({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind == "slash_commands",
        })

    def slash_payload(self, command: str, text: str, *, user: str, channel: str = "CNEWS"
                      ) -> dict[str, Any]:
        """A slash command's fields as Socket Mode delivers them."""
        return {
            "token": "legacy", "team_id": TEAM, "team_domain": "test-team",
            "channel_id": channel, "channel_name": "news", "user_id": user,
            "user_name": user.lower(), "command": command, "text": text,
            "api_app_id": "A0APP", "is_enterprise_install": "false",
            "response_url": self.response_url(), "trigger_id": "1.2.3",
        }

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._link)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{n}", self._respond)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- requests Slack sends to the app -----------------------------------------------------

    def slash(self, command: str, text: str, *, user: str, channel: str = "CNEWS"
              ) -> AsyncBoltRequest:
        """A signed slash-command request (form-encoded, as Slack posts it)."""
        body = urlencode(self.slash_payload(command, text, user=user, channel=channel))
        return signed(body, "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any]) -> AsyncBoltRequest:
        """A signed Events API request wrapping ``event``."""
        payload = {
            "token": "legacy", "team_id": TEAM, "api_app_id": "A0APP", "event": event,
            "type": "event_callback", "event_id": f"Ev{len(self.calls)}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        return signed(json.dumps(payload), "application/json")


def signed(body: str, content_type: str) -> AsyncBoltRequest:
    """A bolt request with Slack's signature headers for ``body``."""
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return AsyncBoltRequest(body=body, headers={
        "content-type": content_type,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
    })
