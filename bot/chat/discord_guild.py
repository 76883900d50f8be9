"""Discord servers as the core sees them: channel and scope names, who is an admin, which
channel a user typed, which permissions the bot lacks, and the invite URL that grants them.

Naming: channel "discord:<channel id>", scope "discord:<guild id>". Only read from discord.py's
cache; nothing here talks to Discord.
"""

from __future__ import annotations

import re

import discord

PREFIX = "discord"
# View Channel, Send Messages, Embed Links, Read Message History, Use Application Commands.
PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, read_message_history=True,
    use_application_commands=True,
)


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
