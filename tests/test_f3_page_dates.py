"""An article's date comes from its page's metadata when the feed item has none, and always for
`summarize` / `summary` of a URL (loopback HTTP, pages written for these tests).

These need the two-line change to bot/core/pipeline.py described in F3's report (calling
bot.articles.page_published); until it is applied they are expected failures. strict=True makes
them fail loudly once it is in, so the markers get removed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import fetch_limits, summarize_one
from bot.core.pipeline import Pipeline, TextOptions
from bot.feeds.fetch import make_session
from bot.models import Item
from tests.support import STORY_PARAGRAPHS, LoopbackServer, article_html, test_settings

META = '<meta property="article:published_time" content="2026-03-02T09:15:00+01:00">'
PAGE_DATE = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    srv = LoopbackServer()
    await srv.start()
    srv.set("/ferry", article_html("Ferry terminal closes", STORY_PARAGRAPHS).replace(
        "<title>", META + "<title>", 1), content_type="text/html")
    yield srv
    await srv.stop()


async def test_summarize_shows_the_page_date(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await summarize_one(test_settings(tmp_path), server.url("/ferry")) == 0
    assert "2026-03-02 08:15 UTC" in capsys.readouterr().out


async def test_item_without_a_date_gets_the_page_date(
    server: LoopbackServer, tmp_path: Path
) -> None:
    settings = test_settings(tmp_path)
    limits = fetch_limits(settings)
    session = make_session(limits)
    try:
        pipeline = Pipeline(session, limits, TextOptions())
        undated = Item(key="f-1", title="Ferry terminal closes", link=server.url("/ferry"))
        dated = Item(key="f-2", title="Ferry terminal closes", link=server.url("/ferry"),
                     published=datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
        assert (await pipeline.article_for_item(undated, "Example News")).published == PAGE_DATE
        # the feed's own date wins over the page's
        assert (await pipeline.article_for_item(dated, "Example News")).published == dated.published
    finally:
        await session.close()
