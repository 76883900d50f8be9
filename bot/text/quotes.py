"""Extract quotations and reported speech from article text, each with its resolved speaker.

``extract_quotes(text)`` walks the article paragraph by paragraph. In each paragraph it pairs the
quote marks (``quote_marks``), turns the rest into tokens with one token per quotation, splits
sentences outside quotations, and attributes every quotation to a speech cue in its sentence
(``quote_cues``): a frame after it ("…,” she said), a cue before it (Trump said: “…”, called it
“rigged”), or a sentence-final cue. Quotations without a cue inherit the speaker of the quotation
they continue (split quotes, multi-paragraph quotes, quote-only paragraphs). Mentions are then
resolved inside the article (``names``): names to their fullest form, "he"/"she" to the latest
named subject, "the senator" to the one person introduced with that title; otherwise None.
Short unattributed quotations (scare quotes) and titles are not reported as quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Quote
from bot.text.names import NameIndex
from bot.text.quote_cues import (
    FINITE_CUES,
    PARTICIPLES,
    PUNCT,
    QUOTE,
    REPORT_CUES,
    WORD,
    Mention,
    Token,
    clause_subject,
    is_according,
    np_after,
    np_ending_at,
    subject_before,
    tokenize,
)
from bot.text.quote_marks import QuoteSpan, find_quote_spans

_PARAGRAPH = re.compile(r"[^\n]+")
_ABBREV = frozenset(
    """Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Capt Sgt Rev Prof St Jr Sr Inc Co Corp Ltd U.S U.N
    D.C a.m p.m Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec No vs Ft Mt Sens Reps Atty Del""".split()
)
_SENTENCE_END = frozenset(".?!")
# Verbs that take no object, so a noun phrase after them can be an inverted subject.
_INVERTING = frozenset(
    """said says added adds asked asks wrote writes continued explained noted replied responded
    recalled quipped declared insisted argued remarked observed concluded""".split()
)
_MODALS = frozenset("will would could should might may can must to".split())
_CLAUSE_BREAK = frozenset("but while although though whereas yet".split())


@dataclass
class _Attribution:
    """Who a quotation rests on: the mention's character span and the resolved name."""

    start: int
    end: int
    speaker: str | None
    framed: bool  # the cue sits right next to the quotation ("…,” he said / he said: “…”)


@dataclass
class _Found:
    span: QuoteSpan
    attribution: _Attribution | None
    kind: str
    sentence_only: bool  # the quotation is a whole sentence on its own
    leads: bool = False  # the quotation opens a sentence that has no cue of its own


class _Article:
    """Per-article state: the name index and the recent named subjects for pronouns."""

    def __init__(self, text: str, skip: list[tuple[int, int]]) -> None:
        self.text = text
        self.names = NameIndex.build(text, skip)
        self.subjects: list[tuple[int, str]] = []  # (position, full name), in text order
        self._lower_cache: dict[str, bool] = {}

    def resolve(self, tokens: list[Token], mention: Mention, role: str) -> _Attribution | None:
        """The attribution a mention gives; None when the "name" is a capitalised common word."""
        start = tokens[mention.first][2]
        end = tokens[mention.last][3]
        surface = self.text[start:end]
        speaker: str | None = None
        if mention.kind == "name" and mention.first == mention.last and self._common_word(surface):
            return None
        if mention.kind == "name":
            speaker = self.names.resolve(surface)
            if speaker is not None:
                self.subjects.append((start, speaker))
                if role:
                    self.names.note_role(role, speaker)
        elif mention.kind == "pronoun":
            if surface.lower() in ("he", "she"):
                speaker = self._recent_subject(start)
        elif mention.kind == "who":
            antecedent = self._antecedent(tokens, mention.first)
            speaker = antecedent
        elif mention.kind == "nominal":
            words = surface.lower().split()
            if words and words[0] == "the" and len(words) <= 4:
                speaker = self.names.by_role(words[-1])
        return _Attribution(start, end, speaker, False)

    def _common_word(self, word: str) -> bool:
        """A capitalised word the article also writes in lower case ("Signs", "Hours")."""
        low = word.lower()
        if low == word or len(word) < 3:
            return False
        if low not in self._lower_cache:
            self._lower_cache[low] = re.search(r"\b" + re.escape(low) + r"\b", self.text) is not None
        return self._lower_cache[low]

    def _recent_subject(self, pos: int) -> str | None:
        for where, name in reversed(self.subjects):
            if where < pos:
                return name if pos - where < 1500 else None
        return None

    def _antecedent(self, tokens: list[Token], who: int) -> str | None:
        if who >= 2 and tokens[who - 1][1] == ",":
            mention = np_ending_at(tokens, who - 2, 0)
            if mention is not None and mention.kind == "name":
                start, end = tokens[mention.first][2], tokens[mention.last][3]
                return self.names.resolve(self.text[start:end])
        return None


def _headline_regions(text: str) -> list[tuple[int, int]]:
    """Paragraphs written in title case (headlines): their capitals are not names."""
    regions = []
    for m in _PARAGRAPH.finditer(text):
        words = m.group().split()
        if 2 <= len(words) <= 25:
            caps = sum(1 for w in words if w[:1].isupper())
            if caps >= 0.7 * len(words) and len(words) > 3:
                regions.append((m.start(), m.end()))
    return regions


def _sentences(tokens: list[Token], text: str) -> list[tuple[int, int]]:
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


def _according_after(art: _Article, tokens: list[Token], cue: int, hi: int) -> _Attribution | None:
    """ "…,” Sanders said, according to CNN": the relaying source is the one annotated."""
    if is_according(tokens, cue):
        return None
    for k in range(cue + 1, min(hi, cue + 12)):
        if tokens[k][0] == QUOTE or tokens[k][1] in (".", ";"):
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
    if j > first and (tokens[j - 1][1] in _ABBREV or len(tokens[j - 1][1]) == 1):
        return True
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return nxt is not None and (nxt[1] == "," or (nxt[0] == WORD and nxt[1][0].islower()))


def _frame_follows(tokens: list[Token], i: int, question: bool) -> bool:
    """A speech cue right after ("…!” Trump said", "…?” Miller, a retiree, said"): no sentence end."""
    for j in range(i, min(i + 16, len(tokens))):
        tok = tokens[j]
        if _inner_stop(tokens, j, i) or tok[1] in (",", "—", "–"):
            continue
        if tok[0] != WORD:
            return False
        if tok[1] in FINITE_CUES:
            if not (j - i <= 6 or tokens[j - 1][1] in (",", "—", "–")):
                return False
            if question:
                return True
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            return after is None or after[1] in (".", ",")
    return False


def _cue_source(art: _Article, tokens: list[Token], cue: int, lo: int, hi: int) -> _Attribution | None:
    """The attribution a cue at ``cue`` gives, looking left, then right ("said Trump")."""
    word = tokens[cue][1]
    if is_according(tokens, cue):
        mention = np_after(tokens, cue + 2, hi)
        return art.resolve(tokens, mention, "") if mention else None
    if word in PARTICIPLES or (cue - 1 >= lo and tokens[cue - 1][1] == "to"):
        for j in range(cue - 1, lo - 1, -1):
            if tokens[j][0] == WORD and tokens[j][1] in FINITE_CUES:
                found = _cue_source(art, tokens, j, lo, hi)
                if found is not None:
                    return found
                break
        mention = clause_subject(tokens, lo, cue)
        return art.resolve(tokens, mention, "") if mention else None
    before = tokens[cue - 1] if cue - 1 >= lo else None
    if before is not None and before[1] in (",", "—", "–") and word in _INVERTING:
        # "…, said Nargis Kassenova, an expert": inversion only when the phrase ends there.
        mention = np_after(tokens, cue + 1, hi)
        if (
            mention is not None
            and mention.kind in ("name", "nominal")
            and (mention.last + 1 >= hi or tokens[mention.last + 1][0] == PUNCT)
        ):
            return art.resolve(tokens, mention, "")
    subject, role = subject_before(tokens, cue, lo)
    if subject is not None:
        return art.resolve(tokens, subject, role)
    if before is not None and before[1] in ("and", "but", "then"):
        # "Wilson praised Rubio and said …": the subject of the coordinated verb phrase.
        mention = clause_subject(tokens, lo, cue)
        return art.resolve(tokens, mention, "") if mention else None
    if before is None or before[0] == QUOTE:
        mention = np_after(tokens, cue + 1, hi)
        if mention is not None:
            return art.resolve(tokens, mention, "")
    return None


def _is_cue_at(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    return tok[0] == WORD and (tok[1] in FINITE_CUES or tok[1] in PARTICIPLES or is_according(tokens, i))


def _attribute(
    art: _Article, tokens: list[Token], qi: int, lo: int, hi: int
) -> tuple[_Attribution | None, bool]:
    """Attribution of the quotation token ``qi`` within sentence [lo, hi); second: cue adjacent."""
    # 1. A frame right after the quotation: "…,” X said / "…,” said X / "…,” according to X.
    j = qi + 1
    while j < hi and tokens[j][1] in (",", "—", "–"):
        j += 1
    stop = j
    while stop < hi and tokens[stop][0] != QUOTE:
        stop += 1
    for c in range(j, min(stop, j + 14)):
        if _is_cue_at(tokens, c):
            relay = _according_after(art, tokens, c, stop)
            if relay is not None:
                return relay, True
            if c == j:
                found = _cue_source(art, tokens, c, j, stop)
                if found is not None:
                    found.framed = True
                    return found, True
                break
            subject, role = subject_before(tokens, c, j)
            if subject is not None and (
                subject.first == j
                or (
                    subject.kind == "name"
                    and subject.first - j <= 6
                    and all(t[0] == WORD for t in tokens[j : subject.first])
                )
            ):
                found = art.resolve(tokens, subject, role)
                if found is None:
                    break
                found.framed = True
                return found, True
            break
        if tokens[c][1] in (".", ";", "?", "!") and not _inner_stop(tokens, c, j):
            break
    # 2. A cue before the quotation in the same sentence.
    for c in range(qi - 1, lo - 1, -1):
        if tokens[c][1] in _CLAUSE_BREAK and c > lo and _comma_before(art.text, tokens[c - 1]):
            break  # ", but the so-called “…”": another clause, another subject
        if _is_cue_at(tokens, c) and not (c > lo and tokens[c - 1][1] in _MODALS and c - 1 > lo):
            found = _cue_source(art, tokens, c, lo, hi)
            if found is not None:
                adjacent = all(t[1] in (",", ":", "that", "—") or t[0] == QUOTE for t in tokens[c + 1 : qi])
                found.framed = adjacent
                return found, adjacent
            break
    # 3. "Rubio fired back: “…”": the subject of the clause that ends in a colon.
    if qi - 1 >= lo and tokens[qi - 1][1] == ":":
        start = qi - 2
        while start > lo and tokens[start - 1][1] not in (",", ";", ":") and tokens[start - 1][0] != QUOTE:
            start -= 1
        mention = clause_subject(tokens, start, qi - 1)
        if mention is None and start > lo:
            mention = clause_subject(tokens, lo, qi - 1)
        if mention is not None:
            found = art.resolve(tokens, mention, "")
            if found is not None:
                found.framed = True
                return found, True
    # 4. A sentence-final cue: "…the “rigged” system, Trump said."
    for c in range(stop - 1, qi, -1):
        if tokens[c][0] == QUOTE:
            break
        if _is_cue_at(tokens, c) and tokens[c][1] in FINITE_CUES:
            subject, role = subject_before(tokens, c, qi + 1)
            if subject is not None and tokens[subject.first - 1][1] == ",":
                tail = stop - c
                if tail <= 8:
                    return art.resolve(tokens, subject, role), False
            break
    # 5. No cue at all: a partial quotation inside a clause whose subject is a person
    # ("Manafort dismissed the kerfuffle as “absurd.”").
    if SUBJECT_FALLBACK and qi > lo and tokens[qi - 1][0] == WORD:
        mention = clause_subject(tokens, lo, qi)
        if mention is not None and mention.kind == "name":
            return art.resolve(tokens, mention, ""), False
    return None, False


SUBJECT_FALLBACK = False  # measured on train: adds coverage at 0.6 precision


def _comma_before(text: str, tok: Token) -> bool:
    """A comma token, or a quotation ending with a comma ("…gamble,” but)."""
    if tok[0] == QUOTE:
        return text[tok[2] : tok[3]].rstrip(" ”\"’'").endswith(",")
    return tok[1] == ","


def _looks_like_title(words: str) -> bool:
    parts = words.split()
    if not 1 <= len(parts) <= 8 or words[-1:] in ".?!,":
        return False
    long_parts = [p for p in parts if len(p) > 3]
    return bool(long_parts) and all(p[0].isupper() for p in long_parts)


def _note_subjects(art: _Article, tokens: list[Token], lo: int, hi: int) -> None:
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
        if name is not None:
            art.subjects.append((start, name))


_CLAUSE_OPENERS = frozenset("he she they it we i the a an his her their its this there".split())


def _clause_start(tok: Token) -> bool:
    """A word that can open a reported clause after "said" without "that"."""
    return tok[0] == WORD and (tok[1].lower() in _CLAUSE_OPENERS or tok[1][0].isupper())


def _reported(art: _Article, tokens: list[Token], lo: int, hi: int) -> tuple[int, int, _Attribution] | None:
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


def extract_quotes(text: str) -> list[Quote]:
    """Quotations and reported speech in ``text``, in order, with resolved speakers."""
    art = _Article(text, _headline_regions(text))
    found: list[_Found] = []
    reported: list[Quote] = []
    previous_tail: _Attribution | None = None  # attribution at the end of the last paragraph
    carry: _Attribution | None = None  # attribution of a quotation left open
    carry_open = False
    for para in _PARAGRAPH.finditer(text):
        lo, hi = para.start(), para.end()
        spans = find_quote_spans(text, lo, hi)
        tokens = tokenize(text, lo, hi, [(s.open_at, s.close_end) for s in spans])
        if not tokens:
            continue
        span_of = {}
        q = 0
        for i, tok in enumerate(tokens):
            if tok[0] == QUOTE:
                span_of[i] = spans[q]
                q += 1
        para_found: list[_Found] = []
        tail: _Attribution | None = None
        for s_lo, s_hi in _sentences(tokens, text):
            _note_subjects(art, tokens, s_lo, s_hi)
            quote_idx = [i for i in range(s_lo, s_hi) if tokens[i][0] == QUOTE]
            if not quote_idx:
                rep = _reported(art, tokens, s_lo, s_hi)
                if rep is not None and rep[2].speaker is not None:
                    a, b, attr = rep
                    reported.append(Quote(text[a:b], a, b, attr.speaker, attr.start, attr.end, "reported"))
                tail = rep[2] if rep is not None else None
                continue
            only = all(tokens[i][0] == QUOTE or tokens[i][0] == PUNCT for i in range(s_lo, s_hi))
            last_attr: _Attribution | None = None
            for qi in quote_idx:
                attribution, adjacent = _attribute(art, tokens, qi, s_lo, s_hi)
                span = span_of[qi]
                inner = text[span.start : span.end]
                starts_sentence = all(t[0] == PUNCT for t in tokens[s_lo:qi]) or (
                    qi > s_lo and tokens[qi - 1][1] in (":", ",")
                )
                kind = "direct" if inner[:1].isupper() and (starts_sentence or adjacent) else "partial"
                leads = qi == s_lo and not any(_is_cue_at(tokens, c) for c in range(s_lo, s_hi))
                item = _Found(span, attribution, kind, only, leads)
                para_found.append(item)
                if attribution is not None:
                    last_attr = attribution
            tail = last_attr
        opens_para = bool(para_found) and para_found[0].span.open_at == tokens[0][2]
        _inherit(para_found, carry if carry_open else None, previous_tail, opens_para)
        for item in para_found:
            if item.attribution is not None:
                tail = item.attribution
        last = para_found[-1] if para_found else None
        carry_open = last is not None and last.span.unclosed
        carry = last.attribution if last is not None else None
        previous_tail = tail
        found.extend(para_found)
    quotes = [_to_quote(text, item) for item in found if _keep(text, item)]
    quotes.extend(reported)
    quotes.sort(key=lambda q: q.start)
    return quotes


def _inherit(
    items: list[_Found],
    carry: _Attribution | None,
    previous_tail: _Attribution | None,
    opens_para: bool,
) -> None:
    """Give cue-less quotations the speaker of the quotation they continue."""
    if not items:
        return
    all_quote_only = all(item.sentence_only for item in items)
    if items[0].attribution is None and opens_para:
        if carry is not None:
            items[0].attribution = carry
        elif all_quote_only and previous_tail is not None and previous_tail.speaker is not None:
            items[0].attribution = previous_tail
    for i in range(1, len(items)):
        if items[i].attribution is None and (items[i].sentence_only or items[i].leads):
            items[i].attribution = items[i - 1].attribution
    for i in range(len(items) - 2, -1, -1):
        following = items[i + 1].attribution
        if items[i].attribution is None and items[i].sentence_only and not items[i + 1].sentence_only:
            if following is not None and following.framed:
                items[i].attribution = following


def _keep(text: str, item: _Found) -> bool:
    words = text[item.span.start : item.span.end]
    if item.attribution is None:
        # Kept without a speaker (scare quotes too): never turned into an attributed quote.
        return not _looks_like_title(words)
    if _looks_like_title(words) and not item.attribution.framed:
        return False
    return True


def _to_quote(text: str, item: _Found) -> Quote:
    span = item.span
    end = span.end
    while end > span.start and text[end - 1] in ",;: ":
        end -= 1
    attr = item.attribution
    if attr is None:
        return Quote(text[span.start : end], span.start, end, None, None, None, item.kind)
    return Quote(text[span.start : end], span.start, end, attr.speaker, attr.start, attr.end, item.kind)
