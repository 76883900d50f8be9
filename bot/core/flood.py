"""The per-check flood cap: which of one check's new items are posted, which skipped, and the words.

One check of a feed posts at most ``max_new_per_poll`` items. Only items that would really be
posted count: an item the channel already got (same link or title, found by the same duplicate
check the poller makes before posting) is recorded as a duplicate and never counts, so a site
that only changed its item ids posts nothing and skips nothing. When more than the cap remain (a
busy feed, or a site that moved every story to new links), the newest are posted and the older
ones are recorded as "skipped". An item whose story another running check of the channel has
claimed (bot/core/claims.py) is deferred: left out of the count and of this check. Pure: the
poller passes the duplicate and claim tests in and does the I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.models import Item


@dataclass(frozen=True)
class FloodPlan:
    """What one check does with its new items (each list oldest first)."""

    take: list[Item]  # the duplicates (recorded as such) and the items to post
    skipped: list[Item]  # over the cap: recorded as seen, never posted
    postable: int  # how many of the new items were no duplicates and not deferred (the count)
    deferred: list[Item] = field(default_factory=list)  # another running check posts their story


def chronological(items: tuple[Item, ...]) -> list[Item]:
    """Items oldest first (the order ``plan`` takes): by date when every item has one, else
    reversed document order."""
    if items and all(item.published is not None for item in items):
        return sorted(items, key=lambda item: item.published)  # type: ignore[arg-type,return-value]
    return list(reversed(items))


def plan(
    fresh: list[Item],
    is_duplicate: Callable[[Item], bool],
    limit: int,
    is_deferred: Callable[[Item], bool] = lambda item: False,
) -> FloodPlan:
    """Split a check's new items (oldest first): at most ``limit`` non-duplicates are kept, the
    newest ones; the older non-duplicates beyond that are skipped. Duplicates are always taken
    (the poller records them as duplicates) and never count toward the cap. A non-duplicate
    whose story another running check of the channel will post (``is_deferred``) is neither
    counted, taken nor skipped: it is left unrecorded for a later check."""
    deferred: list[Item] = []
    postable: list[Item] = []
    for item in fresh:
        if not is_duplicate(item):
            (deferred if is_deferred(item) else postable).append(item)
    over = max(0, len(postable) - max(1, limit))
    left_out = {item.key for item in deferred + postable[:over]}
    return FloodPlan(
        take=[item for item in fresh if item.key not in left_out],
        skipped=postable[:over],
        postable=len(postable),
        deferred=deferred,
    )


def _latest(limit: int) -> str:
    return "the latest one" if limit == 1 else f"the latest {limit}"


def skip_detail(found: int, limit: int) -> str:
    """Why a skipped item was not posted, as `feed why` shows it after "skipped: "."""
    return (
        f"{found} new items in one check, more than the {limit} one check posts "
        f"(posts.max_new_per_poll); only {_latest(limit)} {'was' if limit == 1 else 'were'} posted"
    )


def notice(feed_id: int, title: str, found: int, limit: int, why_command: str) -> str:
    """The one message a channel gets about a capped check; it is sent after the skipped items
    are recorded and before the kept ones are posted."""
    others = found - limit
    rest = "the other one is" if others == 1 else f"the other {others} are"
    return (
        f"Feed #{feed_id} ({title}) had {found} new items in one check, more than the {limit} "
        f"one check posts (posts.max_new_per_poll); posting {_latest(limit)}, {rest} marked "
        f"as seen (`{why_command}` shows each)."
    )
