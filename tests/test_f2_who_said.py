"""Who-said answers only with evidence: most content words of the phrase must be in the quote.

A real migrated SQLite; every text here is invented for the test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from bot.storage.migrations import migrate
from bot.storage.search import content_words, quotes_by, search_quotes

QUOTES = [
    # article, text, speaker, kind
    (1, "The old bridge over the river will close for repairs in May.", "Ines Duarte", "direct"),
    (1, "Traffic will peak on the ring road while the bridges are shut.", "Paolo Serra", "direct"),
    (2, "To be or not to be is not the question for this council.", "Lena Brandt", "direct"),
    (2, "the cause of the flooding was not yet known", "Ines Duarte", "reported"),
    (3, "The old bridge over the river will close for repairs in May.", "Ines Duarte", "direct"),
    (3, "We will raise taxes and hire 1,500 teachers, as O'Brien's plan says.", "Tom Hale", "direct"),
    (3, "We hoped the harbour wall would hold.", "Jane Roe", "direct"),
    (3, "No.", "Mark Lee", "direct"),
    (3, "Our partner in the port said the wallet was lost.", "Ana Ruiz", "direct"),
    (3, "The company keeps cutting jobs and denied any wrongdoing.", "Lee Park", "direct"),
    (3, "There is no hope left for the harbour.", "Tom Hope", "direct"),
    (3, "COVID19 vaccines work.", "Dr Ng", "direct"),
    (3, "Covid-19 cases are falling.", "Dr Lee", "direct"),
    (3, "Ads on buses are a waste of money.", "Kim Bo", "direct"),
    (3, "The experiment was a success.", "Eva Long", "direct"),
    (3, "We demand an international inquiry into the crash.", "Ana Diaz", "direct"),
    (3, "We had a record level of results this year.", "Ed Fox", "direct"),
]


@pytest.fixture()
def conn() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    migrate(db)
    for aid in (1, 2, 3):
        db.execute(
            "INSERT INTO articles (id, scope, url, title, published, fetched_at, text)"
            " VALUES (?, 's', ?, ?, ?, 0, '')",
            (aid, f"https://example.test/{aid}", f"Story {aid}", f"2026-03-0{aid}T09:00:00+00:00"),
        )
    for pos, (aid, text, speaker, kind) in enumerate(QUOTES):
        db.execute(
            "INSERT INTO quotes (article_id, position, text, speaker, mention, kind, start, end)"
            " VALUES (?, ?, ?, ?, NULL, ?, 0, ?)",
            (aid, pos, text, speaker, kind, len(text)),
        )
    yield db
    db.close()


@pytest.mark.parametrize(
    "phrase",
    [
        "the bridge is safe",  # shares only "bridge" (and stop words)
        "peak bananas",  # shares only "peak"
        "the river is rising fast",  # one of three content words
        "the",
        "it is",
        "to be or not to be honest",  # content word "honest" is in no quote
        "part of the port wall",  # "part" is no form of "partner", nor "wall" of "wallet"
        "no way",  # a short stop-word phrase must be a whole quote
        "the experience was a success",  # "experience" is not a form of "experiment"
        "Hope should resign",  # the speaker's name alone is no evidence
        "internal inquiry",  # "internal" is not a form of "international"
        "A-level results",  # nor "level" a form of "A-level"
    ],
)
def test_phrases_nobody_said_find_nothing(conn: sqlite3.Connection, phrase: str) -> None:
    assert search_quotes(conn, phrase) == []


def test_exact_window_of_a_quote_is_found(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "will peak on the ring road while")
    assert hits[0].speaker == "Paolo Serra"


def test_most_content_words_with_inflections_are_enough(conn: sqlite3.Connection) -> None:
    # "peaks" finds "peak", "bridges" finds "bridges"; "shutting" is missing: 3 of 4 is enough
    hits = search_quotes(conn, "traffic peaks when bridges shutting")
    assert hits and hits[0].speaker == "Paolo Serra"
    assert search_quotes(conn, "repair of the old bridges")[0].speaker == "Ines Duarte"


def test_short_words_need_an_exact_match(conn: sqlite3.Connection) -> None:
    assert search_quotes(conn, "may") != []  # the word itself
    assert search_quotes(conn, "riv") == []  # not a prefix of "river"


def test_stop_word_phrase_must_be_there_word_for_word(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "“To be, or not to be”")
    assert [h.speaker for h in hits] == ["Lena Brandt"]
    assert search_quotes(conn, "not to be or to be") == []


def test_content_words_drop_stop_words() -> None:
    assert content_words("Who is THE mayor of Port Avalon?") == ["mayor", "port", "avalon"]
    assert content_words("it is what it is") == []


def test_quotes_by_lists_a_repeated_quote_once_newest_first(conn: sqlite3.Connection) -> None:
    hits = quotes_by(conn, "Duarte")
    assert [(h.article_id, h.kind) for h in hits] == [(3, "direct"), (2, "reported")]


@pytest.mark.parametrize("hostile", ['"bridge* AND NEAR(', "x" * 10_000, "bridge " * 3_000])
def test_hostile_phrases_never_raise(conn: sqlite3.Connection, hostile: str) -> None:
    assert isinstance(search_quotes(conn, hostile), list)


@pytest.mark.parametrize(
    ("phrase", "speaker"),
    [
        ("raise tax", "Tom Hale"),  # inflections by stemming
        ("1500 teachers", "Tom Hale"),  # thousands separator
        ("Obrien plan", "Tom Hale"),  # apostrophes
        ("hoping the harbor wall holds", "Jane Roe"),  # forms of words; one misspelt word of four
        ("Jane Roe harbour wall", "Jane Roe"),  # the speaker's name counts as evidence
        ("No.", "Mark Lee"),  # a very short quote, asked for whole
        ("cuts jobs", "Lee Park"),  # doubled consonant
        ("denying wrongdoing", "Lee Park"),  # y -> i
        ("no hope left", "Tom Hope"),  # a word of the speaker's name that is in the quote
        ("covid-19 vaccines", "Dr Ng"),  # hyphenated or not
        ("covid19 cases", "Dr Lee"),
        ("ad buses", "Kim Bo"),  # a two-letter word's other form
    ],
)
def test_real_users_wordings_still_find_the_quote(
    conn: sqlite3.Connection, phrase: str, speaker: str
) -> None:
    hits = search_quotes(conn, phrase)
    assert hits and hits[0].speaker == speaker
