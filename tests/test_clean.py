"""Tests for boilerplate and white-space clean-up."""

from __future__ import annotations

import pytest

from bot.text.clean import clean_text, is_boilerplate

ARTICLE = """Harbour towns brace for storm

By Petra Lindqvist, Coastal Correspondent
Published: 08:15, 3 March 2026 | Updated: 09:40, 3 March 2026

Coastal towns   are preparing\tfor the strongest storm in a decade.
Advertisement
Sandbags were handed out on Tuesday.
Pictured: a fisherman ties down his boat (Photo: Ana Ruiz/Getty Images)
Subscribe to our newsletter for daily weather alerts
Read more: Storm season explained
We use cookies to improve your experience. By continuing you accept our cookie policy.
Share this article

Sandbags were handed out on Tuesday.

By the end of the week, the council expects the sea wall to be finished.
"""


def test_clean_text_drops_furniture_and_keeps_prose() -> None:
    assert clean_text(ARTICLE) == (
        "Harbour towns brace for storm\n\n"
        "Coastal towns are preparing for the strongest storm in a decade.\n\n"
        "Sandbags were handed out on Tuesday.\n\n"
        "By the end of the week, the council expects the sea wall to be finished."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Subscribe to the Morning Brief",
        "Sign up for our newsletter",
        "Get our free newsletter in your inbox - sign up now",
        "Read more",
        "READ MORE: The week in pictures",
        "Related Articles",
        "Share this article",
        "Share",
        "Follow us on Twitter",
        "This site uses cookies. Click accept to consent.",
        "By Jonas Weir",
        "By JONAS WEIR and MARA OKO",
        "By . Staff Reporter .",
        "By Élodie Brun",
        "By Łukasz Wójcik, Staff Writer",
        "Image caption The pier after the storm",
        "Image copyright Coastal Press",
        "Photo: Mara Oko",
        "Getty Images",
        "Tragic:",
        "Scroll down for video",
        "Updated: 12:01 GMT, 4 May 2026",
        "All rights reserved.",
        "\u00a9 2026 Example Media",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the day, the crowd had gone home.",
        "See you next year, the coach told his players.",
        "The mayor (pictured) said the repairs would take a month.",
        "Share prices fell sharply after the announcement on Monday.",
        "Police said the driver had been released without charge.",
        "From Monday, buses will run every ten minutes.",
    ],
)
def test_prose_lines_are_kept(line: str) -> None:
    assert not is_boilerplate(line)
    assert clean_text(line) == line


def test_paragraphs_separated_by_one_blank_line_and_wraps_joined() -> None:
    text = "First paragraph starts here and\ngoes on in lower case.\nSecond paragraph.\n\n\n\nThird."
    assert clean_text(text) == (
        "First paragraph starts here and goes on in lower case.\n\nSecond paragraph.\n\nThird."
    )


def test_duplicates_dropped_and_invisible_characters_removed() -> None:
    text = "The vote passed.\u200b\r\n\r\nThe vote  passed.\n\nThe vote passed!\n\nNext\u00a0item."
    assert clean_text(text) == "The vote passed.\n\nNext item."


def test_agency_dateline_removed() -> None:
    assert clean_text("NAIROBI, Kenya (CNN) -- Rains flooded the market.") == ("Rains flooded the market.")
    assert clean_text("(Reuters) - Shares rose.") == "Shares rose."
    assert clean_text("ÉVORA, Portugal (Reuters) - The dam opened.") == "The dam opened."


def test_empty_and_blank_input() -> None:
    assert clean_text("") == ""
    assert clean_text(" \n\n \t ") == ""


def test_clean_text_is_idempotent() -> None:
    once = clean_text(ARTICLE)
    assert clean_text(once) == once


def test_dangling_opening_quote_moves_to_the_next_paragraph() -> None:
    text = "The mayor spoke first. '\n\nWe will rebuild,' she said."
    assert clean_text(text) == "The mayor spoke first.\n\n'We will rebuild,' she said."


def test_prompt_glued_to_a_paragraph_is_removed() -> None:
    assert clean_text("Scroll down for video The council voted on Monday.") == (
        "The council voted on Monday."
    )
