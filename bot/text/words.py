"""Word normalisation shared by the who-said search: folding, joining and stemming.

``fold`` lower-cases, strips accents ("é" -> "e", "ß" -> "ss", "ł" -> "l") and removes thousands
separators ("1,500" -> "1500"). ``words`` splits folded text into word tokens, optionally keeping
names with an apostrophe ("O'Brien") and hyphenated words ("Covid-19") whole; plain, they split
as SQLite's FTS5 tokenizer splits them. ``stem`` is the Snowball English stemmer sumy ships (pure
code, no downloaded data), cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sumy.nlp.stemmers import Stemmer

_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
# An apostrophe inside a name joins it ("O'Brien" -> "obrien"); before a short ending it is a
# contraction or possessive and splits ("I'll", "don't", "Trump's"); a hyphen joins on request.
_NAME_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W_]{3})")
_HYPHEN = re.compile(r"(?<=[^\W_])[\-‐](?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")
_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_STEMMER = Stemmer("english")


def fold(text: str) -> str:
    """Lower case, accents and special letters folded, thousands separators removed."""
    if text.isascii():  # the common case, without a pass over every character in Python
        return _THOUSANDS.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _THOUSANDS.sub("", plain)


def words(text: str, *, names: bool = False, hyphens: bool = False) -> list[str]:
    """Folded word tokens of ``text``. With ``names`` an apostrophe inside a name joins it
    ("O'Brien's" -> "obrien", "s"; "I'll" stays "i", "ll"); with ``hyphens`` a hyphenated word is
    one token ("covid-19" -> "covid19")."""
    folded = fold(text)
    if names:
        folded = _NAME_APOSTROPHE.sub("", folded)
    if hyphens:
        folded = _HYPHEN.sub("", folded)
    return _WORD.findall(folded)


def hyphenated(text: str) -> list[str]:
    """Folded word tokens with their inner hyphens kept ("Covid-19" -> "covid-19"), names
    with an apostrophe joined."""
    named = _NAME_APOSTROPHE.sub("", fold(text)).replace("‐", "-")
    return _HYPHENATED.findall(named)


def split_mixed(tokens: list[str]) -> list[str]:
    """Tokens with letters and digits apart ("covid19" -> "covid", "19"), for word order."""
    out: list[str] = []
    for token in tokens:
        out.extend(_LETTERS_OR_DIGITS.findall(token) or [token])
    return out


def all_forms(text: str) -> tuple[list[str], set[str]]:
    """``words(text, names=True)`` and the set of every form: plain, names joined, names and
    hyphens joined, and letters and digits apart ("covid19" -> "covid", "19"); one folding pass."""
    folded = fold(text)
    named = _NAME_APOSTROPHE.sub("", folded)
    tokens = _WORD.findall(named)
    forms = {*tokens, *_WORD.findall(folded), *_WORD.findall(_HYPHEN.sub("", named))}
    forms.update(part for token in tokens for part in _LETTERS_OR_DIGITS.findall(token))  # "covid19"
    return tokens, forms


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a folded word ("taxes" -> "tax", "hoping" -> "hope")."""
    return str(_STEMMER(word))
