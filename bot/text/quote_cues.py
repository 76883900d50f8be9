"""The token stream of one paragraph: its tokens, the speech cues and the noun phrases in it.

``tokenize`` turns a paragraph into words, punctuation and one ``QUOTE`` token per quotation, so
quoted words never look like cues or subjects. ``is_cue_at`` says whether a token is a speech cue
("said", "adding", "went on", "according to"), not counting passives such as "was asked about".
``np_ending_at`` finds the noun phrase that ends at a token ("Sen. Ted Cruz" before "said", "a
spokesman for Clinton") and ``np_after`` the one that starts at a token ("said Sen. Ted Cruz",
"according to officials", "said conservative activist Bob Klane"). Each phrase is a ``Mention``:
a name, a pronoun, a role noun phrase ("nominal") or a relative "who".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.name_words import ORG_WORDS, PRONOUNS, STOP_CAPS, TITLES
from bot.text.quote_words import (
    DETS,
    FINITE_CUES,
    NOMINAL_HEADS,
    PARTICIPLES,
    PARTICLE_CUES,
    PASSIVE,
    STOP_LOWER,
)

WORD, PUNCT, QUOTE = 0, 1, 2
_TOKENS = re.compile(r"[^\W_]+(?:[’'\-.&][^\W_]+)*(?:[’']s?(?![^\W_]))?|[^\w\s]")

Token = tuple[int, str, int, int]  # kind, text, start, end

_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ee", "man", "woman")
_MODIFIERS = frozenset("former retired late then outgoing incoming longtime veteran".split())
_FIRST_NAME_WORDS = frozenset("Will May April June Hope Summer".split())  # also common words
_PREPS = frozenset("for of with to at from by in on about against under within among".split())
# Lower-case particles inside a surname ("Bill de Blasio", "Ana dos Santos", "Ludwig van Beethoven").
_PARTICLES = frozenset("de da das dos du di del della der van von la al bin ibn".split())
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")  # "1st Lt. Tyler Moss"
# Words that end a noun phrase after a cue: a verb or pronoun means a clause has started.
_CLAUSE_WORDS = PRONOUNS | frozenset("is was were are has had have will would could should can may".split())
_CLAUSE_OR_DET = _CLAUSE_WORDS | DETS


@dataclass(frozen=True)
class Mention:
    """A source mention: token range [first, last] and what it is."""

    first: int
    last: int
    kind: str  # "name", "pronoun", "nominal", "who"


def tokenize(text: str, lo: int, hi: int, quotes: list[tuple[int, int]]) -> list[Token]:
    """Tokens of ``text[lo:hi]``; each (open_at, close_end) quote region becomes one QUOTE token."""
    out: list[Token] = []
    cursor = lo
    for qa, qb in [*quotes, (hi, -1)]:
        for m in _TOKENS.finditer(text, cursor, qa):
            word = m.group()
            start, end = m.span()
            out.append((WORD if word[0].isalnum() else PUNCT, word, start, end))
        if qb >= 0:
            out.append((QUOTE, "", qa, qb))
            cursor = qb
    return out


def is_according(tokens: list[Token], i: int) -> bool:
    """``tokens[i]`` starts "according to"."""
    return tokens[i][1].lower() == "according" and i + 1 < len(tokens) and tokens[i + 1][1] == "to"


def is_cue_at(tokens: list[Token], i: int) -> bool:
    """A speech cue at ``tokens[i]``: a speech verb, a participle, "went on" or "according to"."""
    tok = tokens[i]
    if tok[0] != WORD:
        return False
    if (
        i > 0
        and tokens[i - 1][1] in PASSIVE
        and tok[1] in FINITE_CUES
        and not (i + 1 < len(tokens) and tokens[i + 1][1] == "by")
    ):
        return False  # "Pence was asked about …", "was said to be …": the subject is no speaker
    if tok[1] in PARTICLE_CUES and i + 1 < len(tokens) and tokens[i + 1][1] == PARTICLE_CUES[tok[1]]:
        return True  # "Trump went on", "she chimed in", "he points out"
    return tok[1] in FINITE_CUES or tok[1] in PARTICIPLES or is_according(tokens, i)


def is_name_word(tok: Token) -> bool:
    """A capitalised word that can belong to a name (a title, but no sentence-opening word)."""
    t = tok[1]
    if len(t) > 5 and t.isupper() and t.isalpha():
        return False  # a dateline ("DECATUR, Ill.") or shouting, not a name
    return tok[0] == WORD and t[0].isupper() and (t not in STOP_CAPS or t in TITLES)


def _is_title_abbrev(tokens: list[Token], i: int) -> bool:
    return (
        0 <= i < len(tokens)
        and tokens[i][0] == WORD
        and (tokens[i][1] in TITLES or (len(tokens[i][1]) == 1 and tokens[i][1].isupper()))
    )


def name_start(tokens: list[Token], k: int, lo: int) -> int:
    """First token of the capitalised name sequence ending at ``k``."""
    j = k
    while j - 1 >= lo:
        prev = tokens[j - 1]
        if is_name_word(prev) or (prev[1] == "New" and _mixed_case(tokens[j])):
            j -= 1
        elif prev[1] == "." and _is_title_abbrev(tokens, j - 2) and j - 2 >= lo:
            j -= 2
        elif prev[0] == WORD and prev[1] in _PARTICLES and tokens[j][1][0].isupper():
            # "Bill de Blasio", "dos Santos": a particle joins the surname after it.
            if j - 2 >= lo and is_name_word(tokens[j - 2]):
                j -= 2
            else:
                j -= 1
                break
        elif _ORDINAL.match(prev[1]) and _is_title_abbrev(tokens, j) and j - 1 > lo:
            j -= 1  # "Air Force 1st Lt. Tyler Moss"
        elif (
            prev[0] == WORD
            and len(prev[1]) > 1
            and prev[1].isupper()
            and prev[1].isalpha()
            and _mixed_case(tokens[j])
        ):
            j -= 1  # "POLITICO Florida": an upper-case brand before a name
        else:
            break
    while j < k and tokens[j][1] in STOP_CAPS and tokens[j][1] not in TITLES and not _new_place(tokens, j, k):
        j += 1
    return j


def _mixed_case(tok: Token) -> bool:
    """A capitalised word with lower-case letters that may belong to a name ("Florida")."""
    t = tok[1]
    return tok[0] == WORD and t[0].isupper() and not t.isupper() and t not in STOP_CAPS


def _new_place(tokens: list[Token], j: int, k: int) -> bool:
    """ "New" opening a place name ("New Jersey Gov. Chris Christie"), not a sentence opener."""
    return tokens[j][1] == "New" and j < k and _mixed_case(tokens[j + 1])


def is_head(word: str) -> bool:
    """A noun that can head a speaker phrase ("senator", "officials", "commenter")."""
    low = word.lower()
    return (
        low in NOMINAL_HEADS or low.rstrip("s") in NOMINAL_HEADS or low.rstrip("s").endswith(_PERSON_SUFFIXES)
    )


def _nominal_start(tokens: list[Token], k: int, lo: int) -> int | None:
    """Start of a determiner phrase ending at ``k`` ("the deputy foreign minister"), or None."""
    head = tokens[k][1].lower()
    if (
        head not in NOMINAL_HEADS
        and head.rstrip("s") not in NOMINAL_HEADS
        and not head.rstrip("s").endswith(_PERSON_SUFFIXES)
    ):
        return None
    j = k
    steps = 0
    while j - 1 >= lo and steps < 6:
        prev = tokens[j - 1]
        if prev[0] != WORD:
            break
        low = prev[1].lower()
        if low in DETS:
            return j - 1
        if prev[1].endswith(("’s", "'s")) and prev[1][0].isupper():
            return j - 1
        if low in STOP_LOWER or low in PRONOUNS or low in FINITE_CUES:
            break
        j -= 1
        steps += 1
    if head in NOMINAL_HEADS and tokens[k][1][0].islower():
        start = k
        while start - 1 >= lo and is_name_word(tokens[start - 1]) and k - start < 3:
            start -= 1
        return start
    return None


def np_ending_at(tokens: list[Token], k: int, lo: int) -> Mention | None:
    """The noun phrase that ends at token ``k`` and may be a speaker."""
    if k < lo or tokens[k][0] != WORD:
        return None
    text = tokens[k][1]
    low = text.lower()
    if low in PRONOUNS:
        return Mention(k, k, "pronoun")
    if low in ("who", "which"):
        return Mention(k, k, "who")
    if low in NOMINAL_HEADS and (k == lo or tokens[k - 1][0] != WORD):
        return Mention(k, k, "nominal")  # "Critics said" at a sentence start
    if text[0].isupper() and (text not in STOP_CAPS or text.endswith(("’s", "'s"))):
        if text.endswith(("’s", "'s")):
            return None  # "Trump’s said" is not a subject
        j = name_start(tokens, k, lo)
        if j > k:
            return None
        if j - 1 >= lo and tokens[j - 1][1] in _PREPS and tokens[j - 1][1] != "with":
            # "a spokesman for Clinton": the name is inside the nominal, not the speaker.
            inner = np_ending_at(tokens, j - 2, lo)
            if inner is not None and inner.kind == "nominal":
                return Mention(inner.first, k, "nominal")
            if inner is not None and inner.kind == "name" and tokens[j - 1][1] == "of" and k - j <= 1:
                return inner  # "House Speaker Paul Rand of Iowa lamented": the person, not the place
            return None
        return Mention(j, k, "name")
    if text[0].islower():
        start = _nominal_start(tokens, k, lo)
        if start is not None:
            return Mention(start, k, "nominal")
    return None


def np_after(tokens: list[Token], i: int, hi: int) -> Mention | None:
    """The noun phrase starting at token ``i`` ("said Sen. Ted Cruz", "according to officials")."""
    if i >= hi or tokens[i][0] != WORD:
        return None
    text = tokens[i][1]
    low = text.lower()
    if low in PRONOUNS and low != "it":
        return Mention(i, i, "pronoun")
    if low in _MODIFIERS and i + 1 < hi:
        if is_name_word(tokens[i + 1]):
            inner = np_after(tokens, i + 1, hi)  # "former Rep. George Miller"
        else:
            inner = _role_then_name(tokens, i + 1, hi)  # "former secretary of state Ann Lee"
        return inner if inner is not None and inner.kind == "name" else None
    j = i
    if (
        text in STOP_CAPS
        and text in _FIRST_NAME_WORDS
        and i + 1 < hi
        and is_name_word(tokens[i + 1])
        and tokens[i + 1][1] not in STOP_CAPS
    ):
        j = i + 1  # "Will Doyle", "Hope Hicks": a first name that is also a common word
        text = tokens[j][1]
    if is_name_word(tokens[j]) and not text.endswith(("’s", "'s")):
        while j + 1 < hi:
            nxt = tokens[j + 1]
            if is_name_word(nxt) and not tokens[j][1].endswith(("’s", "'s")):
                j += 1
            elif nxt[1] == "." and _is_title_abbrev(tokens, j) and j + 2 < hi and is_name_word(tokens[j + 2]):
                j += 2
            elif (nxt[1] in _PARTICLES or (nxt[1] == "of" and tokens[j][1] in TITLES)) and (
                j + 2 < hi and is_name_word(tokens[j + 2])
            ):
                j += 2  # "Ana dos Santos", "Secretary of State Ann Lee"
            elif _ORDINAL.match(nxt[1]) and _is_title_abbrev(tokens, j + 2):
                j += 1  # "Air Force 1st Lt. Tyler Moss"
            else:
                break
        if tokens[j][1] in TITLES:
            tail = _title_tail(tokens, j, hi)  # "Gov. and party Chairman Ed Rendell"
            if tail is not None:
                return Mention(i, tail, "name")
        if tokens[j][1].endswith(("’s", "'s")):
            return _nominal_after(tokens, i, j + 1, hi)
        for gap in (1, 2):
            # "Democratic pollster Stan Greenberg": the role noun sits between modifier and name.
            k = j + gap + 1
            if (
                k < hi
                and is_head(tokens[j + gap][1])
                and all(
                    tokens[j + g][0] == WORD
                    and tokens[j + g][1].islower()
                    and tokens[j + g][1] not in STOP_LOWER
                    and tokens[j + g][1] not in FINITE_CUES
                    for g in range(1, gap + 1)
                )
                and is_name_word(tokens[k])
                and tokens[k][1] not in STOP_CAPS
            ):
                inner = np_after(tokens, k, hi)
                if inner is not None and inner.kind == "name":
                    return inner
        return Mention(i, j, "name")
    if low in DETS or (text[0].isupper() and text.endswith(("’s", "'s")) and text[:-2] not in STOP_CAPS):
        # "the senator", "Clinton’s top aide Jake Sullivan", "Cleveland’s Plain Dealer"
        return _nominal_after(tokens, i, i + 1, hi)
    for gap in (0, 1):
        # "said conservative activist Bob Klane", "said spokesman John Kirby": role noun, then name.
        k = i + gap + 1
        if (
            k < hi
            and text.islower()
            and is_head(tokens[i + gap][1])
            and (gap == 0 or (text not in STOP_LOWER and text not in FINITE_CUES))
            and is_name_word(tokens[k])
            and tokens[k][1] not in STOP_CAPS
        ):
            inner = np_after(tokens, k, hi)
            if inner is not None and inner.kind == "name":
                return inner
    if low in NOMINAL_HEADS:
        return Mention(i, i, "nominal")
    return None


def _title_tail(tokens: list[Token], j: int, hi: int) -> int | None:
    """Last token of the name after a list of titles ending at ``j`` ("Gov. and Chairman Ed Rendell")."""
    k = j + 1
    if k < hi and tokens[k][1] == ".":
        k += 1
    if k + 1 >= hi or tokens[k][1] not in ("and", "&"):
        return None
    # a short window: names are short, and "Gov. and Gov. and …" must not recurse without end
    inner = np_after(tokens, k + 1, min(hi, k + 9))
    if inner is None or inner.kind != "name" or tokens[inner.last][1] in TITLES:
        return None
    return inner.last


def _role_then_name(tokens: list[Token], p: int, hi: int) -> Mention | None:
    """The name after a lower-case role phrase at ``p`` ("secretary of state Ann Lee")."""
    has_head = False
    for q in range(p, min(hi, p + 6)):
        tok = tokens[q]
        if tok[0] != WORD:
            return None
        if is_name_word(tok) and tok[1] not in STOP_CAPS:
            return np_after(tokens, q, hi) if has_head and tokens[q - 1][1] != "of" else None
        low = tok[1]
        if not low.islower() or (low in STOP_LOWER and low != "of") or low in FINITE_CUES:
            return None
        if low == "of" and (q == p or tokens[q - 1][1] == "of"):
            return None
        has_head = has_head or is_head(low)
    return None


def _nominal_after(tokens: list[Token], first: int, j: int, hi: int) -> Mention | None:
    if tokens[first][1].lower() == "that" and j < hi and tokens[j][1].lower() in _CLAUSE_OR_DET:
        return None  # "note that he had just bought …": a clause, not a noun phrase
    last = None
    while j < hi and j - first < 10 and tokens[j][0] == WORD:
        low = tokens[j][1].lower()
        if (
            (low in STOP_LOWER and low not in ("for", "of", "to", "at", "with"))
            or low in _CLAUSE_WORDS
            or low.endswith(("n’t", "n't"))
            or (low.endswith("ed") and tokens[j - 1][1][0].isupper() and tokens[j][1].islower())
        ):
            break  # "the Bar Association completed …": a verb after a name ends the phrase
        last = j
        j += 1
        if (
            j + 1 < hi
            and tokens[j][1] == "."
            and _is_title_abbrev(tokens, j - 1)
            and is_name_word(tokens[j + 1])
        ):
            j += 1  # "secretary William J. Bennett": an initial inside the name
    if last is None:
        return None
    while last > first and tokens[last][1].lower() in _PREPS:
        last -= 1
    if is_name_word(tokens[last]) and last > first:
        # "Clinton’s top foreign policy aide Jake Sullivan": the name at the end is the speaker.
        start = name_start(tokens, last, first + 1)
        while start < last and tokens[start][1].endswith(("’s", "'s")):
            start += 1  # "The Ledger’s Tom Barr": the name after the possessive
        before = tokens[start - 1]
        # "aide Jake Sullivan", and "The Ledger’s Tom Barr" (not "The Ledger’s Press Club")
        possessive = before[1].endswith(("’s", "'s")) and tokens[last][1] not in ORG_WORDS
        if (
            start <= last
            and before[0] == WORD
            and (before[1].islower() or possessive)
            and before[1] not in DETS
            and before[1] not in STOP_LOWER
        ):
            return Mention(start, last, "name")
    return Mention(first, last, "nominal")
