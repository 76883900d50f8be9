"""Extractive news summaries: sumy's LexRank centrality combined with a position prior.

News is written as an inverted pyramid, so the ranking starts from a position prior and adds
sumy's LexRank centrality (sumy's own power method over the idf-modified cosine graph, built
here from postings lists), overlap with the title, and penalties for very short and very long
sentences and for captions/questions (no full stop). Sentences are then chosen greedily by score
with redundancy control, within a sentence count and a character budget (sentences are chosen,
never cut), and returned in article order.

Reader rules: boilerplate is removed first (``clean.clean_text``); a sentence that leans on the
one before it (opens with a pronoun or "But"/"However"/"He also", attributes a quote to "he",
or is a later piece of a longer quotation) is only chosen together with that earlier sentence;
fragments (under four words, lower-case starts, unbalanced double quotes) are never chosen when
anything else is available; near-duplicates are skipped. Very long inputs are capped before
ranking so the cost stays bounded.

No NLTK data is needed: sentences and words come from ``sentences.SentenceTokenizer``, stop words
from sumy's bundled list and stems from NLTK's data-free Snowball stemmer via sumy's ``Stemmer``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.text.clean import clean_text
from bot.text.sentences import SentenceTokenizer, split_paragraph, split_paragraphs

MAX_INPUT_CHARS = 60_000  # very long articles: only the start is read
MAX_INPUT_SENTENCES = 120  # ... and at most this many sentences are ranked

_TOKENIZER = SentenceTokenizer()  # ours, English; not sumy's NLTK-backed one


@dataclass(frozen=True)
class Params:
    """Weights of the sentence score.

    Chosen by a grid search on the even-indexed half of a CNN/DailyMail test sample (the odd half
    is held out); see bench/summary_eval.py.
    """

    position: float = 1.0
    position_decay: float = 0.7  # prior = 1 / (1 + index) ** decay
    lexrank: float = 0.2  # sumy LexRank centrality, scaled to [0, 1]
    title: float = 0.2  # share of the title's content words in the sentence
    quote_penalty: float = 0.0  # times the share of the sentence inside quote marks
    short_words: int = 8
    short_penalty: float = 0.3  # sentences under short_words words
    long_words: int = 35
    long_penalty: float = 0.4  # per 10 words beyond long_words
    incomplete_penalty: float = 0.1  # no full stop (a caption?) or a question
    redundancy: float = 0.6  # max stem overlap with an already chosen sentence


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class _Unit:
    """One sentence of the article with what the ranker needs."""

    index: int  # position among the article's sentences
    text: str
    stems: tuple[str, ...]
    word_count: int
    usable: bool  # passes the hard fragment filters
    complete: bool  # ends like a statement (a caption or a question does not)
    dependent: bool  # leans on the sentence before it


_PRONOUN_OPENERS = frozenset(
    """he she it they him her them his hers its their theirs we us our i my me you your
    such both""".split()
)
_CONNECTIVE_OPENERS = frozenset(
    """but however and also yet so still meanwhile moreover furthermore besides nevertheless
    nonetheless instead then thus therefore hence otherwise likewise similarly additionally
    conversely accordingly consequently indeed or nor plus later afterwards earlier""".split()
)
_CONNECTIVE_PHRASES = (
    "in addition",
    "as a result",
    "even so",
    "on the other hand",
    "in contrast",
    "by contrast",
    "at the same time",
    "after that",
    "before that",
    "in turn",
    "on top of that",
    "as well",
    "the same",
    "not only that",
    "for his part",
    "for her part",
    "for their part",
)
_DEMONSTRATIVES = frozenset("this that these those".split())
_DEMONSTRATIVE_VERBS = frozenset(
    """is was are were has had have will would could can may might means meant comes came
    follows followed includes included led prompted left makes made marks marked after
    showed shows""".split()
)
_SPEECH_VERBS = (
    r"(?:said|says|say|saying|told|tells|tell|added|adds|asked|asks|explained|explains|wrote|"
    r"writes|continued|insisted|insists|claimed|claims|admitted|admits|warned|warns|stated|"
    r"declared|noted|notes|argued|argues|revealed|reveals|replied|recalled|sang|tweeted|posted|"
    r"according)"
)
# "..., he said." / "...,' she will say." / "... he told reporters": who spoke is in an earlier one.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[,.!?\"'’”]\s+(?:he|she|they|it|we|i)\s+(?:\w+\s+){0,2}?" + _SPEECH_VERBS + r"\b",
    re.IGNORECASE,
)
_SPEECH = re.compile(r"\b" + _SPEECH_VERBS + r"\b", re.IGNORECASE)
# A closing quote right after punctuation (",'" ".”" "?\"") marks the end of a quotation.
_CLOSING_QUOTE = re.compile(r"[,.!?…]['’\"”](?=[\s,.;:!?)]|$)")
_OPENING_QUOTE = re.compile(r"(?:^|[\s(\[])['‘\"“](?=\w)")
_OPEN_QUOTES = "\"“‘'"
_TERMINAL = re.compile(r"[.!?…][\"'’”)\]]*$")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|‘[^‘’]*’(?!\w)")


@cache
def _stemmer() -> Stemmer:
    return Stemmer("english")


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(get_stop_words("english"))


@cache
def _stem(word: str) -> str:
    return str(_stemmer()(word))


def _stems(text: str) -> tuple[str, ...]:
    """Lower-cased, stemmed content words (sumy's stop words removed)."""
    stop = _stop_words()
    result = []
    for word in _TOKENIZER.to_words(text):
        lowered = word.lower()
        if lowered in stop or not any(c.isalnum() for c in lowered):
            continue
        result.append(_stem(lowered))
    return tuple(result)


def _first_words(text: str, n: int) -> list[str]:
    """The first ``n`` words, lower-cased, contractions cut ("It's" -> "it")."""
    head = _TOKENIZER.to_words(text.lstrip(_OPEN_QUOTES + "('"))[:n]
    return [re.split(r"['’]", w)[0].lower() for w in head]


def _continues_a_quote(sentence: str) -> bool:
    """True when the sentence closes a quotation it did not open (the quote began earlier)."""
    if sentence[:1] in _OPEN_QUOTES:
        return False
    closing = _CLOSING_QUOTE.search(sentence)
    if not closing:
        return False
    opening = _OPENING_QUOTE.search(sentence)
    return opening is None or opening.start() > closing.start()


def leans_on_previous(sentence: str) -> bool:
    """True when a sentence needs the one before it to make sense."""
    if _continues_a_quote(sentence):
        return True
    head = _first_words(sentence, 4)
    if not head:
        return False
    first = head[0]
    if sentence[:1] in _OPEN_QUOTES:
        # A quotation speaks in its speaker's voice ("We will win"). It leans on an earlier
        # sentence when a pronoun says who spoke, when nothing says who spoke (a later part of
        # a longer quotation), or when it opens with a connective ("'And we believe ...").
        return (
            first in _CONNECTIVE_OPENERS
            or not _SPEECH.search(sentence)
            or bool(_PRONOUN_ATTRIBUTION.search(sentence))
        )
    if first in _PRONOUN_OPENERS or first in _CONNECTIVE_OPENERS:
        return True
    if first in _DEMONSTRATIVES and (len(head) == 1 or head[1] in _DEMONSTRATIVE_VERBS):
        return True
    opening = " ".join(head)
    if any(opening.startswith(phrase + " ") or opening == phrase for phrase in _CONNECTIVE_PHRASES):
        return True
    if len(head) > 1 and head[1] == "also":  # "Smith also said ..."
        return True
    return bool(_PRONOUN_ATTRIBUTION.search(sentence))


def _quotes_balanced(sentence: str) -> bool:
    straight = sentence.count('"') % 2 == 0
    curly = sentence.count("“") == sentence.count("”")
    return straight and curly


def _is_usable(sentence: str, word_count: int) -> bool:
    """Hard fragment filter: enough words, no lower-case start, balanced double quotes."""
    if word_count < 4:
        return False
    first = sentence.lstrip(_OPEN_QUOTES + "('‘").strip()
    if not first or first[0].islower():
        return False
    return _quotes_balanced(sentence)


def _is_complete(sentence: str) -> bool:
    """Soft check: a statement that ends like a sentence (not a caption, not a question)."""
    return bool(_TERMINAL.search(sentence)) and not sentence.rstrip("'\"’”) ").endswith("?")


def _units(text: str) -> list[_Unit]:
    """Clean the article, split it and describe each sentence (input capped for long articles)."""
    cleaned = clean_text(text[:MAX_INPUT_CHARS])
    units: list[_Unit] = []
    for paragraph in split_paragraphs(cleaned):
        for sentence in split_paragraph(paragraph):
            if len(units) >= MAX_INPUT_SENTENCES:
                return units
            word_count = len(_TOKENIZER.to_words(sentence))
            units.append(
                _Unit(
                    index=len(units),
                    text=sentence,
                    stems=_stems(sentence),
                    word_count=word_count,
                    # a line that doesn't end like a sentence is a caption or a heading:
                    # readers don't want it in a summary, whatever it scores
                    usable=_is_usable(sentence, word_count) and bool(_TERMINAL.search(sentence)),
                    complete=_is_complete(sentence),
                    dependent=bool(units) and leans_on_previous(sentence),
                )
            )
    return units


class _FastLexRank(LexRankSummarizer):  # type: ignore[misc]
    """sumy's LexRank, with the idf-modified cosine matrix built from postings lists.

    Same similarity as sumy's ``cosine_similarity`` (tf normalised by the sentence's largest tf,
    idf = log(n / (1 + df))), but only stems shared by two or more sentences are visited, so the
    cost grows with the overlap rather than with every pair of sentences. sumy's own
    ``power_method`` then ranks the thresholded graph.
    """

    def rate_stems(self, sentences: list[tuple[str, ...]]) -> np.ndarray:
        """LexRank centrality of each sentence given its stems."""
        n = len(sentences)
        if n == 0:
            return np.zeros(0)
        counts = [Counter(stems) for stems in sentences]
        document_frequency: Counter[str] = Counter()
        for count in counts:
            document_frequency.update(count.keys())
        idf = {term: math.log(n / (1.0 + df)) for term, df in document_frequency.items()}
        norms = np.ones(n)
        postings: dict[str, list[tuple[int, float]]] = {}
        for row, count in enumerate(counts):
            if not count:
                continue
            top = max(count.values())
            total = 0.0
            for term, tf in count.items():
                weight = tf / top * idf[term]
                total += weight * weight
                if document_frequency[term] > 1:
                    postings.setdefault(term, []).append((row, weight))
            norms[row] = math.sqrt(total) or 1.0
        similarity = np.zeros((n, n))
        for entries in postings.values():
            rows = [row for row, _ in entries]
            weights = np.array([weight for _, weight in entries])
            similarity[np.ix_(rows, rows)] += np.outer(weights, weights)
        similarity /= np.outer(norms, norms)
        matrix = (similarity > self.threshold).astype(float)
        np.fill_diagonal(matrix, 1.0)  # every sentence is similar to itself, even without stems
        degrees = matrix.sum(axis=1, keepdims=True)
        degrees[degrees == 0] = 1.0
        matrix /= degrees
        scores = np.asarray(self.power_method(matrix, self.epsilon), dtype=float)
        return scores


def sumy_document(text: str) -> ObjectDocumentModel:
    """A sumy document model of the cleaned text built with our tokenizer (no NLTK data)."""
    paragraphs = []
    for paragraph in split_paragraphs(clean_text(text)):
        sentences = [Sentence(s, _TOKENIZER) for s in _TOKENIZER.to_sentences(paragraph)]
        paragraphs.append(Paragraph(sentences))
    return ObjectDocumentModel(paragraphs)


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Overlap of two stem sets relative to the smaller one."""
    set_a, set_b = set(a), set(b)
    if not set_a or not set_b:
        return 0.0
    return len(set_a & set_b) / min(len(set_a), len(set_b))


def _quote_share(sentence: str) -> float:
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(sentence))
    return quoted / max(len(sentence), 1)


def score_units(units: list[_Unit], title: str | None, params: Params) -> list[float]:
    """Score each sentence: position prior + LexRank + title overlap - penalties."""
    centrality = _FastLexRank(_stemmer()).rate_stems([u.stems for u in units])
    top = float(centrality.max()) if len(centrality) else 0.0
    title_stems = set(_stems(title)) if title else set()
    scores = []
    for unit, central in zip(units, centrality, strict=True):
        score = params.position / (1.0 + unit.index) ** params.position_decay
        if top > 0:
            score += params.lexrank * float(central) / top
        if title_stems and unit.stems:
            score += params.title * len(title_stems & set(unit.stems)) / len(title_stems)
        score -= params.quote_penalty * _quote_share(unit.text)
        if not unit.complete:
            score -= params.incomplete_penalty
        if unit.word_count < params.short_words:
            score -= params.short_penalty
        score -= params.long_penalty * max(0, unit.word_count - params.long_words) / 10
        scores.append(score)
    return scores


def _fits(chosen: list[_Unit], extra: list[_Unit], max_chars: int) -> bool:
    total = sum(len(u.text) for u in chosen + extra) + len(chosen) + len(extra) - 1
    return total <= max_chars


def select(
    units: list[_Unit], scores: list[float], max_sentences: int, max_chars: int, params: Params
) -> list[_Unit]:
    """Greedy choice by score: redundancy control, dependencies and the budget respected."""
    order = sorted(range(len(units)), key=lambda i: (-scores[i], i))
    chosen: list[_Unit] = []
    chosen_indexes: set[int] = set()
    for i in order:
        if len(chosen) >= max_sentences:
            break
        unit = units[i]
        if not unit.usable or i in chosen_indexes:
            continue
        if unit.dependent and (i - 1) not in chosen_indexes:
            continue
        if any(_similarity(unit.stems, c.stems) > params.redundancy for c in chosen):
            continue
        if not _fits(chosen, [unit], max_chars):
            continue
        chosen.append(unit)
        chosen_indexes.add(i)
    return sorted(chosen, key=lambda u: u.index)


def summarize(
    text: str,
    title: str | None = None,
    max_sentences: int = 3,
    max_chars: int = 600,
    params: Params = DEFAULT_PARAMS,
) -> list[str]:
    """Up to ``max_sentences`` sentences of ``text``, in article order, within ``max_chars``."""
    if max_sentences <= 0 or max_chars <= 0:
        return []
    units = _units(text)
    if not units:
        return []
    if not any(u.usable for u in units):
        # A short item made only of fragments (a caption-like blurb): use it as it is.
        units = [replace(u, usable=True) for u in units]
    scores = score_units(units, title, params)
    chosen = select(units, scores, max_sentences, max_chars, params)
    return [u.text for u in chosen]


def lead(text: str, count: int) -> list[str]:
    """The first ``count`` sentences of the cleaned text (the Lead-N baseline)."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(clean_text(text)):
        sentences.extend(split_paragraph(paragraph))
        if len(sentences) >= count:
            break
    return sentences[:count]
