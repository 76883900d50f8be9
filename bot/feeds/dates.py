"""PURE: read the dates feeds carry into aware UTC datetimes (None when a date is unusable).

feedparser's parsed ``struct_time``, RFC 822-like dates with month names feedparser does not
know ("24 Set 2018 19:18:49 -0300"), and JSON Feed's ISO 8601 strings.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime
from typing import Any


def date_from_struct(value: Any) -> datetime | None:
    """An aware UTC datetime from feedparser's UTC struct_time, or None when unusable."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# Month abbreviations feedparser does not know (feeds written in other languages).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan ene gen janv jän",
            "feb fev fév févr",
            "mar mär mars marz",
            "apr abr avr",
            "may mai mag mei",
            "jun giu juin",
            "jul lug juil",
            "aug ago aoû août",
            "sep set sept",
            "oct out okt ott",
            "nov",
            "dec dez dic déc",
        ),
        start=1,
    )
    for name in names.split()
}
_LOOSE_DATE = re.compile(
    r"(\d{1,2})[ .-]+([^\W\d_]{3,})\.?[ .-]+(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):?(\d{2})(?::?(\d{2}))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


def loose_date(value: Any) -> datetime | None:
    """Parse "24 Set 2018 19:18:49 -0300"-style dates with non-English month names."""
    if not isinstance(value, str):
        return None
    match = _LOOSE_DATE.search(value)
    if not match:
        return None
    day, month_name, year, hour, minute, second, zone = match.groups()
    month = _MONTHS.get(month_name.lower()[:4]) or _MONTHS.get(month_name.lower()[:3])
    if month is None:
        return None
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    offset = 0
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * (1 if zone[0] == "+" else -1)
    try:
        naive = datetime(full_year, month, int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return datetime.fromtimestamp(calendar.timegm(naive.timetuple()) - offset * 60, tz=UTC)


def iso_date(value: Any) -> datetime | None:
    """An ISO 8601 string as an aware UTC datetime (a naive one is taken as UTC), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
