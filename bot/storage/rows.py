"""Column conversions shared by the storage modules: datetimes are stored as ISO 8601 text."""

from __future__ import annotations

from datetime import datetime


def to_iso(value: datetime | None) -> str | None:
    """A datetime as stored (ISO text), or None."""
    return value.isoformat() if value is not None else None


def from_iso(value: str | None) -> datetime | None:
    """A stored ISO datetime back, or None when empty or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
