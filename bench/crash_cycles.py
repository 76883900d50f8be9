#!/usr/bin/env python3
"""Crash-safety check: SIGKILL the bot at random points, restart it, repeat; then count posts.

A loopback server publishes a growing RSS feed (two new items per cycle; article pages answer
slowly so kills land during fetching too). Each cycle runs `python -m bot run --once` on the same
data directory and kills it with SIGKILL after a random delay (sometimes it finishes first). A final
run without a kill drains what is left. Every published item must appear in the console output
exactly once: duplicates and losses are both failures (exit code 1).

The bench tests crash safety, not the flood cap: killed runs pile up new items, and a check that
finds more than ``posts.max_new_per_poll`` of them records the older ones as skipped (on purpose,
never posted). So the config it writes sets ``max_new_per_poll = 1000`` (the highest allowed).

    python bench/crash_cycles.py --cycles 50 --seed 1
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPH = (
    "The council of {town} met on Monday to approve a new budget for the river bridges. "
    "\u201cWe have waited long enough for this repair,\u201d said Ilse Brandvold, the council's "
    "treasurer. Work is planned to start in the spring and last two years."
)


class Publisher:
    """Serves /feed.xml with every item published so far and slow article pages."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.port = 0

    def publish(self, count: int) -> None:
        start = len(self.items)
        self.items.extend(range(start, start + count))

    async def feed(self, request: web.Request) -> web.Response:
        entries = "".join(
            f"<item><guid>story-{n}</guid><title>Story number {n} from the river towns</title>"
            f"<link>http://127.0.0.1:{self.port}/a/{n}</link></item>"
            for n in reversed(self.items)
        )
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>River Towns</title>'
            f"<link>http://127.0.0.1:{self.port}/</link>{entries}</channel></rss>"
        )
        return web.Response(text=body, content_type="application/rss+xml")

    async def article(self, request: web.Request) -> web.Response:
        await asyncio.sleep(0.05)
        n = request.match_info["n"]
        text = html.escape(PARAGRAPH.format(town=f"Town {n}"), quote=False)
        page = f"<html><body><article><h1>Story {n}</h1><p>{text}</p><p>{text}</p></article></body></html>"
        return web.Response(text=page, content_type="text/html")


async def one_run(config: Path, out: Path, kill_after: float | None) -> str:
    """Run the bot once, maybe killing it; return how it ended."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    with open(out, "ab") as sink:  # noqa: ASYNC230 (opened once, handed to the child)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--once", "--config", str(config),
            cwd=str(ROOT), stdout=sink, stderr=asyncio.subprocess.DEVNULL,
            stdin=asyncio.subprocess.DEVNULL, env=env,
        )
        try:
            await asyncio.wait_for(proc.wait(), timeout=kill_after)
            return "finished"
        except TimeoutError:
            try:
                proc.send_signal(signal.SIGKILL)
            except ProcessLookupError:  # it finished at the very moment of the kill
                await proc.wait()
                return "finished"
            await proc.wait()
            return "killed"


async def main_async(cycles: int, seed: int, min_delay: float, max_delay: float) -> int:
    rng = random.Random(seed)
    publisher = Publisher()
    app = web.Application()
    app.router.add_get("/feed.xml", publisher.feed)
    app.router.add_get("/a/{n}", publisher.article)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    publisher.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = work / "bot.toml"
        config.write_text(
            f'[bot]\ndata_dir = "{work / "data"}"\nlog_level = "ERROR"\n'
            "[posts]\nmax_new_per_poll = 1000\n"  # crash safety is tested here, not the cap
            f'[fetch]\nallow_hosts = ["127.0.0.1"]\n'
            f'[[feeds]]\nurl = "http://127.0.0.1:{publisher.port}/feed.xml"\nchannel = "console"\n',
            encoding="utf-8",
        )
        out = work / "posts.txt"
        baseline = await one_run(config, out, None)  # first check: baseline of an empty feed
        assert baseline == "finished"
        started = time.monotonic()
        endings: dict[str, int] = {"killed": 0, "finished": 0}
        killed_after_posting = 0  # kills that landed after the run had posted something
        for _ in range(cycles):
            publisher.publish(2)
            before = out.stat().st_size
            ending = await one_run(config, out, rng.uniform(min_delay, max_delay))
            endings[ending] += 1
            if ending == "killed" and out.stat().st_size > before:
                killed_after_posting += 1
        await one_run(config, out, None)  # drain: nothing killed
        elapsed = time.monotonic() - started
        text = out.read_text(encoding="utf-8", errors="replace")
    await runner.cleanup()

    posted = re.findall(r"^Story number (\d+) from the river towns$", text, re.MULTILINE)
    counts: dict[int, int] = {}
    for n in posted:
        counts[int(n)] = counts.get(int(n), 0) + 1
    duplicates = sorted(n for n, c in counts.items() if c > 1)
    lost = sorted(set(publisher.items) - set(counts))
    print(f"cycles: {cycles} ({endings['killed']} killed mid-run, {endings['finished']} finished "
          f"first; {killed_after_posting} kills landed after the run had begun posting), "
          f"{elapsed:.1f} s")
    print(f"published: {len(publisher.items)}  posted: {len(posted)}  distinct: {len(counts)}")
    print(f"duplicates: {len(duplicates)} {duplicates[:10]}")
    print(f"lost: {len(lost)} {lost[:10]}")
    ok = not duplicates and not lost
    print("result: " + ("OK, every item posted exactly once" if ok else "FAILED"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.5,
                        help="shortest time before the kill, seconds (start-up takes ~0.5 s)")
    parser.add_argument("--max-delay", type=float, default=1.6,
                        help="longest time before the kill, seconds (a whole run takes ~1 s)")
    args = parser.parse_args()
    return asyncio.run(main_async(args.cycles, args.seed, args.min_delay, args.max_delay))


if __name__ == "__main__":
    sys.exit(main())
