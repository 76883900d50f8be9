"""Pure rendering of posts and replies for Discord: embed dictionaries and plain text.

Everything from a feed or from the core is literal text. Here it is made safe and fitting for
Discord: invisible characters removed, markdown escaped, mention syntax (@everyone, @here,
<@id>, <@&id>, <#id>, </cmd:id>, <t:...>) neutralised with a zero-width space, and every piece
trimmed at a sentence or word boundary so the embed meets Discord's limits (title 256,
description 4096, 25 fields of 1024, 6000 in total; 2000 for plain messages). No discord import:
the adapter turns the dictionary into a ``discord.Embed``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.chat.text import one_line, strip_invisible, tidy_cut, trim
from bot.models import Message, Reply

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FIELD_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000
URL_LIMIT = 2048
QUOTE_LIMIT = 400  # one key quote in a post
SPEAKER_LIMIT = 100
QUOTES_BUDGET = 1800  # all key quotes of a post together, after escaping
EMBED_COLOUR = 0x3B88C3
ZWSP = "\u200b"

_URL = re.compile(r"https?://[^\s<>\"]+")
# Characters that start or end Discord markdown anywhere in a line.
_INLINE = re.compile(r"([\\*_~`|\[\]])")
# Constructs that only count at the start of a line: headers, subtext, block quotes, lists.
_LINE_START = re.compile(r"^(\s*)(#{1,3}\s|-#\s|>|[-+*]\s|\d+\.\s)", re.MULTILINE)
_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)
# "<@123>", "<@!123>", "<@&123>", "<#123>", "</cmd:123>", "<t:123>", "<:emoji:123>", "<a:x:1>",
# "<id:customize>": anything Discord would turn into a mention, a pill or an emoji.
_ANGLE = re.compile(r"<(?=[@#/:!]|t:|a:|id:)", re.IGNORECASE)


def neutralise_mentions(text: str) -> str:
    """Mention and pill syntax broken with a zero-width space so it shows literally."""
    text = _EVERYONE.sub(lambda m: "@" + ZWSP + m.group(1), text)
    return _ANGLE.sub("<" + ZWSP, text)


def _escape_plain(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return neutralise_mentions(text)


def escape(text: str) -> str:
    """Literal text for a place where Discord renders markdown; links are kept clickable."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(_escape_plain(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_escape_plain(text[last:]))
    return "".join(parts)


def fit(
    text: str,
    limit: int,
    render: Callable[[str], str] = escape,
    cut: Callable[[str, int], str] = trim,
) -> str:
    """``render(text)`` trimmed so that the rendered result is at most ``limit`` characters.

    Trimming happens on the literal text (at a sentence or word boundary, with ``cut``; titles
    use ``tidy_cut`` so the final cut never ends inside an open quotation), never inside an
    escape sequence, so escaping can't be cut in half.
    """
    room = limit
    rendered = render(cut(text, room))
    while len(rendered) > limit and room > 0:
        room -= max(1, len(rendered) - limit)
        rendered = render(cut(text, room))
    return rendered if len(rendered) <= limit else ""


def safe_url(url: str | None) -> str | None:
    """The URL when Discord will accept it in an embed (http/https, no spaces, not too long)."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_LIMIT or not re.fullmatch(r"https?://[^\s<>\"]+", url):
        return None
    return url


def _plain(text: str) -> str:
    """For places that show text as is (footer, author): one line, mention syntax broken."""
    return neutralise_mentions(one_line(text))


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def quote_line(text: str, speaker: str | None) -> str:
    """A key quote as “quote” — **Speaker**, escaped."""
    words = fit(one_line(text), QUOTE_LIMIT)
    who = fit(one_line(speaker or "unnamed"), SPEAKER_LIMIT)
    return f"“{words}” — **{who}**"


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6000 limit of one embed."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", []):
        total += len(item.get("name", "")) + len(item.get("value", ""))
    return total


def render_embed(message: Message) -> dict[str, Any]:
    """One post as a Discord embed dictionary, within every limit."""
    embed: dict[str, Any] = {"type": "rich", "color": EMBED_COLOUR}
    embed["title"] = fit(one_line(message.title) or "(untitled)", TITLE_LIMIT, cut=tidy_cut)
    url = safe_url(message.url)
    if url:
        embed["url"] = url
    footer = _plain(message.source or "")
    if footer:
        embed["footer"] = {"text": trim(footer, 200)}
    stamp = _timestamp(message.published)
    if stamp:
        embed["timestamp"] = stamp
    image = safe_url(message.image)
    if image:
        embed["thumbnail"] = {"url": image}

    quotes: list[str] = []
    used = 0
    for quote in message.quotes:
        line = quote_line(quote.text, quote.speaker)
        if used + len(line) + 1 > QUOTES_BUDGET:
            break
        quotes.append(line)
        used += len(line) + 1
    quote_block = "\n".join(quotes)

    others = embed_length(embed)
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - others)
    summary_room = room - (len(quote_block) + 2 if quote_block else 0)
    summary = fit(one_line(" ".join(message.summary)), max(0, summary_room))
    description = "\n\n".join(part for part in (summary, quote_block) if part)
    if description:
        embed["description"] = description
    return embed


def render_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A reply or notice from the core as a plain Discord message: escaped, within ``limit``."""
    cleaned = strip_invisible(text).strip()
    return fit(cleaned, limit) or "…"


def reply_fits(text: str, limit: int = MESSAGE_LIMIT) -> bool:
    """Whether ``render_text`` sends ``text`` whole: its escaped form is within ``limit`` (the
    core cuts its lists between entries with this, see ``Context.fits_reply``)."""
    return len(escape(strip_invisible(text).strip())) <= limit


def render_reply(reply: Reply) -> str:
    """A command answer as message content."""
    return render_text(reply.text)


def render_fallback(message: Message) -> str:
    """A post as plain text, for when an embed is refused: title, link, summary."""
    lines = [f"**{fit(one_line(message.title) or '(untitled)', 300, cut=tidy_cut)}**"]
    url = safe_url(message.url)
    if url:
        lines.append(url)
    head = "\n".join(lines)
    summary = fit(one_line(" ".join(message.summary)), MESSAGE_LIMIT - len(head) - 2)
    return "\n".join(lines + ([summary] if summary else []))


def nonce_for(message: Message) -> str:
    """A stable nonce for a post: a resend of the same article to the same channel (after a
    crash between sending and recording it) is dropped by Discord (enforce_nonce)."""
    key = "\n".join((message.channel, message.url or "", message.title))
    return str(int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:15], 16))
