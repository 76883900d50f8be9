"""extract_article on pages written for these tests: main text, paragraphs, charsets, failures."""

from __future__ import annotations

import pytest
import trafilatura

from bot.articles import decode_html, extract_article

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
