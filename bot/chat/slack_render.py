"""Slack rendering, pure: a Message or a Reply as Block Kit JSON within Slack's limits.

No Slack library is imported here; the adapter sends what these functions build. Safety rule:
every piece of feed or user text is literal. Slack treats ``&``, ``<`` and ``>`` as control
characters in text objects (``<!channel>``, ``<@U123>``, ``<http://x|fake link>``), so they are
always escaped as ``&amp;``, ``&lt;``, ``&gt;``; the only ``<...>`` sequences we send are links
and dates we build ourselves from checked parts. Titles and summaries go into ``plain_text``
objects (no mrkdwn formatting at all); invisible and bidi-override characters are removed.

Limits (Slack's documented maxima): header text 150 characters, section text 3,000, context
element text 2,000 (we keep it much shorter), 50 blocks per message. Text is trimmed at a
sentence or word boundary and the limit is checked on the escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from bot.chat.text import one_line, strip_invisible, tidy_cut, trim
from bot.models import Message, Reply

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
CONTEXT_LIMIT = 300
QUOTE_LIMIT = 1000
MAX_BLOCKS = 50
FALLBACK_LIMIT = 300
REPLY_LIMIT = 3900  # Slack truncates message text past 40,000 chars; it advises under 4,000
URL_LIMIT = 2000

Block = dict[str, Any]


def escape(text: str) -> str:
    """Text made literal for Slack: invisible characters removed, ``& < >`` escaped."""
    cleaned = strip_invisible(text)
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_URL = re.compile(r"https?://\S+")
# mrkdwn formatting characters. An underscore between two letters or digits is left alone: Slack
# only reads ``_`` as italics at a word boundary, and a zero-width space inside a word would
# break text a user copies (config keys such as fetch.allow_hosts, command names).
_FORMATTING = re.compile(r"([*~`]|(?<![^\W_])_|_(?![^\W_]))")


def inert_formatting(escaped: str) -> str:
    """mrkdwn formatting characters (``* _ ~ `` `` ``) in escaped text made inert with a zero-width
    space before each, except inside URLs (which must stay clickable) and underscores inside a
    word (``allow_hosts``), which Slack does not format."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(escaped):
        parts.append(_FORMATTING.sub("\u200b\\1", escaped[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_FORMATTING.sub("\u200b\\1", escaped[last:]))
    return "".join(parts)


def literal_mrkdwn(text: str) -> str:
    """Feed text for a mrkdwn field: escaped, and formatting characters made inert."""
    return inert_formatting(escape(text))


def fit(
    text: str, limit: int, *, literal: bool = False, cut: Callable[[str, int], str] = trim
) -> str:
    """``text`` trimmed at a sentence/word boundary (with ``cut``; titles use ``tidy_cut`` so the
    final cut never ends inside an open quotation) so that its *escaped* form fits ``limit``;
    ``literal`` also makes mrkdwn formatting characters inert (for mrkdwn fields)."""
    render = literal_mrkdwn if literal else escape
    budget = limit
    while True:
        escaped = render(cut(text, budget))
        if len(escaped) <= limit or budget <= 1:
            return escaped[:limit] if len(escaped) > limit else escaped
        # shrink the raw budget in proportion to how much escaping lengthened the text
        budget = min(budget - 1, budget * limit // len(escaped))


def checked_url(url: str | None) -> str | None:
    """An http(s) URL with unsafe characters percent-encoded, or None.

    Characters that would end or split Slack markup (``<``, ``>``, ``|``, spaces, quotes) and
    any non-ASCII are percent-encoded; other schemes (javascript:, slack:, mailto:) are refused.
    """
    if not url:
        return None
    cleaned = strip_invisible(url).strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    encoded = quote(cleaned, safe="/:?#[]@!$&'()*+,;=%~-._")
    return encoded if len(encoded) <= URL_LIMIT else None


def safe_url(url: str | None) -> str | None:
    """An http(s) URL that can sit inside Slack's ``<url|label>`` markup, or None."""
    encoded = checked_url(url)
    # `&` is the one allowed character Slack still decodes inside markup: escape it.
    return encoded.replace("&", "&amp;") if encoded else None


def link(url: str | None, label: str) -> str | None:
    """A mrkdwn link ``<url|label>`` with a literal label, or None when the URL is unusable."""
    target = safe_url(url)
    if target is None:
        return None
    return f"<{target}|{fit(one_line(label), 200).replace('|', '¦')}>"


def plain(text: str, limit: int, cut: Callable[[str, int], str] = trim) -> Block:
    """A plain_text object (no formatting, no emoji codes) holding literal text."""
    return {"type": "plain_text", "text": fit(text, limit, cut=cut) or " ", "emoji": False}


def mrkdwn(text: str) -> Block:
    """A mrkdwn object; ``text`` must already be escaped or built from escaped parts."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def date_token(value: datetime) -> str:
    """Slack's ``<!date^...>`` token: shown in each reader's time zone, with a UTC fallback."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    fallback = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(value.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


@dataclass(frozen=True)
class Post:
    """What chat.postMessage gets: Block Kit blocks and the notification fallback text."""

    text: str
    blocks: list[Block]


def _quote_block(text: str, speaker: str | None) -> Block:
    words = fit(one_line(text), QUOTE_LIMIT, literal=True)
    who = fit(one_line(speaker or "unnamed speaker"), 150, literal=True)
    # The leading ">" is ours (a Slack quote block); any ">" in the quote itself is escaped.
    return {"type": "section", "text": mrkdwn(f"> “{words}”\n> — _{who}_")}


def render_post(message: Message, *, with_image: bool = True) -> Post:
    """One article as Block Kit: header, context (source, time), summary (with the article's
    image as a thumbnail when it has one), quotes, link."""
    title = one_line(message.title) or "(untitled)"
    blocks: list[Block] = [{"type": "header", "text": plain(title, HEADER_LIMIT, tidy_cut)}]

    context: list[Block] = []
    if message.source:
        context.append(plain(one_line(message.source), CONTEXT_LIMIT))
    if message.published is not None:
        context.append(mrkdwn(date_token(message.published)))
    if context:
        blocks.append({"type": "context", "elements": context})

    summary = " ".join(one_line(sentence) for sentence in message.summary).strip()
    if summary:
        section: Block = {"type": "section", "text": plain(summary, SECTION_LIMIT)}
        image = checked_url(message.image) if with_image else None
        if image:
            section["accessory"] = {"type": "image", "image_url": image,
                                    "alt_text": fit(title, 200, cut=tidy_cut) or "article image"}
        blocks.append(section)

    article_link = link(message.url, "Read the full article")
    room = MAX_BLOCKS - len(blocks) - (1 if article_link else 0)
    for line in message.quotes[: max(0, room)]:
        blocks.append(_quote_block(line.text, line.speaker))
    if article_link:
        blocks.append({"type": "section", "text": mrkdwn(f"*{article_link}*")})

    fallback = fit(title, FALLBACK_LIMIT, cut=tidy_cut)
    if message.source:
        fallback += " — " + fit(one_line(message.source), 100)
    return Post(text=fallback, blocks=blocks)


_MARKUP = re.compile(r"<([^<>\n]*)>")


def _plain_markup(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner.startswith("#"):
        return match.group(0)  # a channel reference: kept for the channel resolver
    target, _, label = inner.partition("|")
    if inner.startswith("@"):
        return f"@{label}" if label else target
    if inner.startswith("!"):
        return f"@{label or target[1:].split('^')[0]}"
    return target  # a link: the URL itself (a label is only Slack's display of it)


def unformat(text: str) -> str:
    """Text a user typed in Slack, as it reached us, back to what they typed.

    Slack sends ``&``, ``<``, ``>`` as entities and links as ``<https://x|x>``: links become
    their URL, ``<!here>`` becomes "@here", user mentions their label or ID, entities are
    decoded. Channel references (``<#C123|news>``) are kept whole for ``/feed add``.
    """
    plain = _MARKUP.sub(_plain_markup, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def reply_fits(text: str) -> bool:
    """Whether ``render_reply`` sends ``text`` whole: its escaped form is within REPLY_LIMIT (the
    core cuts its lists between entries with this, see ``Context.fits_reply``)."""
    return len(literal_mrkdwn(text.strip())) <= REPLY_LIMIT


def render_reply(reply: Reply) -> str:
    """A command answer as escaped message text (mrkdwn; bare URLs still become links)."""
    return fit(reply.text.strip(), REPLY_LIMIT, literal=True) or " "


def render_notice(text: str) -> str:
    """A bot notice (feed paused, ...) as escaped message text."""
    return fit(f"[newsbot] {text.strip()}", REPLY_LIMIT, literal=True)
