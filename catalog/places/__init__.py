"""Places: GPS parsing, offline reverse geocoding, and the catalog's City rows.

The owner's city merges and renames live with the other gear edits in :mod:`catalog.gear`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalog.places.cities import named_place, resolve_city
    from catalog.places.geocoder import Place, reverse_geocode
    from catalog.places.gps import parse_gps

__all__ = ["Place", "named_place", "parse_gps", "resolve_city", "reverse_geocode"]

# Loaded on first use: ``catalog.places.zones`` (privacy, needed to list photos) should not
# pay for the City rows' get-or-create and the geocoder's modules (issue 15, CLI start).
_HOMES = {
    "named_place": "cities",
    "resolve_city": "cities",
    "Place": "geocoder",
    "reverse_geocode": "geocoder",
    "parse_gps": "gps",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
