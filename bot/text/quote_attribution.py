"""Split a paragraph's token stream into sentences and attribute each quotation to a speech cue.

Works on the token stream of one paragraph (``quote_cues.tokenize``). ``split_sentences`` splits
it outside quotations (a full stop after "Mr." ends no sentence, nor does a quotation ending in
"!" that a frame such as "Trump said" follows). ``attribute`` tries, in order: a frame right after
the quotation ("…,” she said / "…,” said X / "…,” X said, according to Y), "According to X, …", a
cue before it in the same sentence, a clause ending in a colon ("Rubio fired back: “…”"), and a
sentence-final cue ("…, Trump said." / "…, according to a poll."), and last the sentence subject
(a full name, a pronoun or a role noun) whose verb governs a partial quotation ("Maria Lopez
supports “fair pay”"). A cue whose subject sits inside reported speech ("Israel said Clinton
called it “…”") gives the outer reporter. Rules were chosen by their effect on speaker precision
and attribution on the training split (rules that cost precision were dropped).
"""

from __future__ import annotations

from bot.text.name_words import STOP_CAPS
from bot.text.quote_cues import (
    PUNCT,
    QUOTE,
    WORD,
    Mention,
    Token,
    is_according,
    is_cue_at,
    is_head,
    np_after,
)
from bot.text.quote_sources import cue_source, outer_reporter, quoted_as
from bot.text.quote_speakers import Attribution, Speakers
from bot.text.quote_subjects import clause_subject, colon_subject, loose_nominal, subject_before
from bot.text.quote_words import FINITE_CUES, INVERTING, PARTICLE_CUES

_ABBREV = frozenset(
    """Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Capt Sgt Rev Prof St Jr Sr Inc Co Corp Ltd U.S U.N
    D.C a.m p.m Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec No vs Ft Mt Sens Reps Atty Del""".split()
)
_SENTENCE_END = frozenset(".?!")
_MODALS = frozenset("will would could should might may can must".split())
_AUXILIARIES = frozenset("was is has does had were are".split())
_SUBORDINATORS = frozenset("that who which when while because".split())
_OPENING_SUBORDINATORS = frozenset("When As Although While After Before If Because Since Though".split())
_CLAUSE_BREAK = frozenset("but while although though whereas yet".split())
# Before a cue with no subject of its own ("a platform that calls for “…”", "when asked about
# …:"): the clause belongs to the sentence's speaker, so the search goes on to the left.
_SUBJECTLESS = frozenset("that which when after before if once while".split())
# Nouns after a quotation that only echoes someone's words ("rejected Barr’s “witch hunt” line").
_ECHO_NOUNS = frozenset(
    """label line claim claims remark remarks comment comments moniker slogan phrase term tag
    nickname charge charges accusation accusations rhetoric description characterization""".split()
)
_CLAUSE_OPENING = frozenset("he she they it we i you his her their its the a an this these".split())


def split_sentences(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Sentence token ranges; quotations are opaque, so their inner full stops do not count."""
    out = []
    start = 0
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if i + 1 >= n:
            break
        nxt = tokens[i + 1]
        next_opens = nxt[0] == QUOTE or (nxt[0] == WORD and (nxt[1][0].isupper() or nxt[1][0].isdigit()))
        if not next_opens:
            continue
        if tok[0] == PUNCT and tok[1] in _SENTENCE_END:
            prev = tokens[i - 1] if i > 0 else None
            if (
                prev is not None
                and prev[0] == WORD
                and (prev[1] in _ABBREV or (len(prev[1]) == 1 and prev[1].isupper()))
            ):
                continue
            out.append((start, i + 1))
            start = i + 1
        elif tok[0] == QUOTE and nxt[0] == WORD:
            inner = text[tok[2] : tok[3]].rstrip(" ”\"’'")
            if inner and inner[-1] in _SENTENCE_END and not _frame_follows(tokens, i + 1, inner[-1] != "."):
                out.append((start, i + 1))
                start = i + 1
    if start < n:
        out.append((start, n))
    return out


def _according_after(art: Speakers, tokens: list[Token], cue: int, hi: int) -> Attribution | None:
    """ "…,” Sanders said, according to CNN": the relaying source is the one annotated."""
    if is_according(tokens, cue):
        return None
    for k in range(cue + 1, min(hi, cue + 12)):
        if tokens[k][0] == QUOTE or (tokens[k][1] in (".", ";") and not _inner_stop(tokens, k, cue)):
            return None
        if is_according(tokens, k):
            mention = np_after(tokens, k + 2, hi)
            if mention is None:
                return None
            found = art.resolve(tokens, mention, "")
            if found is not None:
                found.framed = True
            return found
    return None


def _inner_stop(tokens: list[Token], j: int, first: int) -> bool:
    """A full stop inside a phrase ("Mr. Ryabkov", "R-Ky.,") is no sentence end."""
    if tokens[j][1] != ".":
        return False
    if j > first and (tokens[j - 1][1] in _ABBREV or len(tokens[j - 1][1]) == 1 or "." in tokens[j - 1][1]):
        return True  # "Mr.", "D.", "D-N.Y."
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return nxt is not None and (nxt[1] in (",", ")") or (nxt[0] == WORD and nxt[1][0].islower()))


def _frame_follows(tokens: list[Token], i: int, question: bool) -> bool:
    """A speech cue right after ("…!” Trump said", "…?” Miller, a retiree, said"): no sentence end."""
    for j in range(i, min(i + 16, len(tokens))):
        tok = tokens[j]
        if _inner_stop(tokens, j, i) or tok[1] in (",", "—", "–"):
            continue
        if tok[0] != WORD:
            return False
        particle = (
            tok[1] in PARTICLE_CUES and j + 1 < len(tokens) and tokens[j + 1][1] == PARTICLE_CUES[tok[1]]
        )
        if tok[1] in FINITE_CUES or particle:
            if not (j - i <= 6 or tokens[j - 1][1] in (",", "—", "–")):
                return False
            if question:
                return True
            j += 1 if particle else 0
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            if after is not None and after[1] == "," and j + 2 < len(tokens) and tokens[j + 2][0] == QUOTE:
                return False  # "…girls.” Cruz says, “That is …”": the cue opens the next quotation
            return after is None or after[1] in (".", ",")
    return False


def attribute(
    art: Speakers, tokens: list[Token], qi: int, lo: int, hi: int
) -> tuple[Attribution | None, bool]:
    """Attribution of the quotation token ``qi`` within sentence [lo, hi); second: cue adjacent."""
    # 1. A frame right after the quotation: "…,” X said / "…,” said X / "…,” according to X.
    j = qi + 1
    while j < hi and tokens[j][1] in (",", "—", "–"):
        j += 1
    stop = j
    while stop < hi and tokens[stop][0] != QUOTE:
        stop += 1
    if tokens[lo][1] in _OPENING_SUBORDINATORS:
        # "When Trump said he would “…,” the crowd applauded": the cue is in the opening clause
        # (not "When asked, Canova said, “No comment,” the Herald reported").
        comma = next((k for k in range(lo, qi) if tokens[k][1] == ","), qi)
        if any(is_cue_at(tokens, c) for c in range(lo + 2, comma)):  # "When asked," has no subject
            stop = j
    for c in range(j, min(stop, j + 40)):
        if is_cue_at(tokens, c) and not (
            c > j and tokens[c - 1][1] in _MODALS and not _will_say(tokens, c, j)
        ):
            relay = _according_after(art, tokens, c, stop)
            if relay is not None:
                return relay, True
            if c == j:
                found = cue_source(art, tokens, c, j, stop)
                if found is not None:
                    found.framed = True
                    return found, True
                break
            subject, role = subject_before(tokens, quoted_as(tokens, c, j), j)
            if subject is None:
                subject = loose_nominal(tokens, c, j)
            if (
                subject is not None
                and subject.kind == "name"
                and subject.first == j + 1
                and tokens[j][1].lower() == "the"
            ):
                subject = Mention(j, subject.last, "nominal")  # "…,” the Texan said / the ACU said
            if subject is None and tokens[c - 1][1] == "," and tokens[c][1] in INVERTING:
                # "“…” about the decision, said Lena Ortiz": an inverted frame after a short tail.
                found = cue_source(art, tokens, c, c - 1, stop)
                if found is not None:
                    found.framed = True
                    return found, True
            if subject is not None and (
                subject.first == j
                or (
                    subject.kind == "name"
                    and subject.first - j <= 6
                    and all(_modifier(t) for t in tokens[j : subject.first])
                )
                or (
                    subject.kind == "nominal"
                    and subject.first - j <= 2
                    and all(t[0] == WORD and t[1].islower() for t in tokens[j : subject.first])
                )
            ):
                found = art.resolve(tokens, subject, role)
                if found is None:
                    break
                found.framed = True
                return found, True
            lead = np_after(tokens, j, stop)
            if (
                lead is not None
                and lead.kind == "name"
                and tokens[c - 1][1] in (",", "—", "–")
                and tokens[lead.last + 1][1] in (",", "—", "–", "(")
            ):
                # "…,” Harry Bond, 30, of Raleigh, who was polled, said: a long appositive.
                found = art.resolve(tokens, lead, "")
                if found is not None:
                    found.framed = True
                    return found, True
            break
        if tokens[c][1] in (".", ";", "?", "!") and not _inner_stop(tokens, c, j):
            break
    # 2. "According to X, …": the source of the whole sentence.
    if qi > lo + 2 and is_according(tokens, lo):
        mention = np_after(tokens, lo + 2, qi)
        if mention is not None:
            found = art.resolve(tokens, mention, "")
            if found is not None:
                return found, False
    # 3. A cue before the quotation in the same sentence.
    for c in range(qi - 1, lo - 1, -1):
        if (
            tokens[c][1] in _CLAUSE_BREAK
            and c > lo
            and _comma_before(art.text, tokens[c - 1])
            and tokens[c + 1][0] != QUOTE
            and not (
                tokens[c + 1][1] == "that"
                and c + 2 < qi
                and tokens[c + 2][0] == WORD
                and (tokens[c + 2][1].lower() in _CLAUSE_OPENING or tokens[c + 2][1][0].isupper())
            )
        ):
            break  # ", but the so-called “…”": another clause, another subject ("but that": the same)
        if is_cue_at(tokens, c) and not (c > lo and tokens[c - 1][1] in _MODALS and c - 1 > lo):
            found = cue_source(art, tokens, c, lo, hi)
            if found is not None:
                found = outer_reporter(art, tokens, found, lo, hi)
                adjacent = all(t[1] in (",", ":", "that", "—") or t[0] == QUOTE for t in tokens[c + 1 : qi])
                found.framed = adjacent
                return found, adjacent
            if not (c > lo and tokens[c - 1][1].lower() in _SUBJECTLESS):
                break  # only "a platform that calls for “…”" defers to the clause's own speaker
    # 4. "Rubio fired back: “…”": the subject of the clause that ends in a colon.
    if qi - 1 >= lo and tokens[qi - 1][1] == ":":
        mention = colon_subject(tokens, lo, qi - 1)
        if mention is not None:
            found = art.resolve(tokens, mention, "")
            if found is not None:
                found.framed = True
                return found, True
    # 5. A sentence-final cue: "…the “rigged” system, Trump said." / "…, according to a poll."
    for c in range(stop - 1, qi, -1):
        if tokens[c][0] == QUOTE:
            break
        if is_according(tokens, c) and tokens[c - 1][1] == ",":
            mention = np_after(tokens, c + 2, stop)
            if mention is not None:
                return art.resolve(tokens, mention, ""), False
            break
        if is_cue_at(tokens, c) and tokens[c][1] in FINITE_CUES:
            subject, role = subject_before(tokens, c, qi + 1)
            if subject is not None and tokens[_role_prefix(tokens, subject, qi + 1) - 1][1] == ",":
                tail = stop - c
                if tail <= 8:
                    return art.resolve(tokens, subject, role), False
            break
    # 6. No cue: the sentence subject acting on the quoted words ("Clinton supports “…”", "She
    #    praised the “…”", "The senator opposes the “…”"); a lone surname is not enough.
    first = lo
    if tokens[lo][1] in STOP_CAPS or tokens[lo][1].endswith("ing"):
        # "First, Donald Trump attacked Romney for being a “failed candidate.”", "Portraying …, X …"
        opener = next((k for k in range(lo + 1, min(qi, lo + 10)) if tokens[k][1] == ","), None)
        if opener is not None and opener + 1 < qi:
            first = opener + 1
    if qi - first <= 20 and tokens[qi - 1][0] == WORD:
        mention = np_after(tokens, first, qi)
        if mention is not None and mention.kind == "nominal":
            mention = clause_subject(tokens, first, qi)  # "The senator opposes": ends at the noun
        verb = mention.last + 1 if mention is not None else qi
        if verb < qi and tokens[verb][1] in ("has", "had") and verb + 1 < qi:
            verb += 1  # "Sanders has pushed his promise of “free college”"
            if tokens[verb][1].endswith("ly") and verb + 1 < qi:
                verb += 1
        if (
            mention is not None
            and mention.first == first
            and verb < qi
            and tokens[verb][0] == WORD
            and tokens[verb][1].endswith(("s", "ed"))
            and tokens[verb][1] not in _AUXILIARIES
            and not any(
                t[0] == QUOTE or t[1] in (",", ";", ":", "—") or t[1] in _SUBORDINATORS
                for t in tokens[mention.last + 1 : qi]
            )
            and not tokens[qi - 1][1].endswith(("’s", "'s"))  # "Barr’s “witch hunt”": his words
            and not (qi + 1 < hi and tokens[qi + 1][1].lower() in _ECHO_NOUNS)  # "the “…” label"
        ):
            found = art.resolve(tokens, mention, "")
            if found is not None and mention.kind == "pronoun" and found.speaker is not None:
                if not art.pronoun_fits(found.speaker, tokens[mention.first][1].lower()):
                    found.speaker = None  # "She" with no clear antecedent: the mention, no name
            if found is not None and (
                mention.kind != "name" or (found.speaker is not None and " " in found.speaker)
            ):
                return found, False
    return None, False


def _will_say(tokens: list[Token], cue: int, lo: int) -> bool:
    """ "…,” he will say" (prepared remarks): a named or pronoun subject right before "will"."""
    if tokens[cue - 1][1] != "will" or cue - 2 < lo:
        return False
    subject = subject_before(tokens, cue - 1, lo)[0]
    return subject is not None and subject.kind in ("name", "pronoun") and subject.first - lo <= 1


def _role_prefix(tokens: list[Token], subject: Mention, lo: int) -> int:
    """First token of a role written before a named subject (", party spokesman Neil Sroka said",
    ", Republican candidate Ben Carson said"): up to three modifiers ending in a role noun."""
    if subject.kind != "name" or subject.first - 1 < lo or not is_head(tokens[subject.first - 1][1]):
        return subject.first
    start = subject.first - 1
    while start - 1 >= lo and subject.first - start < 4 and _modifier(tokens[start - 1]):
        start -= 1
    return start


def _modifier(tok: Token) -> bool:
    """A word that can stand before a name ("White House press secretary Josh Earnest")."""
    if tok[0] != WORD:
        return False
    low = tok[1].lower()
    if tok[1][0].isupper():
        return low not in _NOT_MODIFIERS
    return low not in _NOT_MODIFIERS and not low.endswith(("ing", "ed", "ly"))


_NOT_MODIFIERS = frozenset(
    """that and but or because which when if as while where though although than so since after
    before until unless whether who whom whose what how why to of for with in on at by from into
    about against the a an his her their its this these those he she they it we i you
    regarding""".split()
)


def _comma_before(text: str, tok: Token) -> bool:
    """A comma token, or a quotation ending with a comma ("…gamble,” but)."""
    if tok[0] == QUOTE:
        return text[tok[2] : tok[3]].rstrip(" ”\"’'").endswith(",")
    return tok[1] == ","


def looks_like_title(words: str) -> bool:
    parts = words.split()
    if not 1 <= len(parts) <= 8 or words[-1:] in ".?!,":
        return False
    long_parts = [p for p in parts if len(p) > 3]
    return bool(long_parts) and all(p[0].isupper() for p in long_parts)
