"""Who a quotation rests on, resolved inside one article.

``Speakers`` holds the per-article state for turning a source mention into a speaker: the name
index (fullest names, role nouns such as "the senator"), the named subjects seen so far (for "he"
and "she", skipping a person whose own sentences use the other pronoun), and relative pronouns
("Trump, who said ..."). An unclear mention resolves to None, never to a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.name_words import TITLES
from bot.text.names import NameIndex, sentence_initial
from bot.text.quote_cues import Mention, Token, np_ending_at

_HE = re.compile(r"\b(?:he|his|him|He|His)\b")
_SHE = re.compile(r"\b(?:she|her|hers|She|Her)\b")
_SENTENCE_BREAK = re.compile(r"[.?!][”\"]?\s|\n")


_GROUP_SUFFIXES = ("icans", "ocrats", "ists", "ians", "ials")
_GROUP_WORDS = frozenset(
    "GOP Congress Senate Police Democrat Republican Critics Voters Prosecutors Officials".split()
)


# Last words that make a name an organisation; "Post", "Press", "Church" or "Court" can be
# surnames ("Bill Press", "Frank Church"), so for those only "the Washington Post" counts.
_ORG_SUFFIXES = frozenset(
    """LLC Inc Corp Ltd PAC Party Committee Department Association Foundation Institute Council
    Agency Bureau Commission Ministry Administration Caucus Coalition Network University College
    Company Corporation Group Fund Center Centre Society Alliance Campaign News Times Journal
    Magazine""".split()
)


def _group_name(name: str, names: NameIndex) -> bool:
    """A group or organisation ("Republicans", "African Americans", "Mercury LLC") no "he"/"she" means."""
    if " " in name:
        last = name.rsplit(" ", 1)[1]
        return last.endswith(_GROUP_SUFFIXES) or last in _ORG_SUFFIXES or names.is_thing(name)
    return name in _GROUP_WORDS or name.endswith(_GROUP_SUFFIXES)


@dataclass
class Attribution:
    """Who a quotation rests on: the mention's character span and the resolved name."""

    start: int
    end: int
    speaker: str | None
    framed: bool  # the cue sits right next to the quotation ("…,” he said / he said: “…”)


class Speakers:
    """Per-article state: the name index and the recent named subjects for pronouns."""

    def __init__(self, text: str, skip: list[tuple[int, int]]) -> None:
        self.text = text
        self.names = NameIndex.build(text, skip)
        self.subjects: list[tuple[int, str]] = []  # (position, full name), in text order
        self._lower_cache: dict[str, bool] = {}
        self._genders: dict[str, str | None] = {}

    def resolve(self, tokens: list[Token], mention: Mention, role: str) -> Attribution | None:
        """The attribution a mention gives; None when the "name" is a capitalised common word."""
        start = tokens[mention.first][2]
        end = tokens[mention.last][3]
        surface = self.text[start:end]
        speaker: str | None = None
        if mention.kind == "name" and mention.first == mention.last and self._common_word(surface, start):
            return None
        if mention.kind == "name":
            speaker = self.names.resolve(surface)
            if speaker is not None:
                self.subjects.append((start, speaker))
                if role:
                    self.names.note_role(role, speaker)
        elif mention.kind == "pronoun":
            if surface.lower() in ("he", "she"):
                speaker = self._recent_subject(start, surface.lower())
        elif mention.kind == "who":
            speaker = self._antecedent(tokens, mention.first)
            if speaker is None:
                return None  # "a candidate who promised …": no clear speaker, no mention
        elif mention.kind == "nominal":
            words = surface.split()
            if len(words) >= 2 and words[0].endswith(("’s", "'s")) and all(w[:1].isupper() for w in words):
                speaker = self.names.resolve(" ".join(words[1:]))  # "Cleveland’s Plain Dealer"
            elif len(words) >= 2 and words[0].lower() == "the" and all(w[:1].isupper() for w in words[1:]):
                speaker = self.names.resolve(" ".join(words[1:]))  # "the Daily Ledger"
            elif len(words) >= 3 and words[0] in TITLES and words[1] == "of" and words[-1][:1].isupper():
                speaker = self.names.resolve(surface)  # "Secretary of State Ruth Adebayo"
            elif words and words[0].lower() == "the" and len(words) <= 4:
                speaker = self.names.by_role(words[-1].lower())
        return Attribution(start, end, speaker, False)

    def _common_word(self, word: str, start: int) -> bool:
        """A capitalised word the article also writes in lower case ("Signs", "Hours").

        Plurals anywhere; other words only opening a sentence ("Outside, …", "Likewise") and
        never part of a longer name in the article ("Small" stays a name next to "Tom Small").
        """
        low = word.lower()
        if low == word or len(word) < 3:
            return False
        if not low.endswith("s"):
            if not sentence_initial(self.text, start) or self.names.in_longer_name(word):
                return False
        if low not in self._lower_cache:
            self._lower_cache[low] = re.search(r"\b" + re.escape(low) + r"\b", self.text) is not None
        return self._lower_cache[low]

    def _recent_subject(self, pos: int, pronoun: str) -> str | None:
        """The latest named subject before ``pos`` whose pronouns do not contradict ``pronoun``."""
        for where, name in reversed(self.subjects):
            if where >= pos:
                continue
            if pos - where >= 1500:
                return None
            if _group_name(name, self.names):
                continue  # "Republicans" is never "he" or "she"
            gender = self._gender(name)
            if gender is None or gender == pronoun:
                return name
        return None

    def pronoun_fits(self, name: str, pronoun: str) -> bool:
        """The article itself calls this person ``pronoun`` ("he"/"she") near their mentions."""
        return self._gender(name) == pronoun

    def _gender(self, name: str) -> str | None:
        """ "he" or "she" when the text right after this person's mentions says so clearly."""
        if name not in self._genders:
            he = she = 0
            starts = [where for where, _ in self.subjects]
            for i, (where, other) in enumerate(self.subjects):
                if other != name:
                    continue
                end = min([where + 160] + [w for w in starts[i + 1 :] if w > where])
                window = self.text[where:end]
                cut = _SENTENCE_BREAK.search(window)
                window = window[: cut.start()] if cut else window
                he += len(_HE.findall(window))
                she += len(_SHE.findall(window))
            self._genders[name] = "he" if he > 2 * she else "she" if she > 2 * he else None
        return self._genders[name]

    def _antecedent(self, tokens: list[Token], who: int) -> str | None:
        """The name a ", who" clause is about ("an endorsement from Mike Lee, who said")."""
        if who < 2 or tokens[who - 1][1] != ",":
            return None
        mention = np_ending_at(tokens, who - 2, 0)
        after_preposition = mention is None
        if after_preposition:
            # after a preposition the name is no speaker of its own, but it is the antecedent
            start = who - 2
            while start > 0 and who - start < 6 and tokens[start - 1][1][:1].isupper():
                start -= 1
            mention = np_ending_at(tokens, who - 2, start)
        if mention is None or mention.kind != "name":
            return None
        start, end = tokens[mention.first][2], tokens[mention.last][3]
        name = self.names.resolve(self.text[start:end])
        if after_preposition and (name is None or " " not in name or _group_name(name, self.names)):
            return None  # "farmers from Iowa, who …": a place or a group, not a person
        return name
