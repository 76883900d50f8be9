"""parse_feed on small feeds written for these tests: every format, broken input, XML attacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import FeedError
from bot.feeds.parse import html_to_text, parse_feed

BASE = "https://news.example.org/feeds/main.xml"

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Town Gazette</title>
  <link>https://news.example.org/</link>
  <image><url>https://news.example.org/logo.png</url><title>x</title><link>/</link></image>
  <item>
    <title>  Ferry   timetable
       changes next week </title>
    <link>/2025/ferry?utm_source=rss</link>
    <guid isPermaLink="false">gazette-1001</guid>
    <pubDate>Tue, 04 Mar 2025 09:30:00 +0100</pubDate>
    <dc:creator>Mara Quill</dc:creator>
    <description>&lt;p&gt;The ferry will run &lt;b&gt;later&lt;/b&gt;.&lt;/p&gt;
    &lt;p&gt;Tickets are unchanged.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full story: the ferry will run later.</p><script>alert(1)</script>
    <p>Second paragraph.</p>]]></content:encoded>
    <media:content url="https://img.example.org/ferry.jpg" medium="image"/>
  </item>
  <item>
    <title>Library opens a reading garden</title>
    <link>https://news.example.org/2025/garden</link>
    <description>Plain words only.</description>
    <enclosure url="https://img.example.org/garden.png" type="image/png" length="10"/>
  </item>
</channel>
</rss>
"""


def test_rss20_items_fields_in_order() -> None:
    feed = parse_feed(RSS20, url=BASE)
    assert feed.kind == "rss20"
    assert feed.title == "Harbour Town Gazette"
    assert feed.link == "https://news.example.org/"
    assert feed.image == "https://news.example.org/logo.png"
    first, second = feed.items
    assert first.key == "gazette-1001"
    assert first.title == "Ferry timetable changes next week"
    assert first.link == "https://news.example.org/2025/ferry?utm_source=rss"
    assert first.published == datetime(2025, 3, 4, 8, 30, tzinfo=UTC)
    assert first.summary == "The ferry will run later.\n\nTickets are unchanged."
    assert first.content == "Full story: the ferry will run later.\n\nSecond paragraph."
    assert first.author == "Mara Quill"
    assert first.image == "https://img.example.org/ferry.jpg"
    assert second.key == "https://news.example.org/2025/garden"  # no guid: the link
    assert second.published is None
    assert second.summary == "Plain words only."
    assert second.image == "https://img.example.org/garden.png"


RSS091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel>
<title>Old Style Weekly</title><link>http://old.example.net/</link>
<description>d</description><language>en</language>
<item><title>Caf\xe9 reopens</title><link>http://old.example.net/cafe</link>
<description>The caf\xe9 is back.</description></item>
</channel></rss>
"""


def test_rss091_latin1_declared() -> None:
    feed = parse_feed(RSS091, url="http://old.example.net/rss.xml")
    assert feed.kind.startswith("rss09")
    (item,) = feed.items
    assert item.title == "Café reopens"
    assert item.key == "http://old.example.net/cafe"
    assert item.summary == "The café is back."


RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example.com/">
    <title>RDF Notes</title><link>http://rdf.example.com/</link><description>x</description>
    <items><rdf:Seq><rdf:li resource="http://rdf.example.com/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://rdf.example.com/a">
    <title>Council votes on bridge</title>
    <link>http://rdf.example.com/a</link>
    <dc:date>2024-11-02T10:00:00Z</dc:date>
  </item>
</rdf:RDF>
"""


def test_rss10_rdf() -> None:
    feed = parse_feed(RSS10, url="http://rdf.example.com/index.rdf")
    assert feed.kind == "rss10"
    (item,) = feed.items
    assert item.title == "Council votes on bridge"
    assert item.link == "http://rdf.example.com/a"
    assert item.published == datetime(2024, 11, 2, 10, 0, tzinfo=UTC)


ATOM10 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/posts/">
  <title type="html">Valley &lt;i&gt;Journal&lt;/i&gt;</title>
  <link rel="alternate" href="https://blog.example.com/"/>
  <id>urn:uuid:feed-1</id>
  <updated>2025-01-02T03:04:05Z</updated>
  <entry>
    <title type="html">&lt;b&gt;Storm&lt;/b&gt; closes   the pass</title>
    <link rel="alternate" href="storm.html"/>
    <id>tag:blog.example.com,2025:storm</id>
    <published>2025-01-02T01:00:00-05:00</published>
    <updated>2025-01-02T03:04:05Z</updated>
    <author><name>Ines Varga</name></author>
    <summary type="text">Snow &amp; wind.   Roads shut.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One.</p>
    <p>Two <a href="x">links</a>.</p></div></content>
  </entry>
  <entry>
    <title>No date here</title>
    <link href="/about/team"/>
    <id>tag:blog.example.com,2025:team</id>
  </entry>
</feed>
"""


def test_atom10_relative_links_html_title_and_dates() -> None:
    feed = parse_feed(ATOM10, url="https://blog.example.com/feed.atom")
    assert feed.kind == "atom10"
    assert feed.title == "Valley Journal"
    storm, team = feed.items
    assert storm.title == "Storm closes the pass"
    assert storm.link == "https://blog.example.com/posts/storm.html"
    assert storm.published == datetime(2025, 1, 2, 6, 0, tzinfo=UTC)
    assert storm.author == "Ines Varga"
    assert storm.summary == "Snow & wind. Roads shut."
    assert storm.content == "One.\n\nTwo links."
    assert team.link == "https://blog.example.com/about/team"
    assert team.published is None


ATOM03 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
  <title>Legacy Atom</title>
  <link rel="alternate" type="text/html" href="http://legacy.example.com/"/>
  <modified>2004-05-01T00:00:00Z</modified>
  <entry>
    <title>Old entry</title>
    <link rel="alternate" type="text/html" href="http://legacy.example.com/1"/>
    <id>tag:legacy.example.com,2004:1</id>
    <issued>2004-05-01T00:00:00Z</issued>
    <modified>2004-05-01T00:00:00Z</modified>
  </entry>
</feed>
"""


def test_atom03() -> None:
    feed = parse_feed(ATOM03, url="http://legacy.example.com/atom.xml")
    assert feed.kind == "atom03"
    (item,) = feed.items
    assert item.key == "tag:legacy.example.com,2004:1"
    assert item.link == "http://legacy.example.com/1"
    assert item.published == datetime(2004, 5, 1, tzinfo=UTC)


def _json_feed(version: str, items: list[dict[str, object]]) -> bytes:
    return json.dumps(
        {
            "version": f"https://jsonfeed.org/version/{version}",
            "title": "Market Wire",
            "home_page_url": "https://wire.example.com/",
            "icon": "/icon.png",
            "items": items,
        }
    ).encode()


def test_json_feed_10() -> None:
    body = _json_feed(
        "1",
        [
            {
                "id": 42,
                "url": "/story/42",
                "title": "Grain prices rise",
                "content_html": "<p>Prices <em>rose</em>.</p><p>Traders shrugged.</p>",
                "summary": "Short version.",
                "date_published": "2025-02-03T04:05:06+02:00",
                "author": {"name": "Pia Lund"},
                "image": "https://wire.example.com/grain.jpg",
            },
            {"id": "b", "url": "https://wire.example.com/b", "content_text": "Text only."},
        ],
    )
    feed = parse_feed(body, url="https://wire.example.com/feed.json")
    assert feed.kind == "json1"
    assert feed.title == "Market Wire"
    assert feed.image == "https://wire.example.com/icon.png"
    first, second = feed.items
    assert first.key == "42"
    assert first.link == "https://wire.example.com/story/42"
    assert first.content == "Prices rose.\n\nTraders shrugged."
    assert first.summary == "Short version."
    assert first.published == datetime(2025, 2, 3, 2, 5, 6, tzinfo=UTC)
    assert first.author == "Pia Lund"
    assert first.image == "https://wire.example.com/grain.jpg"
    assert second.title == "Text only."  # no title: a snippet of the text
    assert second.published is None


def test_json_feed_11_authors_and_naive_date() -> None:
    body = _json_feed(
        "1.1",
        [
            {
                "id": "x1",
                "external_url": "https://elsewhere.example.com/x1",
                "title": "Port strike ends",
                "authors": [{"name": "Ola Berg"}],
                "date_modified": "2025-06-01T12:00:00",
                "attachments": [{"url": "https://wire.example.com/x1.png", "mime_type": "image/png"}],
            }
        ],
    )
    (item,) = parse_feed(body, url="https://wire.example.com/feed.json").items
    assert item.link == "https://elsewhere.example.com/x1"
    assert item.author == "Ola Berg"
    assert item.published == datetime(2025, 6, 1, 12, tzinfo=UTC)
    assert item.image == "https://wire.example.com/x1.png"


def _rss_items(items: str, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>T</title><link>https://t.example.com/</link>{items}</channel></rss>"
    ).encode(encoding)


def test_duplicate_guids_keep_first_and_shared_links_keep_both() -> None:
    body = _rss_items(
        "<item><title>A</title><guid isPermaLink='false'>g1</guid>"
        "<link>https://t.example.com/same</link></item>"
        "<item><title>B</title><guid isPermaLink='false'>g2</guid>"
        "<link>https://t.example.com/same</link></item>"
        "<item><title>A again</title><guid isPermaLink='false'>g1</guid></item>"
        "<item><title>C</title><guid isPermaLink='false'>g3</guid></item>"
    )
    items = parse_feed(body, url="https://t.example.com/rss").items
    assert [(i.key, i.title) for i in items] == [("g1", "A"), ("g2", "B"), ("g3", "C")]


def test_missing_ids_and_links_use_a_stable_hash() -> None:
    body = _rss_items("<item><title>Only a title</title><description>and text</description></item>")
    first = parse_feed(body, url=BASE).items[0]
    again = parse_feed(body, url=BASE).items[0]
    assert first.key.startswith("sha256:") and first.key == again.key
    assert first.link is None


def test_empty_entries_are_dropped() -> None:
    body = _rss_items("<item></item><item><title>Real</title></item>")
    assert [i.title for i in parse_feed(body, url=BASE).items] == ["Real"]


def test_unsafe_link_schemes_are_dropped() -> None:
    body = _rss_items(
        "<item><title>x</title><guid>1</guid><link>javascript:alert(1)</link></item>"
        "<item><title>y</title><guid>2</guid><link>file:///etc/passwd</link></item>"
    )
    assert [i.link for i in parse_feed(body, url=BASE).items] == [None, None]


def test_file_links_allowed_for_local_feed() -> None:
    body = _rss_items("<item><title>x</title><link>article.html</link></item>")
    (item,) = parse_feed(body, url="file:///srv/demo/feed.xml").items
    assert item.link == "file:///srv/demo/article.html"


def test_content_location_header_is_the_base() -> None:
    body = _rss_items("<item><title>x</title><link>p/1</link></item>")
    (item,) = parse_feed(body, url="https://t.example.com/rss", headers={"Content-Location": "/v2/"}).items
    assert item.link == "https://t.example.com/v2/p/1"


def test_undeclared_latin1_bytes_are_decoded() -> None:
    body = (
        b"<rss version='2.0'><channel><title>T</title>"
        b"<item><title>Cr\xe8me br\xfbl\xe9e</title><guid>1</guid></item></channel></rss>"
    )
    (item,) = parse_feed(body, url=BASE).items
    assert item.title == "Crème brûlée"


def test_http_charset_header_decodes_cyrillic() -> None:
    body = (
        "<rss version='2.0'><channel><title>T</title>"
        "<item><title>Новости дня</title><guid>1</guid></item></channel></rss>"
    ).encode("windows-1251")
    (item,) = parse_feed(
        body, url=BASE, headers={"Content-Type": "application/xml; charset=windows-1251"}
    ).items
    assert item.title == "Новости дня"


def test_utf16_with_bom() -> None:
    body = _rss_items("<item><title>Zürich</title><guid>1</guid></item>", "utf-16")
    (item,) = parse_feed(body, url=BASE).items
    assert item.title == "Zürich"


def test_malformed_but_recoverable_feed_still_yields_items() -> None:
    body = (
        b"\n\n<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        b"<item><title>Fish & chips</title><guid>1</guid></item></channel></rss>"
    )
    (item,) = parse_feed(body, url=BASE).items
    assert item.title == "Fish & chips"


def test_malformed_feed_with_unclosed_tags_and_no_items_is_refused() -> None:
    body = (
        b"<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Half written\n"
        b"<item><title>never closed</title></channel>"
    )
    with pytest.raises(FeedError) as caught:
        parse_feed(body, url=BASE)
    assert str(caught.value) == (
        "not a valid feed: mismatched tag at line 3, column 36 (the feed has no items, so nothing "
        "can be read from it; a feed with items is accepted despite such errors)"
    )


def test_malformed_atom_with_no_entries_is_refused() -> None:
    body = b"<feed xmlns='http://www.w3.org/2005/Atom'><title>T</title><subtitle>cut off</feed>"
    with pytest.raises(FeedError, match=r"^not a valid feed: .+ at line 1, column 78 \(the feed has no"):
        parse_feed(body, url=BASE)


@pytest.mark.parametrize(
    "body",
    [
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>",
        # declared encoding is bogus: feedparser notes it (bozo) but the XML itself is fine
        b"<?xml version='1.0' encoding='no-such-charset'?>"
        b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>",
    ],
)
def test_well_formed_feed_with_zero_items_is_valid(body: bytes) -> None:
    feed = parse_feed(body, url=BASE)
    assert feed.items == () and feed.title == "Quiet" and feed.kind == "rss20"


def test_malformed_feed_that_still_yields_items_is_kept() -> None:
    body = (
        b"<rss version='2.0'><channel><title>T</title><item><title>First</title><guid>1</guid>"
        b"</item><item><title>Second</title><guid>2</guid></channel>"
    )
    feed = parse_feed(body, url=BASE)
    assert [i.title for i in feed.items] == ["First", "Second"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (
            b"<!DOCTYPE html><html><head><link rel='alternate' "
            b"type='application/rss+xml' href='/rss.xml'></head><body>hi</body></html>",
            "HTML page; it links to a feed at https://news.example.org/rss.xml",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "not a feed"),
        (b"<config><value>1</value></config>", "no RSS, Atom or JSON Feed root"),
        (b'{"hello": "world"}', "JSON that is not a JSON Feed"),
        (b"[1, 2, 3]", "JSON that is not a JSON Feed"),
        (b"{not json", "invalid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x"}', "no items"),
    ],
)
def test_not_a_feed_raises_clear_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match="not a feed") as caught:
        parse_feed(body, url=BASE)
    assert reason in str(caught.value)


def test_body_that_names_a_url_or_file_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(_rss_items("<item><title>LEAKED</title></item>"))
    for body in (str(secret).encode(), secret.as_uri().encode(), b"http://127.0.0.1:9/feed"):
        with pytest.raises(FeedError):
            parse_feed(body, url=BASE)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><guid>1</guid></item></channel></rss>
"""


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(FeedError, match="billion-laughs"):
        parse_feed(BILLION_LAUGHS, url=BASE)


def test_billion_laughs_on_one_line_is_refused() -> None:
    body = BILLION_LAUGHS.replace(b"\n <!ENTITY", b"<!ENTITY")
    with pytest.raises(FeedError, match="refused"):
        parse_feed(body, url=BASE)


def test_external_entity_is_refused_and_file_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>T</title>'
        "<item><title>&xxe;</title><guid>1</guid></item></channel></rss>"
    ).encode()
    with pytest.raises(FeedError, match="XXE"):
        parse_feed(body, url=BASE)


def test_parameter_entity_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM '
        b'"http://127.0.0.1:9/evil.dtd"> %remote;]><rss version="2.0"><channel/></rss>'
    )
    with pytest.raises(FeedError, match="refused"):
        parse_feed(body, url=BASE)


def test_xxe_in_utf16_is_refused() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-16"?>'
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        '<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>'
    ).encode("utf-16")
    with pytest.raises(FeedError, match="refused"):
        parse_feed(body, url=BASE)


def test_plain_literal_entity_is_allowed() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY site "tag:example.com,">]>'
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>x</title><guid>&site;2025:1</guid></item></channel></rss>"
    )
    (item,) = parse_feed(body, url=BASE).items
    assert item.key == "tag:example.com,2025:1"


def test_huge_title_is_clipped() -> None:
    body = _rss_items(f"<item><title>{'word ' * 50_000}</title><guid>1</guid></item>")
    (item,) = parse_feed(body, url=BASE).items
    assert len(item.title) <= 1000 and item.title.endswith("…")


def test_html_to_text_blocks_breaks_and_dropped_tags() -> None:
    html = (
        "<div>Intro <b>bold</b><br>next line</div><ul><li>one</li><li>two</li></ul>"
        "<style>p{}</style><script>x()</script><p>A&nbsp;&amp;&nbsp;B</p><!-- note -->tail"
    )
    assert html_to_text(html) == "Intro bold\nnext line\n\none\n\ntwo\n\nA & B\n\ntail"
    assert html_to_text("no markup   at all") == "no markup at all"
    assert html_to_text("") == ""


def test_control_characters_are_removed_but_hostile_text_kept_literally() -> None:
    body = _rss_items(
        "<item><guid>1</guid><title>@everyone \u202eevil\u202c zero\u200bwidth "
        "\x1b[31mred &lt;@&amp;123&gt;</title></item>"
    )
    (item,) = parse_feed(body, url=BASE).items
    assert item.title == "@everyone \u202eevil\u202c zero\u200bwidth [31mred <@&123>"


def test_absurdly_nested_html_keeps_its_words() -> None:
    assert html_to_text("<div>" * 20000 + "deep &amp; down" + "</div>" * 20000) == "deep & down"


def test_dates_with_non_english_month_names_are_parsed() -> None:
    body = _rss_items(
        "<item><guid>1</guid><title>x</title><pubDate>Seg, 24 Set 2018 19:18:49 -0300</pubDate></item>"
        "<item><guid>2</guid><title>y</title><pubDate>sometime soon</pubDate></item>"
    )
    first, second = parse_feed(body, url=BASE).items
    assert first.published == datetime(2018, 9, 24, 22, 18, 49, tzinfo=UTC)
    assert second.published is None


def test_utf8_bytes_under_a_single_byte_label_are_read_as_utf8() -> None:
    text = (
        "<rss version='2.0'><channel><title>T</title><item><guid>1</guid>"
        "<title>Price: 5 € · naïve</title></item></channel></rss>"
    )
    body = b'<?xml version="1.0" encoding="windows-1252"?>' + text.encode()
    (item,) = parse_feed(body, url=BASE).items
    assert item.title == "Price: 5 € · naïve"
    (item,) = parse_feed(
        text.encode(), url=BASE, headers={"Content-Type": "text/xml; charset=ISO-8859-1"}
    ).items
    assert item.title == "Price: 5 € · naïve"


def test_undeclared_cyrillic_is_detected() -> None:
    sentences = [
        "Городской совет обсудил новый бюджет на следующий год",
        "Жители района попросили отремонтировать старый мост через реку",
        "Библиотека продлила часы работы в зимние месяцы",
    ]
    items = "".join(
        f"<item><guid>{n}</guid><title>{text}</title><description>{text}. {text}.</description></item>"
        for n, text in enumerate(sentences)
    )
    body = f"<rss version='2.0'><channel><title>Новости</title>{items}</channel></rss>".encode("koi8-r")
    feed = parse_feed(body, url=BASE)
    assert [item.title for item in feed.items] == sentences


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "TOP-SECRET-MARKER">')
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
        '<rss version="2.0"><channel><title>T</title>'
        "<item><guid>1</guid><title>before &leak; after</title></item></channel></rss>"
    ).encode()
    feed = parse_feed(body, url=BASE)
    assert all("TOP-SECRET-MARKER" not in item.title for item in feed.items)


def test_documents_with_too_many_tags_are_refused_quickly() -> None:
    body = b"<rss version='2.0'><channel>" + b"<x>" * 200_000 + b"</channel></rss>"
    with pytest.raises(FeedError, match="more than the 100000 allowed"):
        parse_feed(body, url=BASE)
    escaped = _rss_items("<item><guid>1</guid><description>" + "&lt;b&gt;" * 200 + "</description></item>")
    with pytest.raises(FeedError, match="tags"):
        parse_feed(escaped, url=BASE, max_tags=100)


def test_entity_declarations_after_a_padded_dtd_are_still_seen() -> None:
    padding = "<!-- " + "x" * 300_000 + " -->"
    body = BILLION_LAUGHS.replace(b"<!DOCTYPE rss [", f"<!DOCTYPE rss [{padding}".encode())
    with pytest.raises(FeedError, match="refused"):
        parse_feed(body, url=BASE)


def test_relative_guids_are_stable_keys_wherever_the_feed_lives() -> None:
    body = _rss_items("<item><guid>story-77</guid><title>x</title></item>")
    first = parse_feed(body, url="https://old.example.com/rss").items[0]
    moved = parse_feed(body, url="https://new.example.com/feeds/rss").items[0]
    assert first.key == moved.key == "story-77"
    assert first.link == "https://old.example.com/story-77"  # a permalink guid is the link
