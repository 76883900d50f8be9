"""Find quotation spans in one paragraph: pair quote marks, tell apostrophes from single quotes.

Double marks (curly “ ” and straight ") are paired first; a straight mark is an opener or a closer
by what surrounds it. Single marks (‘ ’ and ') count only outside double quotes and only with
strict word boundaries, so "don't", "Trump’s" and "the Democrats' plan" stay apostrophes. A quote
left open at the end of a paragraph runs to the paragraph's end and is flagged ``unclosed``: in
news style only the opening mark repeats on each paragraph of a long quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE = re.compile(r"[“”\"„«»]")
_OPEN_BEFORE = " \t\n([{—–-/:;,“‘"
_SINGLE = re.compile(r"[‘’']")
_TRIM = " \t\n"


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: ``start``/``end`` delimit the words, ``open_at``/``close_end`` the marks.

    ``close_end`` is the offset just after the closing mark (``end`` when unclosed).
    """

    start: int
    end: int
    open_at: int
    close_end: int
    unclosed: bool
    single: bool


def _is_opener(text: str, pos: int, lo: int, hi: int) -> bool | None:
    """True for an opening straight mark, False for a closing one, None when unclear."""
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + 1] if pos + 1 < hi else " "
    if before in _OPEN_BEFORE and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return False
    return None


def _double_spans(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at = -1
    for m in _DOUBLE.finditer(text, lo, hi):
        pos = m.start()
        mark = m.group()
        if mark in "“„«":
            role: bool | None = True
            if (
                open_at >= 0
                and pos > lo
                and not text[pos - 1].isspace()
                and (pos + 1 >= hi or text[pos + 1].isspace())
            ):
                role = False  # a typo'd closer: "It's unusual,“ said ..."
        elif mark in "”»":
            role = False
        else:
            role = _is_opener(text, pos, lo, hi)
            if role is None:
                role = open_at < 0
        if role:
            if open_at >= 0:
                # A new opener while one is open: the previous quote was never closed.
                _add(spans, text, open_at, pos, pos, True, False)
            open_at = pos
        elif open_at >= 0:
            _add(spans, text, open_at, pos, pos + 1, False, False)
            open_at = -1
    if open_at >= 0:
        _add(spans, text, open_at, hi, hi, True, False)
    return spans


def _add(
    spans: list[QuoteSpan],
    text: str,
    open_at: int,
    end: int,
    close_end: int,
    unclosed: bool,
    single: bool,
) -> None:
    start = open_at + 1
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end > start:
        spans.append(QuoteSpan(start, end, open_at, close_end, unclosed, single))


def _single_spans(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    """Single-mark quotes with strict boundaries (apostrophes never open or close one)."""
    spans: list[QuoteSpan] = []
    open_at = -1
    for m in _SINGLE.finditer(text, lo, hi):
        pos = m.start()
        before = text[pos - 1] if pos > lo else " "
        after = text[pos + 1] if pos + 1 < hi else " "
        if m.group() != "’" and before in _OPEN_BEFORE and after.isalnum():
            open_at = pos
        elif (
            open_at >= 0
            and m.group() != "‘"
            and not before.isspace()
            and not after.isalnum()
            and pos - open_at > 2
        ):
            _add(spans, text, open_at, pos, pos + 1, False, True)
            open_at = -1
    return spans


def find_quote_spans(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    """All quotations in ``text[lo:hi]`` (one paragraph), in order."""
    doubles = _double_spans(text, lo, hi) if _DOUBLE.search(text, lo, hi) else []
    if "‘" not in text[lo:hi] and "'" not in text[lo:hi]:
        return doubles
    gaps: list[tuple[int, int]] = []
    cursor = lo
    for span in doubles:
        gaps.append((cursor, span.open_at))
        cursor = span.close_end
    gaps.append((cursor, hi))
    singles: list[QuoteSpan] = []
    for a, b in gaps:
        if b - a > 3:
            singles.extend(_single_spans(text, a, b))
    if not singles:
        return doubles
    return sorted(doubles + singles, key=lambda s: s.open_at)
