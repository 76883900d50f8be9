"""Test helpers shared by the core tests: a loopback HTTP server with editable routes, builders
for RSS documents and article pages, and a recording chat adapter. All texts here are invented."""

from __future__ import annotations

import asyncio
import html
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from aiohttp import web

from bot.__main__ import App, fetch_limits
from bot.chat.base import DeliveryError
from bot.core.context import Context
from bot.core.pipeline import Pipeline, TextOptions
from bot.feeds.fetch import make_session
from bot.models import Message, Quote
from bot.settings import Settings
from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Store

BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

STORY_PARAGRAPHS = [
    "The harbour authority of Port Avalon voted on Tuesday to close the old ferry terminal "
    "after engineers found deep cracks in its main pier, ending ninety years of service.",
    "Marguerite Okonkwo-Hale, the authority's chief engineer, said the damage had spread faster "
    "than any model predicted.",
    "\u201cWe cannot put passengers on a structure that is moving under their feet,\u201d "
    "Okonkwo-Hale said. \u201cThe tide does the rest.\u201d",
    "Ferry operators warned that the closure would lengthen crossings by forty minutes. "
    "Tobias Wrenfield, who runs the island service, told reporters the company would add two "
    "evening sailings to make up for it.",
    "\u201cNobody wanted this, but the numbers left us no choice,\u201d said Wrenfield.",
    "The authority expects a temporary pontoon to open by the end of summer, and a full "
    "replacement terminal is planned for 2029.",
]


def article_html(title: str, paragraphs: Iterable[str]) -> str:
    """A plain news page: navigation, the article, a footer."""
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{html.escape(title)}</h1>{body}</article>
<footer>Subscribe to our newsletter. Copyright Example News.</footer></body></html>"""


@dataclass
class FeedItem:
    """One RSS item to serve."""

    guid: str
    title: str
    link: str
    published: datetime = BASE_TIME
    description: str = ""


def rss(items: Iterable[FeedItem], title: str = "Example News") -> str:
    """An RSS 2.0 document."""
    entries = "".join(
        f"<item><guid>{html.escape(i.guid)}</guid><title>{html.escape(i.title)}</title>"
        f"<link>{html.escape(i.link)}</link><pubDate>{format_datetime(i.published)}</pubDate>"
        f"<description>{html.escape(i.description)}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>https://example.com/</link>"
        f"<description>news</description>{entries}</channel></rss>"
    )


class LoopbackServer:
    """An aiohttp server on 127.0.0.1 whose routes a test can change between polls."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, str]] = {}
        self.hits: dict[str, int] = {}
        self.runner: web.AppRunner | None = None
        self.port = 0

    def set(self, path: str, body: str, *, status: int = 200,
            content_type: str = "application/rss+xml") -> None:
        self.routes[path] = (status, content_type, body)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, request: web.Request) -> web.Response:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        if request.path not in self.routes:
            return web.Response(status=404, text="not found")
        status, content_type, body = self.routes[request.path]
        return web.Response(status=status, text=body, content_type=content_type)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@dataclass
class RecordingAdapter:
    """A fake chat platform that records posts and notices; can be told to fail sends."""

    prefix: str = "console"
    posts: list[Message] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)
    fail_with: str | None = None

    async def send(self, message: Message) -> None:
        if self.fail_with:
            raise DeliveryError(self.fail_with, permanent=True)
        self.posts.append(message)

    async def notify(self, channel: str, text: str) -> None:
        self.notices.append((channel, text))

    async def run(self, commands: object, stop: asyncio.Event) -> None:
        await stop.wait()


class GatedServer(LoopbackServer):
    """A loopback server whose gated paths answer only once the test opens their gate."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: dict[str, asyncio.Event] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.answered: set[str] = set()

    def gate(self, path: str) -> None:
        self.requested[path] = asyncio.Event()
        self.gates[path] = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.path in self.gates:
            self.requested[request.path].set()
            await self.gates[request.path].wait()
            self.answered.add(request.path)
        return await super()._handle(request)


def test_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: loopback allowed, quick timeouts, nothing posted on add."""
    values: dict[str, object] = dict(
        config_path=Path("test.toml"), data_dir=data_dir, allow_hosts=frozenset({"127.0.0.1"}),
        fetch_timeout=5.0, fetch_total_timeout=10.0, latest_on_add=0,
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


class Harness:
    """A whole bot (store, HTTP session, pipeline, poller, commands) around a recording adapter."""

    def __init__(self, settings: Settings, adapter: RecordingAdapter | None = None) -> None:
        self.settings = settings
        self.adapter = adapter or RecordingAdapter()

    async def __aenter__(self) -> App:
        self.store = Store.open(self.settings.db_path)
        limits = fetch_limits(self.settings)
        self.session = make_session(limits)
        pipeline = Pipeline(self.session, limits, TextOptions(3, 600))
        self.app = App(self.settings, self.store, pipeline, [self.adapter])
        return self.app

    async def __aexit__(self, *exc: object) -> None:
        await self.session.close()
        self.store.close()


def later(minutes: int) -> datetime:
    """BASE_TIME plus some minutes."""
    return BASE_TIME + timedelta(minutes=minutes)


# the console's own user: an admin of the console scope
CONSOLE = Context(channel="console", scope="console", is_admin=True)


def find_quote(quotes: list[Quote], words: str) -> Quote:
    """The first quote whose text holds ``words``; fails the test when there is none."""
    for q in quotes:
        if words in q.text:
            return q
    raise AssertionError(f"no quote containing {words!r} in {[q.text for q in quotes]}")


def mention_of(text: str, q: Quote) -> str | None:
    """The source mention a quote points at in ``text`` ("he", "Ryabkov", "the senator")."""
    if q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start : q.speaker_end]


def outcomes(app: App, feed_id: int) -> dict[str, str]:
    """What a feed recorded for each item it saw: item key -> outcome (posted, duplicate, …)."""
    rows = app.store.conn.execute(
        "SELECT item_key, outcome FROM seen_items WHERE feed_id = ?", (feed_id,)
    ).fetchall()
    return {row[0]: row[1] for row in rows}


def titles(adapter: RecordingAdapter) -> list[str]:
    """The titles of the posts an adapter was given, in order."""
    return [post.title for post in adapter.posts]


def feeds_config(tmp_path: Path, *urls: str) -> Path:
    """A config file whose [[feeds]] are ``urls``, all for the console."""
    path = tmp_path / "bot.toml"
    path.write_text(
        "".join(f"[[feeds]]\nurl = '{url}'\nchannel = 'console'\n\n" for url in urls),
        encoding="utf-8",
    )
    return path


def database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database file as an older Newsbot left it: only its first ``version`` migrations applied.
    Open in autocommit mode, for the test to fill before the current code opens it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return conn
