"""The one background loop: check due feeds, store what is new, hand posts to delivery.

A failing feed records its error and backs off; it never stops the loop or the other feeds.
New-item rule: the first check of a feed records its current items as a baseline and posts none
(unless asked for the latest N); later checks post items whose key the feed has not seen, once
per channel (dedupe by entry id, then normalised URL, then title, across the channel's feeds;
the duplicate test and the seen-item records are bot/core/story_records.py).
A check whose new items, duplicates left out, are more than ``max_new_per_poll`` posts only the
newest of them, records the rest as skipped and tells the channel (bot/core/flood.py).
A channel's lock orders the duplicate tests and records of its feeds; it is held for database
work only, never while an article page is fetched, so commands never wait for a slow site. So
that two running checks of one channel don't both count (and skip) the same stories, a check
claims the stories it will post and the others leave them out (bot/core/claims.py). A check
whose feed is removed meanwhile stops quietly.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.chat.base import channel_platform
from bot.core import flood
from bot.core import story_records as records
from bot.core.claims import Claims
from bot.core.context import command_on
from bot.core.delivery import Dispatcher
from bot.core.formatting import fetch_reason, plural, subjects
from bot.core.pipeline import Pipeline, fallback_article
from bot.errors import FeedError, FetchError
from bot.feeds import schedule
from bot.feeds.fetch import fetch
from bot.feeds.parse import parse_feed
from bot.models import Feed, Item, ParsedFeed
from bot.storage.store import Store

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
CONCURRENT_FEEDS = 4
MAX_NEW_PER_POLL = 20  # default cap of posts from one check of a feed (posts.max_new_per_poll)


@dataclass(frozen=True)
class CheckResult:
    """What one feed check did."""

    new: int = 0
    duplicates: int = 0
    skipped: int = 0  # non-duplicate new items over the per-check cap: recorded, not posted
    not_modified: bool = False
    error: str | None = None
    paused: bool = False


class Poller:
    """Checks feeds and turns new items into pending deliveries."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        dispatcher: Dispatcher,
        policy: schedule.Backoff,
        *,
        latest_on_add: int = 0,
        max_new_per_poll: int = MAX_NEW_PER_POLL,
        prefix: str = "!",
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.dispatcher = dispatcher
        self.policy = policy
        self.latest_on_add = latest_on_add
        self.max_new_per_poll = max(1, max_new_per_poll)  # posts from one check of a feed
        self.prefix = prefix  # how Discord users type commands, for the notices
        self.clock = clock
        self.rng = rng or random.Random()
        self._locks: dict[int, asyncio.Lock] = {}
        self._channel_locks: dict[str, asyncio.Lock] = {}
        self.claims = Claims()  # the stories running checks will post, per channel

    def _command(self, feed: Feed, words: str) -> str:
        """A command as an admin types it in the feed's channel ("!feed resume 3", "/feed …")."""
        return command_on(channel_platform(feed.channel), words, self.prefix)

    async def fetch_parsed(
        self,
        feed_url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        allow_local: bool = True,
    ) -> tuple[ParsedFeed | None, str | None, str | None]:
        """Fetch and parse a feed: (parsed or None on 304, etag, last_modified).

        Parsing runs in a worker thread: a large feed takes a second or more.
        """
        result = await fetch(
            self.pipeline.session, feed_url, limits=self.pipeline.limits, etag=etag,
            last_modified=last_modified, accept=FEED_ACCEPT, allow_local=allow_local,
        )
        if result.not_modified:
            return None, etag, last_modified
        parsed = await asyncio.to_thread(
            parse_feed, result.body, url=result.url, headers=result.headers
        )
        return parsed, result.etag, result.last_modified

    async def add_feed(
        self,
        url: str,
        channel: str,
        scope: str,
        *,
        latest: int | None = None,
        allow_local: bool = False,
    ) -> tuple[Feed, bool, int]:
        """Validate a feed by fetching it, then add it with its current items as the baseline.

        Returns (feed, created, posted): ``posted`` is how many of the latest items were queued.
        A feed the channel had before (removed, now added back) remembers the items it saw then,
        so only items it never saw can be among the latest posted. The returned feed's
        ``item_count`` is how many items the feed holds now (all of them recorded), not the
        remembered items of its earlier life, which may be many more.
        Raises FetchError or FeedError (nothing is stored) when the feed can't be read. Local
        paths and file:// URLs only with ``allow_local`` (the console's own user).
        """
        parsed, etag, last_modified = await self.fetch_parsed(url, allow_local=allow_local)
        assert parsed is not None
        feed, created = self.store.add_feed(url, channel, scope, self.clock())
        if not created:
            return feed, False, 0
        count = self.latest_on_add if latest is None else latest
        result = await self._apply(
            feed, parsed, etag, last_modified, baseline=True, latest=count
        )
        await self.dispatcher.deliver_pending()
        refreshed = self.store.get_feed(feed.id) or feed
        current = len({item.key for item in parsed.items})
        return replace(refreshed, item_count=current), True, result.new

    async def check_feed(self, feed: Feed) -> CheckResult:
        """Check one feed now; never raises for feed problems (they are recorded)."""
        lock = self._locks.setdefault(feed.id, asyncio.Lock())
        async with lock:
            current = self.store.get_feed(feed.id)
            if current is None:
                return CheckResult(error="feed removed")
            return await self._check(current)

    async def _check(self, feed: Feed) -> CheckResult:
        try:
            parsed, etag, last_modified = await self.fetch_parsed(
                feed.url, feed.etag, feed.last_modified
            )
        except (FetchError, FeedError) as exc:
            return await self._failed(feed, exc)
        if parsed is None:
            self.store.record_check(
                feed.id, now=self.clock(),
                next_check=schedule.next_after_success(self.clock(), self.policy, self.rng),
                etag=etag, last_modified=last_modified,
            )
            return CheckResult(not_modified=True)
        baseline = feed.last_success is None and feed.item_count == 0
        latest = self.latest_on_add if baseline else 0
        return await self._apply(
            feed, parsed, etag, last_modified, baseline=baseline, latest=latest
        )

    async def _failed(self, feed: Feed, exc: FetchError | FeedError) -> CheckResult:
        if not records.present(self.store, feed):  # removed while its document was fetched
            return CheckResult(error="feed removed")
        now = self.clock()
        permanent = isinstance(exc, FetchError) and exc.permanent
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        failures = feed.failures + 1
        paused = schedule.should_pause(failures, self.policy, permanent=permanent)
        next_check = schedule.next_after_failure(now, failures, self.policy, self.rng, retry_after)
        self.store.record_failure(
            feed.id, now=now, error=str(exc), next_check=next_check, paused=paused
        )
        log.warning("feed %s (#%d) failed (%d in a row): %s", feed.url, feed.id, failures, exc)
        if paused:
            why = "it is gone (HTTP 410)" if permanent else (
                f"{plural(failures, 'failed check')} in a row"
            )
            await self.dispatcher.notify(
                feed.channel,
                f"Feed #{feed.id} ({feed.title or feed.url}) is paused: {why}. "
                f"Last error: {fetch_reason(str(exc), *subjects(feed.url))}. "
                f"An admin can resume it with "
                f"`{self._command(feed, f'feed resume {feed.id}')}`.",
            )
        return CheckResult(error=str(exc), paused=paused)

    async def _internal_failure(self, feed: Feed, exc: Exception) -> CheckResult:
        """Record an unexpected error like a failed check, so the feed backs off."""
        error = f"internal error: {exc}"
        now = self.clock()
        failures = feed.failures + 1
        try:
            self.store.record_failure(
                feed.id, now=now, error=error, paused=False,
                next_check=schedule.next_after_failure(now, failures, self.policy, self.rng),
            )
        except Exception:
            log.exception("could not record the failure of feed #%d", feed.id)
        return CheckResult(error=error)

    async def _apply(
        self,
        feed: Feed,
        parsed: ParsedFeed,
        etag: str | None,
        last_modified: str | None,
        *,
        baseline: bool,
        latest: int,
    ) -> CheckResult:
        """Store what is new in a fetched feed. The check's claims are released however it ends;
        a check whose feed is removed meanwhile stops quietly."""
        check = self.claims.begin(feed.channel, feed.id)
        shared = records.shared_identities(parsed.items)
        try:
            # Under the channel's lock for database work only (see _plan): no command (`feed
            # add`, `feed resume`) waits for a slow site.
            async with self._channel_lock(feed.channel):
                records.ensure_present(self.store, feed)
                to_post, duplicates, skipped, postable, deferred = self._plan(
                    check, feed, parsed, shared, baseline=baseline, latest=latest
                )
            if skipped:
                await self._tell_skipped(feed, parsed, skipped, postable)
            # Then one item at a time (see _take). No other check of the channel takes a story
            # claimed here meanwhile, so a capped check posts what its notice says.
            new = 0
            for item in to_post:
                if await self._take(feed, parsed, item, shared):
                    new += 1
                else:
                    duplicates += 1
                self.claims.release(feed.channel, check, item.key)
            if records.present(self.store, feed):
                if deferred:  # fetch the whole feed next time, to see the deferred items again
                    etag = last_modified = None
                self.store.record_check(
                    feed.id, now=self.clock(),
                    next_check=schedule.next_after_success(self.clock(), self.policy, self.rng),
                    etag=etag, last_modified=last_modified, title=parsed.title,
                    image=parsed.image,
                )
            return CheckResult(new=new, duplicates=duplicates, skipped=skipped)
        except records.FeedGone:
            log.info("feed #%d (%s) was removed during its check; stopped", feed.id, feed.url)
            return CheckResult(error="feed removed")
        finally:
            self.claims.end(feed.channel, check)

    def _plan(
        self, check: int, feed: Feed, parsed: ParsedFeed, shared: set[str], *, baseline: bool,
        latest: int,
    ) -> tuple[list[Item], int, int, int, bool]:
        """Under the channel's lock: the duplicate and claim tests the flood cap counts with, the
        cap decision, the baseline, duplicates and skipped items recorded, the items to post
        claimed (an item another running check claimed is left out, unrecorded, and the check
        keeps no ETag so the next one reads it again). Returns (items to post, duplicates,
        skipped, postable, whether any item was left out so)."""
        seen = self.store.seen_keys(feed.id, [item.key for item in parsed.items])
        fresh = [item for item in flood.chronological(parsed.items) if item.key not in seen]

        def elsewhere(item: Item) -> bool:  # another running check will post this story
            ids = records.identities(item)
            return self.claims.held_elsewhere(feed.channel, check, ids) is not None

        duplicates = skipped = postable = 0
        if baseline:
            latest_items = fresh[len(fresh) - latest :] if latest > 0 else []
            records.record_baseline(
                self.store, feed, fresh, {item.key for item in latest_items}, self.clock
            )
            to_post = [item for item in latest_items if not elsewhere(item)]
            deferred = len(to_post) < len(latest_items)
        else:
            found = {
                item.key: records.find_duplicate(self.store, feed, item, shared, self.clock)
                for item in fresh
            }
            cap = flood.plan(
                fresh, lambda item: found[item.key] is not None, self.max_new_per_poll, elsewhere
            )
            to_post = [item for item in cap.take if found[item.key] is None]
            duplicates = records.record_duplicates(
                self.store, feed,
                [(item, dup) for item in cap.take if (dup := found[item.key])], self.clock,
            )
            skipped, postable, deferred = len(cap.skipped), cap.postable, bool(cap.deferred)
            if cap.skipped:
                detail = flood.skip_detail(postable, self.max_new_per_poll)
                records.record_skipped(self.store, feed, cap.skipped, detail, self.clock)
        for item in to_post:
            self.claims.claim(feed.channel, check, item.key, records.identities(item))
        return to_post, duplicates, skipped, postable, deferred

    def _channel_lock(self, channel: str) -> asyncio.Lock:
        """The lock that orders the duplicate tests and records of one channel's feeds. It is
        never held while a page is fetched or a message is sent."""
        return self._channel_locks.setdefault(channel, asyncio.Lock())

    async def _tell_skipped(self, feed: Feed, parsed: ParsedFeed, skipped: int, found: int) -> None:
        """Log a capped check and tell the channel once (after its skipped items are recorded,
        before the kept ones are posted)."""
        limit = self.max_new_per_poll
        log.warning(
            "feed %s (#%d) had %d new items in one check; posting the latest %d, skipping %d",
            feed.url, feed.id, found, limit, skipped,
        )
        title = parsed.title or feed.title or feed.url
        await self.dispatcher.notify(
            feed.channel,
            flood.notice(feed.id, title, found, limit, self._command(feed, "feed why <link>")),
        )

    async def _take(self, feed: Feed, parsed: ParsedFeed, item: Item, shared: set[str]) -> bool:
        """Handle one new item: a duplicate is recorded, anything else becomes a pending post.

        The duplicate test and the records are made under the channel's lock, the article page
        is fetched outside it. The test is made again once the page is in (the item's claim keeps
        other checks of the channel from posting its story, this is the safety net): a story the
        channel got meanwhile is recorded as a duplicate, never posted twice.
        """
        async with self._channel_lock(feed.channel):
            records.ensure_present(self.store, feed)
            if records.recorded_as_duplicate(self.store, feed, item, shared, self.clock):
                return False
        try:
            article = await self.pipeline.article_for_item(item, parsed.title or feed.title)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug on one page must not stall the feed: post what the feed says
            log.exception("analysing %s failed; posting the feed's own text", item.link)
            article = fallback_article(item, parsed.title or feed.title)
        async with self._channel_lock(feed.channel):
            records.ensure_present(self.store, feed)
            if records.recorded_as_duplicate(self.store, feed, item, shared, self.clock):
                return False  # another feed of the channel posted it while the page was fetched
            records.record_posted(self.store, feed, item, article, self.clock)
        return True

    async def poll(self, *, force: bool = False) -> dict[int, CheckResult]:
        """Check every due feed (every unpaused feed when ``force``), then deliver posts."""
        now = self.clock()
        feeds = (
            [f for f in self.store.list_feeds() if not f.paused] if force
            else self.store.due_feeds(now)
        )
        # a feed whose platform isn't running (a console feed while on Discord) waits: its posts
        # could not go anywhere, and they will be picked up when it runs again
        feeds = [f for f in feeds if self.dispatcher.adapter_for(f.channel) is not None]
        results: dict[int, CheckResult] = {}
        gate = asyncio.Semaphore(CONCURRENT_FEEDS)

        async def one(feed: Feed) -> None:
            async with gate:
                try:
                    results[feed.id] = await self.check_feed(feed)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a bug in one feed's path must not stop the others
                    log.exception("unexpected error checking feed #%d", feed.id)
                    results[feed.id] = await self._internal_failure(feed, exc)
                # each feed's posts go out as soon as that feed is done
                await self._deliver()

        await asyncio.gather(*(one(feed) for feed in feeds))
        await self._deliver()
        return results

    async def _deliver(self) -> None:
        """A delivery round; a failure there (the database) is logged, the poll goes on."""
        try:
            await self.dispatcher.deliver_pending()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery round failed; pending posts are retried next round")

    async def run_forever(self, stop: asyncio.Event, tick: float = 5.0) -> None:
        """Poll due feeds until ``stop`` is set; sends left pending are retried each round."""
        while not stop.is_set():
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("poll round failed; trying again next round")
            try:
                await asyncio.wait_for(stop.wait(), timeout=tick)
            except TimeoutError:
                pass

