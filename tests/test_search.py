"""Who-said search on a real, migrated SQLite: ranking, hostile input, name matching, scopes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from bot.storage.migrations import migrate
from bot.storage.search import quotes_by, search_quotes

ARTICLES = [
    # id, scope, title, published
    (1, "guild-a", "Harbour plan approved", "2026-03-01T09:00:00+00:00"),
    (2, "guild-a", "Budget talks stall", "2026-03-05T09:00:00+00:00"),
    (3, "guild-b", "Storm season begins", "2026-03-09T09:00:00+00:00"),
]
QUOTES = [
    # article, text, speaker, kind
    (1, "We will rebuild the harbour wall before the winter storms.", "Marta Quill", "direct"),
    (1, "The harbour wall is older than the town hall.", None, "direct"),
    (2, "Nobody in this building wants a shutdown.", "Tomas Verhoef", "direct"),
    (2, "the budget would be balanced by spring", "Marta Quill", "reported"),
    (3, "We will rebuild the harbour wall, whatever it costs.", "Ines Carrow", "direct"),
    (3, "Storms are getting stronger every year.", "Marta J. Quill", "direct"),
]


@pytest.fixture()
def conn() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    migrate(db)
    for aid, scope, title, published in ARTICLES:
        db.execute(
            "INSERT INTO articles (id, scope, url, title, published, fetched_at, text)"
            " VALUES (?, ?, ?, ?, ?, 0, '')",
            (aid, scope, f"https://example.test/{aid}", title, published),
        )
    for pos, (aid, text, speaker, kind) in enumerate(QUOTES):
        db.execute(
            "INSERT INTO quotes (article_id, position, text, speaker, mention, kind, start, end)"
            " VALUES (?, ?, ?, ?, NULL, ?, 0, ?)",
            (aid, pos, text, speaker, kind, len(text)),
        )
    yield db
    db.close()


def test_exact_phrase_ranks_first(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "rebuild the harbour wall before the winter")
    assert hits[0].speaker == "Marta Quill"
    assert hits[0].article_title == "Harbour plan approved"
    assert hits[0].article_url == "https://example.test/1"
    assert hits[0].published is not None and hits[0].published.day == 1


def test_tolerant_of_case_punctuation_and_curly_quotes(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "“NOBODY in this building—wants a SHUTDOWN!”")
    assert hits[0].speaker == "Tomas Verhoef"


def test_partial_phrase_and_reported_speech(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "budget would be balanced")
    assert hits[0].kind == "reported"
    assert hits[0].speaker == "Marta Quill"


def test_proximity_beats_scattered_words(conn: sqlite3.Connection) -> None:
    # Both harbour-wall quotes share the words; the contiguous phrase decides.
    hits = search_quotes(conn, "wall whatever it costs")
    assert hits[0].speaker == "Ines Carrow"
    assert len(hits) >= 1


def test_scope_filter(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "we will rebuild the harbour wall", scope="guild-b")
    assert [h.speaker for h in hits] == ["Ines Carrow"]
    assert search_quotes(conn, "shutdown", scope="guild-b") == []
    both = search_quotes(conn, "we will rebuild the harbour wall", scope=None)
    assert {h.speaker for h in both} >= {"Marta Quill", "Ines Carrow"}


def test_no_match_is_empty(conn: sqlite3.Connection) -> None:
    assert search_quotes(conn, "penguins juggling accordions") == []


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "!!! ??? ...",
        '"',
        '"unbalanced',
        "harbour AND OR NOT wall",
        "NEAR(harbour wall, 2)",
        "harbour*",
        "^harbour",
        "text: harbour",
        "{speaker}: Quill",
        "(((harbour)))",
        "-wall +storm",
        "'; DROP TABLE quotes; --",
        "x" * 10_000,
        "harbour " * 2_000,
        "\x00\x01 harbour",
    ],
)
def test_hostile_input_never_raises(conn: sqlite3.Connection, hostile: str) -> None:
    hits = search_quotes(conn, hostile)
    assert isinstance(hits, list)
    assert all(h.quote_id > 0 for h in hits)
    assert isinstance(quotes_by(conn, hostile), list)
    assert conn.execute("SELECT count(*) FROM quotes").fetchone() == (len(QUOTES),)


def test_operator_words_are_searched_as_words(conn: sqlite3.Connection) -> None:
    hits = search_quotes(conn, "NOT in this building")
    assert hits and hits[0].speaker == "Tomas Verhoef"


def test_limit(conn: sqlite3.Connection) -> None:
    assert len(search_quotes(conn, "harbour wall", limit=1)) == 1
    assert search_quotes(conn, "harbour wall", limit=0) == []


def test_quotes_by_surname_matches_full_names_newest_first(conn: sqlite3.Connection) -> None:
    hits = quotes_by(conn, "Quill")
    assert [h.speaker for h in hits] == ["Marta J. Quill", "Marta Quill", "Marta Quill"]
    assert [h.article_id for h in hits] == [3, 2, 1]


def test_quotes_by_full_name_and_title(conn: sqlite3.Connection) -> None:
    assert {h.speaker for h in quotes_by(conn, "Mr. Tomas Verhoef")} == {"Tomas Verhoef"}
    assert {h.speaker for h in quotes_by(conn, "marta quill")} == {"Marta Quill", "Marta J. Quill"}


def test_quotes_by_does_not_match_other_people(conn: sqlite3.Connection) -> None:
    assert quotes_by(conn, "Carrow Quill") == []
    assert quotes_by(conn, "Verhoef") and all(
        h.speaker == "Tomas Verhoef" for h in quotes_by(conn, "Verhoef")
    )


def test_quotes_by_scope_and_limit(conn: sqlite3.Connection) -> None:
    assert [h.article_id for h in quotes_by(conn, "Quill", scope="guild-a")] == [2, 1]
    assert len(quotes_by(conn, "Quill", limit=1)) == 1
