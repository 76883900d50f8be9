"""Article page HTML (or a plain text / Markdown file) -> main text, via trafilatura.

``extract_article`` decodes the page itself (BOM, valid UTF-8, HTTP charset, <meta> charset,
then windows-1252), so trafilatura never sees raw bytes (its byte path also un-gzips, which we
do not want for untrusted input), and returns the main text with paragraphs separated by a
blank line, or "" when the page yields nothing usable. A plain text or Markdown document
(by Content-Type, else file name, else the absence of any HTML tag) is taken as it is, its
paragraphs rejoined and Markdown marks dropped. Falling back to the feed's own text is the
caller's job. ``page_published`` reads the publication date a page's metadata gives.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

import htmldate
import trafilatura

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Below this many characters an extraction is a caption or a cookie line, not an article.
MIN_CHARS = 25


def extract_article(
    body: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    include_comments: bool = False,
) -> str:
    """Main text of the HTML page (or plain text / Markdown document) ``body``, paragraphs joined
    by "\\n\\n", or "" if none."""
    if not body.strip() or not _is_textual(headers):
        return ""
    html = decode_html(body, headers)
    if is_plain_text(html, url=url, headers=headers):
        result = plain_text(html)
        return result if len(result) >= MIN_CHARS else ""
    try:
        text = trafilatura.extract(
            html,
            url=url or None,
            include_comments=include_comments,
            include_tables=True,
            output_format="txt",
            with_metadata=False,
        )
    except Exception as exc:
        log.warning("trafilatura failed on %s: %s: %s", url, exc.__class__.__name__, exc)
        return ""
    if not text:
        return ""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    result = "\n\n".join(p for p in paragraphs if p)
    return result if len(result) >= MIN_CHARS else ""


def page_published(
    body: bytes, *, url: str, headers: Mapping[str, str] | None = None
) -> datetime | None:
    """The publication date the page's metadata gives (article:published_time, JSON-LD
    datePublished, <time>, a date in the URL, ...) as an aware UTC datetime, else None.

    Only structured metadata is read, never dates guessed from the running text (a copyright
    line is not a publication date). A date without a time of day is taken as midnight UTC.
    """
    if not body.strip() or not _is_textual(headers):
        return None
    html = decode_html(body, headers)
    if is_plain_text(html, url=url, headers=headers):
        return None
    try:
        # a parsed tree, never a string: htmldate downloads a string that looks like a URL
        tree = trafilatura.load_html(html)
        if tree is None:
            return None
        found = htmldate.find_date(
            tree, url=url or None, original_date=True, extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
        )
    except Exception as exc:
        log.info("no date read from %s: %s: %s", url, exc.__class__.__name__, exc)
        return None
    if not found:
        return None
    try:
        parsed = datetime.strptime(found, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            parsed = datetime.strptime(found, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            return None
    return parsed.astimezone(UTC)


# --- plain text and Markdown --------------------------------------------------------------------

_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_HTML_PAGE = re.compile(r"<(!doctype\s+html|html[\s>])", re.IGNORECASE)  # looked for in the first KB
_ANY_HTML_TAG = re.compile(
    r"<(!doctype\s+html|html|head|body|title|meta|p|div|article|main|section|span|br|h[1-6]|a)[\s/>]",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_MD_BLOCK_START = re.compile(r"^\s{0,3}(#{1,6}\s|[-*+]\s+|\d{1,3}[.)]\s+)")
_MD_PREFIX = re.compile(r"^\s{0,3}(>\s?)*([-*+]\s+|\d{1,3}[.)]\s+)?")
_MD_RULE = re.compile(r"^\s{0,3}([-*_=]\s*){3,}$|^\s{0,3}(```|~~~)")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"\*\*|__|`")


def is_plain_text(text: str, *, url: str, headers: Mapping[str, str] | None = None) -> bool:
    """Whether a decoded document is plain text or Markdown rather than HTML.

    The server's Content-Type decides (text/plain, text/markdown), unless the body plainly
    starts as an HTML page; a local file (no Content-Type) by its name, else by having no
    HTML tag at all.
    """
    mime = _content_type(headers).split(";", 1)[0].strip().lower()
    if mime in _TEXT_TYPES:
        return not _HTML_PAGE.search(text[:1024])
    if mime:
        return False
    if urlsplit(url).path.lower().endswith(_TEXT_SUFFIXES):
        return not _HTML_PAGE.search(text[:1024])
    return not _ANY_HTML_TAG.search(text[:65536])


def plain_text(text: str) -> str:
    """Paragraphs of a plain text or Markdown document, joined by a blank line.

    Blank lines separate paragraphs and the lines of one paragraph are rejoined (hard-wrapped
    text); a text without any blank line has one paragraph per line. Markdown headings and list
    items are paragraphs of their own; they, quotes, links and emphasis lose their marks.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    has_blank_lines = any(not line.strip() for line in lines[1:-1])
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        starts_block = not has_blank_lines or bool(_MD_BLOCK_START.match(line))
        if not line.strip() or _MD_RULE.match(line) or starts_block:
            if current:
                paragraphs.append(" ".join(current))
            current = []
        if line.strip() and not _MD_RULE.match(line):
            current.append(_markdown_to_text(line))
        if _MD_HEADING.match(line) and current:  # a heading is a paragraph of its own
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    cleaned = (" ".join(p.split()) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def _markdown_to_text(line: str) -> str:
    """One line without its Markdown marks (heading #, list bullet, quote >, links, emphasis)."""
    if _MD_HEADING.match(line):
        line = _MD_CLOSING_HASHES.sub("", _MD_HEADING.sub("", line))
    line = _MD_PREFIX.sub("", line, count=1)
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub("", line)


# --- decoding -------------------------------------------------------------------------------------


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Decode an HTML page as well as the bytes allow."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (_header_charset(headers), _meta_charset(body)):
        if declared:
            try:
                return body.decode(_codec_for(declared), "replace")
            except LookupError:
                continue
    return body.decode("cp1252", "replace")


def _content_type(headers: Mapping[str, str] | None) -> str:
    if not headers:
        return ""
    return next((str(value) for key, value in headers.items() if str(key).lower() == "content-type"), "")


def _is_textual(headers: Mapping[str, str] | None) -> bool:
    """False when the server says the body is a PDF, an image, audio, ... (no text to extract)."""
    mime = _content_type(headers).split(";", 1)[0].strip().lower()
    return not mime or "html" in mime or "xml" in mime or mime.startswith("text/")


def _header_charset(headers: Mapping[str, str] | None) -> str | None:
    match = _HEADER_CHARSET.search(_content_type(headers))
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:65536])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec_for(label: str) -> str:
    """Python codec for a declared charset; Latin-1 labels mean windows-1252 (as browsers do)."""
    name = codecs.lookup(label.strip().lower()).name
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
