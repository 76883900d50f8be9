"""Who-said search over stored quotes: phrase search and quotes by a person.

User text never reaches FTS5 syntax as typed: it is cut into plain word tokens, each token is
wrapped in double quotes (tokens hold only letters and digits, so they cannot break out), and the
tokens are joined with OR. FTS5's bm25 picks candidates; they are then re-ranked in Python by how
much of the phrase they contain as one contiguous run, which makes the search tolerant of quote
styles, case, punctuation and partial phrases.

A quote only answers when it holds real evidence: more than half of the phrase's content words
(the words left after stop words, matched with simple suffix tolerance: "bridge" finds "bridges").
A phrase of stop words only ("to be or not to be") must occur in the quote word for word.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from bot.errors import StorageError
from bot.models import QuoteHit
from bot.storage.rows import from_iso

_WORD = re.compile(r"[^\W_]+")
_MAX_TOKENS = 48
_CANDIDATES = 200
_TITLES = frozenset("mr mrs ms dr sen senator rep gov governor president the former secretary".split())
_MIN_STOP_PHRASE = 3  # a stop-word-only phrase shorter than this ("the", "it is") proves nothing
_MIN_STEM = 4  # shorter words must match exactly: "art" must not find "article"
_MAX_SUFFIX = 4  # "safe" finds "safety" and "safely", not "safeguarding"
_SUFFIXES = ("ings", "ing", "ed", "es", "s", "ly")
# Function words: they occur in almost every quote, so they are no evidence of which one is meant.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn d did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her here hers
    herself him himself his how i if in into is isn it its itself just ll m me more most my myself
    no nor not now of off on once only or other our ours ourselves out over own re s same she
    should shouldn so some such t than that the their theirs them themselves then there these they
    this those through to too under until up us ve very was wasn we were weren what when where
    which while who whom why will with won would wouldn you your yours yourself yourselves
    """.split()
)

_SELECT = """
    SELECT q.id, q.text, q.speaker, q.kind, q.article_id, a.title, a.url, a.published,
           bm25(quotes_fts, 1.0, 0.2) AS rank
    FROM quotes_fts
    JOIN quotes q ON q.id = quotes_fts.rowid
    JOIN articles a ON a.id = q.article_id
    WHERE quotes_fts MATCH ?
"""

_Row = tuple[int, str, "str | None", str, int, str, str, "str | None", float]


def _words(text: str) -> list[str]:
    """Lower-case word tokens with accents removed: what both sides are compared on."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def content_words(phrase: str) -> list[str]:
    """The words of ``phrase`` that can tell one quote from another (stop words dropped)."""
    return [w for w in _words(phrase) if w not in STOP_WORDS]


def _stem(word: str) -> str:
    """``word`` without one common inflection suffix, keeping at least _MIN_STEM letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def _matches(stem: str, word: str) -> bool:
    """Whether a quote word is a form of the query word whose stem is ``stem``."""
    if len(stem) < _MIN_STEM:
        return word == stem
    return word.startswith(stem) and len(word) - len(stem) <= _MAX_SUFFIX


def _match_expr(tokens: list[str], column: str, joiner: str, *, prefix: bool = False) -> str:
    """An FTS5 expression; with ``prefix``, tokens long enough match as prefixes ("bridge"*)."""
    quoted = f" {joiner} ".join(
        f'"{t}"*' if prefix and len(t) >= _MIN_STEM else f'"{t}"' for t in tokens
    )
    return f"{{{column}}} : ({quoted})"


def _hit(row: _Row, score: float) -> QuoteHit:
    return QuoteHit(
        quote_id=row[0],
        text=row[1],
        speaker=row[2],
        kind=row[3],
        article_id=row[4],
        article_title=row[5],
        article_url=row[6],
        published=from_iso(row[7]),
        score=score,
    )


def _query(conn: sqlite3.Connection, expr: str, scope: str | None, order: str, limit: int) -> list[_Row]:
    sql = _SELECT
    params: list[object] = [expr]
    if scope is not None:
        sql += " AND a.scope = ?"
        params.append(scope)
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    try:
        return list(conn.execute(sql, params).fetchall())
    except sqlite3.Error as exc:
        raise StorageError(f"quote search failed: {exc}") from exc


def _longest_run(query: list[str], words: list[str]) -> int:
    """Length of the longest run of consecutive query words found consecutively in ``words``."""
    best = 0
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w, []).append(i)
    previous: dict[int, int] = {}
    for token in query:
        current: dict[int, int] = {}
        for i in positions.get(token, ()):
            run = previous.get(i - 1, 0) + 1
            current[i] = run
            if run > best:
                best = run
        previous = current
    return best


def search_quotes(
    conn: sqlite3.Connection, phrase: str, *, scope: str | None = None, limit: int = 5
) -> list[QuoteHit]:
    """Stored quotes that best match ``phrase``, best first; [] when no quote holds enough of
    it (see the module docstring)."""
    query = _words(phrase)[:_MAX_TOKENS]
    if not query or limit <= 0:
        return []
    content = list(dict.fromkeys(_stem(w) for w in query if w not in STOP_WORDS))
    if content:
        expr = _match_expr(content, "text", "OR", prefix=True)
    elif len(query) >= _MIN_STOP_PHRASE:
        expr = _match_expr(list(dict.fromkeys(query)), "text", "AND")
    else:
        return []
    rows = _query(conn, expr, scope, "rank", _CANDIDATES)
    stemmed_query = [_stem(w) for w in query]
    scored: list[tuple[tuple[float, int, float, float], QuoteHit]] = []
    for row in rows:
        words = _words(row[1])
        run = _longest_run(stemmed_query, [_stem(w) for w in words]) / len(query)
        if content:
            found = sum(1 for stem in content if any(_matches(stem, w) for w in words))
            if 2 * found <= len(content):  # most content words must be there
                continue
            coverage = found / len(content)
        elif run < 1.0:  # stop words only: the whole phrase, word for word
            continue
        else:
            coverage = 1.0
        match = round(2.0 * run + coverage, 6)  # phrase proximity first, then word coverage
        relevance = min(-row[8], 20.0)  # bm25 (negated by FTS5: smaller is better)
        published = from_iso(row[7])
        stamp = published.timestamp() if published is not None else 0.0
        # Equal matches: a quote with a known speaker answers "who said" better.
        key = (match, 1 if row[2] else 0, relevance, stamp)
        scored.append((key, _hit(row, match + relevance / 100.0)))
    scored.sort(key=lambda s: s[0], reverse=True)
    return [s[1] for s in scored[:limit]]


def quotes_by(
    conn: sqlite3.Connection, person: str, *, scope: str | None = None, limit: int = 5
) -> list[QuoteHit]:
    """Latest quotes of ``person``: "Trump" matches "Donald Trump" in any article, newest first;
    each (speaker, words) once."""
    asked = [w for w in _words(person) if w not in _TITLES][:8]
    if not asked or limit <= 0:
        return []
    rows = _query(
        conn,
        _match_expr([asked[-1]], "speaker", "AND"),
        scope,
        "a.published IS NULL, a.published DESC, q.article_id DESC, q.position",
        100_000,
    )
    hits: list[QuoteHit] = []
    listed: set[tuple[str, str]] = set()
    for row in rows:
        said_by = [w for w in _words(row[2] or "") if w not in _TITLES]
        if not said_by or said_by[-1] != asked[-1]:
            continue
        if set(asked).issubset(said_by) or set(said_by).issubset(asked):
            # one article stored twice (re-added feed, `summary` of a posted link): list it once
            key = (row[2] or "", " ".join(_words(row[1])))
            if key in listed:
                continue
            listed.add(key)
            hits.append(_hit(row, 0.0))
            if len(hits) >= limit:
                break
    return hits
