"""Quote attribution benchmark on a PolNeAR split (brat standoff), as defined in issue 4.

Usage: ``python bench/quotes_eval.py <split-dir> [--no-who-said]`` where ``<split-dir>`` holds
``text/*.txt`` and ``attributions/*.ann``. One annotation file per article (the first in sorted order).

Gold quoted spans are the quote-mark-delimited pieces of every gold Content that holds quotation
marks (split at paragraph breaks, since a multi-paragraph quotation reopens on each paragraph).
Metrics, for ``bot.text.quotes.extract_quotes`` and, in the same run, a naive regex baseline:

1. quote recall: a gold quoted span is found when one extracted direct/partial quote covers at
   least 50% of its characters; precision: extracted direct/partial quotes with a speaker that lie
   at least 50% inside some gold Content of the article.
2. speaker attribution: among found quotes, the share whose speaker_start/speaker_end overlaps the
   gold Source (a gold quote with no Source counts as right when no speaker is given); speaker
   precision: the same share among found quotes that have a speaker mention.
3. full-name resolution: among found quotes whose gold Source is a proper name, the share whose
   ``speaker`` equals the fullest form of that name in the article (the longest capitalised name
   with the same last token containing the Source's name tokens; titles and descriptors such as
   "Founder" or "Actress" dropped, and a run cut after a capitalised function word, so "Reporting
   On Carson" gives "Carson").
4. who-said top-1: for each found gold quote of at least 5 words with a gold Source, its middle
   5-8 words are searched with ``bot.storage.search.search_quotes`` over an in-memory SQLite of
   all articles; the top hit is right when it is this quote with a mention overlapping the gold
   Source (metric 2) or its speaker equals the gold full name (metric 3). Also reported: the
   stricter share where the top hit also has a named speaker.
5. exact-span Source F1 over all attributions (predicted: distinct speaker mention spans).
Also shown: quote recall counting only quotes that carry a speaker, speaker coverage (share of
found quotes with a speaker mention) and speaker attribution over all gold quoted spans.
And the speed of extract_quotes in articles per second on one core.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.models import Quote  # noqa: E402
from bot.storage.migrations import migrate  # noqa: E402
from bot.storage.search import search_quotes  # noqa: E402
from bot.text.quotes import extract_quotes  # noqa: E402

Span = tuple[int, int]


@dataclass
class Attribution:
    sources: list[Span]
    contents: list[Span]
    source_text: str = ""


@dataclass
class GoldQuote:
    span: Span
    attribution: Attribution
    full_name: str | None = None  # fullest form when the Source is a proper name


@dataclass
class Doc:
    name: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)


# ---------------------------------------------------------------- loading


def _parse_ann(path: Path) -> list[Attribution]:
    records: dict[str, list[str]] = {}
    last = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if re.match(r"^[TE#]\d+\t", line):
            parts = line.split("\t")
            records[parts[0]] = parts
            last = parts[0]
        elif last is not None and last in records:
            records[last][-1] += "\n" + line

    def spans(tid: str) -> list[Span]:
        label = records[tid][1]
        _, _, rest = label.partition(" ")
        out = []
        for frag in rest.split(";"):
            a, b = frag.split()
            out.append((int(a), int(b)))
        return out

    result = []
    for rid, parts in records.items():
        if not rid.startswith("E"):
            continue
        roles: dict[str, list[str]] = {}
        for item in parts[1].split():
            role, _, target = item.partition(":")
            roles.setdefault(re.sub(r"\d+$", "", role), []).append(target)
        sources = [s for t in roles.get("Source", []) if t in records for s in spans(t)]
        contents = [s for t in roles.get("Content", []) if t in records for s in spans(t)]
        text = " ".join(records[t][2] for t in roles.get("Source", []) if t in records)
        if contents:
            result.append(Attribution(sources, contents, text))
    return result


_DOUBLE = re.compile(r"[“”\"]")


def _quoted_pieces(text: str, a: int, b: int) -> list[Span]:
    """Quote-mark-delimited pieces of text[a:b], one list per paragraph piece."""
    out: list[Span] = []
    for m in re.finditer(r"[^\n]+", text[a:b]):
        lo, hi = a + m.start(), a + m.end()
        marks = [x.start() for x in _DOUBLE.finditer(text, lo, hi)]
        if not marks:
            continue
        opened = None
        for pos in marks:
            ch = text[pos]
            before = text[pos - 1] if pos > 0 else " "
            is_open = ch == "“" or (ch == '"' and (before.isspace() or before in "([—-:") and opened is None)
            if is_open and opened is None:
                opened = pos + 1
            elif not is_open:
                start = opened if opened is not None else lo
                out.append((start, pos))
                opened = None
        if opened is not None:
            out.append((opened, hi))
    cleaned = []
    for s, e in out:
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not text[e - 1].isalnum():
            e -= 1
        if e > s:
            cleaned.append((s, e))
    return cleaned


# The gold full name is derived with the bench's own word lists (independent of bot.text.names).
_GOLD_TITLES = set(
    """mr mrs ms miss dr sen sens senator rep reps representative congressman congresswoman gov
    governor president vice former secretary speaker judge justice gen general rev reverend prof
    professor mayor chairman chairwoman chair director ambassador minister prime commissioner
    capt captain col lt sgt adm sir dame lord lady chief leader attorney sheriff candidate
    nominee presidential host anchor pastor rabbi pope king queen prince spokesman spokeswoman
    strategist adviser aide manager chancellor premier councilman assemblyman delegate
    republican republicans democrat democratic gop independent libertarian founder co-founder
    counsel fr editor editor-in-chief state rival comedian actress actor billionaire
    businessman""".split()
)
_GOLD_STOP_CAPS = set(
    """the a an but and or so yet in on at for if when while as after before this that these
    those it he she they we i you his her their our its my your there here then now also still
    meanwhile however even since with without despite during by from to of asked what who why
    how where which some many most both each every other another one no not although though
    because until unless instead indeed later earlier last next according under over among
    between through into about against like just only all any such well is was has have had
    will would can could should did do does monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december
    sept jan feb aug oct nov dec today yesterday""".split()
)
_GOLD_PRONOUNS = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "who",
    "his",
    "her",
    "their",
    "a",
    "an",
    "one",
    "this",
    "that",
    "these",
    "those",
    "some",
    "many",
    "another",
    "both",
    "all",
    "its",
    "the",
}
_CAP_TOKEN = re.compile(r"[A-Z][\w’'\-]*\.?")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "fr",
    "rev",
    "prof",
    "capt",
    "col",
    "lt",
    "sgt",
    "adm",
    "st",
    "jr",
    "sr",
    "sens",
    "reps",
}


def _cap_sequences(text: str, start: int) -> list[tuple[int, str]]:
    """Runs of capitalised tokens on one line; a full stop ends a run unless it ends a title."""
    out: list[tuple[int, str]] = []
    run: list[str] = []
    run_start = 0
    end = -1
    for m in _CAP_TOKEN.finditer(text, start):
        tok = m.group()
        gap = text[end : m.start()] if end >= 0 else ""
        joined = bool(run) and gap.strip(" \t") == "" and "\n" not in gap and gap != ""
        if run and not joined:
            out.append((run_start, " ".join(run)))
            run = []
        if not run:
            run_start = m.start()
        bare = tok.rstrip(".")
        if tok.endswith(".") and not (bare.lower() in _ABBREVIATIONS or len(bare) == 1):
            run.append(bare)
            out.append((run_start, " ".join(run)))
            run = []
            end = -1
            continue
        run.append(tok)
        end = m.end()
    if run:
        out.append((run_start, " ".join(run)))
    return out


def _name_tokens(raw: str) -> list[str]:
    """Name tokens of a capitalised sequence: possessive, leading stop words and titles dropped."""
    tokens = [t.rstrip(",") for t in raw.split()]
    tokens = [t for t in tokens if t]
    if tokens:
        tokens[-1] = re.sub(r"[’']s?$", "", tokens[-1])
    start = 0
    for i, tok in enumerate(tokens):
        low = tok.lower().rstrip(".")
        if (
            low in _GOLD_TITLES
            or (low in _GOLD_STOP_CAPS and (i == start or (i + 1 < len(tokens) and tok[:1].isupper())))
            or tok.endswith(("’s", "'s", "’", "'"))
            or (i == start and tok.isupper() and len(tokens) - i > 2)
        ):
            start = i + 1
    tokens = [t for t in tokens[start:] if t]
    while tokens and tokens[-1].lower().rstrip(".") in _GOLD_STOP_CAPS:
        tokens.pop()
    return tokens


def _proper_source(text: str) -> list[str] | None:
    """Name tokens when a gold Source is a proper name, else None."""
    if "\n" in text or "," in text or "(" in text:
        return None
    words = text.split()
    if not words or words[0].lower() in _GOLD_PRONOUNS:
        return None
    tokens = _name_tokens(text)
    if not tokens or len(tokens) > 5:
        return None
    if all(t[:1].isupper() for t in tokens):
        return tokens
    return None


def _fullest(doc_text: str, tokens: list[str]) -> str:
    counts: dict[tuple[str, ...], list[int]] = {}
    body_start = doc_text.find("\n")  # the first line is the headline
    for pos, seq in _cap_sequences(doc_text, max(body_start, 0)):
        name = tuple(_name_tokens(seq))
        if 0 < len(name) <= 4:
            counts.setdefault(name, [0, pos])[0] += 1
    want = set(tokens)
    best = tuple(tokens)
    best_key = (len(best), 0, 0)
    for name, (count, first) in counts.items():
        if name[-1] == tokens[-1] and want.issubset(name):
            key = (len(name), count, -first)
            if key > best_key:
                best, best_key = name, key
    if len(best) == 1:
        longer = {n for n in counts if len(n) > 1 and n[0] == best[0]}
        if len(longer) == 1:
            best = next(iter(longer))
    return " ".join(best)


def load_split(split: Path) -> list[Doc]:
    docs = []
    chosen: dict[str, Path] = {}
    for ann in sorted((split / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, ann)
    for article, ann in sorted(chosen.items()):
        text = (split / "text" / f"{article}.txt").read_text(encoding="utf-8")
        doc = Doc(article, text, _parse_ann(ann))
        for attr in doc.attributions:
            pieces: list[Span] = []
            for a, b in attr.contents:
                pieces.extend(_quoted_pieces(text, a, b))
            full = None
            if attr.sources:
                tokens = _proper_source(attr.source_text)
                if tokens:
                    full = _fullest(text, tokens)
            for piece in pieces:
                doc.quotes.append(GoldQuote(piece, attr, full))
        docs.append(doc)
    return docs


# ---------------------------------------------------------------- baseline

_Q = r"[“\"]([^”\"\n]+?)[,”\"]*[”\"]"
_WHO = r"([A-Z][\w’'.\-]+(?: [A-Z][\w’'.\-]+)*|[Hh]e|[Ss]he|[Tt]hey)"
_BASE_AFTER = re.compile(_Q + r"\s+" + _WHO + r"\s+(?:said|says)")
_BASE_BEFORE = re.compile(_WHO + r"\s+(?:said|says)[,:]\s+" + _Q)


def baseline_quotes(text: str) -> list[Quote]:
    """The naive regex of issue 4: “…,” X said / X said: “…”; the speaker is the mention as written."""
    out = []
    for m in _BASE_AFTER.finditer(text):
        who = m.group(2).strip()
        out.append(Quote(m.group(1), m.start(1), m.end(1), who, m.start(2), m.start(2) + len(who), "direct"))
    for m in _BASE_BEFORE.finditer(text):
        who = m.group(1).strip()
        out.append(Quote(m.group(2), m.start(2), m.end(2), who, m.start(1), m.start(1) + len(who), "direct"))
    return out


# ---------------------------------------------------------------- scoring


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _ratio(n: int, d: int) -> float:
    return n / d if d else 0.0


def evaluate(docs: list[Doc], extracted: list[list[Quote]], who_said: bool) -> dict[str, object]:
    found_attributed = 0
    gold_total = found = speaker_ok = with_speaker = speaker_ok_with = 0
    name_total = name_ok = 0
    pred_total = pred_ok = 0
    src_gold: set[tuple[int, int, int]] = set()
    src_pred: set[tuple[int, int, int]] = set()
    found_items: list[tuple[int, GoldQuote, Quote]] = []
    for d, (doc, quotes) in enumerate(zip(docs, extracted, strict=True)):
        marked = [q for q in quotes if q.kind in ("direct", "partial")]
        for gq in doc.quotes:
            gold_total += 1
            length = gq.span[1] - gq.span[0]
            best = max(marked, key=lambda q: _overlap((q.start, q.end), gq.span), default=None)
            if best is None or 2 * _overlap((best.start, best.end), gq.span) < length:
                continue
            found += 1
            found_items.append((d, gq, best))
            found_attributed += best.speaker_start is not None
            has = best.speaker_start is not None and best.speaker_end is not None
            if gq.attribution.sources:
                right = has and any(
                    _overlap((best.speaker_start or 0, best.speaker_end or 0), s) > 0
                    for s in gq.attribution.sources
                )
            else:
                right = not has
            speaker_ok += right
            if has:
                with_speaker += 1
                speaker_ok_with += right
            if gq.full_name is not None:
                name_total += 1
                name_ok += best.speaker == gq.full_name
        contents = [c for attr in doc.attributions for c in attr.contents]
        for q in marked:
            if q.speaker is None and q.speaker_start is None:
                continue
            pred_total += 1
            inside = sum(_overlap((q.start, q.end), c) for c in contents)
            pred_ok += 2 * inside >= q.end - q.start
        for attr in doc.attributions:
            if attr.sources:
                src_gold.add((d, attr.sources[0][0], attr.sources[-1][1]))
        for q in quotes:
            if q.speaker_start is not None and q.speaker_end is not None:
                src_pred.add((d, q.speaker_start, q.speaker_end))
    tp = len(src_gold & src_pred)
    p, r = _ratio(tp, len(src_pred)), _ratio(tp, len(src_gold))
    result: dict[str, object] = {
        "gold quoted spans": gold_total,
        "quote recall": _ratio(found, gold_total),
        "quote recall (with a speaker)": _ratio(found_attributed, gold_total),
        "quote precision": _ratio(pred_ok, pred_total),
        "speaker attribution": _ratio(speaker_ok, found),
        "speaker precision": _ratio(speaker_ok_with, with_speaker),
        "speaker coverage": _ratio(with_speaker, found),
        "speaker attribution (all gold)": _ratio(speaker_ok, gold_total),
        "full-name resolution": _ratio(name_ok, name_total),
        "full-name items": name_total,
        "exact Source F1": _ratio(2 * p * r, p + r),
    }
    if who_said:
        result.update(_who_said(docs, extracted, found_items))
    return result


def _who_said(
    docs: list[Doc], extracted: list[list[Quote]], found_items: list[tuple[int, GoldQuote, Quote]]
) -> dict[str, object]:
    conn = sqlite3.connect(":memory:")
    migrate(conn)
    stored: dict[int, tuple[int, Quote]] = {}
    for d, (doc, quotes) in enumerate(zip(docs, extracted, strict=True)):
        cur = conn.execute(
            "INSERT INTO articles (scope, url, title, published, fetched_at, text)"
            " VALUES ('bench', ?, ?, NULL, 0, ?)",
            (doc.name, doc.text.split("\n", 1)[0], doc.text),
        )
        article_id = cur.lastrowid
        for pos, q in enumerate(quotes):
            mention = (
                doc.text[q.speaker_start : q.speaker_end]
                if q.speaker_start is not None and q.speaker_end is not None
                else None
            )
            row = conn.execute(
                "INSERT INTO quotes (article_id, position, text, speaker, mention, kind, start, end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, pos, q.text, q.speaker, mention, q.kind, q.start, q.end),
            )
            stored[int(row.lastrowid or 0)] = (d, q)
    asked = right = named = 0
    for d, gq, _ in found_items:
        if not gq.attribution.sources:
            continue
        words = docs[d].text[gq.span[0] : gq.span[1]].split()
        if len(words) < 5:
            continue
        size = min(8, len(words))
        mid = (len(words) - size) // 2
        window = " ".join(words[mid : mid + size])
        asked += 1
        hits = search_quotes(conn, window, limit=1)
        if not hits:
            continue
        hit_doc, hit = stored[hits[0].quote_id]
        by_span = (
            hit_doc == d
            and _overlap((hit.start, hit.end), gq.span) > 0
            and hit.speaker_start is not None
            and any(
                _overlap((hit.speaker_start, hit.speaker_end or 0), s) > 0 for s in gq.attribution.sources
            )
        )
        by_name = gq.full_name is not None and hit.speaker == gq.full_name
        if by_span or by_name:
            right += 1
            named += hit.speaker is not None
    conn.close()
    return {
        "who-said queries": asked,
        "who-said top-1": _ratio(right, asked),
        "who-said top-1 (named speaker)": _ratio(named, asked),
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--no-who-said"]
    who_said = len(args) == len(argv) - 1
    if len(args) != 1:
        print(__doc__)
        return 2
    docs = load_split(Path(args[0]))
    words = sum(len(doc.text.split()) for doc in docs)
    extracted = [extract_quotes(doc.text) for doc in docs]
    rounds = 3
    started = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            extract_quotes(doc.text)
    ours_rate = rounds * len(docs) / (time.perf_counter() - started)
    started = time.perf_counter()
    baseline = [baseline_quotes(doc.text) for doc in docs]
    base_rate = len(docs) / max(time.perf_counter() - started, 1e-9)
    ours = evaluate(docs, extracted, who_said=who_said)
    base = evaluate(docs, baseline, who_said=who_said)
    print(f"split: {args[0]}  articles: {len(docs)}  mean words/article: {words / len(docs):.0f}")
    print(f"{'metric':34} {'newsbot':>9} {'naive regex':>12}")
    for key in ours:
        a, b = ours[key], base.get(key, "")
        if isinstance(a, float):
            print(f"{key:34} {a:9.3f} {b:12.3f}")
        else:
            print(f"{key:34} {a!s:>9} {b!s:>12}")
    scale = words / len(docs) / 800
    print(f"{'articles/s (one core)':34} {ours_rate:9.0f} {base_rate:12.0f}")
    print(f"{'articles/s scaled to 800 words':34} {ours_rate * scale:9.0f} {base_rate * scale:12.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
