#!/usr/bin/env python3
"""Run every file of a feed corpus through bot.feeds.parse.parse_feed and report outcomes.

Usage: bench/feeds_corpus.py <feeds-dir> [--limit-seconds 5] [--slowest 10] [--no-synthetic]

Each file is parsed with the HTTP headers its feedparser test header names ("Header:" lines) and
a made-up http base URL (no network is used). Outcomes: "items" (with item statistics), "no
items" (a valid feed with an empty channel), "FeedError: <reason>", "timeout" (parse took longer
than the per-file limit) and "CRASH" (any other exception: a bug). Generated stress documents
(a 10 MB feed, deep nesting, an entity bomb, ...) run too, under "synthetic". Prints counts by
outcome and by folder, the refusal reasons and the slowest files.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.errors import FeedError
from bot.feeds.parse import parse_feed

_HEADER_LINE = re.compile(r"^\s*Header:\s*([A-Za-z0-9-]+):\s*(.*?)\s*$", re.MULTILINE)


class ParseTimeout(Exception):
    pass


def header_lines(body: bytes) -> dict[str, str]:
    """The "Header: Name: value" lines of a feedparser test file's leading comment."""
    head = body[:4096]
    for codec in ("utf-32", "utf-16") if head[:4].count(b"\x00") else ():
        try:
            text = head.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = head.decode("latin-1")
    comment_end = text.find("-->")
    text = text[:comment_end] if comment_end != -1 else text
    return {name.lower(): value for name, value in _HEADER_LINE.findall(text)}


def synthetic_documents() -> dict[str, bytes]:
    """Generated stress documents: big feeds, deep nesting, entity bombs (no corpus text)."""
    paragraph = "&lt;p&gt;" + "Some words about the harbour. " * 100 + "&lt;/p&gt;"

    def rss(count: int) -> bytes:
        items = "".join(
            f"<item><guid>id-{n}</guid><title>Story {n}</title><link>https://e.example/{n}</link>"
            f"<pubDate>Tue, 04 Mar 2025 09:30:00 +0100</pubDate><description>{paragraph}</description></item>"
            for n in range(count)
        )
        head = "<?xml version='1.0'?><rss version='2.0'><channel><title>S</title>"
        return f"{head}{items}</channel></rss>".encode()

    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    return {
        "synthetic/rss-500-items-1MB": rss(500),
        "synthetic/rss-5000-items-10MB": rss(5000),
        "synthetic/deep-nesting": b"<rss version='2.0'><channel>" + b"<x>" * 100_000 + b"</channel></rss>",
        "synthetic/deep-html-summary": (
            b"<rss version='2.0'><channel><item><guid>1</guid><description>"
            + b"&lt;div&gt;" * 50_000
            + b"</description></item></channel></rss>"
        ),
        "synthetic/billion-laughs": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
            "<rss version='2.0'><channel><title>&l9;</title></channel></rss>"
        ).encode(),
        "synthetic/deep-json": b"[" * 200_000 + b"]" * 200_000,
    }


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise ParseTimeout()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feeds_dir", type=Path)
    parser.add_argument("--limit-seconds", type=float, default=5.0)
    parser.add_argument("--slowest", type=int, default=10)
    parser.add_argument("--no-synthetic", action="store_true", help="skip the generated stress docs")
    args = parser.parse_args()
    root: Path = args.feeds_dir
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("README"))
    documents: list[tuple[str, bytes]] = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files]
    if not args.no_synthetic:
        documents += synthetic_documents().items()
    signal.signal(signal.SIGALRM, _alarm)

    outcomes: Counter[str] = Counter()
    by_folder: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    timings: list[tuple[float, str]] = []
    crashes: list[str] = []
    started_all = time.perf_counter()
    for rel, body in documents:
        headers = header_lines(body)
        url = f"http://corpus.example.test/{rel}"
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.limit_seconds)
        try:
            feed = parse_feed(body, url=url, headers=headers)
            outcome = "items" if feed.items else "no items"
            for item in feed.items:
                stats["items"] += 1
                stats["with link"] += item.link is not None
                stats["with date"] += item.published is not None
                stats["with image"] += item.image is not None
                stats["id from hash"] += item.key.startswith("sha256:")
                if item.link is not None and not item.link.startswith(("http://", "https://")):
                    stats["NON-HTTP LINK"] += 1
                if item.published is not None and item.published.tzinfo is None:
                    stats["NAIVE DATE"] += 1
        except FeedError as exc:
            outcome = "FeedError"
            reasons[str(exc).split(" (")[0][:90]] += 1
        except ParseTimeout:
            outcome = "timeout"
        except Exception as exc:
            outcome = "CRASH"
            crashes.append(f"{rel}: {exc.__class__.__name__}: {exc}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        timings.append((time.perf_counter() - started, rel))
        outcomes[outcome] += 1
        by_folder[rel.split("/", 1)[0]][outcome] += 1
    total_seconds = time.perf_counter() - started_all

    print(f"{len(documents)} documents in {total_seconds:.2f} s (per-file limit {args.limit_seconds:g} s)")
    for outcome in ("items", "no items", "FeedError", "timeout", "CRASH"):
        print(f"  {outcome:<10} {outcomes[outcome]:5d}")
    print("by folder:")
    for folder, counts in sorted(by_folder.items()):
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"  {folder:<12} {summary}")
    print("items:", ", ".join(f"{k} {v}" for k, v in stats.items()))
    print("FeedError reasons:")
    for reason, count in reasons.most_common():
        print(f"  {count:4d}  {reason}")
    print(f"slowest {args.slowest}:")
    for seconds, rel in sorted(timings, reverse=True)[: args.slowest]:
        print(f"  {seconds:7.3f} s  {rel}")
    for crash in crashes:
        print("CRASH", crash)
    sys.exit(1 if crashes or outcomes["timeout"] else 0)


if __name__ == "__main__":
    main()
