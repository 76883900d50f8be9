"""Who-said search over stored quotes: phrase search and quotes by a person.

User text never reaches FTS5 syntax as typed: it is cut into plain word tokens, each token is
wrapped in double quotes (tokens hold only letters and digits, so they cannot break out), and the
tokens are joined with OR. FTS5's bm25 picks candidates; they are then re-ranked in Python by how
much of the phrase they contain as one contiguous run, which makes the search tolerant of quote
styles, case, punctuation and partial phrases.
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


def _match_expr(tokens: list[str], column: str, joiner: str) -> str:
    quoted = f" {joiner} ".join(f'"{t}"' for t in tokens)
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
    """Stored quotes that best match ``phrase``, best first; [] when nothing matches well."""
    query = _words(phrase)[:_MAX_TOKENS]
    if not query or limit <= 0:
        return []
    unique = list(dict.fromkeys(query))
    rows = _query(conn, _match_expr(unique, "text", "OR"), scope, "rank", _CANDIDATES)
    wanted = set(unique)
    scored: list[tuple[tuple[float, int, float, float], QuoteHit]] = []
    for row in rows:
        words = _words(row[1])
        present = wanted.intersection(words)
        coverage = len(present) / len(wanted)
        run = _longest_run(query, words) / len(query)
        if coverage < 0.5 and run < 0.5:
            continue
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
    """Latest quotes of ``person``: "Trump" matches "Donald Trump" in any article, newest first."""
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
    for row in rows:
        said_by = [w for w in _words(row[2] or "") if w not in _TITLES]
        if not said_by or said_by[-1] != asked[-1]:
            continue
        if set(asked).issubset(said_by) or set(said_by).issubset(asked):
            hits.append(_hit(row, 0.0))
            if len(hits) >= limit:
                break
    return hits
