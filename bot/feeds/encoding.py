"""PURE: repair the encoding label of an XML feed before feedparser decodes it.

Mislabelled encodings are fixed where the bytes allow: valid UTF-8 under a single-byte label
(ISO-8859-1, windows-1252, ...) is relabelled UTF-8, and a document that declares no encoding
is re-encoded as UTF-8 when detection (charset_normalizer) says it is in a non-Latin script
(Big5, Shift_JIS, KOI8-R, ...). Everything else is passed through unchanged.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_XML_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_CHARSET_PARAM = re.compile(r"""(charset\s*=\s*["']?)([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SINGLE_BYTE = re.compile(
    r"^(latin[-_]?\d*|iso[-_]?8859.*|cp\d+|windows[-_]?125\d|koi8.*|mac.*|ascii|us-ascii)$"
)
# Scripts whose single/multi-byte encodings feedparser's windows-1252 fallback would garble.
_NON_LATIN_CODECS = re.compile(
    r"^(big5.*|euc_.*|gb.*|hz|shift_jis.*|cp932|cp949|cp950|iso2022.*|johab|koi8.*|cp1251|cp866"
    r"|iso8859_5|mac_cyrillic|cp1253|iso8859_7|cp1255|iso8859_8|cp1256|iso8859_6|tis_620|cp874"
    r"|iso8859_11)$"
)
_DETECT_SAMPLE = 200_000


def trust_valid_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
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


def transcode_undeclared(body: bytes, headers: dict[str, str]) -> bytes:
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
