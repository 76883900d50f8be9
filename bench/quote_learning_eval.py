"""Could a model learned from the training split lift quote attribution past the rules? (experiment)

Usage: ``python bench/quote_learning_eval.py <train-split-dir> [--folds 5] [--min-count 5]``

Run on the PolNeAR *training* split only: everything here is cross-validated inside it (folds by
article), so no dev text is seen. Two learned layers on top of ``extract_quotes`` are measured:

1. fallback: for each found quotation the rules leave without a source, the noun phrases of its
   sentence (names, pronouns, role nouns, found with the rules' own ``np_after``) are candidates;
   a logistic model over simple features (side, nearness, the words and punctuation around the
   phrase, what kind of quotation) picks the best one, accepted above a threshold. Reported: how
   many sources it adds and how many of them are right, at each threshold.
2. veto: for each quotation the rules do attribute, a logistic model over features of the
   mention (kind, side, distance, a speech verb in between, quotation length, resolved name)
   predicts whether the rules are right; dropping the least likely ones trades attribution for
   speaker precision. Reported: right and wrong attributions dropped at each cut.

Feature names hold only lower-case words, punctuation and coarse classes. Neither layer is used by
the bot: at no threshold did the fallback's added sources reach the rules' own precision, and
the veto dropped 5 or more right attributions per wrong one (see the closing note of issue 4).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from quotes_eval import Doc, load_split  # noqa: E402

from bot.models import Quote  # noqa: E402
from bot.text.quote_attribution import split_sentences  # noqa: E402
from bot.text.quote_cues import PUNCT, QUOTE, WORD, Mention, Token, is_cue_at, np_after, tokenize  # noqa: E402
from bot.text.quote_marks import find_quote_spans  # noqa: E402
from bot.text.quote_speakers import Speakers  # noqa: E402
from bot.text.quote_words import FINITE_CUES, PARTICIPLES  # noqa: E402
from bot.text.quotes import extract_quotes  # noqa: E402

Row = tuple[tuple[str, ...], int]  # features, label
_CLAUSE_MARKS = frozenset(", ; : — – ( that who which and but".split())
_PRONOUNS = frozenset("he she they i we it you".split())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _word_class(tok: Token | None) -> str:
    if tok is None:
        return "EDGE"
    if tok[0] == QUOTE:
        return "QUOTE"
    if tok[0] == PUNCT:
        return tok[1]
    if tok[1][:1].isupper():
        return "CAP"
    if tok[1][:1].isdigit():
        return "NUM"
    return tok[1].lower()


def _suffix(tok: Token | None) -> str:
    if tok is None or tok[0] != WORD or not tok[1].islower():
        return "none"
    return next((end for end in ("ing", "ed", "s") if tok[1].endswith(end)), "other")


def _sentence_of(text: str, quote: Quote) -> tuple[list[Token], int, int, int] | None:
    """Tokens of the quotation's paragraph, its token index and its sentence range."""
    lo = text.rfind("\n", 0, quote.start) + 1
    hi = text.find("\n", quote.start)
    hi = len(text) if hi < 0 else hi
    spans = find_quote_spans(text, lo, hi)
    tokens = tokenize(text, lo, hi, [(s.open_at, s.close_end) for s in spans])
    qi = next((i for i, t in enumerate(tokens) if t[0] == QUOTE and t[2] <= quote.start < t[3]), None)
    if qi is None:
        return None
    for s_lo, s_hi in split_sentences(tokens, text):
        if s_lo <= qi < s_hi:
            return tokens, qi, s_lo, s_hi
    return None


def _candidates(
    art: Speakers, tokens: list[Token], qi: int, lo: int, hi: int
) -> list[tuple[int, int, list[str]]]:
    """(start, end, features) of the noun phrases before (30 tokens) and after (15) the quotation."""
    spans: list[tuple[Mention, str]] = []
    covered = -1
    for i in range(max(lo, qi - 30), qi):
        mention = np_after(tokens, i, qi) if i > covered else None
        if mention is not None:
            spans.append((mention, "before"))
            covered = mention.last
    covered = qi
    for i in range(qi + 1, min(hi, qi + 16)):
        if tokens[i][0] == QUOTE:
            break
        mention = np_after(tokens, i, hi) if i > covered else None
        if mention is not None:
            spans.append((mention, "after"))
            covered = mention.last
    inner = art.text[tokens[qi][2] : tokens[qi][3]].strip("“”\"‘’' ")
    quote_feats = [
        "q_len" + _bucket(len(inner.split()), (1, 3, 8, 20)),
        "q_cap" if inner[:1].isupper() else "q_low",
        "q_before=" + _word_class(tokens[qi - 1] if qi > lo else None),
        "q_after=" + _word_class(tokens[qi + 1] if qi + 1 < hi else None),
        "s_cue" if any(is_cue_at(tokens, c) for c in range(lo, hi)) else "s_nocue",
    ]
    before = [m for m, side in spans if side == "before"]
    out = []
    for mention, side in spans:
        first, last, kind = mention.first, mention.last, mention.kind
        start, end = tokens[first][2], tokens[last][3]
        prev = tokens[first - 1] if first > lo else None
        nxt = tokens[last + 1] if last + 1 < hi else None
        if side == "before":
            near, gap, between = len(before) - 1 - before.index(mention), qi - last - 1, tokens[last + 1 : qi]
        else:
            near = sum(1 for m, s in spans if s == "after" and m.first < first)
            gap, between = first - qi - 1, tokens[qi + 1 : first]
        feats = [
            "kind=" + kind,
            "side=" + side,
            f"{side}_{kind}_near" + _bucket(near, (0, 1, 2)),
            f"{side}_gap" + _bucket(gap, (0, 1, 3, 6, 10, 20)),
            "prev=" + _word_class(prev),
            "next=" + _word_class(nxt),
            "next_suffix=" + _suffix(nxt),
            f"{kind}_next=" + _word_class(nxt),
            "clause_first" if prev is None or prev[1].lower() in _CLAUSE_MARKS else "in_clause",
            "comma_between" if any(t[1] in (",", ";", "—") for t in between) else "no_comma",
            "possessive" if art.text[start:end].endswith(("’s", "'s")) else "plain",
        ]
        if kind == "name":
            full = art.names.resolve(art.text[start:end])
            feats.append("unresolved" if full is None else "full" if " " in full else "single")
        feats += quote_feats + [f"{side}|{f}" for f in quote_feats[:3]]
        out.append((start, end, feats))
    return out


def _veto_features(text: str, quote: Quote) -> list[str]:
    assert quote.speaker_start is not None and quote.speaker_end is not None
    s0, s1 = quote.speaker_start, quote.speaker_end
    surface = text[s0:s1]
    kind = "pron" if surface.lower() in _PRONOUNS else "name" if surface[:1].isupper() else "nominal"
    side = "before" if s1 <= quote.start else "after"
    gap = text[s1 : quote.start] if side == "before" else text[quote.end : s0]
    gap_words = re.findall(r"\w+", gap)
    feats = [
        "gap_words" + _bucket(len(gap_words), (0, 1, 2, 4, 8, 15, 30)),
        "other_paragraph" if "\n" in gap else "same_paragraph",
        "cue_between" if any(w in FINITE_CUES or w in PARTICIPLES for w in gap_words) else "no_cue",
        "q_" + quote.kind,
        "q_len" + _bucket(len(quote.text.split()), (1, 3, 8, 20)),
        "no_name" if quote.speaker is None else "full" if " " in quote.speaker else "single",
        "possessive" if surface.endswith(("'s", "’s")) else "plain",
        "mention_words" + _bucket(len(surface.split()), (1, 2, 3, 5)),
    ]
    return ["kind=" + kind, "side=" + side, f"{kind}_{side}"] + feats + [f"{kind}|{f}" for f in feats]


def article_rows(doc: Doc) -> tuple[list[list[Row]], list[Row]]:
    """Fallback groups (one per unattributed found quotation) and veto rows of one article."""
    art = Speakers(doc.text, [])
    quotes = [q for q in extract_quotes(doc.text) if q.kind in ("direct", "partial")]
    groups: list[list[Row]] = []
    veto: list[Row] = []
    for gold in doc.quotes:
        length = gold.span[1] - gold.span[0]
        best = max(quotes, key=lambda q: _overlap((q.start, q.end), gold.span), default=None)
        if best is None or 2 * _overlap((best.start, best.end), gold.span) < length:
            continue
        sources = gold.attribution.sources
        if best.speaker_start is not None and best.speaker_end is not None:
            right = any(_overlap((best.speaker_start, best.speaker_end), s) > 0 for s in sources)
            veto.append((tuple(_veto_features(doc.text, best)), int(right)))
            continue
        found = _sentence_of(doc.text, best)
        if found is None:
            continue
        cands = _candidates(art, *found)
        rows = [(tuple(f), int(any(_overlap((a, b), s) > 0 for s in sources))) for a, b, f in cands]
        if rows:
            groups.append(rows)
    return groups, veto


def train(
    rows: list[Row], min_count: int, epochs: int = 12, l2: float = 1e-4
) -> tuple[dict[str, float], float]:
    """Logistic regression by AdaGrad over binary features seen at least ``min_count`` times."""
    counts = Counter(f for feats, _ in rows for f in feats)
    weights = {f: 0.0 for f, n in counts.items() if n >= min_count}
    squares = dict.fromkeys(weights, 1e-8)
    bias, bias_square, rate = 0.0, 1e-8, 0.3
    order = list(range(len(rows)))
    rng = random.Random(0)
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            feats, label = rows[k]
            active = [f for f in feats if f in weights]
            g = _probability(weights, bias, active) - label
            bias_square += g * g
            bias -= rate * g / math.sqrt(bias_square)
            for f in active:
                gf = g + l2 * weights[f]
                squares[f] += gf * gf
                weights[f] -= rate * gf / math.sqrt(squares[f])
    return weights, bias


def _probability(weights: dict[str, float], bias: float, feats: tuple[str, ...] | list[str]) -> float:
    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    args = parser.parse_args()
    per_doc = [article_rows(doc) for doc in load_split(args.split)]
    folds = args.folds
    held_fallback: list[tuple[float, int]] = []
    held_veto: list[tuple[float, int]] = []
    for fold in range(folds):
        rest = [d for k, d in enumerate(per_doc) if k % folds != fold]
        w_f, b_f = train([r for groups, _ in rest for g in groups for r in g], args.min_count)
        w_v, b_v = train([r for _, veto in rest for r in veto], args.min_count)
        for k, (groups, veto) in enumerate(per_doc):
            if k % folds == fold:
                held_fallback += [max((_probability(w_f, b_f, f), lab) for f, lab in g) for g in groups]
                held_veto += [(_probability(w_v, b_v, f), lab) for f, lab in veto]
    right = sum(lab for _, lab in held_veto)
    wrong = len(held_veto) - right
    groups_n = len(held_fallback)
    reachable = sum(1 for groups, _ in per_doc for g in groups if any(lab for _, lab in g))
    total = right + wrong + groups_n
    print(
        f"found quotations with a gold source or none: {total}; rules: {right} right, {wrong} wrong, "
        f"{groups_n} without a source ({reachable} with a right candidate)"
    )
    precision = right / (right + wrong)
    print(f"rules alone: attribution (of these) {right / total:.3f}, speaker precision {precision:.3f}")
    print("\n1. fallback (cross-validated): accept the best candidate when p >= threshold")
    print(" threshold  added  right  precision(added)  attribution  speaker-precision")
    held_fallback.sort(reverse=True)
    for cut in (0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3):
        added = [lab for p, lab in held_fallback if p >= cut]
        ok = sum(added)
        print(
            f"  {cut:8.2f}  {len(added):5d}  {ok:5d}  {ok / max(1, len(added)):16.3f}  "
            f"{(right + ok) / total:11.3f}  {(right + ok) / (right + wrong + len(added)):17.3f}"
        )
    print("\n2. veto (cross-validated): drop the rule attributions least likely to be right")
    print(" dropped  right  wrong  attribution  speaker-precision")
    held_veto.sort()
    for n in (25, 50, 100, 200, 400, 800):
        dropped = held_veto[:n]
        lost = sum(lab for _, lab in dropped)
        print(
            f"  {n:6d}  {lost:5d}  {n - lost:5d}  {(right - lost) / total:11.3f}  "
            f"{(right - lost) / max(1, right + wrong - n):17.3f}"
        )


if __name__ == "__main__":
    main()
