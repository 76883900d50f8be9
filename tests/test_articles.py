"""extract_article on pages and texts written for these tests: main text, paragraphs, charsets,
plain text and Markdown, failures; page_published on page metadata."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import htmldate.utils
import pytest
import trafilatura

from bot.articles import decode_html, extract_article, is_plain_text, page_published

PARAGRAPHS = [
    "The river authority said on Monday that the old stone weir below the mill would be "
    "rebuilt over the summer, closing the towpath between the two bridges for ten weeks.",
    "Engineers found that the winter floods had washed out the core of the weir, leaving "
    "the upstream meadows at risk of draining too quickly during dry spells in August.",
    "“We would rather do this once and do it properly,” the project manager, Tomas Reyes, "
    "told a meeting of residents in the village hall, where the plans were on display.",
    "Walkers will be sent along a signed diversion through the orchard, and the cafe by the "
    "lock will stay open throughout the works, the authority added in its statement.",
]


def _page(paragraphs: list[str], charset: str = "utf-8", meta: bool = True) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    meta_tag = f'<meta charset="{charset}">' if meta else ""
    return f"""<!DOCTYPE html><html><head>{meta_tag}<title>Weir to be rebuilt</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
<a href="/weather">Weather</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<main><article><h1>Weir to be rebuilt this summer</h1>
<p class="byline">By a staff reporter</p>{body}</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Village fete returns</a></li>
<li><a href="/y">Bus timetable changes</a></li></ul></aside>
<footer><p>Copyright 2025 The Valley Courier. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def test_main_text_with_paragraph_breaks() -> None:
    text = extract_article(_page(PARAGRAPHS).encode(), url="https://courier.example.com/weir")
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "\n\n".join(PARAGRAPHS[:2]) in text
    for boilerplate in ("Bus timetable", "All rights reserved", "Privacy"):
        assert boilerplate not in text


def test_meta_charset_latin1() -> None:
    paragraphs = [p.replace("cafe", "café").replace("“", '"').replace("”", '"') for p in PARAGRAPHS]
    body = _page(paragraphs, charset="iso-8859-1").encode("latin-1")
    text = extract_article(body, url="https://courier.example.com/weir")
    assert "café by the lock" in text


def test_http_header_charset_wins_over_missing_meta() -> None:
    paragraphs = [p + " Свежие новости." for p in PARAGRAPHS]
    body = _page(paragraphs, meta=False).encode("koi8-r", "replace")
    text = extract_article(
        body, url="https://courier.example.com/weir", headers={"content-type": "text/html; charset=KOI8-R"}
    )
    assert "Свежие новости." in text


def test_decode_html_prefers_valid_utf8_and_bom() -> None:
    assert decode_html("naïve".encode()) == "naïve"
    assert decode_html("naïve".encode("utf-16")) == "naïve"
    assert decode_html(b"na\xefve") == "naïve"  # not UTF-8, no declaration: windows-1252
    assert decode_html(b"<meta charset=bogus-charset>na\xefve") == "<meta charset=bogus-charset>naïve"


@pytest.mark.parametrize(
    "body", [b"", b"   ", b"\x00\x01\x02garbage", b"<html><body><nav>Home</nav></body></html>"]
)
def test_nothing_usable_gives_empty_string(body: bytes) -> None:
    assert extract_article(body, url="https://courier.example.com/empty") == ""


def test_extractor_errors_are_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> str:
        raise RecursionError("deeply nested page")

    monkeypatch.setattr(trafilatura, "extract", explode)
    assert extract_article(_page(PARAGRAPHS).encode(), url="https://courier.example.com/weir") == ""


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "audio/mpeg"])
def test_non_text_content_types_give_empty_string(content_type: str) -> None:
    body = _page(PARAGRAPHS).encode()
    headers = {"Content-Type": content_type}
    assert extract_article(body, url="https://courier.example.com/x", headers=headers) == ""


def test_xhtml_content_type_is_extracted() -> None:
    headers = {"Content-Type": "application/xhtml+xml; charset=utf-8"}
    text = extract_article(_page(PARAGRAPHS).encode(), url="https://c.example.com/x", headers=headers)
    assert PARAGRAPHS[0] in text


# --- plain text and Markdown -----------------------------------------------------------------

STORY_TEXT = "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("file:///srv/notes/weir.txt", None),
        ("file:///srv/notes/weir.md", None),
        ("file:///srv/notes/weir", None),  # no name hint: no HTML tag at all
        ("https://courier.example.com/weir.txt", {"Content-Type": "text/plain; charset=utf-8"}),
        ("https://courier.example.com/weir", {"Content-Type": "text/markdown"}),
    ],
)
def test_plain_text_is_taken_as_text(url: str, headers: dict[str, str] | None) -> None:
    assert extract_article(STORY_TEXT.encode(), url=url, headers=headers) == STORY_TEXT


def test_hard_wrapped_text_is_rejoined_into_paragraphs() -> None:
    wrapped = "\r\n\r\n".join(textwrap.fill(p, 60) for p in PARAGRAPHS)
    assert extract_article(wrapped.encode(), url="file:///tmp/weir.txt") == STORY_TEXT


def test_text_without_blank_lines_has_one_paragraph_per_line() -> None:
    body = "\n".join(PARAGRAPHS).encode("utf-16")
    assert extract_article(body, url="file:///tmp/weir.txt") == STORY_TEXT


def test_markdown_marks_are_dropped() -> None:
    markdown = f"""# Weir to be rebuilt

{PARAGRAPHS[0]}

## What was found
{PARAGRAPHS[1].replace("winter floods", "**winter floods**")}

> {PARAGRAPHS[2]}

- First item: see [the plans](https://courier.example.com/plans) ![map](map.png)
- Second item with `code`

---
{PARAGRAPHS[3]}
"""
    text = extract_article(markdown.encode(), url="file:///tmp/weir.md")
    assert text.split("\n\n") == [
        "Weir to be rebuilt", PARAGRAPHS[0], "What was found", PARAGRAPHS[1], PARAGRAPHS[2],
        "First item: see the plans map", "Second item with code", PARAGRAPHS[3],
    ]


def test_html_served_as_text_plain_is_still_read_as_html() -> None:
    headers = {"Content-Type": "text/plain"}
    text = extract_article(_page(PARAGRAPHS).encode(), url="https://c.example.com/x", headers=headers)
    assert PARAGRAPHS[0] in text and "<p>" not in text and "Bus timetable" not in text


def test_a_local_html_file_is_still_read_as_html() -> None:
    text = extract_article(_page(PARAGRAPHS).encode(), url="file:///tmp/weir.html")
    assert PARAGRAPHS[0] in text and "All rights reserved" not in text


def test_too_short_text_gives_empty_string() -> None:
    assert extract_article(b"Just a line.", url="file:///tmp/short.txt") == ""


# --- publication dates ---------------------------------------------------------------------------


def _dated_page(head: str) -> bytes:
    return _page(PARAGRAPHS).replace("<title>", head + "<title>", 1).encode()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="article:published_time" content="2025-03-04T09:30:00+01:00">',
         datetime(2025, 3, 4, 8, 30, tzinfo=UTC)),
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
         '"NewsArticle", "datePublished": "2024-11-02T18:05:00Z"}</script>',
         datetime(2024, 11, 2, 18, 5, tzinfo=UTC)),
        ('<meta name="date" content="2023-06-07">', datetime(2023, 6, 7, tzinfo=UTC)),
    ],
)
def test_page_published_reads_metadata(head: str, expected: datetime) -> None:
    assert page_published(_dated_page(head), url="https://courier.example.com/weir") == expected


def test_page_published_reads_a_date_in_the_url() -> None:
    found = page_published(_page(PARAGRAPHS).encode(), url="https://c.example.com/2022/05/17/weir")
    assert found == datetime(2022, 5, 17, tzinfo=UTC)


def test_page_published_ignores_dates_in_the_running_text() -> None:
    page = _page([*PARAGRAPHS, "The weir was last rebuilt on 12 May 1998."]).encode()
    assert page_published(page, url="https://courier.example.com/weir") is None


@pytest.mark.parametrize(
    ("body", "url"),
    [
        (b"", "https://c.example.com/x"),
        (STORY_TEXT.encode(), "file:///tmp/weir.txt"),
        (b"http://127.0.0.1:9/not-to-be-fetched", "https://c.example.com/x"),
    ],
)
def test_page_published_without_metadata_is_none(
    body: bytes, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_downloads(*args: object, **kwargs: object) -> None:
        raise AssertionError("htmldate tried to download")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_downloads)
    assert page_published(body, url=url) is None


def test_a_fragment_of_html_without_a_name_hint_is_read_as_html() -> None:
    fragment = f'<a href="/weir">Weir</a> {PARAGRAPHS[0]}'
    assert not is_plain_text(fragment, url="file:///tmp/fragment")
    assert is_plain_text(PARAGRAPHS[0] + " 3 < 4 and <this>", url="file:///tmp/fragment")


def test_markdown_quote_over_several_lines_stays_one_paragraph() -> None:
    quote = "\n".join("> " + line for line in textwrap.wrap(PARAGRAPHS[2], 50))
    markdown = f"{PARAGRAPHS[0]}\n\n{quote}\n\n{PARAGRAPHS[3]}"
    text = extract_article(markdown.encode(), url="file:///tmp/weir.md")
    assert text.split("\n\n") == [PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[3]]
