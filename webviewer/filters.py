"""Jinja filters that format snapshot values for people (and feeds)."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment


def aperture(value: float | None) -> str:
    """One decimal, as cameras show it: EXIF's APEX-derived 1.89 is the f/1.9 on the lens."""
    return "" if not value else f"f/{round(value, 1):g}"


def focal(value: float | None) -> str:
    """As photographers say it: whole millimetres from 10 mm up ("15 mm", "200 mm"), one
    decimal below, where a tenth matters ("1.6 mm", "4.5 mm", "6 mm")."""
    if not value or value <= 0:
        return ""
    return f"{round(value):d} mm" if value >= 10 else f"{round(value, 1):g} mm"


def nice_date(value: datetime | None) -> str:
    return "" if value is None else f"{value:%-d %B %Y}"


def atom_date(value: datetime | None) -> str:
    return (value or datetime(2000, 1, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def plural(count: int, word: str, many: str | None = None) -> str:
    """A count and its noun; ``many`` for words that do not just take an s ("cities")."""
    return f"{count:,} " + (word if count == 1 else many or word + "s")


def install(env: Environment) -> None:
    env.filters.update(
        aperture=aperture, focal=focal, nice_date=nice_date, atom_date=atom_date, plural=plural
    )
