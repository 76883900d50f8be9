"""Slack channel names: the core's "slack:<channel id>" strings and the channels users type.

``channel_id`` strips the prefix; ``SlackChannels.resolve`` reads a typed channel
("<#C123|news>", "C123", "slack:C123", "#news") using a name -> ID map that ``load_names``
fills from conversations.list when a "#name" is not known yet.
"""

from __future__ import annotations

import logging
import re

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

PREFIX = "slack"
_CHANNEL_MENTION = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


def channel_id(channel: str) -> str:
    """ "slack:C123" -> "C123"."""
    return channel.split(":", 1)[1] if channel.startswith(PREFIX + ":") else channel


class SlackChannels:
    """The workspace's channel names, learned on demand, for resolving typed channels."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._names: dict[str, str] = {}

    async def load_names(self) -> None:
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
                        self._names[str(chan["name"]).lower()] = str(chan["id"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
            log.warning("conversations.list failed: %s", exc)

    def resolve(self, name: str) -> str | None:
        """A typed channel ("<#C123|news>", "C123", "slack:C123", "#news") as "slack:C123"."""
        token = name.strip()
        mention = _CHANNEL_MENTION.match(token)
        if mention:
            return f"{PREFIX}:{mention.group(1)}"
        if token.startswith(PREFIX + ":") and _CHANNEL_ID.match(channel_id(token)):
            return token
        if _CHANNEL_ID.match(token):
            return f"{PREFIX}:{token}"
        known = self._names.get(token.lstrip("#").lower())
        return f"{PREFIX}:{known}" if known else None
