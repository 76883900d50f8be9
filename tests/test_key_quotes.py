"""Key quotes under a post: substantial, distinct, several voices, article order."""

from __future__ import annotations

from bot.core.key_quotes import key_quotes
from bot.models import QuoteLine

A, B, C = "Ada Moreno", "Ben Osei", "Cleo Varga"


def test_short_and_repeated_quotes_are_skipped() -> None:
    quotes = (QuoteLine("historic", A), QuoteLine("We will rebuild the pier", A),
              QuoteLine("we will  rebuild the pier", A), QuoteLine("Not on my watch, ever", B))
    assert key_quotes(quotes, 3) == (quotes[1], quotes[3])


def test_several_voices_before_a_third_quote_from_one_speaker() -> None:
    ada = [QuoteLine(f"Ada says thing number {n} today", A) for n in range(4)]
    quotes = (*ada, QuoteLine("Ben disagrees with all of that", B),
              QuoteLine("Cleo has a third view here", C))
    chosen = key_quotes(quotes, 3)
    assert [q.speaker for q in chosen] == [A, A, B]
    five = key_quotes(quotes, 5)
    assert [q.speaker for q in five] == [A, A, A, B, C]  # filled up, article order kept


def test_limit_zero_and_empty() -> None:
    assert key_quotes((QuoteLine("a quote of some length", A),), 0) == ()
    assert key_quotes((), 3) == ()
