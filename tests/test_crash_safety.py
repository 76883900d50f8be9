"""Crash safety: SIGKILL the bot at random points across several restarts; every item published
by the loopback feed is posted exactly once (bench/crash_cycles.py does the work)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sigkill_cycles_post_every_item_exactly_once() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crash_cycles.py"), "--cycles", "8", "--seed", "7"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert "killed mid-run" in done.stdout, done.stderr
    assert "duplicates: 0 " in done.stdout and "lost: 0 " in done.stdout, done.stdout
    assert done.returncode == 0
