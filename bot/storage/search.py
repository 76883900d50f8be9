"""Who-said search over stored quotes: phrase search and quotes by a person.

User text never reaches FTS5 syntax as typed: it is cut into plain word tokens, each token is
wrapped in double quotes (tokens hold only letters and digits, so they cannot break out), and the
tokens are joined with OR. FTS5's bm25 picks candidates; they are then re-ranked in Python by how
much of the phrase they contain as one contiguous run, which makes the search tolerant of quote
styles, case, punctuation and partial phrases.

A quote only answers when it holds real evidence: more than half of the phrase's content words
(the words left after stop words) must be among the quote's words, compared after folding (case,
accents, "1,500" = "1500", "O'Brien's" = "obrien", "Covid-19" = "covid 19") and as forms of one
word ("raise tax" finds "raised taxes", "hoping" finds "hoped"; see ``_same_word``). Words of the
quote's speaker's name need not be in the quote, but are no evidence either: at least two other
words must then be there. A phrase of stop words only must occur in the quote word for word
("to be or not to be"); one of one or two words ("No.", "I do.") must be the whole quote.
"""

from __future__ import annotations

import re
import sqlite3

from bot.errors import StorageError
from bot.models import QuoteHit
from bot.storage.rows import from_iso
from bot.text.words import all_forms, hyphenated, split_mixed, stem, words

_MAX_TOKENS = 48
_RAW_WORD = re.compile(r"[^\W_]+")
_CANDIDATES = 200
_TITLES = frozenset("mr mrs ms dr sen senator rep gov governor president the former secretary".split())
_MIN_STOP_PHRASE = 3  # a shorter stop-word-only phrase ("the", "it is") must be a whole quote
_MIN_PREFIX = 3  # FTS prefix queries shorter than this would fetch half the index
_OVERSTEM = 4  # see _same_word
# Function words: they occur in almost every quote, so they are no evidence of which one is meant.
# Contractions are listed as the search writes them (apostrophe removed: "don't" -> "dont").
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
    dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent hasnt havent
    hadnt im ive id youre youve youd theyre theyve weve hes shes lets thats whats theres
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


def content_words(phrase: str) -> list[str]:
    """The words of ``phrase`` that can tell one quote from another (stop words dropped)."""
    return [w for w in words(phrase, names=True) if w not in STOP_WORDS]


def _same_word(a: str, b: str) -> bool:
    """Two forms of one word: the same Snowball stem ("cuts"/"cutting", "denied"/"denying"),
    unless both words run on for _OVERSTEM letters or more past it, where the stemmer has cut
    two different words down to one root ("experiment"/"experience" -> "experi"), or they are an
    -al adjective and an -ion noun."""
    if a == b:
        return True
    root = stem(a)
    if root != stem(b):
        return False
    if min(len(a), len(b)) - len(root) >= _OVERSTEM:
        return False
    # an adjective in -al and a noun in -ion share a root but not a meaning: "internal" and
    # "international", "informal" and "information", "animal" and "animation"
    return not any(x.endswith("al") and y.rstrip("s").endswith(("ion", "ional")) for x, y in ((a, b), (b, a)))


def _found(wanted: str, forms: dict[str, list[str]]) -> bool:
    """Whether a query word is among a quote's words (``forms``: stem -> the quote's words)."""
    return any(_same_word(wanted, form) for form in forms.get(stem(wanted), ()))


def _unit_found(unit: tuple[str, ...], forms: dict[str, list[str]]) -> bool:
    """A query word, or a hyphenated one ("covid-19": joined, then its parts), in the quote."""
    return _found(unit[0], forms) or (len(unit) > 1 and all(_found(p, forms) for p in unit[1:]))


def _units(phrase: str) -> list[tuple[str, ...]]:
    """The content words of a phrase; a hyphenated word is (joined, part, part, ...)."""
    units: list[tuple[str, ...]] = []
    for token in hyphenated(phrase):
        parts = tuple(p for p in token.split("-") if p)
        joined = "".join(parts)
        if not joined or (len(parts) == 1 and joined in STOP_WORDS):
            continue
        if len(parts) > 1 and all(len(p) > 1 and p not in STOP_WORDS for p in parts):
            units.append((joined, *parts))
        else:  # "T-shirt", "A-level", "well-being": only the whole word, not "shirt" or "level"
            units.append((joined,))
    return list(dict.fromkeys(units))


def _prefix(word: str) -> str:
    """What an FTS prefix query for ``word`` may ask for: the part shared with its stem."""
    root = stem(word)
    n = 0
    while n < min(len(word), len(root)) and word[n] == root[n]:
        n += 1
    return word[: max(n, _MIN_PREFIX)]


def _match_expr(tokens: list[str], column: str, joiner: str, *, prefix: bool = False) -> str:
    """An FTS5 expression; with ``prefix``, tokens match as prefixes ("hop"* finds "hoping")."""
    quoted = f" {joiner} ".join(
        f'"{t}"*' if prefix and len(t) >= _MIN_PREFIX else f'"{t}"' for t in tokens
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
    query = words(phrase, names=True)[:_MAX_TOKENS]
    if not query or limit <= 0:
        return []
    content = _units(phrase)[:_MAX_TOKENS]
    whole_quote = False
    if content:
        # as FTS5 indexed the quotes: split at apostrophes and hyphens, letters and digits
        # apart ("covid19" -> "covid" "19"), and also joined and unfolded ("ß", "ł" stay in its
        # index; ours folds them)
        indexed = [w for w in words(phrase) if w not in STOP_WORDS]
        indexed += [w for w in _RAW_WORD.findall(phrase.lower()) if w not in STOP_WORDS]
        indexed += [unit[0] for unit in content if len(unit) > 1]
        indexed += [p for w in list(indexed) for p in split_mixed([w]) if p != w]
        tokens = list(dict.fromkeys(_prefix(w) for w in indexed[: 3 * _MAX_TOKENS]))
        tokens = tokens or [unit[0] for unit in content]
        expr = _match_expr(tokens, "text", "OR", prefix=True)
    else:
        # stop words only: the whole phrase word for word, or, if short ("No.", "I do."), the
        # whole quote
        whole_quote = len(query) < _MIN_STOP_PHRASE
        expr = _match_expr(list(dict.fromkeys(words(phrase))), "text", "AND")
    rows = _query(conn, expr, scope, "rank", _CANDIDATES)
    stemmed_query = [stem(w) for w in split_mixed(query)]
    # two forms of one word share their first letters: only such words of a quote are stemmed
    starts = {w[:2] for w in query} | {p[:2] for unit in content for p in unit}
    scored: list[tuple[tuple[float, int, float, float], QuoteHit]] = []
    for row in rows:
        said, every_form = all_forms(row[1])
        if whole_quote and said != query:
            continue
        said_stems = [stem(w) if w[:2] in starts else "" for w in split_mixed(said)]
        run = _longest_run(stemmed_query, said_stems) / len(stemmed_query)
        if content:
            forms: dict[str, list[str]] = {}
            for form in every_form:
                if form[:2] in starts:
                    forms.setdefault(stem(form), []).append(form)
            # a word of the speaker's name that the quote lacks is no evidence ("Smith should
            # resign" must not find another quote of Jane Smith's) and need not be there; then at
            # least two other words must be ("Jane Roe harbour wall")
            name = set(words(row[2] or "", names=True))
            present = [u for u in content if _unit_found(u, forms)]
            wanted = [u for u in content if u[0] not in name or u in present]
            if len(wanted) < len(content) and len(wanted) < 2:
                continue
            found = sum(1 for u in wanted if u in present)
            if 2 * found <= len(wanted):  # most content words must be there
                continue
            coverage = found / len(wanted)
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
    asked = [w for w in words(person) if w not in _TITLES][:8]
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
        said_by = [w for w in words(row[2] or "") if w not in _TITLES]
        if not said_by or said_by[-1] != asked[-1]:
            continue
        if set(asked).issubset(said_by) or set(said_by).issubset(asked):
            # one article stored twice (re-added feed, `summary` of a posted link): list it once
            key = (row[2] or "", " ".join(words(row[1])))
            if key in listed:
                continue
            listed.add(key)
            hits.append(_hit(row, 0.0))
            if len(hits) >= limit:
                break
    return hits
