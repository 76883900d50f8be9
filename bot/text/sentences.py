"""Rule-based sentence and word splitting, plus the tokenizer object handed to sumy.

The splitter is a single regular-expression scan over each paragraph: a candidate boundary is a
run of terminators (``.``, ``!``, ``?``, an ellipsis) with any closing quotes or brackets, followed
by white space and something that can open a sentence (a capital letter, a digit, an opening
quote or bracket). A candidate after a plain full stop is then rejected when the word before it is
a title (``Mr.``, ``Dr.``, ``Gen.``), an initial (``J.``), a month before a number (``Jan. 5``),
``No.`` before a number, or a dotted abbreviation (``U.S.``, ``a.m.``) that is not followed by a
common sentence opener. Paragraph breaks (blank lines) always end a sentence.

``SentenceTokenizer`` exposes ``to_sentences`` / ``to_words`` / ``language`` so sumy's parsers and
document model can be used without sumy's NLTK-backed ``Tokenizer`` (which needs downloaded data).
"""

from __future__ import annotations

import re

# Titles and other abbreviations that are (almost) always followed by more of the same sentence.
_NEVER_SPLIT_AFTER = frozenset(
    """mr mrs ms messrs mme mlle dr prof sr jr st gen lt col maj capt cpt sgt cmdr adm brig cpl pvt
    rep reps sen sens gov pres supt insp det rev hon fr msgr vs v cf approx dept esq ft mt""".split()
)
# Abbreviations that only continue the sentence when a number follows ("Jan. 5", "No. 10").
_BEFORE_NUMBER = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol pp p art fig ch sec".split()
)
# Words that, capitalised after "U.S." and the like, show a new sentence has started.
_SENTENCE_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there here
    but and so yet or however meanwhile still then now in on at for with after before when while
    if as since although though despite mr mrs ms dr officials police critics some many most
    one two three""".split()
)

_BOUNDARY = re.compile(r"(?:\.\.\.|…|[.!?]+)['\"’”)\]]*(?=\s+['\"‘“(\[]*\w)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")
_DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"^[A-Z]\.")
_LEADING_PUNCT = "\"'‘“([{"
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


def _word_before(text: str, end: int) -> str:
    """The white-space delimited token that ends at ``end`` (without opening quotes)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_LEADING_PUNCT)


def _word_after(text: str, start: int) -> str:
    """The white-space delimited token starting after the white space at ``start``."""
    n = len(text)
    while start < n and text[start].isspace():
        start += 1
    end = start
    while end < n and not text[end].isspace():
        end += 1
    return text[start:end].lstrip(_LEADING_PUNCT)


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Decide whether a candidate boundary really ends a sentence."""
    following = _word_after(text, match.end())
    if not following:
        return False
    first = following[0]
    if not (first.isupper() or first.isdigit()):
        return False  # "... he said." continues in lower case: not a new sentence
    terminator = match.group(0).rstrip("'\"’”)]")
    if terminator != ".":
        return True  # "!", "?", "?!", ellipses followed by a capital
    before = _word_before(text, match.start())  # the word, without the full stop
    if not before:
        return True
    lowered = before.lower()
    if lowered in _NEVER_SPLIT_AFTER:
        return False
    if lowered in _BEFORE_NUMBER and first.isdigit():
        return False
    if (len(before) == 1 and before.isupper()) or _DOTTED_ABBREVIATION.match(before + "."):
        # An initial ("J. K. Rowling") or a dotted abbreviation ("U.S. Army") usually goes on;
        # it ends the sentence only when a common sentence opener follows ("World War I. The").
        if _INITIAL.match(following):
            return False  # a run of initials: "J. A. Smith"
        next_word = _WORD.match(following)
        return next_word is not None and next_word.group(0).lower() in _SENTENCE_OPENERS
    return True


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph into sentences (white space inside each sentence collapsed)."""
    text = _SPACE.sub(" ", paragraph).strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            sentence = text[start : match.end()].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines; each paragraph keeps its own line breaks."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split a whole text into sentences; a blank line always ends a sentence."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        sentences.extend(split_paragraph(paragraph))
    return sentences


def words(sentence: str) -> list[str]:
    """Word tokens of a sentence: letters/digits with inner apostrophes, hyphens and dots."""
    return _WORD.findall(sentence)


class SentenceTokenizer:
    """The tokenizer object sumy's parsers call; needs no NLTK data."""

    def __init__(self, language: str = "english") -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Sentences of one paragraph, as sumy's ``DocumentParser`` expects."""
        return tuple(split_paragraph(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Word tokens of one sentence, as sumy's ``Sentence.words`` expects."""
        return tuple(_WORD.findall(sentence))
