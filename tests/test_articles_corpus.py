"""extract_article over the shared article benchmarks (skipped when they are absent).

Scores token-level F1 against the scrapinghub benchmark's ground truth; the full comparison
with plain trafilatura lives in bench/articles_eval.py.
"""

from __future__ import annotations

import gzip
import json
import statistics
from collections import Counter
from pathlib import Path

import pytest

from bot.articles import extract_article

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "articles"
AEB = ARTICLES / "scrapinghub-aeb"
TRAF = ARTICLES / "trafilatura-eval"


def _f1(predicted: str, truth: str) -> float:
    pred, gold = Counter(predicted.split()), Counter(truth.split())
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


@pytest.mark.skipif(not AEB.is_dir(), reason="shared article benchmark not available")
def test_scrapinghub_mean_token_f1_stays_above_trafilatura_baseline() -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for key, entry in truth.items():
        body = gzip.open(AEB / "html" / f"{key}.html.gz").read()
        text = extract_article(body, url=entry.get("url", ""))
        assert "\n\n\n" not in text
        scores.append(_f1(text, entry["articleBody"]))
    assert len(scores) == 181
    assert statistics.mean(scores) >= 0.94


@pytest.mark.skipif(not TRAF.is_dir(), reason="shared article benchmark not available")
def test_trafilatura_eval_pages_give_text_with_expected_snippets() -> None:
    data = json.loads((TRAF / "evaldata-subset.json").read_text(encoding="utf-8"))
    found = total = empty = 0
    for url, entry in data.items():
        text = " ".join(extract_article((TRAF / "html" / entry["file"]).read_bytes(), url=url).split())
        empty += not text
        for snippet in entry.get("with", []):
            total += 1
            found += " ".join(snippet.split()) in text
    assert empty == 0
    assert found / total >= 0.93
