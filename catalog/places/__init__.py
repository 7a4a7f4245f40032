"""Places: GPS parsing, offline reverse geocoding, and the catalog's City rows.

The owner's city merges and renames live with the other gear edits in :mod:`catalog.gear`.
"""

from catalog.places.cities import named_place, resolve_city
from catalog.places.geocoder import Place, reverse_geocode
from catalog.places.gps import parse_gps

__all__ = ["Place", "named_place", "parse_gps", "resolve_city", "reverse_geocode"]
