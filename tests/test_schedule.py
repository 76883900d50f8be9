"""Scheduling: jittered intervals, exponential backoff with a cap, Retry-After, pausing."""

from __future__ import annotations

import random

from bot.feeds.schedule import Backoff, next_after_failure, next_after_success, should_pause

POLICY = Backoff(interval=900.0, max_backoff=3600.0, max_failures=11, jitter=0.1)


def test_success_interval_is_jittered_within_ten_percent() -> None:
    rng = random.Random(1)
    delays = [next_after_success(1000.0, POLICY, rng) - 1000.0 for _ in range(200)]
    assert all(810.0 <= d <= 990.0 for d in delays)
    assert len({round(d) for d in delays}) > 20  # really jittered


def test_failures_back_off_exponentially_up_to_the_cap() -> None:
    rng = random.Random(2)
    delays = [next_after_failure(0.0, n, POLICY, rng) for n in range(1, 10)]
    assert 54 <= delays[0] <= 66 and 108 <= delays[1] <= 132 and 216 <= delays[2] <= 264
    assert all(d <= 3600 * 1.1 for d in delays)
    assert delays[-1] >= 3600 * 0.9


def test_retry_after_is_honoured() -> None:
    rng = random.Random(3)
    assert next_after_failure(0.0, 1, POLICY, rng, retry_after=1200.0) >= 1200.0
    assert next_after_failure(0.0, 1, POLICY, rng, retry_after=10**9) <= 3600.0


def test_pause_after_max_failures_or_permanent_error() -> None:
    assert not should_pause(10, POLICY)
    assert should_pause(11, POLICY)
    assert should_pause(1, POLICY, permanent=True)
