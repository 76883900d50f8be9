#!/usr/bin/env python3
"""Article extraction quality: bot.articles.extract_article vs plain trafilatura.extract.

Usage: bench/articles_eval.py <articles-dir>   (the folder holding scrapinghub-aeb/ and
trafilatura-eval/). Prints mean token-level precision/recall/F1 against the ground truth of the
scrapinghub article-extraction benchmark, and the "with"/"without" snippet checks of the
trafilatura evaluation subset, for both extractors measured in the same run, plus timings.
Tokens are whitespace-separated words; per-page scores are averaged.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.articles import extract_article

Extractor = Callable[[bytes, str], str]


def plain_trafilatura(body: bytes, url: str) -> str:
    """The baseline: trafilatura.extract with its defaults, given the page as UTF-8-or-bytes."""
    try:
        html: str | bytes = body.decode("utf-8")
    except UnicodeDecodeError:
        html = body
    return trafilatura.extract(html, url=url) or ""


def newsbot(body: bytes, url: str) -> str:
    return extract_article(body, url=url)


def token_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    pred, gold = Counter(predicted.split()), Counter(truth.split())
    if not pred and not gold:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & gold).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def eval_aeb(folder: Path, extractors: dict[str, Extractor]) -> None:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.open(folder / "html" / f"{key}.html.gz").read() for key in truth}
    print(f"scrapinghub-aeb: {len(pages)} pages")
    print(f"  {'extractor':<20} {'P':>6} {'R':>6} {'F1':>6} {'empty':>6} {'seconds':>8}")
    for name, extractor in extractors.items():
        scores = []
        empty = 0
        started = time.perf_counter()
        for key, body in pages.items():
            text = extractor(body, truth[key].get("url", ""))
            empty += not text.strip()
            scores.append(token_prf(text, truth[key]["articleBody"]))
        elapsed = time.perf_counter() - started
        p, r, f = (statistics.mean(s[i] for s in scores) for i in range(3))
        print(f"  {name:<20} {p:6.3f} {r:6.3f} {f:6.3f} {empty:6d} {elapsed:8.2f}")


def _norm(text: str) -> str:
    return " ".join(text.split())


def eval_snippets(folder: Path, extractors: dict[str, Extractor]) -> None:
    data = json.loads((folder / "evaldata-subset.json").read_text(encoding="utf-8"))
    print(f"trafilatura-eval: {len(data)} pages")
    print(f"  {'extractor':<20} {'with found':>12} {'without absent':>15} {'empty':>6} {'seconds':>8}")
    for name, extractor in extractors.items():
        found = with_total = absent = without_total = empty = 0
        started = time.perf_counter()
        for url, entry in data.items():
            body = (folder / "html" / entry["file"]).read_bytes()
            text = _norm(extractor(body, url))
            empty += not text
            for snippet in entry.get("with", []):
                with_total += 1
                found += _norm(snippet) in text
            for snippet in entry.get("without", []):
                without_total += 1
                absent += _norm(snippet) not in text
        elapsed = time.perf_counter() - started
        print(
            f"  {name:<20} {found:>5}/{with_total:<6} {absent:>7}/{without_total:<7}"
            f" {empty:6d} {elapsed:8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles_dir", type=Path, help="folder with scrapinghub-aeb/ and trafilatura-eval/")
    args = parser.parse_args()
    extractors: dict[str, Extractor] = {"trafilatura.extract": plain_trafilatura, "newsbot": newsbot}
    aeb = args.articles_dir / "scrapinghub-aeb"
    if aeb.is_dir():
        eval_aeb(aeb, extractors)
    snippets = args.articles_dir / "trafilatura-eval"
    if snippets.is_dir():
        eval_snippets(snippets, extractors)


if __name__ == "__main__":
    main()
