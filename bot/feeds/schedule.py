"""PURE scheduling: when a feed is next due, and exponential backoff with jitter after failures.

Time and randomness are parameters so tests can pin them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Scheduling policy for one bot."""

    interval: float  # normal seconds between checks
    max_backoff: float  # ceiling for the delay after failures
    max_failures: int  # consecutive failures after which the feed is paused
    jitter: float = 0.1  # +/- fraction applied to every delay, so feeds don't poll in lockstep


def _jittered(delay: float, policy: Backoff, rng: random.Random) -> float:
    return delay * (1.0 + rng.uniform(-policy.jitter, policy.jitter))


def next_after_success(now: float, policy: Backoff, rng: random.Random) -> float:
    """When to check a feed again after a successful check."""
    return now + _jittered(policy.interval, policy, rng)


def next_after_failure(
    now: float,
    failures: int,
    policy: Backoff,
    rng: random.Random,
    retry_after: float | None = None,
) -> float:
    """When to retry after the ``failures``-th consecutive failure (1 = first failure).

    The delay doubles with each failure, starting at one minute, capped by ``max_backoff`` and
    never shorter than the server's Retry-After.
    """
    base = min(policy.max_backoff, 60.0 * (2 ** max(0, failures - 1)))
    delay = _jittered(base, policy, rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, policy.max_backoff))
    return now + delay


def should_pause(failures: int, policy: Backoff, *, permanent: bool = False) -> bool:
    """Whether a feed with this many consecutive failures (or a permanent error) is paused."""
    return permanent or failures >= policy.max_failures
