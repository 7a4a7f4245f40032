"""Privacy zones: circles (latitude, longitude, radius in km) the owner never reveals.

Photos taken inside one keep their GPS in the catalog, but no place of theirs leaves the
machine: not to the published site, not to an AI endpoint.
"""

from __future__ import annotations

import math

Zone = tuple[float, float, float]  # latitude, longitude, radius in km


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def in_zone(lat: float | None, lon: float | None, zones: tuple[Zone, ...]) -> bool:
    if lat is None or lon is None:
        return False
    return any(distance_km(lat, lon, zlat, zlon) <= r for zlat, zlon, r in zones)
