"""Embed and text rendering for Discord: limits, trimming at boundaries, literal feed text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.chat.discord_render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    MESSAGE_LIMIT,
    TITLE_LIMIT,
    embed_length,
    escape,
    fit,
    neutralise_mentions,
    nonce_for,
    render_embed,
    render_fallback,
    render_text,
    safe_url,
)
from bot.models import Message, QuoteLine

SENTENCE = "The council approved the new tram line after a long debate about costs. "


def message(**changes: object) -> Message:
    values: dict[str, object] = dict(
        channel="discord:2002", title="Council approves tram line",
        url="https://news.example/tram", source="Example News",
        published=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        summary=("The council approved the new tram line.", "Work starts in May."),
        quotes=(QuoteLine("It will change how this city moves", "Dana Whitcombe"),),
        image="https://news.example/logo.png",
    )
    values.update(changes)
    return Message(**values)  # type: ignore[arg-type]


def test_embed_has_title_link_source_time_summary_quotes_and_image() -> None:
    embed = render_embed(message())
    assert embed["title"] == "Council approves tram line"
    assert embed["url"] == "https://news.example/tram"
    assert embed["footer"] == {"text": "Example News"}
    assert embed["timestamp"] == "2026-03-02T09:30:00+00:00"
    assert embed["thumbnail"] == {"url": "https://news.example/logo.png"}
    assert embed["description"] == (
        "The council approved the new tram line. Work starts in May.\n\n"
        "“It will change how this city moves” — **Dana Whitcombe**"
    )


def test_huge_article_meets_every_limit_and_is_cut_at_boundaries() -> None:
    summary = (SENTENCE * 300,)  # about 21,000 characters
    assert len(summary[0]) > 20_000
    quotes = tuple(QuoteLine("word " * 1000, f"Speaker {n}") for n in range(40))
    embed = render_embed(message(title="Headline " * 12_000, summary=summary, quotes=quotes))
    assert len(embed["title"]) <= TITLE_LIMIT
    assert len(embed["description"]) <= DESCRIPTION_LIMIT
    assert embed_length(embed) <= EMBED_TOTAL_LIMIT
    assert embed["title"].endswith("Headline…")  # cut between words, not inside one
    summary_part = embed["description"].split("\n\n")[0]
    assert summary_part.endswith("costs.…")  # cut at a sentence end
    assert "— **Speaker 0**" in embed["description"]  # quotes stay, each trimmed


def test_hostile_title_and_text_are_rendered_literally() -> None:
    hostile = message(
        title="@everyone <@&123> look **here** <#2001> @here",
        summary=("Ping <@42> and __underline__ ||spoiler|| `code` [link](https://evil.example)",),
        quotes=(QuoteLine("@everyone run", "<@&99> Boss"),),
        source="@here Daily",
    )
    embed = render_embed(hostile)
    everything = " ".join([embed["title"], embed["description"], embed["footer"]["text"]])
    assert not re.search(r"@(everyone|here)", everything)
    assert not re.search(r"<[@#]", everything)
    assert "@\u200beveryone" in embed["title"] and "<\u200b@&123>" in embed["title"]
    assert r"\*\*here\*\*" in embed["title"]
    assert r"\_\_underline\_\_" in embed["description"]
    assert r"\|\|spoiler\|\|" in embed["description"]
    assert r"\[link\](https://evil.example)" in embed["description"]


def test_invisible_and_bidi_characters_are_removed() -> None:
    embed = render_embed(message(title="Safe\u202e txet\u200b title\u0007"))
    assert embed["title"] == "Safe txet title"


def test_links_in_text_stay_clickable() -> None:
    assert escape("see https://a.example/x_y_z now_then") == r"see https://a.example/x_y_z now\_then"


def test_line_start_markdown_is_escaped() -> None:
    assert render_text("# Big\n> quote\n- item\n1. first") == "\\# Big\n\\> quote\n\\- item\n\\1. first"


def test_fit_never_exceeds_the_limit_even_when_escaping_grows_text() -> None:
    text = "*_" * 3000
    assert len(escape(text)) > 2 * MESSAGE_LIMIT
    fitted = fit(text, MESSAGE_LIMIT)
    assert 0 < len(fitted) <= MESSAGE_LIMIT
    assert not fitted.rstrip("…").endswith("\\")  # no escape sequence cut in half


def test_plain_text_replies_fit_2000() -> None:
    text = "\n".join(f"#{n} Feed number {n} — https://example.org/{n}" for n in range(500))
    rendered = render_text(text)
    assert len(rendered) <= MESSAGE_LIMIT
    assert rendered.endswith("…")


def test_mentions_are_neutralised_in_every_form() -> None:
    for raw in ("@everyone", "@Here", "<@1>", "<@!1>", "<@&1>", "<#1>", "</feed add:1>",
                "<t:1700000000:R>", "<:emoji:1>", "<a:dance:1>"):
        out = neutralise_mentions(raw)
        assert out != raw and out.replace("\u200b", "") == raw


def test_unsafe_urls_are_left_out() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://x.example/" + "a" * 3000) is None
    assert safe_url("https://x.example/a b") is None
    embed = render_embed(message(url="ftp://x.example/file", image="data:image/png;base64,AA"))
    assert "url" not in embed and "thumbnail" not in embed


def test_missing_parts_are_simply_omitted() -> None:
    embed = render_embed(message(source=None, published=None, summary=(), quotes=(), image=None,
                                 title=""))
    assert embed["title"] == "(untitled)"
    assert {"footer", "timestamp", "description", "thumbnail"}.isdisjoint(embed)


def test_naive_dates_are_taken_as_utc() -> None:
    embed = render_embed(message(published=datetime(2026, 1, 5, 8, 0)))
    assert embed["timestamp"] == "2026-01-05T08:00:00+00:00"


def test_fallback_text_fits_a_plain_message() -> None:
    text = render_fallback(message(title="T" * 5000, summary=(SENTENCE * 100,)))
    assert len(text) <= MESSAGE_LIMIT
    assert "https://news.example/tram" in text


def test_nonce_is_stable_per_article_and_channel() -> None:
    first = nonce_for(message())
    assert first == nonce_for(message())
    assert first != nonce_for(message(channel="discord:2001"))
    assert first.isdigit() and len(first) <= 25


def test_long_speaker_names_are_trimmed() -> None:
    embed = render_embed(message(quotes=(QuoteLine("Fine words", "Name " * 200),)))
    speaker = embed["description"].split("**")[1]
    assert speaker.endswith("Name…") and len(speaker) <= 100
