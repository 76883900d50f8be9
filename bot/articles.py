"""Article page HTML (or a plain text / Markdown file) -> main text, via trafilatura.

``extract_article`` decodes the page itself (BOM, valid UTF-8, HTTP charset, <meta> charset,
then windows-1252), so trafilatura never sees raw bytes (its byte path also un-gzips, which we
do not want for untrusted input), and returns the main text with paragraphs separated by a
blank line, or "" when the page yields nothing usable. A plain text or Markdown document
(by Content-Type, else file name, else the absence of any HTML tag; see ``is_plain_text``),
or an "HTML" document that yields nothing but is mostly text, is taken as it is, its
paragraphs rejoined and Markdown marks dropped. Falling back to the feed's own text is the
caller's job. ``page_published`` reads the publication date a page's metadata gives.
"""

from __future__ import annotations

import codecs
import itertools
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
# Hard-wrapped plain text: a quarter of its lines reach at least this many characters.
WRAPPED_WIDTH = 50
_SENTENCE_END = re.compile(r"[a-z][.!?][\"”’)]*(?:\s|$)")


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
        return _text_document(html)
    result = _html_document(html, url, include_comments)
    if not result and _undeclared_text(html, url, headers):
        # a text that merely mentions a tag ("never use <br> in copy"), not a page
        return _text_document(html)
    return result


def _undeclared_text(text: str, url: str, headers: Mapping[str, str] | None) -> bool:
    """A document nothing calls HTML (no HTML Content-Type, suffix or <html>) that is mostly
    text. A page whose article the extractor can't find (a script-built page, a consent wall)
    is not: its code and styles must never become the article."""
    mime = _mime(headers)
    if mime and mime not in _TEXT_TYPES:
        return False
    if urlsplit(url).path.lower().endswith(_HTML_SUFFIXES):
        return False
    head = _head_without_comments(text)
    return not _HTML_PAGE.search(head) and "<script" not in head.lower() and is_mostly_text(head)


def _text_document(text: str) -> str:
    result = plain_text(text)
    return result if len(result) >= MIN_CHARS else ""


def _html_document(html: str, url: str, include_comments: bool) -> str:
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
    paragraphs = (_TABLE_FRAME.sub(r"\1", " ".join(line.split())) for line in text.splitlines())
    result = "\n\n".join(p for p in paragraphs if p)
    return result if len(result) >= MIN_CHARS else ""


# trafilatura frames a table row as "| cell | cell |"; a layout table's one-cell rows are text
_TABLE_FRAME = re.compile(r"^\|\s+([^|]*?)\s+\|$")


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
_HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml")
# How much of a document is sniffed for HTML, after its <!-- comments --> are dropped.
SNIFF_CHARS = 65536
_HTML_PAGE = re.compile(r"<(!doctype\s+html|html[\s>])", re.IGNORECASE)
# A complete tag (<b>, </td>, <br/>, <a href="...">) of an element real pages are made of.
_KNOWN_TAG = re.compile(
    r"</?(?:!doctype|html|head|body|title|meta|link|script|style|p|div|span|br|hr|a|img|table|"
    r"thead|tbody|tr|td|th|font|b|i|u|em|strong|small|big|center|ul|ol|li|dl|dt|dd|h[1-6]|"
    r"article|main|section|header|footer|nav|aside|figure|figcaption|blockquote|pre|code|form|"
    r"input|iframe|noscript)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# A document whose known tags take up less than this share of its characters is mostly text.
MARKUP_SHARE = 0.10
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_MD_BLOCK_START = re.compile(r"^\s{0,3}(#{1,6}\s|[-*+]\s+|\d{1,3}[.)]\s+)")
_MD_PREFIX = re.compile(r"^\s{0,3}(>\s?)*([-*+]\s+|\d{1,3}[.)]\s+)?")
_MD_RULE = re.compile(r"^\s{0,3}([-*_=]\s*){3,}$|^\s{0,3}(```|~~~)")
_MD_IMAGE = re.compile(r"!\[([^\]]{0,500})\]\([^)]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)")
_MD_CODE_SPAN = re.compile(r"(`[^`]{0,500}`)")
# **strong**, __strong__, *emphasis*, _emphasis_: only where a mark opens or closes a word, so
# snake_case, 2*3 and "a * b" keep their characters. Spans (like links above) are bounded so
# that a long text full of unmatched marks takes linear time.
_MD_EMPHASIS = (
    re.compile(r"(?<![\w*])\*\*(?=[^\s*])([^*]{1,500}?)(?<=[^\s*])\*\*(?![\w*])"),
    re.compile(r"(?<![\w_])__(?=[^\s_])([^_]{1,500}?)(?<=[^\s_])__(?![\w_])"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]{1,500}?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])([^_]{1,500}?)(?<=[^\s_])_(?![\w_])"),
)
_CLOSERS = "'\"’”)]"
_OPENERS = "'\"‘“(["
# Words after which a full stop does not end the sentence ("Mr.", "Dr.", "St.").
_TITLES = frozenset(
    "mr mrs ms dr prof st sr jr gen lt col capt sgt rep sen gov rev fr hon mt ft no vs".split()
)


def is_plain_text(text: str, *, url: str, headers: Mapping[str, str] | None = None) -> bool:
    """Whether a decoded document is plain text or Markdown rather than HTML.

    An HTML or XML Content-Type, or a file named .htm/.html/.xhtml, is HTML. Otherwise the first
    64 KB (comments skipped) are sniffed: a document that starts an HTML page (<!DOCTYPE html>,
    <html>) is HTML. A text/plain or Markdown document (by Content-Type, else file name) is
    otherwise text unless it is mostly markup; any other document is HTML when it holds one
    complete tag of a known HTML element (<p>, <td>, <font>, <a href=...>, ...).
    """
    mime = _mime(headers)
    if mime and mime not in _TEXT_TYPES:
        return False
    path = urlsplit(url).path.lower()
    if not mime and path.endswith(_HTML_SUFFIXES):
        return False
    head = _head_without_comments(text)
    if _HTML_PAGE.search(head):
        return False
    if mime or path.endswith(_TEXT_SUFFIXES):
        return is_mostly_text(head)
    return not _KNOWN_TAG.search(head)


def _head_without_comments(text: str) -> str:
    """The first 64 KB of a document with its <!-- comments --> dropped (an unclosed one runs to
    the end)."""
    head = text[:SNIFF_CHARS]
    kept: list[str] = []
    position = 0
    while (start := head.find("<!--", position)) >= 0:
        kept.append(head[position:start])
        end = head.find("-->", start + 4)
        if end < 0:
            return " ".join(kept)
        position = end + 3
    kept.append(head[position:])
    return " ".join(kept)


def is_mostly_text(text: str) -> bool:
    """Whether known HTML tags take up less than a tenth of the document's characters."""
    size = len(text.strip())
    markup = sum(len(match.group(0)) for match in _KNOWN_TAG.finditer(text))
    return size > 0 and markup < MARKUP_SHARE * size


def plain_text(text: str) -> str:
    """Paragraphs of a plain text or Markdown document, joined by a blank line.

    Blank lines separate paragraphs and the lines of one paragraph are rejoined (hard-wrapped
    text). In a text without any blank line a line break ends a paragraph only after a line that
    ends a sentence or is a short title line, never inside a sentence. Markdown headings and
    list items are paragraphs of their own; they, quotes, links, code and emphasis lose their
    marks.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    has_blank_lines = any(not line.strip() for line in lines[1:-1])
    short_line = _short_line_limit(lines)
    # without blank lines, lines are only rejoined when the text looks hard-wrapped: long lines,
    # or many lines going on in lower case on the next; a list of short lines (headlines) keeps
    # one paragraph per line
    # (a list of lines without a single full stop - headlines, verse, an address, a table - is
    # not prose, whatever case its lines start in)
    filled = [line.strip() for line in lines if line.strip()]
    going_on = sum(1 for a, b in itertools.pairwise(filled) if b[0].islower())
    prose = any(_SENTENCE_END.search(line) for line in filled)
    wrapped = 2 * short_line >= WRAPPED_WIDTH or (prose and 4 * going_on >= len(filled) - 1 > 0)
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip() or _MD_RULE.match(line) or _MD_BLOCK_START.match(line):
            paragraphs.append(" ".join(current))
            current = []
        if line.strip() and not _MD_RULE.match(line):
            current.append(_block_marks_dropped(line))
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _MD_HEADING.match(line) or (
            not has_blank_lines and (not wrapped or _ends_paragraph(line, following, short_line))
        ):
            paragraphs.append(" ".join(current))
            current = []
    paragraphs.append(" ".join(current))
    cleaned = (" ".join(_inline_marks_dropped(p).split()) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def _short_line_limit(lines: list[str]) -> int:
    """Lines shorter than this are short for the document: half the length that a quarter of
    its lines reach (the wrap width of hard-wrapped text)."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    return lengths[len(lengths) * 3 // 4] // 2 if lengths else 0


def _ends_paragraph(line: str, following: str, short_line: int) -> bool:
    """Whether the break after ``line`` (in a text without blank lines) ends a paragraph: the
    line ends a sentence, or is a short line (not a list item) without closing punctuation, a
    title; and the next line does not go on in lower case."""
    stripped = line.strip()
    after = following.lstrip()
    if not stripped or not after or after[0].islower():
        return False
    last_word = stripped.rsplit(None, 1)[-1].rstrip(_CLOSERS)
    if last_word.endswith(("...", "…", "!", "?")):
        return True
    if last_word.endswith("."):  # a full stop, unless after a title ("Mr.") or an initial ("J.")
        word = last_word[:-1].lstrip(_OPENERS).lower()
        return word not in _TITLES and not (len(word) == 1 and word.isalpha())
    is_title = len(stripped) < short_line and not _MD_BLOCK_START.match(line)
    return is_title and stripped[-1] not in ",;:-–—"


def _block_marks_dropped(line: str) -> str:
    """One line without its Markdown block marks (heading #, list bullet, quote >)."""
    if _MD_HEADING.match(line):
        line = _MD_CLOSING_HASHES.sub("", _MD_HEADING.sub("", line))
    return _MD_PREFIX.sub("", line, count=1)


def _inline_marks_dropped(text: str) -> str:
    """A paragraph without Markdown images, links, code spans and emphasis (the text kept)."""
    text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(r"\1", text))
    parts = _MD_CODE_SPAN.split(text)
    for index in range(0, len(parts), 2):  # even parts are outside code spans
        for pattern in _MD_EMPHASIS:
            parts[index] = pattern.sub(r"\1", parts[index])
    return "".join(parts).replace("`", "")


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


def _mime(headers: Mapping[str, str] | None) -> str:
    """The media type the Content-Type header names ("text/html"), lower case; "" if none."""
    return _content_type(headers).split(";", 1)[0].strip().lower()


def _is_textual(headers: Mapping[str, str] | None) -> bool:
    """False when the server says the body is a PDF, an image, audio, ... (no text to extract)."""
    mime = _mime(headers)
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
