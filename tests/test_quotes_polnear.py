"""A small slice of the PolNeAR dev split through the benchmark's metric code.

The corpus is publishers' text kept outside the repository; this test skips when the shared data
folder beside the checkout is absent. Floors here are loose regression guards, well below the
numbers the full benchmark reports (``bench/quotes_eval.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.text.quotes import extract_quotes

REPO = Path(__file__).resolve().parents[1]
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotes" / "polnear" / "dev"

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="shared PolNeAR data not present")


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quotes_eval", REPO / "bench" / "quotes_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quotes_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_dev_slice_metrics() -> None:
    bench = _bench()
    docs = bench.load_split(DEV)[:12]
    extracted = [extract_quotes(doc.text) for doc in docs]
    result = bench.evaluate(docs, extracted, who_said=True)
    assert result["gold quoted spans"] > 50
    assert result["quote recall"] >= 0.9
    assert result["speaker precision"] >= 0.85
    assert result["speaker attribution"] >= 0.65
    assert result["who-said top-1"] >= 0.65
    baseline = bench.evaluate(docs, [bench.baseline_quotes(d.text) for d in docs], who_said=False)
    assert result["quote recall"] > baseline["quote recall"]
