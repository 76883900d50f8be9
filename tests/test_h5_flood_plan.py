"""bot/core/flood.py on its own: which new items a check takes and skips, and the words used."""

from __future__ import annotations

from bot.core import flood
from bot.models import Item


def items(*keys: str) -> list[Item]:
    return [Item(key=key, title=f"Story {key}", link=f"https://news.example/{key}") for key in keys]


def test_duplicates_never_count_and_are_always_taken() -> None:
    fresh = items("d1", "n1", "d2", "n2", "n3")
    plan = flood.plan(fresh, lambda item: item.key.startswith("d"), 2)
    assert [item.key for item in plan.skipped] == ["n1"]  # the oldest non-duplicate
    assert [item.key for item in plan.take] == ["d1", "d2", "n2", "n3"]  # order kept
    assert plan.postable == 3


def test_all_duplicates_or_under_the_cap_skip_nothing() -> None:
    fresh = items("a", "b", "c", "d")
    assert flood.plan(fresh, lambda item: True, 1).skipped == []
    under = flood.plan(fresh, lambda item: item.key == "a", 3)
    assert under.skipped == [] and under.take == fresh and under.postable == 3


def test_the_notice_and_the_why_detail_agree_in_number() -> None:
    assert flood.notice(3, "Wire", 45, 20, "feed why <link>") == (
        "Feed #3 (Wire) had 45 new items in one check, more than the 20 one check posts "
        "(posts.max_new_per_poll); posting the latest 20, the other 25 are marked as seen "
        "(`feed why <link>` shows each)."
    )
    one = flood.notice(1, "Wire", 2, 1, "!feed why <link>")
    assert "posting the latest one, the other one is marked as seen" in one
    assert flood.skip_detail(2, 1).endswith("only the latest one was posted")
    assert flood.skip_detail(45, 20) == (
        "45 new items in one check, more than the 20 one check posts (posts.max_new_per_poll); "
        "only the latest 20 were posted"
    )
