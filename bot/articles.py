"""Article page HTML -> main text, via trafilatura.

``extract_article`` decodes the page itself (BOM, valid UTF-8, HTTP charset, <meta> charset,
then windows-1252), so trafilatura never sees raw bytes (its byte path also un-gzips, which we
do not want for untrusted input), and returns the main text with paragraphs separated by a
blank line, or "" when the page yields nothing usable. Falling back to the feed's own text is
the caller's job.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping

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
    """Main text of the HTML page ``body`` (paragraphs joined by "\\n\\n"), or "" if none."""
    if not body.strip() or not _is_textual(headers):
        return ""
    html = decode_html(body, headers)
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
