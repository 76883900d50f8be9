"""The wording of command answers: quote hits and lists, feed lines, seen-item explanations.

Pure functions from models to literal text; user input quoted back is cut to one short line.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Feed, QuoteHit
from bot.storage.seen import SeenItem

ECHO = 60  # user input quoted back in an answer is cut to this many characters
LIST_CLIP = 280  # characters of each quote in a list of quotes
LIST_BUDGET = 1500  # characters of a list of quotes: Discord's 2,000 per message, less escaping


def ago(then: float | None, now: float) -> str:
    """How long ago a time was, roughly: "12 s ago", "5 min ago", "3 h ago", "2 days ago"."""
    if then is None:
        return "never"
    seconds = max(0, int(now - then))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def day(value: datetime | None) -> str:
    """A date as YYYY-MM-DD, or "undated"."""
    return value.strftime("%Y-%m-%d") if value is not None else "undated"


def shorten(text: str, limit: int) -> str:
    """Shorten at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut or text[: limit - 1]) + "…"


def echo(text: str) -> str:
    """User input as quoted back in an answer: one line, at most ECHO characters."""
    return shorten(" ".join(text.split()), ECHO)


def plural(count: int, noun: str) -> str:
    """A count with its noun: "1 item", "3 items"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def format_hit(hit: QuoteHit, clip: int = 600) -> str:
    """One quote with its speaker and source, as literal text. Reported speech is a paraphrase,
    so it is shown without quotation marks and tagged as such."""
    source = f"“{shorten(hit.article_title, 200)}” ({day(hit.published)}) {hit.article_url}"
    if hit.kind == "reported":
        speaker = hit.speaker or "An unnamed speaker"
        return f"{speaker} said {shorten(hit.text, clip)} (paraphrase)\nin {source}"
    return f"“{shorten(hit.text, clip)}” — {hit.speaker or 'an unnamed speaker'}\nsaid in {source}"


def list_hits(hits: list[QuoteHit]) -> str:
    """Several quotes, each whole with its source, within LIST_BUDGET characters (every chat
    platform's message limit); the rest counted, never cut in the middle of an entry."""
    entries: list[str] = []
    used = 0
    for hit in hits:
        entry = format_hit(hit, clip=LIST_CLIP)
        if entries and used + len(entry) + 2 > LIST_BUDGET:
            break
        entries.append(entry)
        used += len(entry) + 2
    left = len(hits) - len(entries)
    if left:
        entries.append(f"…and {left} more.")
    return "\n\n".join(entries)


def feed_line(feed: Feed) -> str:
    """One feed in `feed list`: number, title, address, channel, and whether it is paused."""
    return (
        f"#{feed.id} {feed.title or '(untitled)'} — {feed.url} → {feed.channel}"
        + (" (paused)" if feed.paused else "")
    )


def feed_health(feed: Feed, now: float) -> str:
    """One feed in `feed status`: state, last check and success, items, failures, last error."""
    state = "paused" if feed.paused else ("failing" if feed.failures else "ok")
    line = (
        f"#{feed.id} {feed.title or feed.url} [{state}] last check {ago(feed.last_checked, now)}, "
        f"last success {ago(feed.last_success, now)}, {plural(feed.item_count, 'item')}"
    )
    if feed.failures:
        line += f", {plural(feed.failures, 'failure')} in a row"
    if feed.last_error:
        line += f"\n    last error: {shorten(feed.last_error, 300)}"
    return line


def explain(record: SeenItem) -> str:
    """One record of an item in `feed why`: which feed saw it, when, and whether it was posted."""
    when = datetime.fromtimestamp(record.seen_at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    what = f"“{shorten(record.title or record.link or record.item_key, 120)}” in feed #{record.feed_id}"
    if record.outcome == "baseline":
        return f"{what}: not posted, it was already in the feed when the feed was added ({when})."
    if record.outcome == "duplicate":
        return f"{what}: not posted, {record.detail} (seen {when})."
    if record.outcome == "posted":
        return f"{what}: posted ({when})."
    return f"{what}: {record.outcome} {record.detail or ''} ({when})."
