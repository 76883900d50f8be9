"""PURE: read a JSON Feed 1.0/1.1 document (by hand, no library) into a ``ParsedFeed``.

``looks_like_json`` decides from the first byte and the Content-Type whether a document is
JSON at all; ``parse_json_feed`` raises ``FeedError`` for invalid JSON, JSON that is not a
JSON Feed, or a feed without an items list. Items follow the shared rules of ``bot.feeds.items``.
"""

from __future__ import annotations

import json
from typing import Any

from bot.errors import FeedError
from bot.feeds.dates import iso_date
from bot.feeds.html_text import clip, html_to_text, tidy
from bot.feeds.items import absolute, dedupe, first_url, is_local, make_item
from bot.models import Item, ParsedFeed


def looks_like_json(body: bytes, content_type: str) -> bool:
    """Whether the body is JSON: it starts with { or [, or the type says json and it is not XML."""
    start = body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    return start in (b"{", b"[") or ("json" in content_type.lower() and start != b"<")


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """The JSON Feed in ``body`` fetched from ``url``, or FeedError saying why it is not one."""
    try:
        document = json.loads(body)
    except RecursionError as exc:
        raise FeedError("not a feed: the JSON is nested too deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        try:
            document = json.loads(body.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            raise FeedError(f"not a feed: invalid JSON ({exc})") from exc
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise FeedError("not a feed: JSON that is not a JSON Feed (no jsonfeed.org version)")
    raw_items = document.get("items")
    if not isinstance(raw_items, list):
        raise FeedError("not a feed: the JSON Feed has no items list")
    allow_local = is_local(url)
    items = dedupe(_json_item(raw, url, allow_local) for raw in raw_items if isinstance(raw, dict))
    kind = "json" + version.rstrip("/").rsplit("/", 1)[-1].replace(".", "")
    return ParsedFeed(
        title=" ".join(tidy(_string(document.get("title"))).split()) or None,
        link=absolute(url, document.get("home_page_url"), allow_local),
        items=tuple(items),
        image=first_url(url, allow_local, document.get("icon"), document.get("favicon")),
        kind=kind,
    )


def _json_item(raw: dict[str, Any], base: str, allow_local: bool) -> Item | None:
    html_body = _string(raw.get("content_html"))
    content = html_to_text(html_body) if html_body else tidy(_string(raw.get("content_text")))
    summary = tidy(_string(raw.get("summary")))
    link = absolute(base, raw.get("url"), allow_local) or absolute(
        base, raw.get("external_url"), allow_local
    )
    published = iso_date(raw.get("date_published")) or iso_date(raw.get("date_modified"))
    attachments = [
        att.get("url")
        for att in raw.get("attachments") or []
        if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/")
    ]
    image = first_url(base, allow_local, raw.get("image"), raw.get("banner_image"), *attachments)
    raw_id = raw.get("id")
    key = str(raw_id).strip() if isinstance(raw_id, (str, int, float)) else ""
    title = tidy(_string(raw.get("title")))
    return make_item(key, title, link, published, summary, content, _json_author(raw), image)


def _json_author(raw: dict[str, Any]) -> str | None:
    authors = raw.get("authors")
    candidates = authors if isinstance(authors, list) else [raw.get("author")]
    for author in candidates:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return clip(tidy(author["name"]), 200) or None
    return None


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""
