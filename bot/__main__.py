"""Wiring only: parse arguments, read settings, open the HTTP session and the store, start the
adapters and the poller. `python -m bot --help` lists the commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.chat.base import Adapter, channel_platform
from bot.chat.console import SCOPE as CONSOLE_SCOPE
from bot.chat.console import ConsoleAdapter, render
from bot.core.commands import Commands
from bot.core.delivery import Dispatcher
from bot.core.key_quotes import key_quotes
from bot.core.pipeline import Pipeline, TextOptions
from bot.core.poller import Poller
from bot.errors import ConfigError, FetchError, NewsbotError
from bot.feeds import schedule
from bot.feeds.fetch import FetchLimits, make_session
from bot.models import Message, QuoteLine
from bot.settings import Settings, load_settings
from bot.storage.store import Store

log = logging.getLogger("bot")

# Libraries that log about every page they are given ("empty HTML tree", "discarding data"):
# our own message already says what went wrong, so they speak only at DEBUG.
PAGE_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability", "charset_normalizer")
SOURCE_HELP = "article URL, file:// URL or local HTML, text or Markdown file"
SUMMARIZE_USAGE = f"Usage: python -m bot summarize <{SOURCE_HELP}>"


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS,
        help="config file (default: config/newsbot.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Newsbot: posts summaries of new articles with attributed quotes; "
        "answers who-said. Runs on Discord/Slack when their tokens are set, else on the console.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="{run,summarize}")
    run = sub.add_parser(
        "run", parents=[common], help="run the bot (the default)",
        description="Run the bot: poll feeds, post new articles, answer commands.",
    )
    run.add_argument(
        "--once", action="store_true",
        help="poll every feed once, post what is new, answer commands on stdin, then exit",
    )
    summarize = sub.add_parser(
        "summarize", parents=[common], help="print one article's summary and quotes",
        description="Fetch one article (URL, file:// URL or local path) and print its summary "
        "and quotes.",
    )
    summarize.add_argument("source", help=SOURCE_HELP)
    return parser


def fetch_limits(settings: Settings) -> FetchLimits:
    """Network limits from the settings."""
    return FetchLimits(
        max_bytes=settings.max_bytes,
        connect_timeout=min(10.0, settings.fetch_timeout),
        read_timeout=settings.fetch_timeout,
        total_timeout=settings.fetch_total_timeout,
        max_redirects=settings.max_redirects,
        user_agent=settings.user_agent,
        allow_hosts=settings.allow_hosts,
    )


def chat_adapters(settings: Settings) -> list[Adapter]:
    """The chat platforms whose tokens are set (imported only then)."""
    adapters: list[Adapter] = []
    if settings.discord_token:
        from bot.chat.discord_adapter import DiscordAdapter

        adapters.append(DiscordAdapter(settings))
    if settings.slack_bot_token or settings.slack_app_token:
        if not (settings.slack_bot_token and settings.slack_app_token):
            raise ConfigError(
                "Slack needs both SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-...); "
                "only one is set."
            )
        from bot.chat.slack_adapter import SlackAdapter

        adapters.append(SlackAdapter(settings))
    return adapters


class App:
    """Everything one running bot holds, wired together."""

    def __init__(self, settings: Settings, store: Store, pipeline: Pipeline,
                 adapters: Sequence[Adapter]) -> None:
        self.settings = settings
        self.store = store
        self.pipeline = pipeline
        self.dispatcher = Dispatcher(
            store, {a.prefix: a for a in adapters}, quotes_per_post=settings.quotes_per_post
        )
        policy = schedule.Backoff(
            interval=settings.poll_interval, max_backoff=settings.max_backoff,
            max_failures=settings.max_failures,
        )
        self.poller = Poller(
            store,
            pipeline,
            self.dispatcher,
            policy,
            latest_on_add=settings.latest_on_add,
            max_new_per_poll=settings.max_new_per_poll,
            prefix=settings.command_prefix,
        )
        self.commands = Commands(store, self.poller, pipeline, prefix=settings.command_prefix)

    def sync_config_feeds(self, now: float) -> None:
        """Add the config file's feeds to the store (once; their first check is a baseline)."""
        for feed in self.settings.feeds:
            if self.store.was_removed(feed.url, feed.channel):
                continue  # an admin removed it with `feed remove`: that sticks
            platform = channel_platform(feed.channel)
            scope = CONSOLE_SCOPE if platform == "console" else feed.channel
            self.store.add_feed(feed.url, feed.channel, scope, now)


async def run_bot(settings: Settings, *, once: bool) -> int:
    """Run until stopped (or one round with ``once``); return the exit code."""
    import time

    store = Store.open(settings.db_path)
    limits = fetch_limits(settings)
    session = make_session(limits)
    try:
        options = TextOptions(settings.summary_sentences, settings.summary_chars)
        pipeline = Pipeline(session, limits, options)
        chat = chat_adapters(settings)
        console = ConsoleAdapter() if not chat else None
        adapters: list[Adapter] = [console] if console else []
        adapters.extend(chat)
        app = App(settings, store, pipeline, adapters)
        app.sync_config_feeds(time.time())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        failures: list[BaseException] = []

        def watch(task: asyncio.Task[None]) -> None:
            # an adapter that fails for good (a refused token) stops the whole bot
            if not task.cancelled() and task.exception() is not None:
                failures.append(task.exception())  # type: ignore[arg-type]
                stop.set()

        async def one_round() -> None:
            # chat adapters run meanwhile, so posts reach Discord/Slack before we exit
            await app.poller.poll(force=True)
            if console is not None and not sys.stdin.isatty():
                async for line in console.lines():
                    if not await console.answer(app.commands, line):
                        break
            stop.set()

        main = one_round() if once else app.poller.run_forever(stop)
        tasks = [asyncio.create_task(main)]
        for adapter in adapters:
            if once and adapter is console:
                continue  # --once answers stdin itself, then exits
            tasks.append(asyncio.create_task(adapter.run(app.commands, stop)))
        for task in tasks:
            task.add_done_callback(watch)
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if failures:
            error = failures[0]
            if isinstance(error, NewsbotError):
                raise error
            raise NewsbotError(f"stopped after an unexpected error: {error!r}") from error
        return 0
    finally:
        await session.close()
        store.close()


async def summarize_one(settings: Settings, source: str) -> int:
    """Print the summary and quotes of one article."""
    if not source.strip():
        print(SUMMARIZE_USAGE, file=sys.stderr)
        return 2
    source = source.strip()
    limits = fetch_limits(settings)
    session = make_session(limits)
    try:
        pipeline = Pipeline(session, limits, TextOptions(settings.summary_sentences,
                                                         settings.summary_chars))
        try:
            article = await pipeline.article_for_url(source, allow_local=True)
        except FetchError as exc:
            print(f"Could not read {source}: {exc}", file=sys.stderr)
            return 1
    finally:
        await session.close()
    named = tuple(
        QuoteLine(q.text, q.speaker) for q in article.quotes if q.speaker and q.kind != "reported"
    )
    message = Message(
        channel="console", title=article.title, url=article.url, source=article.source,
        published=article.published, summary=article.summary,
        quotes=key_quotes(named, settings.quotes_per_post),  # the quotes a post would show
    )
    print(render(message))
    return 0


def configure_logging(level: str) -> None:
    """Log to stderr at ``level``; page-parsing libraries only when ``level`` is DEBUG."""
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet = level != "DEBUG"
    for name in PAGE_LIBRARIES:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1 if quiet else logging.NOTSET)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        if args.command == "summarize":
            return asyncio.run(summarize_one(settings, args.source))
        return asyncio.run(run_bot(settings, once=getattr(args, "once", False)))
    except KeyboardInterrupt:
        return 130
    except NewsbotError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
