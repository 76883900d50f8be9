"""Slack Block Kit rendering (pure): limits, trimming, escaping of hostile feed text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.chat.slack_render import (
    HEADER_LIMIT,
    MAX_BLOCKS,
    SECTION_LIMIT,
    escape,
    fit,
    link,
    render_post,
    render_reply,
    safe_url,
    unformat,
)
from bot.models import Message, QuoteLine, Reply

WHEN = datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
HOSTILE = "<!channel> Lighthouse <@U123> & <!subteam^S1|team> <http://evil.example|bank> *bold*"


def texts(node: Any) -> list[str]:
    """Every "text" string anywhere in a block tree."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(texts(value))
    return found


def markup(text: str) -> list[str]:
    """The Slack control sequences ``<...>`` in a text."""
    return re.findall(r"<[^>]*>", text)


def message(**fields: Any) -> Message:
    values: dict[str, Any] = {
        "channel": "slack:CNEWS", "title": "Lighthouse keepers return to Skerry Point",
        "url": "https://news.example/lighthouse?a=1&b=2", "source": "Coast Gazette", "published": WHEN,
        "summary": ("The lighthouse on Skerry Point has keepers again.",
                 "Two volunteers moved in on Monday."),
        "quotes": (QuoteLine("The lamp has to be watched every night", "Oona Brennagh"),),
    }
    values.update(fields)
    return Message(**values)


def test_post_has_header_context_summary_quotes_and_link() -> None:
    post = render_post(message())
    kinds = [block["type"] for block in post.blocks]
    assert kinds == ["header", "context", "section", "section", "section"]
    header, context, summary, quote, last = post.blocks
    assert header["text"] == {"type": "plain_text", "emoji": False,
                              "text": "Lighthouse keepers return to Skerry Point"}
    assert context["elements"][0]["text"] == "Coast Gazette"
    assert context["elements"][1]["text"].startswith(f"<!date^{int(WHEN.timestamp())}^")
    assert context["elements"][1]["text"].endswith("|2026-05-04 07:30 UTC>")
    assert summary["text"]["type"] == "plain_text"
    assert "Two volunteers moved in on Monday." in summary["text"]["text"]
    assert quote["text"]["text"] == (
        "> “The lamp has to be watched every night”\n> — _Oona Brennagh_"
    )
    assert last["text"]["text"] == (
        "*<https://news.example/lighthouse?a=1&amp;b=2|Read the full article>*"
    )
    assert post.text == "Lighthouse keepers return to Skerry Point — Coast Gazette"


def test_hostile_title_source_summary_and_quotes_are_literal() -> None:
    post = render_post(message(
        title=HOSTILE, source=HOSTILE, summary=(HOSTILE,),
        quotes=(QuoteLine(HOSTILE, "<@U999> Mallory"),),
    ))
    dumped = json.dumps(post.blocks) + post.text
    for needle in ("<!channel>", "<@U123>", "<!subteam", "<http://evil", "<@U999>"):
        assert needle not in dumped
    header = post.blocks[0]["text"]["text"]
    assert header.startswith("&lt;!channel&gt; Lighthouse &lt;@U123&gt; &amp; ")
    # the only <...> sequences left are the ones we built: the date and the article link
    for text in [*texts(post.blocks), post.text]:
        for seq in markup(text):
            assert seq.startswith(("<!date^", "<https://news.example/")), seq


def test_invisible_and_bidi_characters_are_removed() -> None:
    post = render_post(message(title="Safe\u202e txet\u200b title\u2066", source="Ga\u200dzette"))
    assert post.blocks[0]["text"]["text"] == "Safe txet title"
    assert post.blocks[1]["elements"][0]["text"] == "Gazette"


def test_long_article_is_trimmed_within_slack_limits_at_word_boundaries() -> None:
    sentence = "The keepers logged every passing trawler in a leather-bound book. "
    huge_summary = (sentence * 400).strip()  # ~26,000 characters
    post = render_post(message(
        title="Storm " * 20_000,  # a 120 KB title
        summary=(huge_summary,),
        quotes=tuple(QuoteLine(f"Quote number {n} " + "words " * 400, f"Keeper {n}")
                     for n in range(80)),
    ))
    assert len(post.blocks) == MAX_BLOCKS
    header = post.blocks[0]["text"]["text"]
    assert len(header) <= HEADER_LIMIT and header.endswith("Storm…")
    summary = post.blocks[2]["text"]["text"]
    assert len(summary) <= SECTION_LIMIT
    assert summary.endswith("book.…")  # cut at a sentence end
    for block in post.blocks:
        for text in texts(block):
            assert len(text) <= SECTION_LIMIT
    assert post.blocks[-1]["text"]["text"].endswith("|Read the full article>*")
    assert len(post.text) <= 420


def test_limits_are_checked_on_the_escaped_text() -> None:
    fitted = fit("&" * 1000, 150)
    assert len(fitted) <= 150 and fitted.startswith("&amp;") and fitted.endswith("…")
    assert "&am…" not in fitted


def test_urls_are_checked_and_cannot_break_out_of_a_link() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("slack://channel?id=C1") is None
    assert safe_url("not a url") is None
    assert safe_url("https://news.example/a|b>c<d e") == "https://news.example/a%7Cb%3Ec%3Cd%20e"
    assert link("https://news.example/x", "<!here> see | this") == (
        "<https://news.example/x|&lt;!here&gt; see ¦ this>"
    )
    post = render_post(message(url="javascript:alert(1)"))
    assert all("javascript" not in text for text in texts(post.blocks))


def test_no_date_no_source_no_quotes() -> None:
    post = render_post(message(source=None, published=None, quotes=(), summary=()))
    assert [block["type"] for block in post.blocks] == ["header", "section"]


def test_reply_and_escape() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    text = render_reply(Reply("“Hold <!everyone>” — Ann\nsaid in https://news.example/?a=1&b=2"))
    assert text == "“Hold &lt;!everyone&gt;” — Ann\nsaid in https://news.example/?a=1&amp;b=2"
    assert len(render_reply(Reply("x " * 10_000))) <= 3900


def test_unformat_turns_slack_markup_back_into_what_the_user_typed() -> None:
    assert unformat("add <https://news.example/feed?a=1&amp;b=2> <#C0NEWS|news>") == (
        "add https://news.example/feed?a=1&b=2 <#C0NEWS|news>"
    )
    assert unformat("<http://news.example/x|news.example/x>") == "http://news.example/x"
    assert unformat("“Fish &amp; chips &lt;3” <!here> <@U1|ann> <@U2>") == (
        "“Fish & chips <3” @here @ann @U2"
    )


def test_image_is_a_thumbnail_of_the_summary_when_its_url_is_safe() -> None:
    post = render_post(message(image="https://img.example/dome.jpg?w=1&h=2"))
    assert post.blocks[2]["accessory"] == {
        "type": "image", "image_url": "https://img.example/dome.jpg?w=1&h=2",
        "alt_text": "Lighthouse keepers return to Skerry Point",
    }
    assert "accessory" not in render_post(message(image="javascript:x")).blocks[2]
    assert "accessory" not in render_post(message(image="https://img.example/a.jpg"),
                                          with_image=False).blocks[2]


def test_formatting_characters_in_feed_text_are_inert_but_links_stay_clickable() -> None:
    from bot.models import Reply

    text = render_reply(Reply("*Not* a _real_ ~quote~ `x` https://news.example/a_b*c"))
    assert "*Not*" not in text and "_real_" not in text and "~quote~" not in text
    assert "\u200b*Not\u200b*" in text
    assert "https://news.example/a_b*c" in text  # the URL itself is untouched
