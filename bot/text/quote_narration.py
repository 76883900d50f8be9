"""Speakers named by the sentences around quotations.

``reported_speech`` finds "X said (that) …" in a sentence without quotation marks;
``introducer`` names who a sentence ending in a colon hands the floor to ("Lee responded:");
``sentence_speaker`` who a sentence says is speaking ("Howard continued his remarks."); and
``note_subjects`` records sentence-initial names for later "he" and "she".
"""

from __future__ import annotations

from bot.text.quote_cues import PUNCT, QUOTE, WORD, Token, is_cue_at, np_after
from bot.text.quote_sources import cue_source
from bot.text.quote_speakers import Attribution, Speakers
from bot.text.quote_subjects import clause_subject, colon_subject, subject_before
from bot.text.quote_words import FINITE_CUES, REPORT_CUES


def introducer(art: Speakers, tokens: list[Token], lo: int, colon: int) -> Attribution | None:
    """Who a sentence ending in a colon hands the floor to ("As Ann Lee observed, …:", "Lee
    responded:", "the Ledger reported:"): the source of its last cue, else its subject."""
    for c in range(colon - 1, lo - 1, -1):
        if tokens[c][0] == QUOTE:
            break
        if is_cue_at(tokens, c) and _in_as_clause(tokens, lo, c, colon):
            return None  # "As Ann Lee reported, the memo ends:": the memo speaks, not Lee
        if is_cue_at(tokens, c):
            found = cue_source(art, tokens, c, lo, colon)
            if found is not None and found.speaker is not None:
                return found
            break
    mention = colon_subject(tokens, lo, colon)
    return art.resolve(tokens, mention, "") if mention is not None else None


def _in_as_clause(tokens: list[Token], lo: int, cue: int, colon: int) -> bool:
    """The cue sits in an opening "As X verb …," clause and a main clause with a subject follows."""
    if tokens[lo][1] not in ("As", "as"):
        return False
    comma = next((k for k in range(cue + 1, colon) if tokens[k][1] == ","), None)
    return comma is not None and clause_subject(tokens, comma + 1, colon) is not None


def sentence_speaker(art: Speakers, tokens: list[Token], lo: int, hi: int) -> Attribution | None:
    """ "Howard continued his remarks.": who the sentence says is speaking (for the next paragraph)."""
    for c in range(lo, hi):
        if tokens[c][0] == WORD and tokens[c][1] in FINITE_CUES:
            subject, role = subject_before(tokens, c, lo)
            if subject is not None and subject.kind in ("name", "pronoun") and subject.first == lo:
                return art.resolve(tokens, subject, role)
            return None
    return None


def note_subjects(art: Speakers, tokens: list[Token], lo: int, hi: int) -> None:
    """Record a sentence-initial name as the latest subject (for later pronouns)."""
    i = lo
    while i < hi and tokens[i][0] == PUNCT:
        i += 1
    if i >= hi or tokens[i][0] != WORD:
        return
    mention = np_after(tokens, i, hi)
    if mention is None or mention.kind != "name" or mention.last + 1 >= hi:
        return
    nxt = tokens[mention.last + 1]
    if (nxt[0] == WORD and nxt[1][0].islower()) or nxt[1] == ",":
        start, end = tokens[mention.first][2], tokens[mention.last][3]
        name = art.names.resolve(art.text[start:end])
        # A lone capitalised word written once may just open the sentence ("Inside, ...").
        if name is not None and (" " in name or art.names.count(name) >= 2):
            art.subjects.append((start, name))


_CLAUSE_OPENERS = frozenset("he she they it we i the a an his her their its this there".split())


def _clause_start(tok: Token) -> bool:
    """A word that can open a reported clause after "said" without "that"."""
    return tok[0] == WORD and (tok[1].lower() in _CLAUSE_OPENERS or tok[1][0].isupper())


def reported_speech(
    art: Speakers, tokens: list[Token], lo: int, hi: int
) -> tuple[int, int, Attribution] | None:
    """Reported speech in a sentence without quotations: "X said (that) …" or "…, X said."."""
    for c in range(lo, hi):
        tok = tokens[c]
        if tok[0] != WORD or tok[1] not in REPORT_CUES:
            continue
        subject, role = subject_before(tokens, c, lo)
        if subject is None:
            return None
        last = hi - 1
        while last > c and tokens[last][0] == PUNCT:
            last -= 1
        if subject.first == lo or (tokens[subject.first - 1][1] in (",",) and c > lo):
            if subject.first == lo:
                body = c + 1
                if tok[1] in ("told", "tells") and body < hi:
                    while body < hi and tokens[body][1] != "that":
                        body += 1
                if body < hi and tokens[body][1] == "that":
                    body += 1
                elif body < hi and not _clause_start(tokens[body]):
                    return None  # "said pleasantly into the phone" reports nothing
                if body >= last or tokens[body][0] != WORD:
                    return None
                attribution = art.resolve(tokens, subject, role)
                if attribution is None:
                    return None
                return tokens[body][2], tokens[last][3], attribution
            end = subject.first - 1
            if end - lo < 4 or hi - c > 6:
                return None
            attribution = art.resolve(tokens, subject, role)
            if attribution is None:
                return None
            return tokens[lo][2], tokens[end - 1][3], attribution
        return None
    return None
