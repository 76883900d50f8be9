"""The subject a speech cue rests on, looking left from the cue or from a clause's start.

``subject_before`` finds the subject before a cue ("Trump said", "Sergei Ryabkov, the deputy
foreign minister, said", "Gov. John Kasich (R-OH), said"), skipping adverbs, days and
appositives; ``loose_nominal`` accepts a short determiner phrase ("the retired neurosurgeon
told"); ``clause_subject`` names the subject of a clause ("..., saying"), and ``colon_subject``
that of a clause ending in a colon ("Rubio fired back:").
"""

from __future__ import annotations

import re

from bot.text.quote_cues import (
    QUOTE,
    WORD,
    Mention,
    Token,
    is_head,
    is_name_word,
    name_start,
    np_after,
    np_ending_at,
)
from bot.text.quote_words import DETS, STOP_LOWER

_SKIP_BEFORE = frozenset(
    """also later then has had have was were is are would will recently previously once publicly
    repeatedly simply reportedly even further just often never again separately privately earlier
    frequently quickly flatly bluntly angrily famously memorably sarcastically first initially
    subsequently already still finally had has long since himself herself themselves itself
    personally directly""".split()
)
_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Monday’s Sunday’s".split())
_APPOS_MARKS = frozenset(",—–")
_LEADERS = frozenset("And But Then So Also Still Later Meanwhile Yet Instead then also later".split())
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z]")
_APPOS_START = DETS | frozenset("who whose which now then also currently formerly once".split())


def _skip_back(tokens: list[Token], k: int, lo: int) -> int:
    """Skip adverbs, auxiliaries and "on Monday" before a cue at ``k + 1``."""
    while k >= lo:
        t = tokens[k][1]
        if tokens[k][0] == WORD and (t in _SKIP_BEFORE or (t.endswith("ly") and t.islower() and len(t) > 4)):
            k -= 1
        elif t in _DAYS and k - 1 >= lo and tokens[k - 1][1] in ("on", "On"):
            k -= 2
        elif t in _DAYS and tokens[k][0] == WORD:
            k -= 1
        elif t == ")":
            j = k - 1
            while j >= lo and tokens[j][1] != "(" and k - j < 12:
                j -= 1
            if j < lo or tokens[j][1] != "(":
                break
            k = j - 1
        else:
            break
    return k


def _skip_parenthesis(tokens: list[Token], k: int, lo: int) -> int:
    """Index before a "(D-Md.)" group ending at ``k``; ``k`` itself when there is none."""
    if k < lo or tokens[k][1] != ")":
        return k
    j = k - 1
    while j >= lo and tokens[j][1] != "(" and k - j < 12:
        j -= 1
    return j - 1 if j >= lo and tokens[j][1] == "(" else k


def subject_before(tokens: list[Token], cue: int, lo: int) -> tuple[Mention | None, str]:
    """Subject of the cue at index ``cue`` looking left; also an appositive role noun if any."""
    k = _skip_back(tokens, cue - 1, lo)
    if k < lo:
        return None, ""
    if tokens[k][1] == ",":
        # "Gov. John Kasich (R-OH), said": the name before the comma is a whole segment.
        named = np_ending_at(tokens, _skip_parenthesis(tokens, k - 1, lo), lo)
        if named is not None and named.kind == "name" and not _after_city(tokens, named.first, lo):
            edge = named.first - 1
            if edge < lo or tokens[edge][1] in (",", ":", "—") or tokens[edge][0] == QUOTE:
                return named, ""
    if tokens[k][1] in _APPOS_MARKS:
        # "Ryabkov, the deputy foreign minister, said": skip the appositive.
        mark = tokens[k][1]
        p = k - 1
        while p >= lo and (tokens[p][1] != mark or _after_city(tokens, p + 1, lo)) and tokens[p][0] != QUOTE:
            p -= 1  # "X, at a rally in Columbus, Ohio, said": the state's comma is inside
        if p < lo or tokens[p][0] == QUOTE or p + 1 >= k:
            return None, ""
        first = tokens[p + 1]
        segment_name = np_ending_at(tokens, k - 1, p + 1)
        if segment_name is not None and segment_name.kind == "name" and segment_name.first == p + 1:
            # "Trump’s chief of staff, Joe Kasper, told": the name is the appositive itself.
            before = np_ending_at(tokens, p - 1, lo)
            if before is not None and before.kind == "nominal":
                return segment_name, ""
        if not (
            first[1].lower() in _APPOS_START
            or first[1].isdigit()
            or (first[0] == WORD and first[1][0].islower())
            or first[1].endswith(("’", "'", "’s", "'s"))
            or _PARTY_STATE.match(first[1]) is not None
        ):
            return None, ""
        subject = np_ending_at(tokens, _skip_parenthesis(tokens, p - 1, lo), lo)
        if subject is None or subject.kind not in ("name", "nominal"):
            return None, ""
        role = tokens[k - 1][1].lower() if first[1].lower() in DETS else ""
        return subject, role
    return np_ending_at(tokens, k, lo), ""


def _after_city(tokens: list[Token], first: int, lo: int) -> bool:
    """The name at ``first`` follows "in Columbus," ("in Columbus, Ohio"): a state, not a speaker."""
    comma = first - 1
    if comma - 1 < lo or tokens[comma][1] != "," or not is_name_word(tokens[comma - 1]):
        return False
    if first + 1 >= len(tokens) or not is_name_word(tokens[first]) or tokens[first + 1][1] != ",":
        return False  # "in Columbus, Ohio, said" (not "The mayor of Dayton, Ann Lee, said")
    start = name_start(tokens, comma - 1, lo)
    return start - 1 >= lo and tokens[start - 1][1] in ("in", "of", "at", "from", "near")


def loose_nominal(tokens: list[Token], cue: int, lo: int) -> Mention | None:
    """ "“…,” the retired neurosurgeon told": any short determiner phrase right before the cue."""
    k = _skip_back(tokens, cue - 1, lo)
    if k <= lo or tokens[k][0] != WORD or not tokens[k][1].islower():
        return None
    if tokens[lo][1].lower() not in DETS or k - lo > 5:
        return None
    if any(t[0] != WORD or t[1].lower() in STOP_LOWER for t in tokens[lo + 1 : k + 1]):
        return None
    return Mention(lo, k, "nominal")


def _skip_dateline(tokens: list[Token], lo: int, hi: int) -> int:
    """Index after a dateline such as "Paris (AFP) –" or "Austin, Texas (AP) —"; else ``lo``."""
    for k in range(lo, min(hi, lo + 8)):
        if tokens[k][1] == "(":
            close = k + 2
            if (
                close + 1 < hi
                and tokens[k + 1][1].isupper()
                and len(tokens[k + 1][1]) >= 2  # "(AP)", "(AFP)"; "(R) —" is a party label
                and tokens[close][1] == ")"
                and tokens[close + 1][1] in ("—", "–", "-")
            ):
                return close + 2
            return lo
        if not (is_name_word(tokens[k]) or tokens[k][1] in (",", ".")):
            return lo
    return lo


def clause_subject(tokens: list[Token], lo: int, hi: int) -> Mention | None:
    """Name or pronoun subject of the clause starting at ``lo`` (for "..., saying")."""
    i = _skip_dateline(tokens, lo, hi)
    while i < hi and (tokens[i][0] != WORD or tokens[i][1] in _LEADERS):
        i += 1
    if i >= hi:
        return None
    if tokens[i][1].lower() in DETS:
        # "The Florida senator sought to calm …, saying": a short determiner phrase.
        for last in range(i + 1, min(i + 4, hi - 1)):
            word = tokens[last][1]
            if tokens[last][0] != WORD or word.lower() in STOP_LOWER:
                break
            if is_head(word) and tokens[last + 1][0] == WORD and tokens[last + 1][1].islower():
                return Mention(i, last, "nominal")
    head = np_after(tokens, i, hi)
    if head is not None and head.first == head.last and tokens[i][1].endswith(("ed", "ing", "ly")):
        head = None  # "Reached by phone, ..." starts with no name
    if head is not None and head.kind in ("name", "pronoun"):
        nxt = tokens[head.last + 1] if head.last + 1 < len(tokens) else None
        if nxt is None or (nxt[0] == WORD and nxt[1][0].islower()) or nxt[1] in (",", "(", ":"):
            return head
    # "On Monday, Trump released a statement, saying": try after the first comma.
    for j in range(i, hi):
        if tokens[j][1] == ",":
            head = np_after(tokens, j + 1, hi)
            if head is not None and head.kind in ("name", "pronoun"):
                nxt = tokens[head.last + 1] if head.last + 1 < hi else None
                if nxt is not None and nxt[0] == WORD and nxt[1][0].islower():
                    return head
            break
    return None


def colon_subject(tokens: list[Token], lo: int, colon: int) -> Mention | None:
    """Subject of the clause that ends in the colon at ``colon`` ("…, Rubio fired back:"), else of
    the whole sentence from ``lo``."""
    start = colon - 1
    while (
        start > lo
        and tokens[start - 1][1] not in (",", ";", ":", "—", "–", "-")
        and tokens[start - 1][0] != QUOTE
    ):
        start -= 1
    mention = clause_subject(tokens, start, colon)
    if mention is None and start > lo:
        mention = clause_subject(tokens, lo, colon)
    return mention
