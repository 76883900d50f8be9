"""Summary benchmark: bot.text.summarize vs Lead-N vs stock sumy LexRank, plus a speed comparison.

Usage: .venv/bin/python bench/summary_eval.py <summaries-data-dir> [--limit N] [--repeat R]
       .venv/bin/python bench/summary_eval.py <summaries-data-dir> --cv   (tuning half only)

<summaries-data-dir> is the folder holding ``frank-cnndm-xsum/`` (CNN/DM and XSum test jsonl).
Prints ROUGE-1/2/Lsum F1 (rouge-score, Porter stemming) for
  * CNN/DM, split deterministically into the tuning half (even line index) and the held-out half
    (odd line index): summarize (3 sentences, budget large enough not to matter), summarize with
    the default character budget, Lead-3 and stock sumy LexRank (3 sentences);
  * XSum with max_sentences=1: summarize vs Lead-1 vs LexRank-1;
with the mean time per article of each system, and for CNN/DM and XSum the per-article paired
difference between summarize and Lead-N with its standard error (how big a gap the sample can
resolve). Every system sees the same cleaned text and the
same sentence splitter (``bot.text.sentences``); Lead-3 on the uncleaned text is shown as well.
Then the speed comparison on ~800- and ~5,000-word articles (built by concatenating articles):
our split + summary vs pysbd splitting + stock sumy LexRank, printed as a ratio.

``--cv`` reads only the tuning half: it estimates, by k-fold cross-validation inside that half,
what tuning ``Params`` over a small grid gains over Lead-3 on articles the tuning did not see
(choose on k-1 folds by R-1 + R-2, score the left-out fold). A change to the ranker that does not
raise this estimate will not raise the held-out half either.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.text.clean import clean_text
from bot.text.sentences import SentenceTokenizer, split_paragraphs, split_sentences
from bot.text.summarize import DEFAULT_PARAMS, Params, lead, summarize

System = Callable[[str, str | None], list[str]]
TOKENIZER = SentenceTokenizer()
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
BIG_BUDGET = 100_000
# The grid --cv tunes over (Params field -> values); every other field keeps its default.
CV_GRID: dict[str, tuple[float, ...]] = {
    "position_decay": (0.5, 0.7, 0.9),
    "lexrank": (0.1, 0.2, 0.3),
    "long_penalty": (0.2, 0.4),
    "long_words": (30, 35),
    "redundancy": (0.6, 0.8),
}


def load(path: Path, limit: int | None) -> list[dict[str, str]]:
    """Articles as {"text", "reference"}: paragraphs joined by blank lines."""
    items = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            lines = row.get("article_lines") or [row["article"]]
            items.append({"text": "\n\n".join(lines), "reference": row["reference"]})
    return items[:limit] if limit else items


def load_bbc(path: Path, count: int) -> list[dict[str, str]]:
    """``count`` BBC articles spread over the file (every k-th line), with their titles.

    The references are machine extracts glued without spaces; they are split into sentences
    as the data set's README says. A regression set only, not a target.
    """
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    step = max(1, len(rows) // max(count, 1))
    items = []
    for row in rows[::step][:count]:
        reference = re.sub(r"([.!?][\"']?)(?=[\"']?[A-Z])", r"\1\n", row["summary"])
        items.append({"text": row["article"], "reference": reference, "title": row["title"]})
    return items


def stock_lexrank(count: int) -> System:
    """Stock sumy LexRank (stemmer + stop words) on a document built with our splitter."""
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str, title: str | None) -> list[str]:
        paragraphs = [
            Paragraph([Sentence(s, TOKENIZER) for s in TOKENIZER.to_sentences(p)])
            for p in split_paragraphs(clean_text(text))
        ]
        return [str(s) for s in summarizer(ObjectDocumentModel(paragraphs), count)]

    return run


def raw_lead(count: int) -> System:
    def run(text: str, title: str | None) -> list[str]:
        return split_sentences(text)[:count]

    return run


def evaluate(items: list[dict[str, str]], system: System) -> tuple[list[tuple[float, float, float]], float]:
    """ROUGE-1/2/Lsum F1 (x100) of each article, and mean milliseconds per article."""
    rows = []
    elapsed = 0.0
    for item in items:
        start = time.perf_counter()
        sentences = system(item["text"], item.get("title"))
        elapsed += time.perf_counter() - start
        reference = "\n".join(split_sentences(item["reference"].replace("\n", "\n\n")))
        scores = SCORER.score(reference, "\n".join(sentences))
        rows.append(tuple(scores[key].fmeasure * 100 for key in ("rouge1", "rouge2", "rougeLsum")))
    return rows, elapsed / max(len(items), 1) * 1000


def _paired(a: list[float], b: list[float]) -> str:
    """Mean of the per-article differences a - b with its standard error."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return f"{statistics.fmean(diffs):+.2f} ± {error:.2f}"


def report(
    name: str,
    items: list[dict[str, str]],
    systems: dict[str, System],
    compare: tuple[str, str] | None = None,
) -> None:
    """Print each system's mean scores; ``compare`` = (system, baseline) adds paired differences.

    The standard error of the paired difference shows how much of a gap the sample can resolve.
    """
    print(f"\n{name} (n={len(items)})")
    print(f"  {'system':34s} {'R-1':>6s} {'R-2':>6s} {'R-Lsum':>6s} {'ms/article':>10s}")
    per_article: dict[str, list[tuple[float, float, float]]] = {}
    for label, system in systems.items():
        rows, ms = evaluate(items, system)
        per_article[label] = rows
        r1, r2, rl = (statistics.fmean(row[k] for row in rows) if rows else 0.0 for k in range(3))
        print(f"  {label:34s} {r1:6.2f} {r2:6.2f} {rl:6.2f} {ms:10.2f}")
    if compare and len(items) > 1:
        ours, base = (per_article[label] for label in compare)
        gap_1 = _paired([row[0] for row in ours], [row[0] for row in base])
        gap_2 = _paired([row[1] for row in ours], [row[1] for row in base])
        print(f"  {compare[0]} - {compare[1]}, per article (mean ± s.e.): R-1 {gap_1}, R-2 {gap_2}")


def build_article(items: list[dict[str, str]], words: int) -> str:
    """Concatenate articles until the text has at least ``words`` words."""
    parts: list[str] = []
    count = 0
    for item in items:
        parts.append(item["text"])
        count += len(item["text"].split())
        if count >= words:
            break
    return "\n\n".join(parts)


def pysbd_lexrank(text: str) -> list[str]:
    """The baseline text pipeline: pysbd sentences fed to stock sumy LexRank."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    paragraphs = []
    for paragraph in split_paragraphs(text):
        sentences = [s.strip() for s in segmenter.segment(paragraph) if s.strip()]
        paragraphs.append(Paragraph([Sentence(s, TOKENIZER) for s in sentences]))
    return [str(s) for s in summarizer(ObjectDocumentModel(paragraphs), 3)]


def best_time(function: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def speed(items: list[dict[str, str]], repeat: int) -> None:
    print("\nSpeed: text pipeline (split + summary), best of", repeat, "runs")
    for target in (800, 5000):
        text = build_article(items, target)
        n_words = len(text.split())
        ours = best_time(functools.partial(summarize, text), repeat)
        base = best_time(functools.partial(pysbd_lexrank, text), repeat)
        print(
            f"  ~{target} words ({n_words}): ours {ours * 1000:8.1f} ms | pysbd + sumy LexRank "
            f"{base * 1000:8.1f} ms | speed-up x{base / ours:.1f}"
        )


def _with_params(params: Params) -> System:
    def run(text: str, title: str | None) -> list[str]:
        return summarize(text, title, 3, BIG_BUDGET, params)

    return run


def cross_validate(items: list[dict[str, str]], folds: int, repeats: int) -> None:
    """k-fold CV of tuning ``Params`` on ``items``: mean left-out R-1/R-2 vs Lead-3."""
    names = list(CV_GRID)
    settings: list[dict[str, Any]] = [
        dict(zip(names, values, strict=True)) for values in itertools.product(*CV_GRID.values())
    ]
    grid = [replace(DEFAULT_PARAMS, **setting) for setting in settings]
    print(f"\nCross-validation on the tuning half (n={len(items)}), {len(grid)} settings of {names}")
    table = [[row[:2] for row in evaluate(items, _with_params(p))[0]] for p in grid]
    lead_rows = [row[:2] for row in evaluate(items, lambda t, h: lead(t, 3))[0]]
    default_rows = [row[:2] for row in evaluate(items, _with_params(DEFAULT_PARAMS))[0]]

    def mean(rows: Sequence[Sequence[float]], k: int) -> float:
        return statistics.fmean(row[k] for row in rows)

    estimates = []
    for seed in range(repeats):
        order = list(range(len(items)))
        random.Random(seed).shuffle(order)
        left_out: list[Sequence[float]] = []
        for fold in range(folds):
            test = set(order[fold::folds])
            train = [i for i in order if i not in test]
            best = max(
                range(len(grid)),
                key=lambda g: sum(table[g][i][0] + table[g][i][1] for i in train),
            )
            left_out.extend(table[best][i] for i in sorted(test))
        estimates.append((mean(left_out, 0), mean(left_out, 1)))
    cv_1 = statistics.fmean(e[0] for e in estimates)
    cv_2 = statistics.fmean(e[1] for e in estimates)
    best = max(range(len(grid)), key=lambda g: mean(table[g], 0) + mean(table[g], 1))
    lines = {
        "Lead-3": (mean(lead_rows, 0), mean(lead_rows, 1)),
        "DEFAULT_PARAMS (in-sample)": (mean(default_rows, 0), mean(default_rows, 1)),
        "best of the grid (in-sample)": (mean(table[best], 0), mean(table[best], 1)),
        f"tuned on {folds - 1}/{folds}, scored on 1/{folds} ({repeats} shuffles)": (cv_1, cv_2),
    }
    for label, (r1, r2) in lines.items():
        print(f"  {label:44s} R-1 {r1:6.2f}  R-2 {r2:6.2f}")
    print("  best of the grid: " + ", ".join(f"{n}={getattr(grid[best], n)}" for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the summaries folder")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions")
    parser.add_argument("--bbc", type=int, default=300, help="BBC regression articles to score (0: skip)")
    parser.add_argument("--cv", action="store_true", help="only cross-validate on the tuning half")
    parser.add_argument("--folds", type=int, default=5, help="folds for --cv")
    args = parser.parse_args()
    folder = args.data_dir / "frank-cnndm-xsum"
    cnndm = load(folder / "cnndm_test_frank.jsonl", args.limit)
    if args.cv:
        cross_validate(cnndm[0::2], args.folds, repeats=3)
        return
    xsum = load(folder / "xsum_test_frank.jsonl", args.limit)

    three: dict[str, System] = {
        "summarize (3 sent., large budget)": lambda t, h: summarize(t, h, 3, BIG_BUDGET),
        "summarize (3 sent., default budget)": lambda t, h: summarize(t, h, 3),
        "Lead-3": lambda t, h: lead(t, 3),
        "Lead-3 (uncleaned text)": raw_lead(3),
        "sumy LexRank (stock)": stock_lexrank(3),
    }
    versus_lead = ("summarize (3 sent., large budget)", "Lead-3")
    report("CNN/DM tuning half (even index)", cnndm[0::2], three, versus_lead)
    report("CNN/DM held-out half (odd index)", cnndm[1::2], three, versus_lead)
    report("CNN/DM all", cnndm, three, versus_lead)
    one: dict[str, System] = {
        "summarize (1 sent., large budget)": lambda t, h: summarize(t, h, 1, BIG_BUDGET),
        "summarize (1 sent., default budget)": lambda t, h: summarize(t, h, 1),
        "Lead-1": lambda t, h: lead(t, 1),
        "Lead-1 (uncleaned text)": raw_lead(1),
        "sumy LexRank (stock, 1 sent.)": stock_lexrank(1),
    }
    report("XSum, max_sentences=1", xsum, one, ("summarize (1 sent., large budget)", "Lead-1"))
    bbc_file = args.data_dir / "bbc-news-summary" / "bbc_news_summary.jsonl"
    if args.bbc and bbc_file.is_file():
        bbc = load_bbc(bbc_file, args.bbc)
        with_title: dict[str, System] = {
            "summarize with title (3 sent.)": lambda t, h: summarize(t, h, 3, BIG_BUDGET),
            "summarize without title (3 sent.)": lambda t, h: summarize(t, None, 3, BIG_BUDGET),
            "Lead-3": lambda t, h: lead(t, 3),
            "sumy LexRank (stock)": stock_lexrank(3),
        }
        report("BBC News Summary (regression set; machine-extract references)", bbc, with_title)
    speed(cnndm, args.repeat)
    print(f"\nmedian article words: CNN/DM {statistics.median(len(i['text'].split()) for i in cnndm)}")


if __name__ == "__main__":
    main()
