"""The admin `feed ...` commands: add, remove, list, status, resume, and why an item was posted.

Every one of them refuses a non-admin and changes nothing then. ``Commands`` builds on this class,
so adapters call these methods on the one command core.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.chat.base import channel_platform
from bot.core.context import Context, command, command_on, feeds_here, is_local
from bot.core.formatting import (
    broken_first,
    echo,
    explain,
    feed_health,
    feed_line,
    feed_name,
    fetch_reason,
    in_time,
    plural,
    status_summary,
    subjects,
    within_budget,
)
from bot.core.poller import Poller
from bot.errors import FeedError, FetchError
from bot.feeds.local import absolute_local, feed_identity
from bot.feeds.urls import normalize_title, normalize_url
from bot.models import Feed, Reply
from bot.storage.store import Store

REFUSAL = "Sorry, only server admins can manage feeds. Nothing was changed."


class FeedCommands:
    """Feed administration for the scope (server/workspace) of the asker."""

    def __init__(
        self,
        store: Store,
        poller: Poller,
        *,
        prefix: str = "!",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.poller = poller
        self.prefix = prefix
        self.clock = clock

    def _usage(self, usage: str, ctx: Context) -> Reply:
        return Reply(f"Usage: {command(ctx, usage, self.prefix)}", ephemeral=True)

    def _more(self, ctx: Context) -> str:
        """The last line of a feed list cut to fit one message."""
        one = command(ctx, "feed status <id>", self.prefix)
        return "…and {left} more feeds (" + one + " shows one)."

    async def feed_text(self, args: str, ctx: Context) -> Reply:
        """Dispatch `feed <sub> ...` typed as text."""
        words = args.split()
        sub = words[0].lower() if words else "list"
        rest = words[1:]
        if sub == "add":
            if not rest:
                return self._usage("feed add <url> [channel]", ctx)
            return await self.feed_add(rest[0], " ".join(rest[1:]) or None, ctx)
        if sub in ("remove", "delete", "rm"):
            return await self.feed_remove(" ".join(rest), ctx) if rest else self._usage(
                "feed remove <id|url>", ctx
            )
        if sub in ("list", "ls"):
            return await self.feed_list(ctx)
        if sub == "status":
            return await self.feed_status(ctx, " ".join(rest))
        if sub == "resume":
            return await self.feed_resume(" ".join(rest), ctx) if rest else self._usage(
                "feed resume <id|url>", ctx
            )
        if sub == "why":
            return await self.feed_why(" ".join(rest), ctx) if rest else self._usage(
                "feed why <url|title>", ctx
            )
        return self._usage("feed add|remove|list|status|resume|why", ctx)

    def _find_feed(self, ident: str, ctx: Context) -> Feed | None:
        ident = ident.strip().lstrip("#").strip("<>")
        feeds = self.store.list_feeds(ctx.scope)
        if ident.isdigit():
            return next((f for f in feeds if f.id == int(ident)), None)
        exact = next((f for f in feeds if f.url == ident), None)
        return exact or next((f for f in feeds if feed_identity(f.url) == feed_identity(ident)), None)

    async def feed_add(self, url: str, channel: str | None, ctx: Context) -> Reply:
        """Watch a feed (admins only): validated by fetching it, then baselined."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        url = url.strip().strip("<>")
        target = ctx.channel
        if channel:
            resolved = ctx.resolve_channel(channel) if ctx.resolve_channel else None
            if resolved is None or channel_platform(resolved) != channel_platform(ctx.channel):
                return Reply(f"I can't find the channel {echo(channel)}.", ephemeral=True)
            target = resolved
        if is_local(ctx):
            url = absolute_local(url)
        key = feed_identity(url)
        for known in self.store.list_feeds(ctx.scope):
            if known.channel == target and feed_identity(known.url) == key:
                where = "this channel" if target == ctx.channel else "that channel"
                return Reply(
                    f"Feed #{known.id} ({feed_name(known)}) is already posting to {where}."
                )
        try:
            feed, created, posted = await self.poller.add_feed(
                url, target, ctx.scope, allow_local=is_local(ctx)
            )
        except (FetchError, FeedError) as exc:
            reason = fetch_reason(str(exc), *subjects(url)).rstrip(".")
            return Reply(
                f"I couldn't add {echo(url)}: {reason}. Nothing was changed.", ephemeral=True
            )
        name = feed_name(feed)
        if not created:
            return Reply(f"Feed #{feed.id} ({name}) is already posting to this channel.")
        if feed.item_count == 0:
            recorded = "It has no items yet"
        else:
            recorded = f"I recorded its {plural(feed.item_count, 'current item')}"
        # ``posted``: how many items the poller queued as posts (not duplicates of earlier posts)
        then = f" and posted the latest {posted}" if posted else ""
        return Reply(
            f"Added feed #{feed.id}: {name}. {recorded}{then}; "
            "new articles will be posted as they appear."
        )

    async def feed_remove(self, ident: str, ctx: Context) -> Reply:
        """Stop watching a feed (admins only)."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feed = self._find_feed(ident, ctx)
        if feed is None:
            return self._not_found(ident, ctx)
        self.store.remove_feed(feed.id, now=self.clock())
        return Reply(f"Removed feed #{feed.id} ({feed_name(feed)}).")

    async def feed_list(self, ctx: Context) -> Reply:
        """The scope's feeds (admins only), as many as fit in one message."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feeds = self.store.list_feeds(ctx.scope)
        if not feeds:
            return self._no_feeds(ctx)
        lines = [feed_line(f) for f in feeds]
        return Reply(within_budget(lines, self._more(ctx), fits=ctx.fits_reply))

    async def feed_status(self, ctx: Context, ident: str = "") -> Reply:
        """Health of each feed, failing ones first, as many as fit in one message; or of the
        one feed ``ident`` names (admins only)."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        now = self.clock()
        if ident.strip():
            feed = self._find_feed(ident, ctx)
            if feed is None:
                return self._not_found(ident, ctx)
            # the error in full, or as much of it as the platform sends once escaped
            for limit in (1000, 600, 300):
                one = feed_health(feed, now, error_limit=limit)
                if ctx.fits_reply is None or ctx.fits_reply(one):
                    break
            return Reply(one)
        feeds = self.store.list_feeds(ctx.scope)
        if not feeds:
            return self._no_feeds(ctx)
        # errors shortened in the list; `feed status <id>` shows one feed's in full
        entries = [feed_health(f, now, error_limit=150) for f in broken_first(feeds)]
        head = f"{status_summary(feeds)}\n" if len(feeds) > 1 else ""
        return Reply(within_budget(entries, self._more(ctx), head=head, fits=ctx.fits_reply))

    async def feed_resume(self, ident: str, ctx: Context) -> Reply:
        """Resume a paused feed (admins only); it is checked right away. A feed that is not
        paused but failing is checked now too (an admin who fixed the site need not wait out
        the backoff): a success resets its failures, a failure counts like any other. A healthy
        feed is left as it is."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feed = self._find_feed(ident, ctx)
        if feed is None:
            return self._not_found(ident, ctx)
        if not feed.paused:
            if not feed.failures:
                return Reply(f"Feed #{feed.id} is not paused.", ephemeral=True)
            return await self._check_now(feed)
        self.store.set_paused(feed.id, False, now=self.clock())
        result = await self.poller.check_feed(feed)
        if result.error:
            again = fetch_reason(result.error, *subjects(feed.url))
            return Reply(f"Resumed feed #{feed.id}, but its check failed again: {again}")
        return Reply(f"Resumed feed #{feed.id} ({feed_name(feed)}).")

    async def _check_now(self, feed: Feed) -> Reply:
        """A failing feed that is not paused checked now, and what came of it."""
        result = await self.poller.check_feed(feed)
        said = f"Feed #{feed.id} is not paused; checked it now:"
        if not result.error:
            return Reply(f"{said} it works again.")
        reason = fetch_reason(result.error, *subjects(feed.url)).rstrip(".")
        after = self.store.get_feed(feed.id)
        if result.paused:
            see = command_on(channel_platform(feed.channel), f"feed resume {feed.id}", self.prefix)
            return Reply(f"{said} still failing: {reason}; it is now paused ({see} resumes it).")
        if after is None:
            return Reply(f"{said} still failing: {reason}.")
        wait = max(0.0, after.next_check - self.clock())
        return Reply(f"{said} still failing: {reason}; next check {in_time(wait)}.")

    def _no_feeds(self, ctx: Context) -> Reply:
        return Reply(f"No feeds yet. Add one with {command(ctx, 'feed add <url>', self.prefix)}.")

    def _not_found(self, ident: str, ctx: Context) -> Reply:
        see = command(ctx, "feed list", self.prefix)
        return Reply(f"No feed {echo(ident)} here. See {see}.", ephemeral=True)

    async def feed_why(self, ident: str, ctx: Context) -> Reply:
        """Why an item (by link or title) was or wasn't posted (admins only)."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        ident = ident.strip().strip("<>")
        is_url = "://" in ident
        records = self.store.explain(
            ctx.scope,
            normalize_url(ident) if is_url else None,
            None if is_url else normalize_title(ident),
            None if is_url else ident,
        )
        if not records:
            return Reply(
                f"I have not seen an item {'at' if is_url else 'titled'} "
                f"{echo(ident) if is_url else '“' + echo(ident) + '”'} "
                f"in {feeds_here(ctx)} (it may not be in a feed yet, or the feed has not been "
                "checked since it appeared)."
            )
        return Reply("\n".join(explain(record) for record in records))

