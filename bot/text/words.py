"""Word normalisation shared by the who-said search: folding, joining and stemming.

``fold`` lower-cases, strips accents ("é" -> "e", "ß" -> "ss", "ł" -> "l") and removes thousands
separators ("1,500" -> "1500"). ``words`` splits folded text into word tokens; with ``joined`` an
apostrophe or hyphen inside a word keeps it whole ("O'Brien's" -> "obriens", "Covid-19" ->
"covid19"), without it they split ("o", "brien", "s"), as SQLite's FTS5 tokenizer does. ``stem``
is the Snowball English stemmer sumy ships (pure code, no downloaded data), cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sumy.nlp.stemmers import Stemmer

_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
_JOINERS = re.compile(r"(?<=[^\W_])['’\-‐](?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")
_STEMMER = Stemmer("english")


def fold(text: str) -> str:
    """Lower case, accents and special letters folded, thousands separators removed."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _THOUSANDS.sub("", plain)


def words(text: str, *, joined: bool = False) -> list[str]:
    """Folded word tokens of ``text``; ``joined`` keeps "o'brien" and "covid-19" in one piece."""
    folded = fold(text)
    if joined:
        folded = _JOINERS.sub("", folded)
    return _WORD.findall(folded)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a folded word ("taxes" -> "tax", "hoping" -> "hope")."""
    return str(_STEMMER(word))
