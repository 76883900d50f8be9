"""PURE: turn a fetched feed document (bytes + response headers) into a ``ParsedFeed``.

The entry point ``parse_feed``: JSON Feed 1.0/1.1 goes to ``bot.feeds.jsonfeed``; RSS
0.9x/1.0/2.0 and Atom 0.3/1.0 are checked by ``bot.feeds.xml_safety`` (billion laughs, XXE,
absurd tag counts), have their encoding label repaired (``bot.feeds.encoding``) and go through
feedparser here (always from an in-memory stream, so it never fetches a URL or opens a file).
Every item gets a stable key (id/guid, else link, else a hash of its text), an absolute link,
plain-text title, summary and content (paragraph breaks kept as blank lines), an aware UTC
date or None and an image when the entry names one. Items keep document order; a repeated
key keeps the first (``bot.feeds.items``).

Documents that are not feeds raise ``FeedError`` with a reason ("not a feed: ...", "refused:
..." or, for malformed XML that yields no items, "not a valid feed: <parser error> at line N,
column M (why that refuses it)").
``feed_link_in_html`` finds the feed an HTML page advertises.
"""

from __future__ import annotations

import html
import io
import re
import xml.sax
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.errors import FeedError
from bot.feeds.dates import date_from_struct, loose_date
from bot.feeds.encoding import transcode_undeclared, trust_valid_utf8
from bot.feeds.html_text import clip, html_to_text, tidy
from bot.feeds.items import MAX_TITLE_CHARS, absolute, dedupe, first_url, is_local, make_item
from bot.feeds.jsonfeed import looks_like_json, parse_json_feed
from bot.feeds.xml_safety import MAX_TAGS, refuse_unsafe_xml
from bot.models import Item, ParsedFeed

__all__ = ["MAX_TAGS", "MAX_TITLE_CHARS", "feed_link_in_html", "html_to_text", "parse_feed"]


def parse_feed(
    body: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    max_tags: int = MAX_TAGS,
) -> ParsedFeed:
    """Parse ``body`` fetched from ``url`` into a ParsedFeed, or raise FeedError saying why not.

    ``max_tags`` bounds the work: feedparser spends tens of microseconds per tag, so a document
    of nothing but tags would otherwise hold a worker for minutes.
    """
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise FeedError("not a feed: the document is empty")
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    if looks_like_json(body, lowered.get("content-type", "")):
        return parse_json_feed(body, url)
    refuse_unsafe_xml(body, max_tags)
    return _parse_xml_feed(body, url, lowered)


# --- XML feeds (feedparser) -------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, headers: dict[str, str]) -> ParsedFeed:
    original = body
    body, headers = trust_valid_utf8(body, headers)
    body = transcode_undeclared(body, headers)
    response_headers = {
        key: value
        for key, value in headers.items()
        if key not in ("content-encoding", "content-length", "transfer-encoding")
    }
    # feedparser resolves relative links *and ids* against Content-Location. The feed's own URL
    # is deliberately not given as that base: a relative guid ("1234") then stays a stable key
    # even when the feed moves, and ``absolute`` resolves links against ``url`` afterwards (which
    # also avoids feedparser mangling file:/// bases).
    location = response_headers.get("content-location")
    if location:
        response_headers["content-location"] = urljoin(url, location)
    # Our html_to_text drops every tag (script and style with their content), so feedparser's
    # slower HTML sanitizer and in-content link rewriting would be wasted work.
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = result.get("entries") or []
    version = str(result.get("version") or "")
    if not version and not entries:
        raise FeedError(_not_a_feed_reason(body, result, url))
    if not entries:
        # feedparser's loose fallback still names a version for a broken document; with no
        # items to show for it, the document is an error, not a quiet empty feed.
        broken = _xml_error(result, original)
        if broken:
            error, hint = broken
            raise FeedError(
                f"not a valid feed: {error} (the feed has no items, so nothing can be read "
                f"from it; a feed with items is accepted despite such errors){hint}"
            )
    meta = result.get("feed") or {}
    allow_local = is_local(url)
    base = url
    items = dedupe(_xml_item(entry, base, allow_local) for entry in entries)
    feed_image = first_url(
        base,
        allow_local,
        (meta.get("image") or {}).get("href"),
        meta.get("logo"),
        meta.get("icon"),
    )
    return ParsedFeed(
        title=" ".join(_text_of(meta.get("title"), meta.get("title_detail")).split()) or None,
        link=absolute(base, meta.get("link"), allow_local),
        items=tuple(items),
        image=feed_image,
        kind=version or "unknown",
    )


def _xml_item(entry: dict[str, Any], base: str, allow_local: bool) -> Item | None:
    title = _text_of(entry.get("title"), entry.get("title_detail"))
    summary = _text_of(entry.get("summary"), entry.get("summary_detail"))
    content = _entry_content(entry.get("content"))
    if content == summary:
        content = ""
    link = absolute(base, entry.get("link"), allow_local)
    author = clip(tidy(str(entry.get("author") or "")), 200) or None
    # dict.get: FeedParserDict.get("updated_parsed") warns and aliases when the key is absent.
    published = date_from_struct(
        dict.get(entry, "published_parsed")
        or dict.get(entry, "updated_parsed")
        or dict.get(entry, "created_parsed")
    ) or loose_date(dict.get(entry, "published") or dict.get(entry, "updated"))
    image = _entry_image(entry, base, allow_local)
    raw_id = str(entry.get("id") or "").strip()
    return make_item(raw_id, title, link, published, summary, content, author, image)


def _entry_content(content: Any) -> str:
    """Plain text of the richest ``content`` element (content:encoded, atom:content)."""
    if not isinstance(content, list):
        return ""
    best = ""
    for part in content:
        if isinstance(part, Mapping):
            text = _text_of(part.get("value"), part)
            if len(text) > len(best):
                best = text
    return best


def _entry_image(entry: Mapping[str, Any], base: str, allow_local: bool) -> str | None:
    candidates: list[Any] = []
    for media in entry.get("media_content") or []:
        if isinstance(media, Mapping) and _is_image(media.get("medium"), media.get("type"), media.get("url")):
            candidates.append(media.get("url"))
    for thumb in entry.get("media_thumbnail") or []:
        if isinstance(thumb, Mapping):
            candidates.append(thumb.get("url"))
    for enclosure in entry.get("enclosures") or []:
        if isinstance(enclosure, Mapping) and str(enclosure.get("type", "")).startswith("image/"):
            candidates.append(enclosure.get("href"))
    image = entry.get("image")
    if isinstance(image, Mapping):
        candidates.append(image.get("href"))
    return first_url(base, allow_local, *candidates)


_IMAGE_PATH = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|#|$)", re.IGNORECASE)


def _is_image(medium: Any, mime: Any, url: Any) -> bool:
    """Whether a media:content element is an image (by medium, else type, else file name)."""
    if medium:
        return str(medium).lower() == "image"
    if mime:
        return str(mime).lower().startswith("image/")
    return bool(_IMAGE_PATH.search(str(url or "")))


def _text_of(value: Any, detail: Any) -> str:
    """Plain text of a feedparser text construct, reduced from HTML when its type says so."""
    if not value:
        return ""
    text = str(value)
    kind = str(detail.get("type", "")) if isinstance(detail, Mapping) else "text/html"
    if "html" in kind:
        return html_to_text(text)
    return tidy(text)


def _xml_error(result: Mapping[str, Any], body: bytes) -> tuple[str, str] | None:
    """What the XML parser said about a malformed document and where, in the document as it was
    sent ("mismatched tag at line 3, column 52"), with a hint on fixing it for the common entity
    mistakes ("" otherwise); None when the XML is fine.

    Only real XML errors count: feedparser's notes about encodings or content types are not.
    """
    error = result.get("bozo_exception")
    if not isinstance(error, xml.sax.SAXException):
        return None
    message = " ".join(error.getMessage().split())[:200] or "malformed XML"
    if not isinstance(error, xml.sax.SAXParseException):
        return message, ""
    line, column = error.getLineNumber(), error.getColumnNumber()
    if line is None:
        return message, ""
    line, column = _position_in_original(body, line, column or 0)
    hint = _fix_hint(message, body, line, column)
    if hint.endswith("&amp;"):
        column -= 1  # the parser notices a bare "&" one character after it: point at the "&"
    return f"{message} at line {line}, column {column + 1}", hint


def _fix_hint(message: str, body: bytes, line: int, column: int) -> str:
    """How to fix an entity mistake the publisher can act on, as a sentence; "" for others."""
    if message == "undefined entity":
        return (
            ". To fix it, write HTML entities such as &nbsp; as numbers (&#160;): XML knows "
            "only &amp; &lt; &gt; &quot; &apos;"
        )
    lines = body.decode("utf-8", "replace").split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if message.startswith("not well-formed") and 0 < column <= len(text) and text[column - 1] == "&":
        return ". To fix it, write a bare & as &amp;"
    return ""


# feedparser hands the XML parser the document with this declaration in place of its own, or
# put in front of it on a line of its own when the document does not start with one
_FEEDPARSER_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?>")


def _position_in_original(body: bytes, line: int, column: int) -> tuple[int, int]:
    """Line (1-based) and column (0-based, in characters) of a parser position in feedparser's
    copy of ``body``, turned into the same position in ``body`` itself."""
    start = body.lstrip(b"\xef\xbb\xbf\xfe\xff").replace(b"\x00", b"")
    declaration = _XML_DECLARATION.match(start)
    if declaration is None:
        return (line - 1, column) if line > 1 else (line, column)
    original = declaration.group(0).decode("latin-1").split("\n")
    if line > 1:
        return line + len(original) - 1, column
    if column < len(_FEEDPARSER_DECLARATION):
        return line, column
    return len(original), column - len(_FEEDPARSER_DECLARATION) + len(original[-1])


def _not_a_feed_reason(body: bytes, result: Mapping[str, Any], url: str) -> str:
    head = body[:4096].decode("latin-1").lower()
    if not re.search(rb"<[A-Za-z_]", re.sub(rb"<!--.*?-->|<\?.*?\?>", b"", body[:65536], flags=re.S)):
        return "not a feed: the document has no elements"
    if re.search(r"<!doctype\s+html|<html[\s>]", head):
        found = feed_link_in_html(body, url=url)
        hint = f"; it links to a feed at {found}" if found else ""
        return f"not a feed: this is an HTML page{hint}"
    error = result.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        message = " ".join(str(error).split())[:200]
        return f"not a feed: the XML cannot be read ({message})"
    return "not a feed: no RSS, Atom or JSON Feed root element"


def feed_link_in_html(body: bytes, *, url: str) -> str | None:
    """The feed URL an HTML page advertises, resolved against ``url``; None when it has none.

    Looks for <link rel="alternate"> with an RSS, Atom or JSON Feed type.
    """
    pattern = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
    for match in pattern.finditer(body[:200_000]):
        tag = match.group(0).decode("utf-8", "replace")
        lowered = tag.lower()
        if "alternate" in lowered and re.search(r"(rss|atom|feed)\+?(xml|json)", lowered):
            href = re.search(r"""href\s*=\s*["']([^"']+)["']""", tag, re.IGNORECASE)
            if href:
                return absolute(url, html.unescape(href.group(1)[:1000]), is_local(url))
    return None
