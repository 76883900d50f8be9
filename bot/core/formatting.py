"""The wording of command answers: quote hits and lists, feed lines, seen-item explanations.

Pure functions from models to literal text; user input quoted back is cut to one short line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from bot.chat.text import tidy_cut
from bot.errors import FetchError
from bot.feeds.failures import short_url
from bot.feeds.local import local_path
from bot.models import Feed, QuoteHit
from bot.storage.seen import SeenItem

ECHO = 60  # user input quoted back in an answer is cut to this many characters
LIST_CLIP = 280  # characters of each quote in a list of quotes
LIST_BUDGET = 1500  # characters of a list of quotes: Discord's 2,000 per message, less escaping
FEED_TITLE = 80  # characters of a feed's title in `feed list` / `feed status`
FEED_URL = 120  # characters of a feed's address there
REASON = 300  # characters of a fetch error's reason in an answer


# Units of a rough duration: below 90 s in seconds, below 90 min in minutes, below 48 h in hours.
_UNITS = ((90, 1, "s"), (5400, 60, "min"), (172800, 3600, "h"))


def _duration(seconds: int, rounding: Callable[[float], int]) -> str:
    """A whole number of seconds as "40 s", "5 min", "3 h" or "2 days", each unit ``rounding``."""
    for below, size, unit in _UNITS:
        if seconds < below:
            return f"{rounding(seconds / size)} {unit}"
    return f"{rounding(seconds / 86400)} days"


def ago(then: float | None, now: float) -> str:
    """How long ago a time was, rounded down: "12 s ago", "5 min ago", "3 h ago", "2 days ago"."""
    if then is None:
        return "never"
    return _duration(max(0, int(now - then)), int) + " ago"


def in_time(seconds: float) -> str:
    """How long until a time, rounded: "in 40 s", "in 5 min", "in 2 h", "in 3 days"."""
    return "in " + _duration(max(0, round(seconds)), round)


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


def title_text(title: str, limit: int) -> str:
    """An article or feed title as shown in an answer: shortened, and a title made from a cut
    snippet never ends inside an unclosed quotation."""
    return tidy_cut(shorten(" ".join(title.split()), limit))


def format_hit(hit: QuoteHit, clip: int = 600) -> str:
    """One quote with its speaker and source, as literal text. Reported speech is a paraphrase,
    so it is shown without quotation marks and tagged as such. An article without a link (a feed
    item that had none) is named by title and date only."""
    source = f"“{title_text(hit.article_title, 200)}” ({day(hit.published)})"
    if hit.article_url.strip():
        source += f" {hit.article_url.strip()}"
    if hit.kind == "reported":
        speaker = hit.speaker or "An unnamed speaker"
        return f"{speaker} said {shorten(hit.text, clip)} (paraphrase)\nin {source}"
    return f"“{shorten(hit.text, clip)}” — {hit.speaker or 'an unnamed speaker'}\nsaid in {source}"


def within_budget(
    entries: list[str],
    more: str,
    *,
    budget: int = LIST_BUDGET,
    separator: str = "\n",
    head: str = "",
    fits: Callable[[str], bool] | None = None,
) -> str:
    """``head`` and then whole entries joined while they fit, then ``more`` (its "{left}"
    replaced by how many were left out) instead of the rest: an answer is never cut in the
    middle of an entry and never loses its last line. An answer fits when it has at most
    ``budget`` characters and ``fits`` (the platform's own measure, e.g. its length once
    escaped: see ``Context.fits_reply``) accepts it. The first entry is always kept."""

    def answer(count: int) -> str:
        left = len(entries) - count
        lines = entries[:count] + ([more.replace("{left}", str(left))] if left else [])
        return head + separator.join(lines)  # not format(): a prefix may hold "{"

    def acceptable(text: str) -> bool:
        return len(text) <= budget and (fits is None or fits(text))

    kept = min(1, len(entries))
    while kept < len(entries) and acceptable(answer(kept + 1)):
        kept += 1
    return answer(kept)


def list_hits(hits: list[QuoteHit], fits: Callable[[str], bool] | None = None) -> str:
    """Several quotes, each whole with its source, within LIST_BUDGET characters and what the
    platform accepts (``fits``); the rest counted, never cut in the middle of an entry."""
    entries = [format_hit(hit, clip=LIST_CLIP) for hit in hits]
    return within_budget(entries, "…and {left} more.", separator="\n\n", fits=fits)


def feed_name(feed: Feed) -> str:
    """A feed as named in answers: its title, else its address, shortened."""
    return title_text(feed.title, FEED_TITLE) if feed.title else shorten(feed.url, FEED_URL)


def feed_state(feed: Feed) -> str:
    """The feed's state in `feed status`: paused, failing or ok."""
    return "paused" if feed.paused else ("failing" if feed.failures else "ok")


def feed_line(feed: Feed) -> str:
    """One feed in `feed list`: number, title, address, channel, and whether it is paused."""
    title = title_text(feed.title, FEED_TITLE) if feed.title else "(untitled)"
    return (
        f"#{feed.id} {title} — {shorten(feed.url, FEED_URL)} → {feed.channel}"
        + (" (paused)" if feed.paused else "")
    )


def feed_health(feed: Feed, now: float, *, error_limit: int = 300) -> str:
    """One feed in `feed status`: state, last check and success, items, failures, last error."""
    line = (
        f"#{feed.id} {feed_name(feed)} [{feed_state(feed)}] last check "
        f"{ago(feed.last_checked, now)}, last success {ago(feed.last_success, now)}, "
        f"{plural(feed.item_count, 'item')}"
    )
    if feed.failures:
        line += f", {plural(feed.failures, 'failure')} in a row"
    if feed.last_error:
        error = fetch_reason(feed.last_error, *subjects(feed.url), limit=error_limit)
        line += f"\n    last error: {error}"
    return line


def status_summary(feeds: list[Feed]) -> str:
    """The first line of `feed status`: how many feeds, how many failing or paused."""
    counts = {state: 0 for state in ("failing", "paused", "ok")}
    for feed in feeds:
        counts[feed_state(feed)] += 1
    parts = [f"{count} {state}" for state, count in counts.items() if count]
    return f"{plural(len(feeds), 'feed')}: {', '.join(parts)}."


def broken_first(feeds: list[Feed]) -> list[Feed]:
    """Feeds ordered for `feed status`: failing ones first, then paused ones, then the rest
    (each group by number), so the broken ones are seen even when the list is cut."""
    rank = {"failing": 0, "paused": 1, "ok": 2}
    return sorted(feeds, key=lambda feed: (rank[feed_state(feed)], feed.id))


def subjects(url: str) -> tuple[str, ...]:
    """The ways a fetch error may name the address an answer names: as typed, shortened, as a
    local path."""
    names = [url, short_url(url)]
    try:
        path = local_path(url)
    except FetchError:
        path = None
    if path is not None:
        names += [str(path), short_url(str(path))]
    return tuple(names)


def fetch_reason(message: str, *named: str, limit: int = REASON) -> str:
    """A fetch error's message for an answer that already names the address (``named``: the
    forms of it, see ``subjects``), so the answer names it once: "x: HTTP 404 Not Found" ->
    "HTTP 404 Not Found", "could not read x: no such file" -> "no such file", "no article text
    found at x" -> "no article text found". A refusal says so, with what the guard said
    (the host it resolved, how an admin allows it): "refused h: it resolves to 10.0.0.1, a
    private address (…)" -> "the address was refused because h resolves to 10.0.0.1, …".
    Another address (a redirect's target) stays named. Shortened to ``limit``."""
    text = " ".join(message.split())
    for subject in sorted({s for s in named if s}, key=len, reverse=True):
        for lead in ("could not fetch ", "could not read ", ""):
            if text.startswith(f"{lead}{subject}: "):
                return shorten(text[len(lead) + len(subject) + 2 :], limit)
        if text.startswith(f"refused {subject}: "):
            return shorten(_refused(text[len(subject) + 10 :], None), limit)
        if text.startswith(subject + " "):  # "x is not a regular file" (an older message)
            return shorten("it " + text[len(subject) + 1 :], limit)
        ending = _AT_THE_END.search(text[: -len(subject)]) if text.endswith(subject) else None
        if ending:  # "no article text found at x"
            return shorten(text[: ending.start()], limit)
    refused = _REFUSED.match(text)
    if refused:  # the guard names the host it refused: "refused localhost: it resolves to …"
        return shorten(_refused(refused.group(2), refused.group(1)), limit)
    return shorten(text, limit)


_REFUSED = re.compile(r"refused (\S+): (.+)$")
_AT_THE_END = re.compile(r" (at|in|from) $")


def _refused(why: str, host: str | None) -> str:
    """The words for a refused address; "it" in the guard's reason becomes the host it names."""
    if host and why.startswith("it "):
        why = f"{host} {why[3:]}"
    return f"the address was refused because {why}"


def explain(record: SeenItem) -> str:
    """One record of an item in `feed why`: which feed saw it, when, and whether it was posted."""
    when = datetime.fromtimestamp(record.seen_at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    feed = (
        f"feed #{record.feed_id}" if record.feed_id is not None
        else f"a feed since removed ({record.feed_url or 'address unknown'})"
    )
    what = f"“{shorten(record.title or record.link or record.item_key, 120)}” in {feed}"
    if record.outcome == "baseline":
        return f"{what}: not posted, it was already in the feed when the feed was added ({when})."
    if record.outcome == "duplicate":
        return f"{what}: not posted, {record.detail} (seen {when})."
    if record.outcome == "skipped":
        return f"{what}: not posted, skipped: {record.detail} (seen {when})."
    if record.outcome == "posted":
        return f"{what}: posted ({when})."
    return f"{what}: {record.outcome} {record.detail or ''} ({when})."
