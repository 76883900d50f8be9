"""Platform-neutral chat commands: parsing a typed command, who said, quotes, summary, help.

Adapters call ``handle_text`` with a typed message (prefix or @mention form) or the structured
methods for slash commands. The adapter says who is an admin and which scope (server/workspace)
the asker is in; the core never imports a chat library. Every answer is a literal-text Reply.
The admin `feed ...` commands live in ``bot.core.feed_commands``, answer wording in
``bot.core.formatting``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.chat.base import channel_platform
from bot.core.context import Context, command, command_on, is_local
from bot.core.feed_commands import FeedCommands
from bot.core.formatting import (
    echo,
    fetch_reason,
    format_hit,
    list_hits,
    shorten,
    subjects,
    title_text,
)
from bot.core.key_quotes import key_quotes
from bot.core.pipeline import Pipeline
from bot.core.poller import Poller
from bot.errors import FetchError, StorageError
from bot.models import QuoteLine, Reply
from bot.storage.search import content_words
from bot.storage.store import Store

log = logging.getLogger(__name__)

MAX_PHRASE = 10_000

# (command as typed on the console, what it does); each platform writes the command its own way
USER_COMMANDS = (
    ("who said <phrase>", "who said it, in which article"),
    ("quotes <person>", "that person's latest quotes"),
    ("summary <url>", "summarise one article now"),
    ("help", "this help"),
)
ADMIN_COMMANDS = (
    ("feed add <url> [channel]", "watch a feed, posting new articles to the channel"),
    ("feed remove <id|url>", "stop watching a feed"),
    ("feed list", "the feeds {here}"),
    ("feed status [id|url]", "health of each feed (or one): last check, last error, items"),
    ("feed resume <id|url>", "resume a paused feed"),
    ("feed why <url|title>", "why an item was or wasn't posted"),
)
INTRO = {
    "console": "type one and press Enter, no prefix needed",
    "slack": "as slash commands",
    "discord": "{p} prefix, / slash command, or @mention me",
}
HERE = {"console": "here", "slack": "of this workspace", "discord": "of this server"}
CONSOLE_QUIT = ("quit", "stop the bot")  # the console's own command
# every command with "{p}" for the prefix, one a line (the docs test checks the README has each)
HELP = "\n".join("{p}" + words for words, _ in USER_COMMANDS + ADMIN_COMMANDS)
ASK_BETTER = (
    "Ask with a few words of the quote itself, e.g. {example}: "
    "words like “the” or “is” alone could be anyone's."
)


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


class Commands(FeedCommands):
    """The command core shared by every adapter (the `feed ...` commands come from FeedCommands)."""

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
        super().__init__(store, poller, prefix=prefix, clock=clock)
        self.pipeline = pipeline
        # `summary` shows as many quotes as a post does (posts.quotes_per_post)
        self.quotes_per_post = (
            poller.dispatcher.quotes_per_post if quotes_per_post is None else quotes_per_post
        )

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
                f"I don't know that command. Try {command(ctx, 'help', self.prefix)}.",
                ephemeral=True,
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

    def help(self, ctx: Context | None = None) -> Reply:
        """The command list, as typed where the asker is (Discord's when ``ctx`` is None)."""
        return self.help_for(channel_platform(ctx.channel) if ctx is not None else "discord")

    def help_for(self, platform: str) -> Reply:
        """The command list with each command written as ``platform`` ("console", "discord",
        "slack") takes it, and the scope named as it calls it."""
        known = platform if platform in INTRO else "discord"
        here = HERE[known]
        users = [(command_on(known, words, self.prefix), what) for words, what in USER_COMMANDS]
        if known == "console":
            users.append(CONSOLE_QUIT)
        admins = [
            (command_on(known, words, self.prefix), what.format(here=here))
            for words, what in ADMIN_COMMANDS
        ]
        width = max(len(form) for form, _ in users + admins) + 2
        lines = [f"Newsbot commands ({INTRO[known].replace('{p}', self.prefix)}):"]
        lines.extend(f"  {form.ljust(width)}{what}" for form, what in users)
        lines.append("Admins only:")
        lines.extend(f"  {form.ljust(width)}{what}" for form, what in admins)
        return Reply("\n".join(lines))

    # ---- who said / quotes / summary ---------------------------------------------------------

    async def who_said(self, phrase: str, ctx: Context) -> Reply:
        """The best-matching quote for a phrase, with its speaker and article."""
        phrase = phrase.strip()[:MAX_PHRASE]
        if not phrase.strip(" \"'“”‘’"):
            return self._usage("who said <phrase>", ctx)
        hits = self.store.search_quotes(phrase, scope=ctx.scope, limit=8)
        if not hits and not content_words(phrase):
            example = command(ctx, "who said rebuild the harbour wall", self.prefix)
            return Reply(ASK_BETTER.format(example=example), ephemeral=True)
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
            return self._usage("quotes <person>", ctx)
        hits = self.store.quotes_by(person, scope=ctx.scope, limit=5)
        if not hits:
            return Reply(f"I have no quotes from {echo(person)} yet.")
        return Reply(list_hits(hits, fits=ctx.fits_reply))

    async def summary(self, url: str, ctx: Context) -> Reply:
        """Fetch and summarise one article now."""
        url = url.strip().strip("<>")
        if not url:
            return self._usage("summary <url>", ctx)
        try:
            article = await self.pipeline.article_for_url(url, allow_local=is_local(ctx))
        except FetchError as exc:
            reason = fetch_reason(str(exc), *subjects(url)).rstrip(".")
            return Reply(f"I couldn't read {echo(url)}: {reason}.", ephemeral=True)
        self.store.add_article(article, feed_id=None, scope=ctx.scope, now=self.clock())
        lines = [title_text(article.title, 300), article.url, ""]
        lines.append(" ".join(article.summary) or "(no summary: the page has too little text)")
        named = tuple(
            QuoteLine(q.text, q.speaker) for q in article.quotes if q.speaker and q.kind != "reported"
        )
        chosen = key_quotes(named, self.quotes_per_post)  # the quotes a post would show
        if chosen:
            lines.append("")
            lines.extend(f"“{shorten(q.text, 300)}” — {q.speaker}" for q in chosen)
        return Reply("\n".join(lines))
