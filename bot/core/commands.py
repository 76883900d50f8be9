"""Platform-neutral chat commands: who said, quotes, summary, feed admin, help.

Adapters call ``handle_text`` with a typed message (prefix or @mention form) or the structured
methods for slash commands. The adapter says who is an admin and which scope (server/workspace)
the asker is in; the core never imports a chat library. Every answer is a literal-text Reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.chat.base import channel_platform
from bot.core.key_quotes import key_quotes
from bot.core.pipeline import Pipeline
from bot.core.poller import Poller
from bot.errors import FeedError, FetchError, StorageError
from bot.feeds.local import absolute_local, feed_identity
from bot.feeds.urls import normalize_title, normalize_url
from bot.models import Feed, QuoteHit, QuoteLine, Reply
from bot.storage.search import content_words
from bot.storage.store import SeenItem, Store

log = logging.getLogger(__name__)

MAX_PHRASE = 10_000
ECHO = 60  # user input quoted back in an answer is cut to this many characters

HELP = """Newsbot commands ({intro}):
  {p}who said <phrase>      who said it, in which article
  {p}quotes <person>        that person's latest quotes
  {p}summary <url>          summarise one article now
  {p}help                   this help{quit}
Admins only:
  {p}feed add <url> [channel]   watch a feed, posting new articles to the channel
  {p}feed remove <id|url>       stop watching a feed
  {p}feed list                  the feeds {here}
  {p}feed status                health of each feed: last check, last error, items
  {p}feed resume <id|url>       resume a paused feed
  {p}feed why <url|title>       why an item was or wasn't posted"""
CHAT_INTRO = "{p} prefix, / slash command, or @mention me"
CONSOLE_INTRO = "type one and press Enter, no prefix needed"
CONSOLE_QUIT = "\n  quit                   stop the bot"  # the console's own command
ASK_BETTER = (
    "Ask with a few words of the quote itself, e.g. {p}who said rebuild the harbour wall: "
    "words like “the” or “is” alone could be anyone's."
)

LIST_CLIP = 280  # characters of each quote in a list of quotes
LIST_BUDGET = 1500  # characters of a list of quotes: Discord's 2,000 per message, less escaping

REFUSAL = "Sorry, only server admins can manage feeds. Nothing was changed."


@dataclass(frozen=True)
class Context:
    """Who asked, where. ``resolve_channel`` turns a user-typed channel ("#news", "<#123>") into
    a channel string of this platform, or None when it names no channel the bot can use."""

    channel: str
    scope: str
    is_admin: bool
    user: str = ""
    resolve_channel: Callable[[str], str | None] | None = None


def _ago(then: float | None, now: float) -> str:
    if then is None:
        return "never"
    seconds = max(0, int(now - then))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "undated"


def _clip(text: str, limit: int) -> str:
    """Shorten at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut or text[: limit - 1]) + "…"


def _echo(text: str) -> str:
    """User input as quoted back in an answer: one line, at most ECHO characters."""
    return _clip(" ".join(text.split()), ECHO)


def _plural(count: int, noun: str) -> str:
    """A count with its noun: "1 item", "3 items"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def format_hit(hit: QuoteHit, clip: int = 600) -> str:
    """One quote with its speaker and source, as literal text. Reported speech is a paraphrase,
    so it is shown without quotation marks and tagged as such."""
    source = f"“{_clip(hit.article_title, 200)}” ({_date(hit.published)}) {hit.article_url}"
    if hit.kind == "reported":
        speaker = hit.speaker or "An unnamed speaker"
        return f"{speaker} said {_clip(hit.text, clip)} (paraphrase)\nin {source}"
    return f"“{_clip(hit.text, clip)}” — {hit.speaker or 'an unnamed speaker'}\nsaid in {source}"


def list_hits(hits: list[QuoteHit]) -> str:
    """Several quotes, each whole with its source, within LIST_BUDGET characters (every chat
    platform's message limit); the rest counted, never cut in the middle of an entry."""
    entries: list[str] = []
    used = 0
    for hit in hits:
        entry = format_hit(hit, clip=LIST_CLIP)
        if entries and used + len(entry) + 2 > LIST_BUDGET:
            break
        entries.append(entry)
        used += len(entry) + 2
    left = len(hits) - len(entries)
    if left:
        entries.append(f"…and {left} more.")
    return "\n\n".join(entries)


def parse_command(text: str, prefix: str, *, mentioned: bool = False) -> tuple[str, str] | None:
    """Split a chat message into (command, arguments), or None when it is not a command.

    With the prefix ("!who said x") or, when the bot was @mentioned, without it ("who said x").
    Commands: "who said" (also "whosaid"), "quotes", "summary", "feed", "help".
    """
    body = " ".join(text.split())  # "who   said  x" is "who said x"
    if body.startswith(prefix):
        body = body[len(prefix) :].lstrip()
    elif not mentioned:
        return None
    lowered = body.lower()
    for name, forms in (
        ("whosaid", ("who said", "whosaid", "who-said")),
        ("quotes", ("quotes by", "quotes")),
        ("summary", ("summary", "summarize", "summarise")),
        ("feed", ("feeds", "feed")),
        ("help", ("help",)),
    ):
        for form in forms:
            if lowered == form or lowered.startswith(form + " ") or lowered.startswith(form + ":"):
                args = body[len(form) :].lstrip(" :?").strip()
                return name, args
    if mentioned and body:
        return "unknown", body
    return None


class Commands:
    """The command core shared by every adapter."""

    def __init__(
        self,
        store: Store,
        poller: Poller,
        pipeline: Pipeline,
        *,
        prefix: str = "!",
        quotes_per_post: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.poller = poller
        self.pipeline = pipeline
        self.prefix = prefix
        # `summary` shows as many quotes as a post does (posts.quotes_per_post)
        self.quotes_per_post = (
            poller.dispatcher.quotes_per_post if quotes_per_post is None else quotes_per_post
        )
        self.clock = clock

    async def handle_text(self, text: str, ctx: Context, *, mentioned: bool = False) -> Reply | None:
        """Answer a typed message, or None when it is not addressed to the bot."""
        parsed = parse_command(text, self.prefix, mentioned=mentioned)
        if parsed is None:
            return None
        name, args = parsed
        try:
            if name == "whosaid":
                return await self.who_said(args, ctx)
            if name == "quotes":
                return await self.quotes(args, ctx)
            if name == "summary":
                return await self.summary(args, ctx)
            if name == "help":
                return self.help(ctx)
            if name == "feed":
                return await self.feed_text(args, ctx)
            return Reply(
                f"I don't know that command. Try {self.prefix}help.", ephemeral=True
            )
        except StorageError as exc:
            log.error("storage error answering %r: %s", text[:80], exc)
            return Reply(f"Sorry, my database failed: {exc}", ephemeral=True)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug answering one command must not take the bot down
            log.exception("error answering %r", text[:80])
            return Reply("Sorry, something went wrong answering that; it has been logged.",
                         ephemeral=True)

    async def feed_text(self, args: str, ctx: Context) -> Reply:
        """Dispatch `feed <sub> ...` typed as text."""
        words = args.split()
        sub = words[0].lower() if words else "list"
        rest = words[1:]
        if sub == "add":
            if not rest:
                return self._usage("feed add <url> [channel]")
            return await self.feed_add(rest[0], " ".join(rest[1:]) or None, ctx)
        if sub in ("remove", "delete", "rm"):
            return await self.feed_remove(" ".join(rest), ctx) if rest else self._usage(
                "feed remove <id|url>"
            )
        if sub in ("list", "ls"):
            return await self.feed_list(ctx)
        if sub == "status":
            return await self.feed_status(ctx)
        if sub == "resume":
            return await self.feed_resume(" ".join(rest), ctx) if rest else self._usage(
                "feed resume <id|url>"
            )
        if sub == "why":
            return await self.feed_why(" ".join(rest), ctx) if rest else self._usage(
                "feed why <url|title>"
            )
        return self._usage("feed add|remove|list|status|resume|why")

    def _usage(self, usage: str) -> Reply:
        return Reply(f"Usage: {self.prefix}{usage}", ephemeral=True)

    def help(self, ctx: Context | None = None) -> Reply:
        """The command list, as typed where the asker is (chat platforms when ``ctx`` is None)."""
        if ctx is not None and _is_local(ctx):
            return Reply(HELP.format(intro=CONSOLE_INTRO, p="", here="here", quit=CONSOLE_QUIT))
        intro = CHAT_INTRO.format(p=self.prefix)
        return Reply(HELP.format(intro=intro, p=self.prefix, here="of this server", quit=""))

    # ---- who said / quotes / summary ---------------------------------------------------------

    async def who_said(self, phrase: str, ctx: Context) -> Reply:
        """The best-matching quote for a phrase, with its speaker and article."""
        phrase = phrase.strip()[:MAX_PHRASE]
        if not phrase.strip(" \"'“”‘’"):
            return self._usage("who said <phrase>")
        hits = self.store.search_quotes(phrase, scope=ctx.scope, limit=8)
        if not hits and not content_words(phrase):
            return Reply(ASK_BETTER.format(p="" if _is_local(ctx) else self.prefix), ephemeral=True)
        if not hits:
            count = self.store.article_count(ctx.scope)
            noun = "article" if count == 1 else "articles"
            return Reply(f"No one in the {count} {noun} I have read said that.")
        best = hits[0]
        lines = [format_hit(best)]
        others = []
        for hit in hits[1:]:
            # score: higher is better; "also said" only for near-equal matches of the phrase
            close = hit.score >= best.score * 0.8
            if close and hit.speaker and hit.speaker != best.speaker and hit.speaker not in others:
                others.append(hit.speaker)
        if others:
            lines.append("Also said by: " + ", ".join(others[:5]))
        return Reply("\n".join(lines))

    async def quotes(self, person: str, ctx: Context) -> Reply:
        """A person's latest quotes."""
        person = person.strip()[:200]
        if not person:
            return self._usage("quotes <person>")
        hits = self.store.quotes_by(person, scope=ctx.scope, limit=5)
        if not hits:
            return Reply(f"I have no quotes from {_echo(person)} yet.")
        return Reply(list_hits(hits))

    async def summary(self, url: str, ctx: Context) -> Reply:
        """Fetch and summarise one article now."""
        url = url.strip().strip("<>")
        if not url:
            return self._usage("summary <url>")
        try:
            article = await self.pipeline.article_for_url(url, allow_local=_is_local(ctx))
        except FetchError as exc:
            return Reply(f"I couldn't read {_echo(url)}: {exc}", ephemeral=True)
        self.store.add_article(article, feed_id=None, scope=ctx.scope, now=self.clock())
        lines = [article.title, article.url, ""]
        lines.append(" ".join(article.summary) or "(no summary: the page has too little text)")
        named = tuple(
            QuoteLine(q.text, q.speaker) for q in article.quotes if q.speaker and q.kind != "reported"
        )
        chosen = key_quotes(named, self.quotes_per_post)  # the quotes a post would show
        if chosen:
            lines.append("")
            lines.extend(f"“{_clip(q.text, 300)}” — {q.speaker}" for q in chosen)
        return Reply("\n".join(lines))

    # ---- feed admin --------------------------------------------------------------------------

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
                return Reply(f"I can't find the channel {_echo(channel)}.", ephemeral=True)
            target = resolved
        if _is_local(ctx):
            url = absolute_local(url)
        key = feed_identity(url)
        for known in self.store.list_feeds(ctx.scope):
            if known.channel == target and feed_identity(known.url) == key:
                where = "this channel" if target == ctx.channel else "that channel"
                return Reply(
                    f"Feed #{known.id} ({known.title or known.url}) is already posting to {where}."
                )
        try:
            feed, created, posted = await self.poller.add_feed(
                url, target, ctx.scope, allow_local=_is_local(ctx)
            )
        except (FetchError, FeedError) as exc:
            return Reply(
                f"I couldn't add {_echo(url)}: {exc}. Nothing was changed.", ephemeral=True
            )
        name = feed.title or feed.url
        if not created:
            return Reply(f"Feed #{feed.id} ({name}) is already posting to this channel.")
        if feed.item_count == 0:
            recorded = "It has no items yet"
        else:
            recorded = f"I recorded its {_plural(feed.item_count, 'current item')}"
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
            return Reply(f"No feed {_echo(ident)} here. See {self.prefix}feed list.",
                         ephemeral=True)
        self.store.remove_feed(feed.id, now=self.clock())
        return Reply(f"Removed feed #{feed.id} ({feed.title or feed.url}).")

    async def feed_list(self, ctx: Context) -> Reply:
        """The scope's feeds (admins only)."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feeds = self.store.list_feeds(ctx.scope)
        if not feeds:
            return Reply(f"No feeds yet. Add one with {self.prefix}feed add <url>.")
        lines = [
            f"#{f.id} {f.title or '(untitled)'} — {f.url} → {f.channel}"
            + (" (paused)" if f.paused else "")
            for f in feeds
        ]
        return Reply("\n".join(lines))

    async def feed_status(self, ctx: Context) -> Reply:
        """Health of each feed (admins only)."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feeds = self.store.list_feeds(ctx.scope)
        if not feeds:
            return Reply(f"No feeds yet. Add one with {self.prefix}feed add <url>.")
        now = self.clock()
        lines = []
        for f in feeds:
            state = "paused" if f.paused else ("failing" if f.failures else "ok")
            line = (
                f"#{f.id} {f.title or f.url} [{state}] last check {_ago(f.last_checked, now)}, "
                f"last success {_ago(f.last_success, now)}, {_plural(f.item_count, 'item')}"
            )
            if f.failures:
                line += f", {_plural(f.failures, 'failure')} in a row"
            if f.last_error:
                line += f"\n    last error: {_clip(f.last_error, 300)}"
            lines.append(line)
        return Reply("\n".join(lines))

    async def feed_resume(self, ident: str, ctx: Context) -> Reply:
        """Resume a paused feed (admins only); it is checked right away."""
        if not ctx.is_admin:
            return Reply(REFUSAL, ephemeral=True)
        feed = self._find_feed(ident, ctx)
        if feed is None:
            return Reply(f"No feed {_echo(ident)} here.", ephemeral=True)
        self.store.set_paused(feed.id, False, now=self.clock())
        result = await self.poller.check_feed(feed)
        if result.error:
            return Reply(f"Resumed feed #{feed.id}, but its check failed again: {result.error}")
        return Reply(f"Resumed feed #{feed.id} ({feed.title or feed.url}).")

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
                f"{_echo(ident) if is_url else '“' + _echo(ident) + '”'} "
                f"in {_feeds_here(ctx)} (it may not be in a feed yet, or the feed has not been "
                "checked since it appeared)."
            )
        return Reply("\n".join(_explain(record) for record in records))


def _is_local(ctx: Context) -> bool:
    """Whether the asker sits at the bot's own machine (may name local files)."""
    return channel_platform(ctx.channel) == "console"


def _feeds_here(ctx: Context) -> str:
    """How to name the feeds of the asker's scope on its platform."""
    platform = channel_platform(ctx.channel)
    if platform == "console":
        return "the feeds here"
    return "this workspace's feeds" if platform == "slack" else "this server's feeds"


def _explain(record: SeenItem) -> str:
    when = datetime.fromtimestamp(record.seen_at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    what = f"“{_clip(record.title or record.link or record.item_key, 120)}” in feed #{record.feed_id}"
    if record.outcome == "baseline":
        return f"{what}: not posted, it was already in the feed when the feed was added ({when})."
    if record.outcome == "duplicate":
        return f"{what}: not posted, {record.detail} (seen {when})."
    if record.outcome == "posted":
        return f"{what}: posted ({when})."
    return f"{what}: {record.outcome} {record.detail or ''} ({when})."
