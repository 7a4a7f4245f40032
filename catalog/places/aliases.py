"""The owner's city aliases: a geocoder place (name, region, country) → a city slug.

The catalog has no alias table for cities, so they live in one JSON setting. A merge or a
rename records one, so re-geocoding never brings a merged-away or renamed city back.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Setting

ALIASES_KEY = "city_aliases"


def place_key(name: str, admin1: str, country_code: str) -> str:
    """How a geocoder place is keyed: case-folded name and region, upper-case country."""
    return "|".join((name.strip().casefold(), admin1.strip().casefold(), country_code.upper()))


def load_city_aliases(session: Session) -> dict[str, str]:
    row = session.scalar(select(Setting).where(Setting.key == ALIASES_KEY))
    return json.loads(row.value) if row is not None else {}


def save_city_aliases(session: Session, aliases: dict[str, str]) -> None:
    value = json.dumps(aliases, sort_keys=True, ensure_ascii=False)
    row = session.scalar(select(Setting).where(Setting.key == ALIASES_KEY))
    if row is None:
        session.add(Setting(key=ALIASES_KEY, value=value))
    else:
        row.value = value
