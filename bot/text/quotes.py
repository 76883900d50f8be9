"""Extract quotations and reported speech from article text, each with its resolved speaker.

``extract_quotes(text)`` walks the article paragraph by paragraph. In each paragraph it pairs the
quote marks (``quote_marks``), turns the rest into tokens with one token per quotation, splits
sentences outside quotations, and attributes every quotation to a speech cue in its sentence
(``quote_attribution``; tokens and cues in ``quote_cues``, word lists in ``quote_words``, the
cue's subject in ``quote_subjects`` and ``quote_sources``, speakers named by the surrounding
sentences in ``quote_narration``): a frame after it ("…,” she said), a cue before it (Trump
said: “…”, called it “rigged”), or a sentence-final cue. Quotations without a cue inherit the
speaker of the quotation they continue (split quotes, multi-paragraph quotes, quote-only
paragraphs, a paragraph introduced by "X said:" or "As X observed, …:"), and a quote-only
paragraph signed by a short line below it ("— Ana Ruiz, mayor of Dayton."). Mentions are
resolved inside the article (``quote_speakers``, ``names``): names to their fullest form,
"he"/"she" to the latest fitting named subject, "the senator" to the one person introduced with
that title; otherwise None.
Quotations with no clear speaker are kept with speaker None (scare quotes too: they are never
attributed); titles in quotation marks are dropped. Posts should show only quotes with a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Quote
from bot.text.name_words import ORG_WORDS, STOP_CAPS, UPPER
from bot.text.quote_attribution import attribute, looks_like_title, split_sentences
from bot.text.quote_cues import PUNCT, QUOTE, WORD, Token, is_cue_at, tokenize
from bot.text.quote_marks import QuoteSpan, find_quote_spans
from bot.text.quote_narration import introducer, note_subjects, reported_speech, sentence_speaker
from bot.text.quote_speakers import Attribution, Speakers
from bot.text.quote_subjects import clause_subject

_PARAGRAPH = re.compile(r"[^\n]+")
_CREDIT_WORDS = frozenset("Images Image Photo Photos Pictures Press Wire Staff Reporting Contributed".split())
_SIGNATURE = re.compile(rf"[ \t]*[-—–][ \t]*(?P<name>[{UPPER}][\w.'’ -]{{1,50}}?)[ \t]*(?:[,.]|$)")
_RELATIVE = frozenset("what whom which as".split())  # "what he calls “…”"


@dataclass
class _Found:
    span: QuoteSpan
    attribution: Attribution | None
    kind: str
    sentence_only: bool  # the quotation is a whole sentence on its own
    leads: bool = False  # the quotation opens a sentence that has no cue of its own
    inherited: bool = False  # the speaker was carried over from another quotation or sentence
    # who the sentence right before said something ("Lee said in a statement. “…”"), when this
    # quotation is a sentence on its own right after it in the same paragraph
    speech_before: Attribution | None = None


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


def extract_quotes(text: str) -> list[Quote]:
    """Quotations and reported speech in ``text``, in order, with resolved speakers."""
    art = Speakers(text, _headline_regions(text))
    found: list[_Found] = []
    reported: list[Quote] = []
    previous_tail: Attribution | None = None  # attribution at the end of the last paragraph
    carry: Attribution | None = None  # attribution of a quotation left open
    carry_open = False
    colon_before = False  # the previous paragraph ended with a colon
    previous_items: list[_Found] = []  # quotations of the previous paragraph
    for para in _PARAGRAPH.finditer(text):
        lo, hi = para.start(), para.end()
        spans = find_quote_spans(text, lo, hi)
        tokens = tokenize(text, lo, hi, [(s.open_at, s.close_end) for s in spans])
        if not tokens:
            continue
        signed = _signature(art, text, lo, hi)
        if signed is not None and previous_items and all(item.sentence_only for item in previous_items):
            for item in previous_items:  # “…” / — Ana Ruiz: the line signs the quotation above
                if item.attribution is None or item.inherited:
                    item.attribution = signed
        span_of = {}
        q = 0
        for i, tok in enumerate(tokens):
            if tok[0] == QUOTE:
                span_of[i] = spans[q]
                q += 1
        para_found: list[_Found] = []
        tail: Attribution | None = None
        speech_before: Attribution | None = None  # speaker of the previous sentence, if it has no quote
        for s_lo, s_hi in split_sentences(tokens, text):
            note_subjects(art, tokens, s_lo, s_hi)
            quote_idx = [i for i in range(s_lo, s_hi) if tokens[i][0] == QUOTE]
            if not quote_idx:
                rep = reported_speech(art, tokens, s_lo, s_hi)
                if rep is not None and rep[2].speaker is not None:
                    a, b, attr = rep
                    reported.append(Quote(text[a:b], a, b, attr.speaker, attr.start, attr.end, "reported"))
                tail = rep[2] if rep is not None else sentence_speaker(art, tokens, s_lo, s_hi)
                speech_before = tail if _sole_person(tokens, s_lo, s_hi, tail) else None
                continue
            only = all(tokens[i][0] == QUOTE or tokens[i][0] == PUNCT for i in range(s_lo, s_hi))
            last_attr: Attribution | None = None
            for qi in quote_idx:
                attribution, adjacent = attribute(art, tokens, qi, s_lo, s_hi)
                attribution = _named_subject(art, tokens, attribution, s_lo)
                span = span_of[qi]
                inner = text[span.start : span.end]
                starts_sentence = all(t[0] == PUNCT for t in tokens[s_lo:qi]) or (
                    qi > s_lo and tokens[qi - 1][1] in (":", ",")
                )
                kind = "direct" if inner[:1].isupper() and (starts_sentence or adjacent) else "partial"
                leads = qi == s_lo and not any(is_cue_at(tokens, c) for c in range(s_lo, s_hi))
                item = _Found(span, attribution, kind, only, leads)
                if only and qi == quote_idx[0]:
                    item.speech_before = speech_before
                para_found.append(item)
                if attribution is not None:
                    last_attr = attribution
            tail = last_attr
            speech_before = None
        if (tail is None or tail.speaker is None) and tokens[-1][1] == ":":
            # "Clinton released the following statement:" introduces the next paragraph.
            sentences = split_sentences(tokens, text)
            tail = introducer(art, tokens, sentences[-1][0], len(tokens) - 1) or tail
        for item in para_found:
            before = item.speech_before
            if item.attribution is None and before is not None and before.speaker is not None:
                item.attribution = before  # "Lee said in a statement. “…”"
                item.inherited = True
        opens_para = bool(para_found) and para_found[0].span.open_at == tokens[0][2]
        _inherit(para_found, carry if carry_open else None, previous_tail, opens_para, colon_before)
        colon_before = tokens[-1][1] == ":"
        for item in para_found:
            if item.attribution is not None:
                tail = item.attribution
        last = para_found[-1] if para_found else None
        carry_open = last is not None and last.span.unclosed
        carry = last.attribution if last is not None else None
        previous_tail = tail
        found.extend(para_found)
        previous_items = para_found
    quotes = [_to_quote(text, item) for item in found if _keep(text, item)]
    quotes.extend(reported)
    quotes.sort(key=lambda q: q.start)
    return quotes


def _sole_person(tokens: list[Token], lo: int, hi: int, attr: Attribution | None) -> bool:
    """The sentence's speaker is a named person and it names nobody else ("Lee said the town
    would appeal.", not "Lee said Tom Barr had called it a gamble." or "Doctors said …")."""
    if attr is None or attr.speaker is None or " " not in attr.speaker:
        return False
    return not any(
        tok[0] == WORD
        and tok[1][:1].isupper()
        and tok[1] not in STOP_CAPS
        and not attr.start <= tok[2] < attr.end
        for tok in tokens[lo + 1 : hi]
    )


def _signature(art: Speakers, text: str, lo: int, hi: int) -> Attribution | None:
    """A short line "— Ana Ruiz, mayor of Dayton." signing the quotation above it: a person's
    full name, not a credit ("— Getty Images"), a heading ("– Inside –") or a list of names."""
    m = _SIGNATURE.match(text, lo, hi)
    if m is None or hi - lo > 100 or text[lo:hi].rstrip(" .").endswith(("-", "—", "–")):
        return None
    if _SIGNATURE.match(text, hi + 1) is not None or _SIGNATURE.match(text, hi + 2) is not None:
        return None  # "- Ann Lee, Dayton" / "- Tom Barr, Akron": a list, not a signature
    surface = m.group("name")
    words = surface.split()
    if not all(word[:1].isupper() for word in words) or words[-1] in ORG_WORDS | _CREDIT_WORDS:
        return None
    speaker = art.names.resolve(surface)
    if speaker is None or " " not in speaker or art.names.is_thing(speaker):
        return None
    return Attribution(m.start("name"), m.end("name"), speaker, False)


def _named_subject(
    art: Speakers, tokens: list[Token], attr: Attribution | None, lo: int
) -> Attribution | None:
    """Prefer the sentence's named subject over a later pronoun for the same person.

    "Cruz has railed against what he calls the “…”": the source is Cruz, not "he".
    """
    if attr is None or attr.speaker is None:
        return attr
    at = next((i for i in range(lo, len(tokens)) if tokens[i][2] == attr.start), None)
    if at is None or at == lo or tokens[at][1].lower() not in ("he", "she"):
        return attr
    if tokens[at - 1][1].lower() not in _RELATIVE:
        return attr  # "Trump said …, and he added": the annotated source is the pronoun
    mention = clause_subject(tokens, lo, at)
    if mention is None or mention.kind != "name" or mention.last >= at:
        return attr
    start, end = tokens[mention.first][2], tokens[mention.last][3]
    if art.names.resolve(art.text[start:end]) != attr.speaker:
        return attr
    return Attribution(start, end, attr.speaker, attr.framed)


def _inherit(
    items: list[_Found],
    carry: Attribution | None,
    previous_tail: Attribution | None,
    opens_para: bool,
    colon_before: bool,
) -> None:
    """Give cue-less quotations the speaker of the quotation they continue."""
    if not items:
        return
    all_quote_only = all(item.sentence_only for item in items)
    if items[0].attribution is None and opens_para:
        if carry is not None:
            items[0].attribution = carry
            items[0].inherited = True
        elif previous_tail is not None and (
            colon_before or (all_quote_only and previous_tail.speaker is not None)
        ):
            items[0].attribution = previous_tail
            items[0].inherited = True
    for i in range(1, len(items)):
        if items[i].attribution is None and (items[i].sentence_only or items[i].leads):
            items[i].attribution = items[i - 1].attribution
            items[i].inherited = True
    for i in range(len(items) - 2, -1, -1):
        following = items[i + 1].attribution
        if items[i].attribution is None and items[i].sentence_only and not items[i + 1].sentence_only:
            if following is not None and following.framed:
                items[i].attribution = following
                items[i].inherited = True


def _keep(text: str, item: _Found) -> bool:
    words = text[item.span.start : item.span.end]
    if item.attribution is None:
        # Kept without a speaker (scare quotes too): never turned into an attributed quote.
        return not looks_like_title(words)
    if looks_like_title(words) and not item.attribution.framed:
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
