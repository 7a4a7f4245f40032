"""A photo's date taken as text, to the precision the file gave it.

A day without a time (XMP ``photoshop:DateCreated`` "2009-05-03", an IPTC date without
``TimeCreated``) is stored at midnight so it sorts with its day; shown with "00:00" it would
read as a time someone saw. Every front end formats dates through here.
"""

from __future__ import annotations

from datetime import datetime

DAY = "day"  # Photo.date_taken_precision for a day without a time


def taken_text(
    when: datetime | None,
    precision: str | None,
    pattern: str = "%Y-%m-%d %H:%M",
    day_pattern: str = "%Y-%m-%d",
    empty: str = "",
) -> str:
    """``when`` in ``pattern``; in ``day_pattern`` when only its day is known."""
    if when is None:
        return empty
    return when.strftime(day_pattern if precision == DAY else pattern)
