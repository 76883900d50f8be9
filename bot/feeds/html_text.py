"""PURE: reduce feed markup to the plain text items carry, and tidy or shorten that text.

``html_to_text`` drops every tag (script, style and the like with their content) and keeps
paragraph breaks as blank lines; ``tidy`` folds whitespace and removes control characters;
``snippet`` and ``clip`` shorten text for titles (a title fallback, a length cap).
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.etree
import lxml.html

_BLOCK_TAGS = frozenset(
    "p div ul ol li h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer"
    " figure figcaption hr dl dt dd address aside main nav form fieldset details summary"
    " iframe object video audio".split()
)
# Elements whose content is never reader-visible text (object/embed/iframe fallback text is).
_DROP_TAGS = frozenset("script style noscript template head title".split())
# A tag, with ">" allowed inside quoted attribute values (used when lxml gives up).
_ANY_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
# C0/C1 control characters (terminal escapes, NUL, ...) never belong in feed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, paragraphs separated by a blank line."""
    markup = markup.replace("\x00", "")
    if "<" not in markup and "&" not in markup:
        return tidy(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return tidy(html.unescape(_ANY_TAG.sub(" ", markup)))
    parts: list[str] = []
    _collect(root, parts)
    text = tidy("".join(parts))
    if not text:
        # libxml2 gives up on absurdly nested markup; keep the words rather than nothing.
        text = tidy(html.unescape(_ANY_TAG.sub(" ", markup)))
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


def tidy(text: str) -> str:
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


def snippet(text: str, limit: int = 80) -> str:
    """The start of ``text`` on one line, cut at a word boundary (with "…") past ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return (cut or flat[:limit]) + "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut hard to ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
