"""Person and organisation names inside one article, and their fullest forms.

``NameIndex`` collects every capitalised name sequence of an article once, drops leading titles
("Sen.", "President", "Texas Sen.") and sentence-initial function words, and then resolves a
mention to the fullest name the article gives: "Ryabkov", "Mr. Ryabkov" and "Sergei Ryabkov" all
become "Sergei Ryabkov". It also remembers which title or role noun introduced a person ("Sen. Ted
Cruz", "Kellyanne Conway, the campaign manager") so "the senator" can be resolved when exactly one
person fits. A place written before a name ("New Hampshire Sanders volunteers") and an
organisation's first word ("Senate" of "Senate Conservatives Fund") are never taken as fuller names.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bot.text.name_words import LOWER, ORG_WORDS, PRONOUNS, STOP_CAPS, TITLES, UPPER

# One capitalised name token: Trump, McCain, O’Rourke, D’Souza, Ocasio-Cortez, Ñúñez-Caldera, an
# initial "D.", an acronym (CNN, GOP).
NAME_TOKEN = (
    rf"(?:(?:Sens?|Reps?|Gov|Gen|Mrs?|Ms|Dr|Lt|Col|Capt|Sgt|Rev|Prof|Atty|Adm|Del|Sec)\.(?= [{UPPER}])"
    rf"|(?:Mc|Mac|O[’']|D[’']|De|La)?[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]+)?"
    rf"(?:-[{UPPER}{LOWER}][{LOWER}]+)?|[{UPPER}]\.|\b[{UPPER}]{{2,6}}\b)"
)
_SEQ = re.compile(
    NAME_TOKEN + r"(?:[ \t]+(?:(?:de|van|von|der|del|da|bin|al|la)[ \t]+)?" + NAME_TOKEN + r")*"
)
_TOKEN = re.compile(NAME_TOKEN)
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")
# A hyphenated descriptor before a name ("Oscar-winner", "Texas-based", "GOP-leaning").
_DESCRIPTOR = re.compile(
    r"\w-(?:winner|winning|based|born|area|backed|funded|leaning|elect|era|led|owned|run|affiliated)$"
)
_LOWER_NEXT = re.compile(r"[ \t]+[a-z]|[,;:]")
_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+$")
_MODIFIED_NOUN = re.compile(
    r"[ \t]+(?:supporters|voters|backers|fans|aides|officials|staffers|allies|delegates|campaign"
    r"|administration|camp|rally|rallies|era|voters|loyalists|surrogates)\b"
)


def sentence_initial(text: str, pos: int) -> bool:
    """Nothing but a sentence end, a quote mark or a line start before ``pos``."""
    j = pos - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in '.!?\n“"‘:—”'


def strip_title_tokens(tokens: list[str]) -> tuple[list[str], str]:
    """Drop leading stop words and titles; return the name tokens and the last title's role."""
    role = ""
    cut = 0
    for i, tok in enumerate(tokens):
        bare = tok.rstrip(".")
        if i + 1 < len(tokens) and (tok.endswith(("’s", "'s", "’", "'")) or (i > cut and tok in STOP_CAPS)):
            cut = i + 1  # "Fox's Chris Wallace", "Carson And Christie"
            role = ""
        elif bare in TITLES:
            cut = i + 1
            role = TITLES[bare] or role
        elif tok == "of" and i == cut and i > 0 and i + 2 < len(tokens):
            cut = i + 2  # "Secretary of State John Kerry", "Chief of Staff Reince Priebus"
        elif i == cut and tok == "New" and i + 1 < len(tokens) and tokens[i + 1][:1].isupper():
            continue  # "New Hampshire Public Radio": a place name, not a sentence opener
        elif i == cut and tok in STOP_CAPS:
            cut = i + 1
        elif i + 1 < len(tokens) and _DESCRIPTOR.search(tok):
            cut = i + 1  # "Oscar-winner Sarandon", "Ohio-based pollster": a descriptor, not a name
            role = ""
    return tokens[cut:], role


def _titled_name(text: str, m: re.Match[str], role: str, tokens: list[str]) -> bool:
    """A title, two or three name words, then a lower-case word or a comma ("Gov. Ann Lee is")."""
    return bool(role) and 2 <= len(tokens) <= 3 and _LOWER_NEXT.match(text, m.end()) is not None


def clean_tokens(raw: str) -> list[str]:
    """Name tokens of a mention, possessive dropped: "Sen. Ted Cruz’s" -> ["Sen.", "Ted", "Cruz"]."""
    tokens = raw.split()
    if tokens:
        last = tokens[-1]
        if last.endswith(("’s", "'s")):
            tokens[-1] = last[:-2]
        elif last.endswith(("’", "'")):
            tokens[-1] = last[:-1]
    return [t for t in tokens if t]


@dataclass
class _Entity:
    tokens: tuple[str, ...]
    count: int
    first: int
    doubtful: bool = False  # only seen opening a sentence after an -ed/-ly/-ing word
    in_body: bool = True  # seen below the first line (a headline's short form loses ties)
    thing: bool = False  # only seen after "the" ("the Trump Train"): no person's full name


@dataclass
class NameIndex:
    """Every name in an article, keyed by last token, plus role nouns seen with names."""

    by_last: dict[str, list[_Entity]] = field(default_factory=dict)
    by_first: dict[str, list[_Entity]] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)  # common words dropped from names' starts

    @classmethod
    def build(cls, text: str, skip: list[tuple[int, int]] | None = None) -> NameIndex:
        """Index the names of ``text``; ``skip`` lists (start, end) regions to ignore (headlines)."""
        index = cls()
        head_end = text.find("\n")  # -1 (no headline line) makes every name a body name
        lower_words = set(_LOWER_WORD.findall(text))
        regions = sorted(skip or [])
        region_starts = [a for a, _ in regions]
        for m in _SEQ.finditer(text):
            if text[m.end() : m.end() + 2] in ("’t", "'t"):
                continue  # a contraction such as "Don’t"
            tokens, role = strip_title_tokens(clean_tokens(m.group()))
            at = bisect.bisect_right(region_starts, m.start()) - 1  # the region starting at or before
            skipped = at >= 0 and m.start() < regions[at][1]
            if skipped and not _titled_name(text, m, role, tokens):
                continue  # a title-case line: only a titled name ("Gov. Ann Lee is …") is trusted there
            while tokens and tokens[-1] in STOP_CAPS:
                tokens.pop()
            if len(tokens) > 2 and tokens[0].isupper():
                tokens = tokens[1:]  # "DJ Beverly Bond", "NEA President ..."
            initial = sentence_initial(text, m.start())
            while len(tokens) > 1 and (len(tokens[0]) >= 6 or initial) and tokens[0].lower() in lower_words:
                index.dropped.add(tokens[0].lower())
                tokens = tokens[1:]  # "Billionaire Donald Trump", "Maybe Trump" opening a sentence
                initial = False
            # "Understated Perez" opening a sentence: a verb form, unless no other full name fits.
            doubtful = (
                initial and len(tokens) > 1 and len(tokens[0]) >= 6 and tokens[0].endswith(("ed", "ing"))
            )
            if len(tokens) >= 2 and _MODIFIED_NOUN.match(text, m.end()):
                continue  # "Wisconsin Trump supporters": a modifier, not a person's full name
            if not tokens or tokens[-1].endswith("."):
                continue
            # "the Trump Train" names a thing; "the Rev. Al Sharpton" is still a person
            thing = not role and _THE_BEFORE.search(text, max(0, m.start() - 5), m.start()) is not None
            entity = index.add(tuple(tokens), m.start(), doubtful, m.start() >= head_end, thing)
            if role and len(tokens) >= 2:
                index.note_role(role, entity)
        return index

    def add(
        self,
        tokens: tuple[str, ...],
        pos: int,
        doubtful: bool = False,
        in_body: bool = True,
        thing: bool = False,
    ) -> str:
        """Record one occurrence of a name; return its joined form."""
        entity = self._entity(tokens)
        if entity is not None:
            entity.count += 1
            entity.doubtful = entity.doubtful and doubtful
            entity.in_body = entity.in_body or in_body
            entity.thing = entity.thing and thing
            return " ".join(tokens)
        entity = _Entity(tokens, 1, pos, doubtful, in_body, thing)
        self.by_last.setdefault(tokens[-1], []).append(entity)
        if len(tokens) >= 2:
            self.by_first.setdefault(tokens[0], []).append(entity)
        return " ".join(tokens)

    def note_role(self, role: str, name: str) -> None:
        """Remember that ``name`` was introduced with role noun ``role`` ("senator")."""
        full = self.resolve_tokens(name.split()) or name
        self.roles.setdefault(role.lower(), set()).add(full)

    def resolve_tokens(self, tokens: list[str]) -> str | None:
        """Fullest name containing ``tokens`` with the same last token; None for no name."""
        if not tokens:
            return None
        best: _Entity | None = None
        if len(tokens) > 1 and any(
            e.doubtful and list(e.tokens) == tokens for e in self.by_last.get(tokens[-1], [])
        ):
            tokens = tokens[1:]  # "Stated Stone:" -> "Stone" -> "Roger Stone"
        wanted = set(tokens)
        candidates = [
            e
            for e in self.by_last.get(tokens[-1], [])
            if wanted.issubset(e.tokens) and not self._place_prefixed(e, len(tokens))
        ]
        if any(len(e.tokens) > 1 and not e.doubtful for e in candidates):
            candidates = [e for e in candidates if not e.doubtful]
        for entity in candidates:
            if best is None or (len(entity.tokens), entity.count, entity.in_body, -entity.first) > (
                len(best.tokens),
                best.count,
                best.in_body,
                -best.first,
            ):
                best = entity
        if best is not None and len(best.tokens) == 1 and len(tokens) == 1:
            # "Hillary" alone: a unique longer name starting with it is the fuller form.
            firsts = {e.tokens for e in self.by_first.get(tokens[0], []) if not e.thing}
            shortest = min(firsts, key=len, default=())
            # "Hillary" with "Hillary Clinton" and "Hillary Clinton White House": the common prefix.
            if (
                shortest
                and all(f[: len(shortest)] == shortest for f in firsts)
                and shortest[-1] not in ORG_WORDS
            ):
                return " ".join(shortest)
        if best is None:
            if len(tokens) > 1 and tokens[0].lower() in self.dropped:
                return self.resolve_tokens(tokens[1:])  # "Stated Stone:" -> "Roger Stone"
            return " ".join(tokens)
        return " ".join(best.tokens)

    def resolve(self, mention: str) -> str | None:
        """Fullest name for a written mention ("Mr. Ryabkov" -> "Sergei Ryabkov")."""
        raw = clean_tokens(mention)
        tokens, _ = strip_title_tokens(raw)
        if len(tokens) == 1 and len(raw) == 2 and tokens[0] in ORG_WORDS:
            tokens = raw  # "State Department", not "Department"
        if not tokens or tokens[0].lower() in PRONOUNS:
            return None
        return self.resolve_tokens(tokens)

    def in_longer_name(self, word: str) -> bool:
        """``word`` is the first or last token of a name of two or more tokens."""
        return bool(self.by_first.get(word)) or any(len(e.tokens) > 1 for e in self.by_last.get(word, []))

    def _place_prefixed(self, entity: _Entity, asked: int) -> bool:
        """A known two-word name before the person ("New Hampshire Sanders"): no fuller form."""
        for k in range(2, len(entity.tokens) - asked + 1):
            prefix = entity.tokens[:k]
            if any(e.tokens == prefix for e in self.by_last.get(prefix[-1], [])):
                return True
        return False

    def _entity(self, tokens: tuple[str, ...]) -> _Entity | None:
        """The entry for exactly this name, if it was written."""
        if not tokens:
            return None
        return next((e for e in self.by_last.get(tokens[-1], []) if e.tokens == tokens), None)

    def is_thing(self, name: str) -> bool:
        """This exact name was only ever written after "the" ("the Washington Post")."""
        entity = self._entity(tuple(name.split()))
        return entity is not None and entity.thing

    def count(self, name: str) -> int:
        """How often this exact name was written in the article."""
        entity = self._entity(tuple(name.split()))
        return entity.count if entity is not None else 0

    def by_role(self, role: str) -> str | None:
        """The one person introduced with this role noun, or None when none or several."""
        names = self.roles.get(role.lower())
        if names and len(names) == 1:
            return next(iter(names))
        return None
