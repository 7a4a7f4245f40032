"""What the owner types for a time shift or a position, read the same way by every front end
(the CLI's ``--by`` and ``--position``, the desktop's dialogs); ValueError says what to type."""

from __future__ import annotations

import re
from datetime import timedelta

MAX_RATING = 5  # stars; here, not in catalog.edits, so that the CLI's options need no database

_SHIFT = re.compile(r"^([+-]?)(\d{1,4}):([0-5]\d)$")


def parse_shift(value: str) -> timedelta:
    """``+HH:MM`` / ``-HH:MM`` (sign optional) as a timedelta; ValueError otherwise."""
    match = _SHIFT.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not ±HH:MM (e.g. +01:00 or -00:30)")
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return -delta if sign == "-" else delta


def format_shift(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    return f"{'-' if delta < timedelta(0) else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_position(text: str) -> tuple[float, float]:
    """``LAT,LON`` in decimal degrees (south and west negative); ValueError otherwise."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError("give LAT,LON in decimal degrees, e.g. 43.467,11.885") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{lat},{lon} is not on Earth: latitude ±90, longitude ±180")
    return lat, lon
