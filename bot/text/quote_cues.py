"""Speech cues and the source mention around them, on a token stream of one paragraph.

The tokens come from ``tokenize``: words, punctuation and one ``QUOTE`` token per quotation, so
quoted words never look like cues or subjects. ``find_source`` returns the mention a cue rests on:
the subject before the verb ("Trump said", "Sergei Ryabkov, the deputy foreign minister, said"),
the inverted subject after it ("said Trump"), or the object of "according to". Speech verbs were
mined from the cues of quoted attributions in a training corpus and completed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.names import ORG_WORDS, PRONOUNS, STOP_CAPS, TITLES

WORD, PUNCT, QUOTE = 0, 1, 2
_TOKENS = re.compile(r"[^\W_]+(?:[’'\-.&][^\W_]+)*(?:[’']s?(?![^\W_]))?|[^\w\s]")

Token = tuple[int, str, int, int]  # kind, text, start, end

FINITE_CUES = frozenset(
    """said says say told tells tell added adds wrote writes tweeted tweets asked asks continued
    continues noted notes explained explains stated states responded responds replied replies
    declared declares concluded concludes argued argues insisted insists pledged pledges promised
    promises warned warns admitted admits suggested suggests recalled recalls claimed claims
    announced announces acknowledged acknowledges remarked assured assures urged urges
    joked jokes shouted shouts yelled yells chanted chant chants blasted blasts boasted boasts
    conceded concedes predicted predicts complained complains emphasized emphasizes asserted
    asserts lamented laments quipped quips posted mused muses countered counters cautioned
    cautions charged observed observes commented testified testifies wondered wonders
    vowed vows confirmed confirms stressed stresses maintained maintains contended contends
    recounted recounts opined scoffed retorted replied exclaimed exclaims whispered screamed
    thundered bragged brags snapped proclaimed proclaims announced insisted called calls
    described describes accused accuses mocked mocks praised praises criticized criticizes
    questioned quoted reported read reads wrote explained answered
    barked begged pleaded prayed thanked cried sang sings dubbed labeled labelled
    shot agreed agrees disagreed dismissed portrayed decried denounced hailed touted slammed
    branded deemed characterized likened labeled bemoaned credited cited offered interjected
    demurred chided ridiculed derided lambasted scolded cheered applauded conceded argue add
    pressed fumed marveled reasoned reiterated reiterates elaborated blamed knocked implied
    referred refers answers
    write insist claim note warn explain ask describe predict declare respond reply recall""".split()
)
PARTICIPLES = frozenset(
    """saying adding telling writing noting calling arguing explaining declaring stating asking
    tweeting insisting warning claiming urging promising recalling suggesting responding replying
    describing continuing concluding posting announcing blasting accusing praising joking boasting
    complaining admitting acknowledging predicting vowing asserting pledging remarking quipping
    lamenting chanting shouting yelling emphasizing stressing mocking proclaiming""".split()
)
# Verbs good enough for reported speech without quote marks ("X said that ...").
REPORT_CUES = frozenset(
    """said says told tells added adds argued argues claimed claims noted notes wrote writes
    explained explains warned warns insisted insists stated states suggested suggests acknowledged
    acknowledges announced announces predicted predicts declared declares contended contends
    maintained maintains stressed stresses emphasized emphasizes asserted asserts tweeted tweets
    admitted admits conceded concedes""".split()
)
_SKIP_BEFORE = frozenset(
    """also later then has had have was were is are would will recently previously once publicly
    repeatedly simply reportedly even further just often never again separately privately earlier
    frequently quickly flatly bluntly angrily famously memorably sarcastically first initially
    subsequently already still finally had has long since himself herself themselves itself
    personally directly""".split()
)
_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Monday’s Sunday’s".split())
_DETS = frozenset(
    """the a an his her their its this that these those one another some several many two three
    four five both other any each our my your most few""".split()
)
_STOP_LOWER = frozenset(
    """that and but or because which when if as while where though although than so since after
    before until unless whether who whom whose what how why said says told to of for with in on
    at by from into about against""".split()
)
_APPOS_MARKS = frozenset(",—–")
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ee", "man", "woman")
_MODIFIERS = frozenset("former retired late then outgoing incoming longtime veteran".split())
_FIRST_NAME_WORDS = frozenset("Will May April June Hope Summer".split())  # also common words
_LEADERS = frozenset("And But Then So Also Still Later Meanwhile Yet Instead then also later".split())
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z]")
_PREPS = frozenset("for of with to at from by in on about against under within among".split())
# Lower-case particles inside a surname ("Bill de Blasio", "Ana dos Santos", "Ludwig van Beethoven").
_PARTICLES = frozenset("de da das dos du di del della der van von la al bin ibn".split())
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")  # "1st Lt. Tyler Moss"
# Words that end a noun phrase after a cue: a verb or pronoun means a clause has started.
_CLAUSE_WORDS = PRONOUNS | frozenset("is was were are has had have will would could should can may".split())
_CLAUSE_OR_DET = _CLAUSE_WORDS | _DETS
_APPOS_START = _DETS | frozenset("who whose which now then also currently formerly once".split())
NOMINAL_HEADS = frozenset(
    """campaign voters officials candidates supporters candidate leaders president experts senator
    allies aides group administration company people groups advisers official team governor party
    spokesman spokeswoman spokesperson nominee manager judge others director office supporter
    strategist senators adviser analysts media source sources members lawmakers aide government
    critics strategists crowd agency board leader reporter organization newspaper rivals advocates
    politicians opponents activists police website insiders donors delegates executives economists
    court conservatives staff prosecutors audience friends authorities front-runner camp woman man
    businessman pollster observers spokespeople secretary operatives protesters backers
    congressman congresswoman chairman chairwoman representative attorney lawyer lawyers
    researchers liberals progressives organizers statement report poll survey memo letter
    teacher student mother father wife husband son daughter brother sister worker resident owner
    founder president chief doctor nurse officer soldier veteran agent detective lawmaker
    legislator candidate commentator host anchor columnist writer author editor journalist
    historian professor scientist economist analyst consultant pollster lobbyist activist
    organizer volunteer voter delegate chair chairman governor mayor senator representative
    minister ambassador diplomat general commander sheriff prosecutor attorney judge justice
    ceo executive employee staffer surrogate ally rival opponent critic supporter fan member
    leader spokesperson representative man woman people person official officials campaign
    administration department ministry agency office committee council board commission
    network newspaper paper magazine outlet site website blog study analysis ad video post
    tweet email message release document filing complaint lawsuit transcript book article
    editorial column book group coalition union association foundation institute center
    organization company firm bank party government court police military army white house
    pentagon kremlin senate house congress caucus prince king queen pope host suit neurosurgeon
    surgeon billionaire mogul tycoon magnate insider operative observer agent resident student
    assistant consultant participant attendant correspondent contestant claimant defendant
    plaintiff hopeful hopefuls contender contenders frontrunner front-runner statement statements
    letter memo memorandum report petition footnote survey poll indictment""".split()
)


@dataclass(frozen=True)
class Mention:
    """A source mention: token range [first, last] and what it is."""

    first: int
    last: int
    kind: str  # "name", "pronoun", "nominal", "who"


def tokenize(text: str, lo: int, hi: int, quotes: list[tuple[int, int]]) -> list[Token]:
    """Tokens of ``text[lo:hi]``; each (open_at, close_end) quote region becomes one QUOTE token."""
    out: list[Token] = []
    cursor = lo
    for qa, qb in [*quotes, (hi, -1)]:
        for m in _TOKENS.finditer(text, cursor, qa):
            word = m.group()
            start, end = m.span()
            out.append((WORD if word[0].isalnum() else PUNCT, word, start, end))
        if qb >= 0:
            out.append((QUOTE, "", qa, qb))
            cursor = qb
    return out


def is_cue(tok: Token) -> bool:
    """A finite speech verb or a participle ("said", "adding")."""
    return tok[0] == WORD and (tok[1] in FINITE_CUES or tok[1] in PARTICIPLES)


def is_according(tokens: list[Token], i: int) -> bool:
    """``tokens[i]`` starts "according to"."""
    return tokens[i][1].lower() == "according" and i + 1 < len(tokens) and tokens[i + 1][1] == "to"


def _is_name_word(tok: Token) -> bool:
    t = tok[1]
    if len(t) > 5 and t.isupper() and t.isalpha():
        return False  # a dateline ("DECATUR, Ill.") or shouting, not a name
    return tok[0] == WORD and t[0].isupper() and (t not in STOP_CAPS or t in TITLES)


def _is_title_abbrev(tokens: list[Token], i: int) -> bool:
    return (
        0 <= i < len(tokens)
        and tokens[i][0] == WORD
        and (tokens[i][1] in TITLES or (len(tokens[i][1]) == 1 and tokens[i][1].isupper()))
    )


def _name_start(tokens: list[Token], k: int, lo: int) -> int:
    """First token of the capitalised name sequence ending at ``k``."""
    j = k
    while j - 1 >= lo:
        prev = tokens[j - 1]
        if _is_name_word(prev) or (prev[1] == "New" and _mixed_case(tokens[j])):
            j -= 1
        elif prev[1] == "." and _is_title_abbrev(tokens, j - 2) and j - 2 >= lo:
            j -= 2
        elif prev[0] == WORD and prev[1] in _PARTICLES and tokens[j][1][0].isupper():
            # "Bill de Blasio", "dos Santos": a particle joins the surname after it.
            if j - 2 >= lo and _is_name_word(tokens[j - 2]):
                j -= 2
            else:
                j -= 1
                break
        elif _ORDINAL.match(prev[1]) and _is_title_abbrev(tokens, j) and j - 1 > lo:
            j -= 1  # "Air Force 1st Lt. Tyler Moss"
        elif (
            prev[0] == WORD
            and len(prev[1]) > 1
            and prev[1].isupper()
            and prev[1].isalpha()
            and _mixed_case(tokens[j])
        ):
            j -= 1  # "POLITICO Florida": an upper-case brand before a name
        else:
            break
    while j < k and tokens[j][1] in STOP_CAPS and tokens[j][1] not in TITLES and not _new_place(tokens, j, k):
        j += 1
    return j


def _mixed_case(tok: Token) -> bool:
    """A capitalised word with lower-case letters that may belong to a name ("Florida")."""
    t = tok[1]
    return tok[0] == WORD and t[0].isupper() and not t.isupper() and t not in STOP_CAPS


def _new_place(tokens: list[Token], j: int, k: int) -> bool:
    """ "New" opening a place name ("New Jersey Gov. Chris Christie"), not a sentence opener."""
    return tokens[j][1] == "New" and j < k and _mixed_case(tokens[j + 1])


def _is_head(word: str) -> bool:
    """A noun that can head a speaker phrase ("senator", "officials", "commenter")."""
    low = word.lower()
    return (
        low in NOMINAL_HEADS or low.rstrip("s") in NOMINAL_HEADS or low.rstrip("s").endswith(_PERSON_SUFFIXES)
    )


def _nominal_start(tokens: list[Token], k: int, lo: int) -> int | None:
    """Start of a determiner phrase ending at ``k`` ("the deputy foreign minister"), or None."""
    head = tokens[k][1].lower()
    if (
        head not in NOMINAL_HEADS
        and head.rstrip("s") not in NOMINAL_HEADS
        and not head.rstrip("s").endswith(_PERSON_SUFFIXES)
    ):
        return None
    j = k
    steps = 0
    while j - 1 >= lo and steps < 6:
        prev = tokens[j - 1]
        if prev[0] != WORD:
            break
        low = prev[1].lower()
        if low in _DETS:
            return j - 1
        if prev[1].endswith(("’s", "'s")) and prev[1][0].isupper():
            return j - 1
        if low in _STOP_LOWER or low in PRONOUNS or low in FINITE_CUES:
            break
        j -= 1
        steps += 1
    if head in NOMINAL_HEADS and tokens[k][1][0].islower():
        start = k
        while start - 1 >= lo and _is_name_word(tokens[start - 1]) and k - start < 3:
            start -= 1
        return start
    return None


def np_ending_at(tokens: list[Token], k: int, lo: int) -> Mention | None:
    """The noun phrase that ends at token ``k`` and may be a speaker."""
    if k < lo or tokens[k][0] != WORD:
        return None
    text = tokens[k][1]
    low = text.lower()
    if low in PRONOUNS:
        return Mention(k, k, "pronoun")
    if low in ("who", "which"):
        return Mention(k, k, "who")
    if low in NOMINAL_HEADS and (k == lo or tokens[k - 1][0] != WORD):
        return Mention(k, k, "nominal")  # "Critics said" at a sentence start
    if text[0].isupper() and (text not in STOP_CAPS or text.endswith(("’s", "'s"))):
        if text.endswith(("’s", "'s")):
            return None  # "Trump’s said" is not a subject
        j = _name_start(tokens, k, lo)
        if j > k:
            return None
        if j - 1 >= lo and tokens[j - 1][1] in _PREPS and tokens[j - 1][1] != "with":
            # "a spokesman for Clinton": the name is inside the nominal, not the speaker.
            inner = np_ending_at(tokens, j - 2, lo)
            if inner is not None and inner.kind == "nominal":
                return Mention(inner.first, k, "nominal")
            if inner is not None and inner.kind == "name" and tokens[j - 1][1] == "of" and k - j <= 1:
                return inner  # "House Speaker Paul Rand of Iowa lamented": the person, not the place
            return None
        return Mention(j, k, "name")
    if text[0].islower():
        start = _nominal_start(tokens, k, lo)
        if start is not None:
            return Mention(start, k, "nominal")
    return None


def _skip_back(tokens: list[Token], k: int, lo: int) -> int:
    """Skip adverbs, auxiliaries and "on Monday" before a cue at ``k + 1``."""
    while k >= lo:
        t = tokens[k][1]
        if tokens[k][0] == WORD and (t in _SKIP_BEFORE or (t.endswith("ly") and t.islower() and len(t) > 4)):
            k -= 1
        elif t in _DAYS and k - 1 >= lo and tokens[k - 1][1] in ("on", "On"):
            k -= 2
        elif t in _DAYS and tokens[k][0] == WORD:
            k -= 1
        elif t == ")":
            j = k - 1
            while j >= lo and tokens[j][1] != "(" and k - j < 12:
                j -= 1
            if j < lo or tokens[j][1] != "(":
                break
            k = j - 1
        else:
            break
    return k


def _skip_parenthesis(tokens: list[Token], k: int, lo: int) -> int:
    """Index before a "(D-Md.)" group ending at ``k``; ``k`` itself when there is none."""
    if k < lo or tokens[k][1] != ")":
        return k
    j = k - 1
    while j >= lo and tokens[j][1] != "(" and k - j < 12:
        j -= 1
    return j - 1 if j >= lo and tokens[j][1] == "(" else k


def subject_before(tokens: list[Token], cue: int, lo: int) -> tuple[Mention | None, str]:
    """Subject of the cue at index ``cue`` looking left; also an appositive role noun if any."""
    k = _skip_back(tokens, cue - 1, lo)
    if k < lo:
        return None, ""
    if tokens[k][1] == ",":
        # "Gov. John Kasich (R-OH), said": the name before the comma is a whole segment.
        named = np_ending_at(tokens, _skip_parenthesis(tokens, k - 1, lo), lo)
        if named is not None and named.kind == "name" and not _after_city(tokens, named.first, lo):
            edge = named.first - 1
            if edge < lo or tokens[edge][1] in (",", ":", "—") or tokens[edge][0] == QUOTE:
                return named, ""
    if tokens[k][1] in _APPOS_MARKS:
        # "Ryabkov, the deputy foreign minister, said": skip the appositive.
        mark = tokens[k][1]
        p = k - 1
        while p >= lo and (tokens[p][1] != mark or _after_city(tokens, p + 1, lo)) and tokens[p][0] != QUOTE:
            p -= 1  # "X, at a rally in Columbus, Ohio, said": the state's comma is inside
        if p < lo or tokens[p][0] == QUOTE or p + 1 >= k:
            return None, ""
        first = tokens[p + 1]
        segment_name = np_ending_at(tokens, k - 1, p + 1)
        if segment_name is not None and segment_name.kind == "name" and segment_name.first == p + 1:
            # "Trump’s chief of staff, Joe Kasper, told": the name is the appositive itself.
            before = np_ending_at(tokens, p - 1, lo)
            if before is not None and before.kind == "nominal":
                return segment_name, ""
        if not (
            first[1].lower() in _APPOS_START
            or first[1].isdigit()
            or (first[0] == WORD and first[1][0].islower())
            or first[1].endswith(("’", "'", "’s", "'s"))
            or _PARTY_STATE.match(first[1]) is not None
        ):
            return None, ""
        subject = np_ending_at(tokens, _skip_parenthesis(tokens, p - 1, lo), lo)
        if subject is None or subject.kind not in ("name", "nominal"):
            return None, ""
        role = tokens[k - 1][1].lower() if first[1].lower() in _DETS else ""
        return subject, role
    return np_ending_at(tokens, k, lo), ""


def _after_city(tokens: list[Token], first: int, lo: int) -> bool:
    """The name at ``first`` follows "in Columbus," ("in Columbus, Ohio"): a state, not a speaker."""
    comma = first - 1
    if comma - 1 < lo or tokens[comma][1] != "," or not _is_name_word(tokens[comma - 1]):
        return False
    if first + 1 >= len(tokens) or not _is_name_word(tokens[first]) or tokens[first + 1][1] != ",":
        return False  # "in Columbus, Ohio, said" (not "The mayor of Dayton, Ann Lee, said")
    start = _name_start(tokens, comma - 1, lo)
    return start - 1 >= lo and tokens[start - 1][1] in ("in", "of", "at", "from", "near")


def loose_nominal(tokens: list[Token], cue: int, lo: int) -> Mention | None:
    """ "“…,” the retired neurosurgeon told": any short determiner phrase right before the cue."""
    k = _skip_back(tokens, cue - 1, lo)
    if k <= lo or tokens[k][0] != WORD or not tokens[k][1].islower():
        return None
    if tokens[lo][1].lower() not in _DETS or k - lo > 5:
        return None
    if any(t[0] != WORD or t[1].lower() in _STOP_LOWER for t in tokens[lo + 1 : k + 1]):
        return None
    return Mention(lo, k, "nominal")


def np_after(tokens: list[Token], i: int, hi: int) -> Mention | None:
    """The noun phrase starting at token ``i`` ("said Sen. Ted Cruz", "according to officials")."""
    if i >= hi or tokens[i][0] != WORD:
        return None
    text = tokens[i][1]
    low = text.lower()
    if low in PRONOUNS and low != "it":
        return Mention(i, i, "pronoun")
    if low in _MODIFIERS and i + 1 < hi:
        if _is_name_word(tokens[i + 1]):
            inner = np_after(tokens, i + 1, hi)  # "former Rep. George Miller"
        else:
            inner = _role_then_name(tokens, i + 1, hi)  # "former secretary of state Ann Lee"
        return inner if inner is not None and inner.kind == "name" else None
    j = i
    if (
        text in STOP_CAPS
        and text in _FIRST_NAME_WORDS
        and i + 1 < hi
        and _is_name_word(tokens[i + 1])
        and tokens[i + 1][1] not in STOP_CAPS
    ):
        j = i + 1  # "Will Doyle", "Hope Hicks": a first name that is also a common word
        text = tokens[j][1]
    if _is_name_word(tokens[j]) and not text.endswith(("’s", "'s")):
        while j + 1 < hi:
            nxt = tokens[j + 1]
            if _is_name_word(nxt) and not tokens[j][1].endswith(("’s", "'s")):
                j += 1
            elif (
                nxt[1] == "." and _is_title_abbrev(tokens, j) and j + 2 < hi and _is_name_word(tokens[j + 2])
            ):
                j += 2
            elif (nxt[1] in _PARTICLES or (nxt[1] == "of" and tokens[j][1] in TITLES)) and (
                j + 2 < hi and _is_name_word(tokens[j + 2])
            ):
                j += 2  # "Ana dos Santos", "Secretary of State Ann Lee"
            elif _ORDINAL.match(nxt[1]) and _is_title_abbrev(tokens, j + 2):
                j += 1  # "Air Force 1st Lt. Tyler Moss"
            else:
                break
        if tokens[j][1] in TITLES:
            tail = _title_tail(tokens, j, hi)  # "Gov. and party Chairman Ed Rendell"
            if tail is not None:
                return Mention(i, tail, "name")
        if tokens[j][1].endswith(("’s", "'s")):
            return _nominal_after(tokens, i, j + 1, hi)
        for gap in (1, 2):
            # "Democratic pollster Stan Greenberg": the role noun sits between modifier and name.
            k = j + gap + 1
            if (
                k < hi
                and _is_head(tokens[j + gap][1])
                and all(
                    tokens[j + g][0] == WORD
                    and tokens[j + g][1].islower()
                    and tokens[j + g][1] not in _STOP_LOWER
                    and tokens[j + g][1] not in FINITE_CUES
                    for g in range(1, gap + 1)
                )
                and _is_name_word(tokens[k])
                and tokens[k][1] not in STOP_CAPS
            ):
                inner = np_after(tokens, k, hi)
                if inner is not None and inner.kind == "name":
                    return inner
        return Mention(i, j, "name")
    if low in _DETS or (text[0].isupper() and text.endswith(("’s", "'s")) and text[:-2] not in STOP_CAPS):
        # "the senator", "Clinton’s top aide Jake Sullivan", "Cleveland’s Plain Dealer"
        return _nominal_after(tokens, i, i + 1, hi)
    for gap in (0, 1):
        # "said conservative activist Bob Klane", "said spokesman John Kirby": role noun, then name.
        k = i + gap + 1
        if (
            k < hi
            and text.islower()
            and _is_head(tokens[i + gap][1])
            and (gap == 0 or (text not in _STOP_LOWER and text not in FINITE_CUES))
            and _is_name_word(tokens[k])
            and tokens[k][1] not in STOP_CAPS
        ):
            inner = np_after(tokens, k, hi)
            if inner is not None and inner.kind == "name":
                return inner
    if low in NOMINAL_HEADS:
        return Mention(i, i, "nominal")
    return None


def _title_tail(tokens: list[Token], j: int, hi: int) -> int | None:
    """Last token of the name after a list of titles ending at ``j`` ("Gov. and Chairman Ed Rendell")."""
    k = j + 1
    if k < hi and tokens[k][1] == ".":
        k += 1
    if k + 1 >= hi or tokens[k][1] not in ("and", "&"):
        return None
    # a short window: names are short, and "Gov. and Gov. and …" must not recurse without end
    inner = np_after(tokens, k + 1, min(hi, k + 9))
    if inner is None or inner.kind != "name" or tokens[inner.last][1] in TITLES:
        return None
    return inner.last


def _role_then_name(tokens: list[Token], p: int, hi: int) -> Mention | None:
    """The name after a lower-case role phrase at ``p`` ("secretary of state Ann Lee")."""
    has_head = False
    for q in range(p, min(hi, p + 6)):
        tok = tokens[q]
        if tok[0] != WORD:
            return None
        if _is_name_word(tok) and tok[1] not in STOP_CAPS:
            return np_after(tokens, q, hi) if has_head and tokens[q - 1][1] != "of" else None
        low = tok[1]
        if not low.islower() or (low in _STOP_LOWER and low != "of") or low in FINITE_CUES:
            return None
        if low == "of" and (q == p or tokens[q - 1][1] == "of"):
            return None
        has_head = has_head or _is_head(low)
    return None


def _nominal_after(tokens: list[Token], first: int, j: int, hi: int) -> Mention | None:
    if tokens[first][1].lower() == "that" and j < hi and tokens[j][1].lower() in _CLAUSE_OR_DET:
        return None  # "note that he had just bought …": a clause, not a noun phrase
    last = None
    while j < hi and j - first < 10 and tokens[j][0] == WORD:
        low = tokens[j][1].lower()
        if (
            (low in _STOP_LOWER and low not in ("for", "of", "to", "at", "with"))
            or low in _CLAUSE_WORDS
            or low.endswith(("n’t", "n't"))
            or (low.endswith("ed") and tokens[j - 1][1][0].isupper() and tokens[j][1].islower())
        ):
            break  # "the Bar Association completed …": a verb after a name ends the phrase
        last = j
        j += 1
        if (
            j + 1 < hi
            and tokens[j][1] == "."
            and _is_title_abbrev(tokens, j - 1)
            and _is_name_word(tokens[j + 1])
        ):
            j += 1  # "secretary William J. Bennett": an initial inside the name
    if last is None:
        return None
    while last > first and tokens[last][1].lower() in _PREPS:
        last -= 1
    if _is_name_word(tokens[last]) and last > first:
        # "Clinton’s top foreign policy aide Jake Sullivan": the name at the end is the speaker.
        start = _name_start(tokens, last, first + 1)
        while start < last and tokens[start][1].endswith(("’s", "'s")):
            start += 1  # "The Ledger’s Tom Barr": the name after the possessive
        before = tokens[start - 1]
        # "aide Jake Sullivan", and "The Ledger’s Tom Barr" (not "The Ledger’s Press Club")
        possessive = before[1].endswith(("’s", "'s")) and tokens[last][1] not in ORG_WORDS
        if (
            start <= last
            and before[0] == WORD
            and (before[1].islower() or possessive)
            and before[1] not in _DETS
            and before[1] not in _STOP_LOWER
        ):
            return Mention(start, last, "name")
    return Mention(first, last, "nominal")


def _skip_dateline(tokens: list[Token], lo: int, hi: int) -> int:
    """Index after a dateline such as "Paris (AFP) –" or "Austin, Texas (AP) —"; else ``lo``."""
    for k in range(lo, min(hi, lo + 8)):
        if tokens[k][1] == "(":
            close = k + 2
            if (
                close + 1 < hi
                and tokens[k + 1][1].isupper()
                and len(tokens[k + 1][1]) >= 2  # "(AP)", "(AFP)"; "(R) —" is a party label
                and tokens[close][1] == ")"
                and tokens[close + 1][1] in ("—", "–", "-")
            ):
                return close + 2
            return lo
        if not (_is_name_word(tokens[k]) or tokens[k][1] in (",", ".")):
            return lo
    return lo


def clause_subject(tokens: list[Token], lo: int, hi: int) -> Mention | None:
    """Name or pronoun subject of the clause starting at ``lo`` (for "..., saying")."""
    i = _skip_dateline(tokens, lo, hi)
    while i < hi and (tokens[i][0] != WORD or tokens[i][1] in _LEADERS):
        i += 1
    if i >= hi:
        return None
    if tokens[i][1].lower() in _DETS:
        # "The Florida senator sought to calm …, saying": a short determiner phrase.
        for last in range(i + 1, min(i + 4, hi - 1)):
            word = tokens[last][1]
            if tokens[last][0] != WORD or word.lower() in _STOP_LOWER:
                break
            if _is_head(word) and tokens[last + 1][0] == WORD and tokens[last + 1][1].islower():
                return Mention(i, last, "nominal")
    head = np_after(tokens, i, hi)
    if head is not None and head.first == head.last and tokens[i][1].endswith(("ed", "ing", "ly")):
        head = None  # "Reached by phone, ..." starts with no name
    if head is not None and head.kind in ("name", "pronoun"):
        nxt = tokens[head.last + 1] if head.last + 1 < len(tokens) else None
        if nxt is None or (nxt[0] == WORD and nxt[1][0].islower()) or nxt[1] in (",", "(", ":"):
            return head
    # "On Monday, Trump released a statement, saying": try after the first comma.
    for j in range(i, hi):
        if tokens[j][1] == ",":
            head = np_after(tokens, j + 1, hi)
            if head is not None and head.kind in ("name", "pronoun"):
                nxt = tokens[head.last + 1] if head.last + 1 < hi else None
                if nxt is not None and nxt[0] == WORD and nxt[1][0].islower():
                    return head
            break
    return None
