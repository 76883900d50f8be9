"""Summary benchmark: bot.text.summarize vs Lead-N vs stock sumy LexRank, plus a speed comparison.

Usage: .venv/bin/python bench/summary_eval.py <summaries-data-dir> [--limit N] [--repeat R]

<summaries-data-dir> is the folder holding ``frank-cnndm-xsum/`` (CNN/DM and XSum test jsonl).
Prints ROUGE-1/2/Lsum F1 (rouge-score, Porter stemming) for
  * CNN/DM, split deterministically into the tuning half (even line index) and the held-out half
    (odd line index): summarize (3 sentences, budget large enough not to matter), summarize with
    the default character budget, Lead-3 and stock sumy LexRank (3 sentences);
  * XSum with max_sentences=1: summarize vs Lead-1 vs LexRank-1;
with the mean time per article of each system. Every system sees the same cleaned text and the
same sentence splitter (``bot.text.sentences``); Lead-3 on the uncleaned text is shown as well.
Then the speed comparison on ~800- and ~5,000-word articles (built by concatenating articles):
our split + summary vs pysbd splitting + stock sumy LexRank, printed as a ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.text.clean import clean_text
from bot.text.sentences import SentenceTokenizer, split_paragraphs, split_sentences
from bot.text.summarize import lead, summarize

System = Callable[[str, str | None], list[str]]
TOKENIZER = SentenceTokenizer("english")
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
BIG_BUDGET = 100_000


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


def evaluate(items: list[dict[str, str]], system: System) -> tuple[float, float, float, float]:
    """Mean ROUGE-1/2/Lsum F1 (x100) and mean milliseconds per article."""
    totals = [0.0, 0.0, 0.0]
    elapsed = 0.0
    for item in items:
        start = time.perf_counter()
        sentences = system(item["text"], item.get("title"))
        elapsed += time.perf_counter() - start
        reference = "\n".join(split_sentences(item["reference"].replace("\n", "\n\n")))
        scores = SCORER.score(reference, "\n".join(sentences))
        for k, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
            totals[k] += scores[key].fmeasure
    n = max(len(items), 1)
    return totals[0] / n * 100, totals[1] / n * 100, totals[2] / n * 100, elapsed / n * 1000


def report(name: str, items: list[dict[str, str]], systems: dict[str, System]) -> None:
    print(f"\n{name} (n={len(items)})")
    print(f"  {'system':34s} {'R-1':>6s} {'R-2':>6s} {'R-Lsum':>6s} {'ms/article':>10s}")
    for label, system in systems.items():
        r1, r2, rl, ms = evaluate(items, system)
        print(f"  {label:34s} {r1:6.2f} {r2:6.2f} {rl:6.2f} {ms:10.2f}")


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
        ours = best_time(lambda text=text: summarize(text), repeat)
        base = best_time(lambda text=text: pysbd_lexrank(text), repeat)
        print(
            f"  ~{target} words ({n_words}): ours {ours * 1000:8.1f} ms | pysbd + sumy LexRank "
            f"{base * 1000:8.1f} ms | speed-up x{base / ours:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the summaries folder")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions")
    parser.add_argument("--bbc", type=int, default=300, help="BBC regression articles to score (0: skip)")
    args = parser.parse_args()
    folder = args.data_dir / "frank-cnndm-xsum"
    cnndm = load(folder / "cnndm_test_frank.jsonl", args.limit)
    xsum = load(folder / "xsum_test_frank.jsonl", args.limit)

    three: dict[str, System] = {
        "summarize (3 sent., large budget)": lambda t, h: summarize(t, h, 3, BIG_BUDGET),
        "summarize (3 sent., default budget)": lambda t, h: summarize(t, h, 3),
        "Lead-3": lambda t, h: lead(t, 3),
        "Lead-3 (uncleaned text)": raw_lead(3),
        "sumy LexRank (stock)": stock_lexrank(3),
    }
    report("CNN/DM tuning half (even index)", cnndm[0::2], three)
    report("CNN/DM held-out half (odd index)", cnndm[1::2], three)
    report("CNN/DM all", cnndm, three)
    one: dict[str, System] = {
        "summarize (1 sent., large budget)": lambda t, h: summarize(t, h, 1, BIG_BUDGET),
        "summarize (1 sent., default budget)": lambda t, h: summarize(t, h, 1),
        "Lead-1": lambda t, h: lead(t, 1),
        "Lead-1 (uncleaned text)": raw_lead(1),
        "sumy LexRank (stock, 1 sent.)": stock_lexrank(1),
    }
    report("XSum, max_sentences=1", xsum, one)
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
