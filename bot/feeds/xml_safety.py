"""PURE: refuse XML documents that would be dangerous or absurdly costly to parse.

``refuse_unsafe_xml`` raises ``FeedError`` ("refused: ...") before any XML parser sees a
document whose DTD declares entities that could expand (billion laughs) or read external
resources (XXE), or that holds more tags (escaped ones included) than a worker should spend
time on. Plain literal entities (``<!ENTITY id "tag:example.com,">``) are allowed.
"""

from __future__ import annotations

import re

from bot.errors import FeedError

# Real feeds stay far below this (a 1.6 MB, 730-item podcast feed has about 11,000 tags).
MAX_TAGS = 100_000
_TAG = re.compile(rb"<[A-Za-z_]")
_ESCAPED_TAG = re.compile(rb"&lt;[A-Za-z]")
_MAX_ENTITY_DECLS = 32
_MAX_ENTITY_VALUE = 1024
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(%\s*)?([^\s>]+)\s*(.*?)>", re.DOTALL)


def refuse_unsafe_xml(body: bytes, max_tags: int = MAX_TAGS) -> None:
    """Raise FeedError when ``body`` has a dangerous DTD or more than ``max_tags`` tags."""
    _refuse_dangerous_dtd(body)
    tags = len(_TAG.findall(body)) + len(_ESCAPED_TAG.findall(body))
    if tags > max_tags:
        raise FeedError(f"refused: the document has {tags} tags, more than the {max_tags} allowed")


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
