"""Posting to Slack channels: paced, retried after rate limits, refused channels backed off.

``SlackPoster`` makes every chat.postMessage / chat.postEphemeral call through a per-channel
``ChannelPacer`` (one message per second, FIFO) and retries a 429 answer after its Retry-After
delay (a long one fails the send at once; the core retries the delivery later). ``send`` posts an
article (falling back to no image, then to text only, when Slack refuses the blocks) and turns
failures into ``DeliveryError``; a channel the bot cannot post to (not in it, gone, archived) is
permanent and recorded in ``blocks`` so it is not asked again for a while. ``notify`` and
``say`` post notices and command answers, logging problems instead of raising them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.chat.base import DeliveryError
from bot.chat.pacing import ChannelBlocks, ChannelPacer
from bot.chat.slack_channels import channel_id
from bot.chat.slack_render import render_notice, render_post, render_reply
from bot.models import Message, Reply

log = logging.getLogger(__name__)

POST_INTERVAL = 1.0  # Slack allows about one message per second per channel
MAX_RETRY_WAIT = 30.0  # a longer Retry-After fails the send; the delivery is retried later
MAX_ATTEMPTS = 3
# What a failed call to Slack can raise: no answer in time, an API or client error, no network.
CALL_ERRORS = (TimeoutError, SlackClientError, aiohttp.ClientError, OSError)
# Errors that retrying will not fix: the bot is not in the channel, it is gone, or the token
# lacks a permission. The delivery stays pending; the feed shows the error.
PERMANENT_ERRORS = frozenset({
    "not_in_channel", "channel_not_found", "is_archived", "restricted_action",
    "missing_scope", "invalid_auth", "not_authed", "account_inactive", "token_revoked",
    "no_permission", "ekm_access_denied", "team_access_not_granted",
})


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


class SlackPoster:
    """Every post the bot makes, through one client, one pacer and one record of refusals."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer(POST_INTERVAL)
        self.blocks = ChannelBlocks()  # channel IDs that refused a post

    async def call(self, channel: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
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

    async def post(self, channel: str, **fields: Any) -> AsyncSlackResponse:
        """chat.postMessage to a channel ID, paced, without link or media unfurls."""
        return await self.call(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel, unfurl_links=False, unfurl_media=False, **fields
            ),
        )

    async def send(self, message: Message) -> None:
        """Post one article to its channel; raise DeliveryError when Slack refuses."""
        channel = channel_id(message.channel)
        refusal = self.blocks.refusal(channel)
        if refusal is not None:
            # refused recently: don't ask Slack again until the block ends or we are invited
            raise DeliveryError(refusal, permanent=True)
        post = render_post(message)
        try:
            try:
                await self.post(channel, text=post.text, blocks=post.blocks)
            except SlackApiError as exc:
                if api_error(exc) != "invalid_blocks":
                    raise
                # most likely Slack could not fetch the image: try without it, then text only
                log.warning("Slack refused the blocks for %s: %s", channel, exc.response)
                plain = render_post(message, with_image=False)
                try:
                    await self.post(channel, text=plain.text, blocks=plain.blocks)
                except SlackApiError as again:
                    if api_error(again) != "invalid_blocks":
                        raise
                    await self.post(channel, text=plain.text)
        except SlackApiError as exc:
            code = api_error(exc)
            hint = ""
            if code == "not_in_channel":
                hint = " (invite the bot with /invite @newsbot)"
            elif code == "ratelimited":
                hint = f" (rate limited: Slack asks to wait {retry_after(exc):.0f} s)"
            reason = f"Slack error {code}{hint}"
            if code in PERMANENT_ERRORS:
                self.blocks.block(channel, reason)
            raise DeliveryError(reason, permanent=code in PERMANENT_ERRORS) from exc
        except RateLimited as exc:
            raise DeliveryError(f"Slack {exc}") from exc
        except CALL_ERRORS as exc:
            raise DeliveryError(f"Slack unreachable: {exc}") from exc
        self.blocks.clear(channel)

    async def notify(self, channel: str, text: str) -> None:
        """Post a literal notice; problems are logged, never raised."""
        target = channel_id(channel)
        try:
            await self.post(target, text=render_notice(text))
        except CALL_ERRORS as exc:
            log.warning("notice to %s failed: %s", channel, exc)

    async def say(self, channel: str, reply: Reply, user: str, thread_ts: str | None) -> None:
        """Answer a typed command in the channel (ephemeral answers only to the asker)."""
        text = render_reply(reply)
        try:
            if reply.ephemeral and user:
                await self.call(channel, lambda: self.client.chat_postEphemeral(
                    channel=channel, user=user, text=text, thread_ts=thread_ts))
            else:
                await self.post(channel, text=text, thread_ts=thread_ts)
        except CALL_ERRORS as exc:
            log.warning("answer in %s failed: %s", channel, exc)
