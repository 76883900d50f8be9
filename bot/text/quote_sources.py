"""The speaker a speech cue gives, resolved inside the article.

``cue_source`` looks left of the cue for its subject, then right ("said Trump"), and handles
"according to X", participles ("..., saying"), passives with an agent ("was asked by host Bill
Maher") and coordinated verbs ("praised Rubio and said"); ``quoted_as`` finds the subject slot of
"X is quoted as saying"; ``outer_reporter`` gives the outer speaker when the cue sits inside
reported speech ("Israel said Clinton called …").
"""

from __future__ import annotations

from bot.text.quote_cues import PUNCT, QUOTE, WORD, Token, is_according, np_after
from bot.text.quote_speakers import Attribution, Speakers
from bot.text.quote_subjects import clause_subject, subject_before
from bot.text.quote_words import FINITE_CUES, INVERTING, PARTICIPLES, PASSIVE, REPORT_CUES


def cue_source(art: Speakers, tokens: list[Token], cue: int, lo: int, hi: int) -> Attribution | None:
    """The attribution a cue at ``cue`` gives, looking left, then right ("said Trump")."""
    word = tokens[cue][1]
    if is_according(tokens, cue):
        mention = np_after(tokens, cue + 2, hi)
        return art.resolve(tokens, mention, "") if mention else None
    if word in PARTICIPLES or (cue - 1 >= lo and tokens[cue - 1][1] == "to"):
        if word in PARTICIPLES:
            # "with Trump reportedly yelling: …": a name right before the participle.
            subject, role = subject_before(tokens, quoted_as(tokens, cue, lo), lo)
            if (
                subject is not None
                and subject.kind == "name"
                and all(t[0] == WORD for t in tokens[subject.last + 1 : cue])
            ):
                return art.resolve(tokens, subject, role)
        for j in range(cue - 1, lo - 1, -1):
            if tokens[j][0] == WORD and (
                tokens[j][1] in FINITE_CUES or (tokens[j][1] in PARTICIPLES and tokens[cue - 1][1] == "and")
            ):
                # "with Trump tweeting that … and asking, “…”": the same source as the first verb.
                found = cue_source(art, tokens, j, lo, hi)
                if found is not None:
                    return found
                break
        mention = clause_subject(tokens, lo, cue)
        return art.resolve(tokens, mention, "") if mention else None
    before = tokens[cue - 1] if cue - 1 >= lo else None
    if cue + 2 < hi and tokens[cue + 1][1] == "by" and before is not None and before[1] in PASSIVE:
        # "Sanders was asked by host Bill Maher": the agent is the source.
        mention = np_after(tokens, cue + 2, hi)
        if mention is not None and mention.kind in ("name", "nominal"):
            return art.resolve(tokens, mention, "")
    if before is not None and before[1] in (",", "—", "–") and word in INVERTING:
        # "…, said Nargis Kassenova, an expert": inversion only when the phrase ends there.
        mention = np_after(tokens, cue + 1, hi)
        if (
            mention is not None
            and mention.kind in ("name", "nominal")
            and (mention.last + 1 >= hi or tokens[mention.last + 1][0] == PUNCT)
        ):
            return art.resolve(tokens, mention, "")
    subject, role = subject_before(tokens, cue, lo)
    if subject is not None:
        return art.resolve(tokens, subject, role)
    if before is not None and before[1] in ("and", "but", "then"):
        # "Wilson praised Rubio and said …": the subject of the coordinated verb phrase.
        for j in range(cue - 2, lo - 1, -1):
            if tokens[j][0] == WORD and tokens[j][1] in FINITE_CUES:
                earlier, earlier_role = subject_before(tokens, j, lo)
                if earlier is not None:
                    return art.resolve(tokens, earlier, earlier_role)
                break
        mention = clause_subject(tokens, lo, cue)
        return art.resolve(tokens, mention, "") if mention else None
    if before is None or before[0] == QUOTE:
        mention = np_after(tokens, cue + 1, hi)
        if mention is not None:
            return art.resolve(tokens, mention, "")
    return None


def quoted_as(tokens: list[Token], cue: int, lo: int) -> int:
    """For "X is quoted as saying", the index of "is" (whose subject is the source); else ``cue``."""
    if (
        cue - 3 >= lo
        and tokens[cue][1] == "saying"
        and tokens[cue - 1][1] == "as"
        and tokens[cue - 2][1] == "quoted"
        and tokens[cue - 3][1] in PASSIVE
    ):
        return cue - 3
    return cue


def outer_reporter(art: Speakers, tokens: list[Token], found: Attribution, lo: int, hi: int) -> Attribution:
    """The reporting speaker when the cue's subject sits inside reported speech.

    "Israel said Clinton called on members to be “…”" and "Trump said he responded: “…”": the
    quotation is part of what the outer subject said.
    """
    first = next((i for i in range(lo, hi) if tokens[i][2] == found.start), None)
    if first is None or first - 1 < lo:
        return found
    verb = first - 1
    if tokens[verb][1] == "that" and verb - 1 >= lo:
        verb -= 1
    if tokens[verb][0] != WORD or tokens[verb][1] not in REPORT_CUES:
        return found
    outer = cue_source(art, tokens, verb, lo, hi)
    if outer is None or outer.speaker is None:
        return found
    outer.framed = found.framed
    return outer
