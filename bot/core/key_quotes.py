"""Which quotes go under a post: a few substantial ones, from several voices, in article order."""

from __future__ import annotations

from bot.models import QuoteLine

MIN_WORDS = 4  # "historic", "a disgrace": scare-quote fragments are not key quotes
PER_SPEAKER = 2  # leave room for the other side of the story


def key_quotes(quotes: tuple[QuoteLine, ...], limit: int) -> tuple[QuoteLine, ...]:
    """Up to ``limit`` quotes: at least MIN_WORDS words, no repeats, at most PER_SPEAKER per
    speaker while others are left; kept in article order."""
    if limit <= 0:
        return ()
    seen: set[str] = set()
    candidates: list[int] = []
    for index, quote in enumerate(quotes):
        key = " ".join(quote.text.casefold().split())
        if len(quote.text.split()) >= MIN_WORDS and key not in seen:
            seen.add(key)
            candidates.append(index)
    chosen: list[int] = []
    per_speaker: dict[str | None, int] = {}
    for index in candidates:
        speaker = quotes[index].speaker
        if per_speaker.get(speaker, 0) < PER_SPEAKER and len(chosen) < limit:
            chosen.append(index)
            per_speaker[speaker] = per_speaker.get(speaker, 0) + 1
    for index in candidates:  # only one or two voices: fill up from what is left
        if len(chosen) >= limit:
            break
        if index not in chosen:
            chosen.append(index)
    return tuple(quotes[i] for i in sorted(chosen))
