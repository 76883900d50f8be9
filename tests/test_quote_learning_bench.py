"""The learning experiment's own parts, on text written for this test: candidates and training."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from bot.text.quotes import extract_quotes

REPO = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    path = REPO / "bench" / "quote_learning_eval.py"
    spec = importlib.util.spec_from_file_location("quote_learning_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quote_learning_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_candidates_are_the_sentence_noun_phrases() -> None:
    bench = _bench()
    text = "Maria Lopez dismissed the plan as “a costly mistake” on Monday, and the mayor agreed."
    quote = next(q for q in extract_quotes(text) if q.kind == "partial")
    found = bench._sentence_of(text, quote)
    assert found is not None
    art = bench.Speakers(text, [])
    cands = bench._candidates(art, *found)
    surfaces = [text[a:b] for a, b, _ in cands]
    assert surfaces[0] == "Maria Lopez"
    assert "the plan" in surfaces and any(s.startswith("the mayor") for s in surfaces)
    first = dict.fromkeys(cands[0][2])
    assert "side=before" in first and "kind=name" in first and "full" in first


def test_training_learns_a_separable_feature() -> None:
    bench = _bench()
    rows = [(("good", "noise"), 1)] * 40 + [(("bad", "noise"), 0)] * 40
    weights, bias = bench.train(rows, min_count=5)
    assert bench._probability(weights, bias, ("good", "noise")) > 0.9
    assert bench._probability(weights, bias, ("bad", "noise")) < 0.1
    rare = [(("good",), 1)] * 3 + rows
    weights, _ = bench.train(rare, min_count=50)
    assert weights == {"noise": weights["noise"]}  # features seen fewer times are left out
