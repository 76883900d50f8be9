"""Text helpers every adapter uses: strip invisible/control characters, trim to a platform limit
at a sentence or word boundary. Platform escaping (markdown, mentions) stays in each adapter."""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, zero-width characters,
# BOM. They can hide or reorder text (a right-to-left override makes a link read backwards).
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\u00a0]+")


def strip_invisible(text: str) -> str:
    """Remove control, bidi-override and zero-width characters; keep newlines."""
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    """Invisible characters removed and all whitespace (newlines too) folded to single spaces."""
    return " ".join(strip_invisible(text).split())


def trim(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters: at the last sentence end that keeps at least
    half the room, else at the last word boundary, else hard; an ellipsis marks any cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    if room <= 0:
        return text[:limit]
    head = text[:room]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\n"))
    if sentence_end >= room // 2:
        return head[: sentence_end + 1].rstrip() + ellipsis
    space = head.rfind(" ")
    if space >= room // 2:
        return head[:space].rstrip() + ellipsis
    return head + ellipsis


def collapse_spaces(text: str) -> str:
    """Fold runs of spaces and tabs within lines."""
    return _SPACES.sub(" ", text)


# Each opening mark and the marks that close it, as the text's own language uses them: English
# “…”, German „…“ (and „…” in some fonts), ‚…‘, French «…», the »…« of German books, and the
# Swedish and Finnish »…» and ”…”. The same character may open in one style and close in another
# (“, », ”), so marks are read in order. The first closer listed is the one added to close a cut.
_CLOSERS = {"“": "”", "„": "“”", "‚": "‘", "«": "»", "»": "«»", "”": "”"}


def open_quote(text: str) -> int:
    """Where the quotation left open at the end of ``text`` starts, or -1 when every quotation
    opened is closed. Marks are paired left to right: an opening mark waits for one of its
    closing marks; other marks inside it (a nested quotation) are passed over."""
    start = -1
    closers = ""
    for index, char in enumerate(text):
        if start >= 0:
            if char in closers:
                start = -1
        elif char in _CLOSERS and (char != "”" or _opens_here(text, index)):
            start, closers = index, _CLOSERS[char]
    return start


def _opens_here(text: str, index: int) -> bool:
    """Whether the mark at ``index`` stands where a quotation opens: at the start or after a
    space or bracket, and before a word. "”" opens Swedish and Finnish quotations (”Vi…”) but
    is the closing mark of English ones, so a stray one ("a closing ” mark") opens nothing."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([{–—") and not after.isspace()


def tidy_cut(text: str, limit: int | None = None, ellipsis: str = "…") -> str:
    """A snippet cut with an ellipsis, made to read well: never ending inside a quotation whose
    opening mark is all that is left ("… the plan was sound. “We…": cut before the mark when
    enough text stays, else the quotation closed: "“We will build…”"), and a cut right after a
    whole sentence ends at that sentence ("… today.…" -> "… today."). Quotation marks pair as
    the text uses them („…“, “…”, ‚…‘, «…», »…«, »…», ”…”); other text as is.

    With ``limit`` the text is first trimmed to fit (see ``trim``) and the cut is tidied after,
    so the final cut is the tidy one; the result is at most ``limit`` characters."""
    if limit is None:
        return _tidy(text, ellipsis)
    room = limit
    while room > 0:
        tidy = _tidy(trim(text, room, ellipsis), ellipsis)
        if len(tidy) <= limit:
            return tidy
        room -= len(tidy) - limit  # a closing mark was added: make room for it
    return ""


def _tidy(text: str, ellipsis: str) -> str:
    if not text.endswith(ellipsis):
        return text
    start = open_quote(text)
    if start >= 0:
        head = text[:start].rstrip(" :,;—–-")
        if len(head) < 20:
            return text + _CLOSERS[text[start]][0]
        return head if head.endswith((".", "!", "?")) else head + ellipsis
    head = text[: -len(ellipsis)].rstrip()
    return head if head.endswith((".", "!", "?")) else text
