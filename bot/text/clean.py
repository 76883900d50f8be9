"""Boilerplate and white-space clean-up of extracted article text.

``clean_text`` returns the text as paragraphs separated by one blank line ("\\n\\n"), each
paragraph on one line with its white space collapsed. Lines that are site furniture rather than
article prose are dropped: subscription and newsletter prompts, "Read more" links, cookie and
share prompts, "Advertisement", bylines and time stamps, photo captions and credits, and exact
repeats of an earlier paragraph. A line that was hard-wrapped in the middle of a sentence (it does
not end a sentence and the next line goes on in lower case) is joined to the next one.
Agency datelines such as "(CNN) --" at the start of a paragraph are removed.
"""

from __future__ import annotations

import re
import unicodedata

from bot.text.name_words import LOWER, UPPER

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"[^\S\n]+")
_QUOTE_MARKS = "'\"‘“"
_DANGLING_QUOTE = re.compile(r"(?<=[.!?,:;])\s+(['\"‘“])$")
_LINE_END = re.compile(r"[.!?…:;\"'’”)\]]$")

# Whole lines that are site furniture, recognised by how they start. Matched against the
# stripped line, case-insensitively; every alternative must cover the whole line.
_BOILERPLATE = re.compile(
    r"""(?:
        advertisement|advertising|sponsored(?:\ content)?|story\ continues\ below.*
      | (?:subscribe|sign\ up|sign\ in|log\ in|register)\b.*
      | (?:read|see|watch|listen|click|tap)\ (?:more|here|also|the\ full|full|now)\b.*
      | (?:click|tap)\ (?:here|to|for)\b.*
      | read\ more|more:|related(?:\ articles?|\ stories|\ coverage|\ content)?:?.*
      | (?:also\ read|most\ read|recommended|trending|top\ stories|more\ from)\b.{0,60}
      | scroll\ down\ for\ (?:video|more).*
      | (?:share|tweet|email|print|comments?|save|like)(?:\ (?:this|on|via)\b.*)?
      | (?:follow|like)\ us\ on\b.*|follow\ @\w+.*
      | (?:share|email)\ this\ (?:article|story|page).*
      | (?:all\ rights\ reserved|copyright\b|©).*
      | (?:image|photo|picture|video|media)\ (?:caption|copyright|credit|source)\b.*
      | (?:photo|photograph|picture|image|pictured|credit|source|video)s?\ ?:.*
      | (?:getty\ images|reuters|ap|afp|epa|pa|pa\ wire|shutterstock|ap\ photo)(?:\ ?/.*)?
      | (?:published|updated|last\ updated|posted|created|modified)\b\ ?:?.{0,80}
      | \d{1,2}:\d{2}\ ?(?:am|pm|[A-Z]{2,4})?,?\ .{0,40}\d{4}
      | (?:updated\ )?\d{1,2}\ \w+\ \d{4}.{0,20}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Furniture recognised by what it contains (only tried when a key word is present).
_NEWSLETTER = re.compile(
    r"\bnewsletters?\b.*\b(?:sign up|subscribe|inbox|email)\b|\b(?:sign up|subscribe)\b.*\bnewsletters?\b",
    re.IGNORECASE,
)
_COOKIE_PROMPT = re.compile(r"\bcookies?\b.*\b(?:accept|consent|policy|settings|use|agree)\b", re.IGNORECASE)
_CREDIT = re.compile(
    r"\((?:photo|picture|image)s?(?::|\ credit)[^)]*\)$|\ball rights reserved\.?$", re.IGNORECASE
)
# A byline: "By" and a capitalised name, then the end, a short role ("Staff Writer") or a co-author.
_BYLINE = re.compile(r"^by\s", re.IGNORECASE)
_BYLINE_NAME = re.compile(
    rf"^(?:By|BY)\s+(?:[{UPPER}][\w'’.\-]*\s?){{1,4}}(?:$|,\s*(?P<role>[^.!?]{{0,60}})$|\s(?:and|AND|&)\s|\s\|)"
)
_NOT_NAMES = re.compile(
    r"^by\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|then|now|law|far|contrast|"
    r"comparison|the|this|that|all|early|late|mid)\b",
    re.IGNORECASE,
)
# A short label line ending in a colon ("Tragic:", "Pictured:") is a caption header.
_LABEL = re.compile(r"^[\w'’\-]+(?:\s[\w'’\-]+){0,2}:$")
# Prompts glued to the start of a paragraph ("Scroll down for video The minister said ...").
_LEADING_PROMPT = re.compile(r"^(?i:scroll down for (?:video|more)|video:|watch:)\s+(?=[A-Z\"“‘'])")
# Agency datelines at the start of a paragraph: "LONDON, England (CNN) -- ", "(Reuters) - ".
_DATELINE = re.compile(
    rf"^(?:[{UPPER}][{UPPER}{LOWER}.'\- ]{{0,40}}(?:,\s*[{UPPER}][{UPPER}{LOWER}.'\- ]{{0,30}})?\s*)?"
    r"\((?:CNN|AP|AFP|Reuters|UPI|CNN Student News)\)\s*(?:--|—|–|-)?\s*"
)


def _normalise(text: str) -> str:
    """Unicode NFC, no invisible characters, unified line ends, collapsed in-line spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return _SPACE.sub(" ", text)


def _lines(text: str) -> list[str]:
    """Non-empty lines, with mid-sentence breaks joined back together.

    A line that does not end a sentence followed by one that goes on in lower case is one
    sentence broken by the page layout (even across a blank line): the two are joined.
    """
    lines: list[str] = []
    carried_quote = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if carried_quote and line[0] not in _QUOTE_MARKS:
            line = carried_quote + line
        carried_quote = ""
        dangling = _DANGLING_QUOTE.search(line)
        if dangling:  # "... she said. '" + next line: the quote mark opens the next line
            carried_quote = dangling.group(1)
            line = line[: dangling.start()]
        if lines and not _LINE_END.search(lines[-1]) and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def is_boilerplate(line: str) -> bool:
    """True when a whole line is site furniture (prompt, byline, caption, credit, stamp)."""
    stripped = line.strip()
    if not stripped:
        return True
    if stripped.endswith(":") and _LABEL.match(stripped):
        return True
    if stripped.lower().startswith("by . "):
        return True  # "By . Daily Mail Reporter ." style byline
    if _BYLINE.match(stripped):
        # "By John Smith" is a byline; "By the end of the day, ..." and "By Monday, ..." are prose.
        if _NOT_NAMES.match(stripped) or len(stripped.split()) > 12:
            return False
        return bool(_BYLINE_NAME.match(stripped))
    lowered = stripped.lower()
    if "cookie" in lowered and _COOKIE_PROMPT.search(stripped):
        return True
    if len(stripped) > 120:
        return False  # real paragraphs, not furniture
    if "newsletter" in lowered and _NEWSLETTER.search(stripped):
        return True
    return bool(_BOILERPLATE.fullmatch(stripped) or _CREDIT.search(stripped))


def _key(line: str) -> str:
    """Comparison key for duplicate detection: lower case letters and digits only."""
    return re.sub(r"[\W_]+", " ", line.lower()).strip()


def clean_text(text: str) -> str:
    """Clean article text: drop boilerplate lines and duplicates, paragraphs joined by "\\n\\n"."""
    paragraphs: list[str] = []
    seen: set[str] = set()
    for line in _lines(_normalise(text)):
        line = _LEADING_PROMPT.sub("", _DATELINE.sub("", line)).strip()
        if is_boilerplate(line):
            continue
        key = _key(line)
        if not key or key in seen:
            continue
        seen.add(key)
        paragraphs.append(line)
    return "\n\n".join(paragraphs)
