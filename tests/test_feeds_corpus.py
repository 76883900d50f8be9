"""parse_feed over the shared corpus of real and edge-case feeds (skipped when it is absent).

No feed text is copied here: the checks are structural (every file parses or is refused with a
FeedError, item invariants hold) plus item counts and properties the corpus README documents.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bot.errors import FeedError
from bot.feeds.parse import MAX_TITLE_CHARS, parse_feed
from bot.models import ParsedFeed

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds"

pytestmark = pytest.mark.skipif(not FEEDS.is_dir(), reason="shared feed corpus not available")

_HEADER_LINE = re.compile(r"^\s*Header:\s*([A-Za-z0-9-]+):\s*(.*?)\s*$", re.MULTILINE)


def _headers(body: bytes) -> dict[str, str]:
    """HTTP headers a feedparser test file names in its leading comment (ASCII files only)."""
    text = body[:4096].decode("latin-1")
    end = text.find("-->")
    return dict(_HEADER_LINE.findall(text[:end] if end != -1 else text))


def _parse(rel: str) -> ParsedFeed:
    body = (FEEDS / rel).read_bytes()
    return parse_feed(body, url=f"http://corpus.example.test/{rel}", headers=_headers(body))


def test_every_file_parses_or_is_refused_clearly() -> None:
    files = sorted(p for p in FEEDS.rglob("*") if p.is_file() and not p.name.startswith("README"))
    assert len(files) > 1000
    started = time.monotonic()
    outcomes = {"items": 0, "empty": 0, "refused": 0}
    for path in files:
        rel = path.relative_to(FEEDS).as_posix()
        one = time.monotonic()
        try:
            feed = _parse(rel)
        except FeedError as exc:
            message = str(exc)
            assert message.startswith(("not a feed:", "not a valid feed:", "refused:")), (rel, message)
            outcomes["refused"] += 1
            continue
        assert time.monotonic() - one < 5, rel
        outcomes["items" if feed.items else "empty"] += 1
        keys = [item.key for item in feed.items]
        assert len(keys) == len(set(keys)), rel
        for item in feed.items:
            assert item.key, rel
            assert item.link is None or item.link.startswith(("http://", "https://")), rel
            assert item.published is None or item.published.tzinfo is not None, rel
            assert len(item.title) <= MAX_TITLE_CHARS, rel
            assert "\n" not in item.title, rel
    assert time.monotonic() - started < 30
    assert outcomes["items"] > 500
    assert outcomes["refused"] < 20


@pytest.mark.parametrize(
    ("rel", "count"),
    [
        ("rss-parser/giantbomb-podcast.rss", 730),
        ("rss-parser/guardian.rss", 55),
        ("rss-parser/itunes-missing-image.rss", 130),  # 131 entries, one repeated guid
        ("miniflux/parser/rdf_UTF8.xml", 60),
        ("miniflux/parser/encoding_WINDOWS-1251.xml", 50),
        ("miniflux/parser/encoding_ISO-8859-1.xml", 40),
        ("feedjira/TechCrunch.xml", 20),  # leading whitespace before the XML declaration
    ],
)
def test_documented_item_counts(rel: str, count: int) -> None:
    assert len(_parse(rel).items) == count


def test_shared_links_do_not_lose_items() -> None:
    items = _parse("rss-parser/itunes-missing-image.rss").items
    assert len({item.link for item in items}) < len(items) / 2  # many items share one link


def test_feed_without_dates_gives_none() -> None:
    items = _parse("miniflux/parser/rdf_UTF8.xml").items
    assert all(item.published is None for item in items)


@pytest.mark.parametrize(
    "rel",
    [
        "feedjira/json_feed.json",
        "feedjira/json_feed_with_escaped_uris.json",
        "atoma/json_feed/jsonfeed.org.json",
        "atoma/json_feed/podcast.json",
        "trafilatura/feed.json",
        "feedparser/json/example.json",
    ],
)
def test_json_feeds(rel: str) -> None:
    feed = _parse(rel)
    assert feed.kind.startswith("json") and feed.items
    assert all(item.link is None or "\\/" not in item.link for item in feed.items)


def test_html_titles_are_reduced_to_text() -> None:
    items = _parse("feedjira/google_alerts_atom.xml").items
    assert items and not any(re.search(r"</?b>", item.title) for item in items)


@pytest.mark.parametrize(
    ("rel", "alphabet"),
    [
        ("miniflux/encoding/koi8r.xml", r"[а-яА-Я]"),
        ("miniflux/parser/encoding_WINDOWS-1251.xml", r"[а-яА-Я]"),
        ("miniflux/parser/urdu_UTF8.xml", r"[\u0600-\u06ff]"),
    ],
)
def test_non_latin_encodings_are_decoded(rel: str, alphabet: str) -> None:
    items = _parse(rel).items
    assert items and all(re.search(alphabet, item.title) for item in items)


def test_undeclared_latin1_is_not_mojibake() -> None:
    items = _parse("miniflux/parser/no_encoding_ISO-8859-1.xml").items
    assert items and not any("\ufffd" in item.title or "Ã" in item.title for item in items)


def test_relative_links_resolve_against_the_feed_url() -> None:
    items = _parse("feedjira/SamRuby.xml").items
    assert items and all(str(item.link).startswith("http://corpus.example.test/") for item in items)


@pytest.mark.parametrize(
    ("rel", "reason"),
    [
        ("rss-parser/unrecognized.rss", "not a feed"),
        ("miniflux/encoding/utf8.html", "HTML page"),
        ("miniflux/xml/iso88591.xml", "not a feed"),
    ],
)
def test_non_feeds_are_refused(rel: str, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        _parse(rel)


@pytest.mark.parametrize(
    "name",
    ["big5", "eucjp", "euckr", "gb2312", "koi8r", "shiftjis", "tis620", "windows1255"],
)
def test_undeclared_non_latin_encodings_are_detected(name: str) -> None:
    feed = _parse(f"feedparser/illformed/chardet/{name}.xml")
    text = " ".join([feed.title or ""] + [item.title for item in feed.items])
    assert re.search(r"[\u0400-\uffff]", text)
    assert not re.search(r"[\u0080-\u00ff]", text)  # no windows-1252 mojibake
