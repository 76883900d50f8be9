"""A malformed feed with no items is refused with the parser's reason, the line AND column of
the mistake in the document as sent, why that refuses it and, for entity mistakes, how to fix
it (feeds written for these tests)."""

from __future__ import annotations

import codecs

import pytest

from bot.errors import FeedError
from bot.feeds.parse import parse_feed

URL = "https://desk.example.com/feed.xml"
WHY = (
    " (the feed has no items, so nothing can be read from it; a feed with items is accepted "
    "despite such errors)"
)
ENTITY_FIX = (
    ". To fix it, write HTML entities such as &nbsp; as numbers (&#160;): XML knows only "
    "&amp; &lt; &gt; &quot; &apos;"
)


def _refusal(body: bytes) -> str:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, url=URL, headers={"content-type": "application/rss+xml"})
    return str(caught.value)


def _where(document: str, marker: str) -> tuple[int, int]:
    """1-based line and column of ``marker`` in ``document`` (as an editor shows them)."""
    before = document[: document.index(marker)]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


@pytest.mark.parametrize(
    "document",
    [
        # declaration on the same line as the mistake (feedparser swaps in its own declaration)
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tide &nbsp;tables</title>'
        "</channel></rss>",
        # no declaration (feedparser puts one on a line in front)
        '<rss version="2.0"><channel><title>Tide &nbsp;tables</title></channel></rss>',
        '<rss version="2.0">\n<channel>\n<title>Tide &nbsp;tables</title>\n</channel>\n</rss>',
        # a declaration spread over two lines, the mistake on the line where it ends
        '<?xml version="1.0"\n  encoding="utf-8"?><rss version="2.0"><channel><title>Tide '
        "&nbsp;tables</title></channel></rss>",
        '<?xml version="1.0"\n  encoding="utf-8"?>\n<rss version="2.0"><channel>\n<title>Tide '
        "&nbsp;tables</title></channel></rss>",
        # columns count characters, not bytes
        "<?xml version='1.0' encoding='windows-1252'?><rss version='2.0'><channel>"
        "<title>Marée basse, café &nbsp;fermé</title></channel></rss>",
    ],
)
def test_undefined_entity_is_placed_by_line_and_column(document: str) -> None:
    line, column = _where(document, "&nbsp;")
    assert _refusal(document.encode()) == (
        f"not a valid feed: undefined entity at line {line}, column {column}{WHY}{ENTITY_FIX}"
    )


def test_position_is_kept_after_a_byte_order_mark() -> None:
    document = "<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Tide &eacute;</title>"
    line, column = _where(document, "&eacute;")
    message = _refusal(codecs.BOM_UTF8 + document.encode())
    assert message.startswith(f"not a valid feed: undefined entity at line {line}, column {column} (")


def test_a_bare_ampersand_is_explained() -> None:
    document = (
        "<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Fish & chips</title></channel></rss>"
    )
    line, column = _where(document, "& chips")  # the "&" itself (expat stops one after it)
    assert _refusal(document.encode()) == (
        f"not a valid feed: not well-formed (invalid token) at line {line}, column {column}{WHY}"
        ". To fix it, write a bare & as &amp;"
    )


def test_other_errors_say_where_and_why_without_a_hint() -> None:
    document = "<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Cut short</channel></rss>"
    line, column = _where(document, "channel></rss>")  # expat points at the closing tag's name
    assert _refusal(document.encode()) == (
        f"not a valid feed: mismatched tag at line {line}, column {column}{WHY}"
    )


def test_a_feed_with_items_is_still_accepted_despite_the_same_mistake() -> None:
    document = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Tide &nbsp;tables</title>"
        "<item><title>High water at noon</title><guid>t-1</guid></item></channel></rss>"
    )
    (item,) = parse_feed(document.encode(), url=URL).items
    assert item.title == "High water at noon"
