"""Delivery: send every pending post to its channel, exactly once as far as the platform allows.

The rule (see README, "Delivery"): the decision to post an article is recorded in the store (a
pending delivery) in the same transaction that marks the item seen and stores the article. Then the
post is sent, then the delivery is marked sent. On restart every delivery still pending is sent. A
crash between a send and its confirmation can repeat that one post; nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from bot.chat.base import Adapter, DeliveryError, channel_platform
from bot.core.key_quotes import key_quotes
from bot.storage.store import Store

log = logging.getLogger(__name__)

MAX_UNEXPECTED_ATTEMPTS = 5  # an adapter bug on one message: retried, then given up


class Dispatcher:
    """Routes posts and notices to the adapter that owns each channel."""

    def __init__(
        self,
        store: Store,
        adapters: Mapping[str, Adapter],
        *,
        quotes_per_post: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.adapters = dict(adapters)
        self.quotes_per_post = quotes_per_post
        self.clock = clock
        self._lock = asyncio.Lock()  # one delivery round at a time, or a post could go out twice

    def adapter_for(self, channel: str) -> Adapter | None:
        """The adapter that owns a channel, or None when that platform is not running."""
        return self.adapters.get(channel_platform(channel))

    async def deliver_pending(self) -> int:
        """Send every pending delivery whose platform is running; return how many were sent.

        A failed send stays pending (retried on the next round) and records its error on the
        feed; the other channels go on.
        """
        async with self._lock:
            return await self._deliver_round()

    async def _deliver_round(self) -> int:
        sent = 0
        blocked: set[str] = set()
        recovered: set[str] = set()
        for delivery in self.store.pending_deliveries():
            adapter = self.adapter_for(delivery.channel)
            if adapter is None or delivery.channel in blocked:
                continue
            message = self.store.message_for(delivery)
            if message is None:
                self.store.mark_sent(delivery.id, self.clock())
                continue
            message = replace(message, quotes=key_quotes(message.quotes, self.quotes_per_post))
            try:
                await adapter.send(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # DeliveryError, or an adapter bug: keep it, go on
                reason = f"cannot post to {delivery.channel}: {exc}"
                if isinstance(exc, DeliveryError):
                    # the channel refuses or is busy: later posts would fail the same way
                    blocked.add(delivery.channel)
                    log.warning("%s", reason)
                    self.store.mark_attempt_failed(delivery.id, str(exc), permanent=exc.permanent)
                elif delivery.attempts + 1 >= MAX_UNEXPECTED_ATTEMPTS:
                    # this one message keeps breaking the adapter: give it up, let others through
                    log.exception("giving up on a post to %s", delivery.channel)
                    self.store.mark_given_up(delivery.id, str(exc))
                    reason = f"a post to {delivery.channel} was dropped after repeated errors: {exc}"
                    await self.notify(
                        delivery.channel,
                        f"I could not post “{message.title}” ({message.url or 'no link'}) "
                        f"after {MAX_UNEXPECTED_ATTEMPTS} tries and gave up on it: {exc}",
                    )
                else:
                    log.exception("sending to %s failed unexpectedly", delivery.channel)
                    self.store.mark_attempt_failed(delivery.id, str(exc))
                if delivery.feed_id is not None:
                    self.store.set_feed_error(delivery.feed_id, reason)
                continue
            self.store.mark_sent(delivery.id, self.clock())
            sent += 1
            if delivery.permanent and delivery.channel not in recovered:
                # the channel refused us before and works again: say what had gone wrong
                # (passing hiccups such as a rate limit are not worth a notice)
                recovered.add(delivery.channel)
                if delivery.feed_id is not None:
                    self.store.set_feed_error(delivery.feed_id, None)
                await self.notify(
                    delivery.channel,
                    f"I can post here again. Some posts were delayed because: {delivery.last_error}",
                )
        return sent

    async def notify(self, channel: str, text: str) -> None:
        """Best-effort notice to a channel (never raises for delivery problems)."""
        adapter = self.adapter_for(channel)
        if adapter is None:
            log.info("notice for %s (platform not running): %s", channel, text)
            return
        try:
            await adapter.notify(channel, text)
        except DeliveryError as exc:
            log.warning("notice to %s failed: %s", channel, exc)
