"""Start-up against the fake Discord: login, slash-command registration, connection, ready."""

from __future__ import annotations

from pathlib import Path

from bot.chat.discord_adapter import PERMISSIONS, invite_url
from tests.discord_fake import GENERAL, MEMBER, FakeDiscord, RunningBot, wait_until
from tests.support import test_settings


async def test_registers_every_command_as_a_server_slash_command(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="fake-token")):
        (sync,) = [r for r in fake.requests if r.method == "PUT"]
    commands = {c["name"]: c for c in sync.body}
    assert set(commands) == {"whosaid", "quotes", "summary", "help", "feed"}
    assert {o["name"] for o in commands["feed"]["options"]} == {
        "add", "remove", "list", "status", "resume", "why"}
    assert all(c["dm_permission"] is False for c in sync.body)
    add = next(o for o in commands["feed"]["options"] if o["name"] == "add")
    channel = next(o for o in add["options"] if o["name"] == "channel")
    assert channel["type"] == 7 and not channel["required"]


async def test_answers_help_once_connected(fake: FakeDiscord, tmp_path: Path) -> None:
    async with RunningBot(fake, test_settings(tmp_path, discord_token="fake-token")):
        await fake.user_message(MEMBER, "!help")
        await wait_until(lambda: fake.posts(GENERAL))
    (body,) = fake.posts(GENERAL)
    assert "who said" in body["content"] and "feed add" in body["content"]
    assert body["allowed_mentions"] == {"parse": []}
    login = [r.path for r in fake.requests[:2]]
    assert login == ["/users/@me", "/oauth2/applications/@me"]


def test_invite_url_asks_for_the_documented_permissions() -> None:
    assert PERMISSIONS.value == 2147568640
    assert invite_url(123) == (
        "https://discord.com/oauth2/authorize?client_id=123"
        "&scope=bot+applications.commands&permissions=2147568640"
    )
