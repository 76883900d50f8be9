"""The shared chat pacing helpers: refused-channel backoff and the per-channel send queue."""

from __future__ import annotations

import asyncio

from bot.chat.background import Background
from bot.chat.pacing import BLOCK_FIRST, BLOCK_MAX, ChannelBlocks, ChannelPacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_refused_channel_waits_a_minute_then_doubling_up_to_an_hour() -> None:
    clock = FakeClock()
    blocks = ChannelBlocks(clock)
    assert blocks.refusal("c1") is None
    blocks.block("c1", "missing permissions")
    assert blocks.refusal("c1") == "missing permissions"
    assert blocks.refusal("c2") is None
    clock.now += BLOCK_FIRST - 1
    assert blocks.refusal("c1") == "missing permissions"
    clock.now += 1
    assert blocks.refusal("c1") is None
    assert "c1" in blocks  # expired, but remembered until cleared: the next wait doubles
    blocks.block("c1", "still missing")
    clock.now += 2 * BLOCK_FIRST - 1
    assert blocks.refusal("c1") == "still missing"
    clock.now += 1
    assert blocks.refusal("c1") is None
    for _ in range(20):
        blocks.block("c1", "again")
    clock.now += BLOCK_MAX - 1
    assert blocks.refusal("c1") == "again"
    clock.now += 1
    assert blocks.refusal("c1") is None


def test_clearing_forgets_blocks_and_says_whether_there_were_any() -> None:
    clock = FakeClock()
    blocks = ChannelBlocks(clock)
    assert not blocks.clear("c1") and not blocks.clear_all()
    blocks.block("c1", "gone")
    blocks.block("c2", "gone")
    assert blocks.clear("c1")
    assert "c1" not in blocks and blocks.refusal("c1") is None
    blocks.block("c1", "back")  # cleared: the wait starts again from the first delay
    clock.now += BLOCK_FIRST
    assert blocks.refusal("c1") is None
    assert blocks.clear_all()
    assert "c2" not in blocks and not blocks.clear_all()


async def test_sends_to_a_channel_go_one_at_a_time_in_arrival_order() -> None:
    pacer = ChannelPacer()
    events: list[str] = []

    async def send(name: str) -> None:
        async with pacer.slot("c1"):
            events.append(f"start {name}")
            await asyncio.sleep(0.01)
            events.append(f"end {name}")

    await asyncio.gather(*(send(name) for name in "abc"))
    assert events == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert pacer.quiet_for("c1") == 0.0


async def test_background_jobs_are_awaited_by_drain() -> None:
    background = Background()
    done: list[int] = []

    async def job(n: int) -> None:
        await asyncio.sleep(0.01)
        done.append(n)

    background.spawn(job(1))
    background.spawn(job(2))
    await background.drain()
    assert sorted(done) == [1, 2]
