"""Tests for the rule-based sentence splitter, the word tokenizer and the sumy tokenizer object."""

from __future__ import annotations

import pytest
from sumy.models.dom import ObjectDocumentModel
from sumy.parsers.plaintext import PlaintextParser

from bot.text.sentences import SentenceTokenizer, split_paragraph, split_sentences, words


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Hollis met Dr. Amari and Mrs. Venn at the port.",
        "The ferry left on Jan. 5 and returned on Feb. 12 without cargo.",
        "The novel by J. R. Tolland sold well in the first week.",
        "The letter from J. A. Moss and E. I. Brandt arrived late.",
        "Fares rose to 3.75 dollars, up 2.5 per cent on the year.",
        "The talks started at 9 a.m. and ended after lunch.",
        "He lives at No. 10 on the main road near the harbour.",
        "Gen. Ortiz and Sen. Bayle spoke to the U.S. delegation first.",
        "Wait... what happened to the rest of the fleet?",
    ],
)
def test_abbreviations_initials_decimals_do_not_split(text: str) -> None:
    assert split_paragraph(text) == [text]


def test_plain_sentences_split() -> None:
    text = "The bridge closed at noon. Traffic backed up for miles! Was anyone hurt? Nobody knows."
    assert split_paragraph(text) == [
        "The bridge closed at noon.",
        "Traffic backed up for miles!",
        "Was anyone hurt?",
        "Nobody knows.",
    ]


def test_quote_after_full_stop_stays_with_its_sentence() -> None:
    text = '"We will rebuild it." The mayor said the work starts soon. \u201cIt is sad.\u201d Crews agreed.'
    assert split_paragraph(text) == [
        '"We will rebuild it."',
        "The mayor said the work starts soon.",
        "\u201cIt is sad.\u201d",
        "Crews agreed.",
    ]


def test_quote_with_attribution_is_one_sentence() -> None:
    text = '"Why now?" she asked. "Because it is time," he said.'
    assert split_paragraph(text) == ['"Why now?" she asked.', '"Because it is time," he said.']


def test_ellipsis_before_capital_splits_but_not_before_lower_case() -> None:
    assert split_paragraph("It was late... The band kept playing.") == [
        "It was late...",
        "The band kept playing.",
    ]
    assert split_paragraph("It was late... and the band kept playing.") == [
        "It was late... and the band kept playing."
    ]


def test_dotted_abbreviation_at_sentence_end_before_common_opener() -> None:
    assert split_paragraph("She moved to the U.S. The move went well.") == [
        "She moved to the U.S.",
        "The move went well.",
    ]


def test_initial_at_sentence_end_before_common_opener() -> None:
    assert split_paragraph("He served in World War I. The medals came later.") == [
        "He served in World War I.",
        "The medals came later.",
    ]
    assert split_paragraph("The speech by John F. Kennedy was short.") == [
        "The speech by John F. Kennedy was short."
    ]


def test_paragraph_break_always_ends_a_sentence_and_newlines_collapse() -> None:
    text = "A headline without a stop\n\nThe first line\ncontinues here. Next one."
    assert split_sentences(text) == [
        "A headline without a stop",
        "The first line continues here.",
        "Next one.",
    ]


def test_empty_input() -> None:
    assert split_sentences("") == []
    assert split_paragraph("   \n ") == []


def test_words_keep_contractions_hyphens_and_decimals() -> None:
    assert words("Don't over-react: it's 3.5 times the U.S. rate!") == [
        "Don't",
        "over-react",
        "it's",
        "3.5",
        "times",
        "the",
        "U.S",
        "rate",
    ]


def test_tokenizer_object_works_with_sumy_parser() -> None:
    tokenizer = SentenceTokenizer("english")
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("One here. Two there.") == ("One here.", "Two there.")
    assert tokenizer.to_words("Two there.") == ("Two", "there")
    parser = PlaintextParser.from_string("One here. Two there.\n\nThree again.", tokenizer)
    document = parser.document
    assert isinstance(document, ObjectDocumentModel)
    assert [str(s) for s in document.sentences] == ["One here.", "Two there.", "Three again."]
    assert document.sentences[0].words == ("One", "here")
