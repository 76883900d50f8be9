"""PURE: turn a fetched feed document (bytes + response headers) into a ``ParsedFeed``.

RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through feedparser (always from an in-memory stream, so
it never fetches a URL or opens a file); JSON Feed 1.0/1.1 is read by hand. Every item gets a
stable key (id/guid, else link, else a hash of its text), an absolute link, plain-text title,
summary and content (paragraph breaks kept as blank lines), an aware UTC date or None and an
image when the entry names one. Items keep document order; a repeated key keeps the first.

Documents that are not feeds raise ``FeedError`` with a reason ("not a feed: ..." or
"refused: ..."). DTD entity declarations that could expand (billion laughs) or read external
resources (XXE), and documents with absurd numbers of tags, are refused before any XML parser
sees them. Mislabelled encodings are repaired where the bytes allow (valid UTF-8 under a
single-byte label; undeclared CJK/Cyrillic/... detected with charset_normalizer).
``feed_link_in_html`` finds the feed an HTML page advertises.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import html
import io
import json
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import feedparser
import lxml.etree
import lxml.html

from bot.errors import FeedError
from bot.models import Item, ParsedFeed

MAX_TITLE_CHARS = 1000
# Real feeds stay far below this (a 1.6 MB, 730-item podcast feed has about 11,000 tags).
MAX_TAGS = 100_000
_TAG = re.compile(rb"<[A-Za-z_]")
_ESCAPED_TAG = re.compile(rb"&lt;[A-Za-z]")
_MAX_ENTITY_DECLS = 32
_MAX_ENTITY_VALUE = 1024
_WEB_SCHEMES = ("http", "https")


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
    if _looks_like_json(body, lowered.get("content-type", "")):
        return _parse_json_feed(body, url)
    _refuse_dangerous_dtd(body)
    tags = len(_TAG.findall(body)) + len(_ESCAPED_TAG.findall(body))
    if tags > max_tags:
        raise FeedError(f"refused: the document has {tags} tags, more than the {max_tags} allowed")
    return _parse_xml_feed(body, url, lowered)


# --- XML feeds (feedparser) -------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, headers: dict[str, str]) -> ParsedFeed:
    body, headers = _trust_valid_utf8(body, headers)
    body = _transcode_undeclared(body, headers)
    response_headers = {
        key: value
        for key, value in headers.items()
        if key not in ("content-encoding", "content-length", "transfer-encoding")
    }
    # feedparser resolves relative links *and ids* against Content-Location. The feed's own URL
    # is deliberately not given as that base: a relative guid ("1234") then stays a stable key
    # even when the feed moves, and _absolute resolves links against ``url`` afterwards (which
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
    meta = result.get("feed") or {}
    allow_local = _is_local(url)
    base = url
    items = _dedupe(_xml_item(entry, base, allow_local) for entry in entries)
    feed_image = _first_url(
        base,
        allow_local,
        (meta.get("image") or {}).get("href"),
        meta.get("logo"),
        meta.get("icon"),
    )
    return ParsedFeed(
        title=" ".join(_text_of(meta.get("title"), meta.get("title_detail")).split()) or None,
        link=_absolute(base, meta.get("link"), allow_local),
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
    link = _absolute(base, entry.get("link"), allow_local)
    author = _clip(_tidy(str(entry.get("author") or "")), 200) or None
    # dict.get: FeedParserDict.get("updated_parsed") warns and aliases when the key is absent.
    published = _date_from_struct(
        dict.get(entry, "published_parsed")
        or dict.get(entry, "updated_parsed")
        or dict.get(entry, "created_parsed")
    ) or _loose_date(dict.get(entry, "published") or dict.get(entry, "updated"))
    image = _entry_image(entry, base, allow_local)
    raw_id = str(entry.get("id") or "").strip()
    return _make_item(raw_id, title, link, published, summary, content, author, image)


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
    return _first_url(base, allow_local, *candidates)


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
    return _tidy(text)


def _date_from_struct(value: Any) -> datetime | None:
    """An aware UTC datetime from feedparser's UTC struct_time, or None when unusable."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# Month abbreviations feedparser does not know (feeds written in other languages).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan ene gen janv jän",
            "feb fev fév févr",
            "mar mär mars marz",
            "apr abr avr",
            "may mai mag mei",
            "jun giu juin",
            "jul lug juil",
            "aug ago aoû août",
            "sep set sept",
            "oct out okt ott",
            "nov",
            "dec dez dic déc",
        ),
        start=1,
    )
    for name in names.split()
}
_LOOSE_DATE = re.compile(
    r"(\d{1,2})[ .-]+([^\W\d_]{3,})\.?[ .-]+(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):?(\d{2})(?::?(\d{2}))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


def _loose_date(value: Any) -> datetime | None:
    """Parse "24 Set 2018 19:18:49 -0300"-style dates with non-English month names."""
    if not isinstance(value, str):
        return None
    match = _LOOSE_DATE.search(value)
    if not match:
        return None
    day, month_name, year, hour, minute, second, zone = match.groups()
    month = _MONTHS.get(month_name.lower()[:4]) or _MONTHS.get(month_name.lower()[:3])
    if month is None:
        return None
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    offset = 0
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * (1 if zone[0] == "+" else -1)
    try:
        naive = datetime(full_year, month, int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return datetime.fromtimestamp(calendar.timegm(naive.timetuple()) - offset * 60, tz=UTC)


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
                return _absolute(url, html.unescape(href.group(1)[:1000]), _is_local(url))
    return None


# --- encodings ---------------------------------------------------------------------------------

_XML_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_CHARSET_PARAM = re.compile(r"""(charset\s*=\s*["']?)([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SINGLE_BYTE = re.compile(
    r"^(latin[-_]?\d*|iso[-_]?8859.*|cp\d+|windows[-_]?125\d|koi8.*|mac.*|ascii|us-ascii)$"
)


def _trust_valid_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Bytes that decode as UTF-8 (with non-ASCII in them) are UTF-8, whatever the label says.

    A single-byte label (ISO-8859-1, windows-1252, KOI8-R, ...) on valid multi-byte UTF-8 is a
    mislabel; real single-byte text almost never forms valid UTF-8 sequences. Without this,
    "€" written in UTF-8 under a windows-1252 prolog comes out as "â‚¬".
    """
    if body.isascii():
        return body, headers
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body, headers
    match = _XML_DECL_ENCODING.match(body)
    if match and _SINGLE_BYTE.match(match.group(2).decode("ascii").lower()):
        body = body[: match.start(2)] + b"utf-8" + body[match.end(2) :]
    content_type = headers.get("content-type", "")
    charset = _CHARSET_PARAM.search(content_type)
    if charset and _SINGLE_BYTE.match(charset.group(2).lower()):
        fixed = content_type[: charset.start(2)] + "utf-8" + content_type[charset.end(2) :]
        headers = {**headers, "content-type": fixed}
    return body, headers


# Scripts whose single/multi-byte encodings feedparser's windows-1252 fallback would garble.
_NON_LATIN_CODECS = re.compile(
    r"^(big5.*|euc_.*|gb.*|hz|shift_jis.*|cp932|cp949|cp950|iso2022.*|johab|koi8.*|cp1251|cp866"
    r"|iso8859_5|mac_cyrillic|cp1253|iso8859_7|cp1255|iso8859_8|cp1256|iso8859_6|tis_620|cp874"
    r"|iso8859_11)$"
)
_DETECT_SAMPLE = 200_000


def _transcode_undeclared(body: bytes, headers: dict[str, str]) -> bytes:
    """Re-encode as UTF-8 a non-UTF-8 document that declares no encoding, when detection says
    it is in a non-Latin script (Big5, Shift_JIS, KOI8-R, ...).

    Western text is left to feedparser's windows-1252 fallback: detectors confuse the Latin
    code pages with each other on short texts, but never mistake CJK or Cyrillic for them.
    """
    if body.isascii() or body[:4].count(b"\x00") or body.startswith(codecs.BOM_UTF8):
        return body
    if _XML_DECL_ENCODING.match(body) or _CHARSET_PARAM.search(headers.get("content-type", "")):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:_DETECT_SAMPLE]).best()
    if best is None or not _NON_LATIN_CODECS.match(str(best.encoding)):
        return body
    try:
        return body.decode(str(best.encoding), "replace").encode("utf-8")
    except LookupError:
        return body


# --- XML attacks --------------------------------------------------------------------------------

_ENTITY_DECL = re.compile(r"<!ENTITY\s+(%\s*)?([^\s>]+)\s*(.*?)>", re.DOTALL)


def _refuse_dangerous_dtd(body: bytes) -> None:
    """Raise FeedError when the DTD declares entities that could expand or read files.

    Plain literal entities (``<!ENTITY id "tag:example.com,">``) are allowed; parameter
    entities, SYSTEM/PUBLIC (external) entities, entities that reference other entities, and
    more than a handful of declarations are refused.
    """
    head = _prolog_text(body)
    if "<!ENTITY" not in head:
        return
    declarations = _ENTITY_DECL.findall(head)
    if len(declarations) > _MAX_ENTITY_DECLS or head.count("<!ENTITY") != len(declarations):
        raise FeedError("refused: the feed's DTD declares too many or malformed entities")
    for percent, name, rest in declarations:
        value = rest.strip()
        if percent or re.match(r"(SYSTEM|PUBLIC)\b", value):
            raise FeedError(
                f"refused: the feed's DTD declares an external or parameter entity ({name[:40]}),"
                " a possible XXE attack"
            )
        literal = value[1:-1] if len(value) >= 2 and value[0] == value[-1] in "\"'" else value
        if "%" in literal or re.search(r"&(?!#)", literal) or len(literal) > _MAX_ENTITY_VALUE:
            raise FeedError(
                f"refused: the feed's DTD declares a nested or oversized entity ({name[:40]}),"
                " a possible billion-laughs attack"
            )


def _prolog_text(body: bytes) -> str:
    """The text before the root element, decoded well enough to look for markup.

    The whole body is decoded (milliseconds even at the size cap) so that padding the DTD
    cannot push entity declarations out of view.
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        text = body.decode(_utf16_or_32(body), "replace")
    else:
        text = body.decode("latin-1")
    root = re.search(r"<[A-Za-z_]", text)
    return text[: root.start()] if root else text


def _utf16_or_32(sample: bytes) -> str:
    if sample[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "utf-32"
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if sample[:4] == b"\x00\x00\x00<":
        return "utf-32-be"
    if sample[:4] == b"<\x00\x00\x00":
        return "utf-32-le"
    return "utf-16-be" if sample[:1] == b"\x00" else "utf-16-le"


# --- JSON Feed ---------------------------------------------------------------------------------


def _looks_like_json(body: bytes, content_type: str) -> bool:
    start = body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    return start in (b"{", b"[") or ("json" in content_type.lower() and start != b"<")


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
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
    allow_local = _is_local(url)
    items = _dedupe(_json_item(raw, url, allow_local) for raw in raw_items if isinstance(raw, dict))
    kind = "json" + version.rstrip("/").rsplit("/", 1)[-1].replace(".", "")
    return ParsedFeed(
        title=" ".join(_tidy(_string(document.get("title"))).split()) or None,
        link=_absolute(url, document.get("home_page_url"), allow_local),
        items=tuple(items),
        image=_first_url(url, allow_local, document.get("icon"), document.get("favicon")),
        kind=kind,
    )


def _json_item(raw: dict[str, Any], base: str, allow_local: bool) -> Item | None:
    html_body = _string(raw.get("content_html"))
    content = html_to_text(html_body) if html_body else _tidy(_string(raw.get("content_text")))
    summary = _tidy(_string(raw.get("summary")))
    link = _absolute(base, raw.get("url"), allow_local) or _absolute(
        base, raw.get("external_url"), allow_local
    )
    published = _iso_date(raw.get("date_published")) or _iso_date(raw.get("date_modified"))
    attachments = [
        att.get("url")
        for att in raw.get("attachments") or []
        if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/")
    ]
    image = _first_url(base, allow_local, raw.get("image"), raw.get("banner_image"), *attachments)
    raw_id = raw.get("id")
    key = str(raw_id).strip() if isinstance(raw_id, (str, int, float)) else ""
    title = _tidy(_string(raw.get("title")))
    return _make_item(key, title, link, published, summary, content, _json_author(raw), image)


def _json_author(raw: dict[str, Any]) -> str | None:
    authors = raw.get("authors")
    candidates = authors if isinstance(authors, list) else [raw.get("author")]
    for author in candidates:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return _clip(_tidy(author["name"]), 200) or None
    return None


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


# --- items ---------------------------------------------------------------------------------------


def _make_item(
    key: str,
    title: str,
    link: str | None,
    published: datetime | None,
    summary: str,
    content: str,
    author: str | None,
    image: str | None,
) -> Item | None:
    """Build an Item, choosing its key and a title fallback; None for an entry with nothing."""
    if not key:
        key = link or ""
    if not key:
        if not (title or summary or content):
            return None
        digest = hashlib.sha256(f"{title}\n{summary}\n{content}".encode()).hexdigest()
        key = f"sha256:{digest[:32]}"
    title = " ".join(title.split())
    if not title:
        title = _snippet(summary or content) or (link or "")
    return Item(
        key=key,
        title=_clip(title, MAX_TITLE_CHARS),
        link=link,
        published=published,
        summary=summary,
        content=content,
        author=author,
        image=image,
    )


def _dedupe(items: Iterable[Item | None]) -> list[Item]:
    """Keep document order, drop empty entries and repeated keys (the first one wins)."""
    seen: set[str] = set()
    kept: list[Item] = []
    for item in items:
        if item is None or item.key in seen:
            continue
        seen.add(item.key)
        kept.append(item)
    return kept


def _is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme not in _WEB_SCHEMES


def _absolute(base: str, link: Any, allow_local: bool) -> str | None:
    """``link`` resolved against ``base``; None unless http(s) (or file for a local feed)."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base, link.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    if scheme in _WEB_SCHEMES or (allow_local and scheme == "file"):
        return absolute
    return None


def _first_url(base: str, allow_local: bool, *candidates: Any) -> str | None:
    for candidate in candidates:
        found = _absolute(base, candidate, allow_local)
        if found:
            return found
    return None


# --- text --------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div ul ol li h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer"
    " figure figcaption hr dl dt dd address aside main nav form fieldset details summary"
    " iframe object video audio".split()
)
# Elements whose content is never reader-visible text (object/embed/iframe fallback text is).
_DROP_TAGS = frozenset("script style noscript template head title".split())
# A tag, with ">" allowed inside quoted attribute values (used when lxml gives up).
_ANY_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, paragraphs separated by a blank line."""
    markup = markup.replace("\x00", "")
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(html.unescape(_ANY_TAG.sub(" ", markup)))
    parts: list[str] = []
    _collect(root, parts)
    text = _tidy("".join(parts))
    if not text:
        # libxml2 gives up on absurdly nested markup; keep the words rather than nothing.
        text = _tidy(html.unescape(_ANY_TAG.sub(" ", markup)))
    return text


def _collect(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    name = tag.lower()
    if tag and name not in _DROP_TAGS:
        if name in _BLOCK_TAGS:
            parts.append("\n\n")
        elif name == "br":
            parts.append("\n")
        elif name in ("td", "th"):
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect(child, parts)
        if name in _BLOCK_TAGS:
            parts.append("\n\n")
    if element.tail:
        parts.append(element.tail)


# C0/C1 control characters (terminal escapes, NUL, ...) never belong in feed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _tidy(text: str) -> str:
    """Collapse spaces within lines, keep single line breaks and blank-line paragraph breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = _CONTROL.sub("", text)
    paragraphs = []
    for block in re.split(r"\n[ \t\f\v]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def _snippet(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return (cut or flat[:limit]) + "…"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
