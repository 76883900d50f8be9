"""In-flight claims: the stories that running checks of a channel's feeds have planned to post.

The channel's lock is not held while article pages are fetched, so two checks of feeds in the
same channel plan their flood caps one after the other while both are still posting. A check
claims the identities (normalised link and title, see bot/core/story_records.py) of the items it
keeps; a later plan leaves out every new item that shares an identity with another check's claim:
not counted toward its cap, not taken, not recorded. A later check sees such an item again and
then finds it posted (a duplicate), or, when the claiming check died, posts it: nothing is lost.
A claim is released when its item is taken, and all of a check's claims when the check ends.
Claims live in memory only: a crash loses them together with the checks that held them.
Bookkeeping only: no I/O, no awaits; the poller calls it under the channel's lock.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class _Check:
    """One running check's claims: item key -> that item's identities."""

    feed_id: int
    items: dict[str, frozenset[str]] = field(default_factory=dict)


class Claims:
    """Per channel, the running checks and the story identities each has claimed."""

    def __init__(self) -> None:
        self._checks: dict[str, dict[int, _Check]] = {}  # channel -> check id -> its claims
        self._ids = itertools.count(1)

    def begin(self, channel: str, feed_id: int) -> int:
        """Register a check of one of the channel's feeds; its id (checks of one feed may overlap,
        e.g. a feed added with its latest items while the poller checks it)."""
        check = next(self._ids)
        self._checks.setdefault(channel, {})[check] = _Check(feed_id)
        return check

    def end(self, channel: str, check: int) -> None:
        """Release every claim the check still holds (it finished, failed or was cancelled)."""
        checks = self._checks.get(channel, {})
        checks.pop(check, None)
        if not checks:
            self._checks.pop(channel, None)

    def held_elsewhere(self, channel: str, check: int, identities: frozenset[str]) -> int | None:
        """The feed id of another running check that claimed any of these identities, or None.

        Any shared identity counts, in either direction of the duplicate test: a title one feed
        shares among several of its entries is no identity for that feed's own duplicate test,
        but another feed's item with that title is a duplicate of it once posted.
        """
        for other, claims in self._checks.get(channel, {}).items():
            if other != check and any(identities & held for held in claims.items.values()):
                return claims.feed_id
        return None

    def claim(self, channel: str, check: int, key: str, identities: frozenset[str]) -> None:
        """The check will post this item (by its key): others leave its story out meanwhile."""
        self._checks[channel][check].items[key] = identities

    def release(self, channel: str, check: int, key: str) -> None:
        """The check has taken this item (posted, or recorded it as a duplicate)."""
        claims = self._checks.get(channel, {}).get(check)
        if claims is not None:
            claims.items.pop(key, None)

    def held(self, channel: str) -> int:
        """How many items the running checks of a channel have claimed (for tests and logs)."""
        return sum(len(claims.items) for claims in self._checks.get(channel, {}).values())
