"""Offline reverse geocoding with ``reverse_geocoder``, loaded once per process.

The library prints while it loads and defaults to a multiprocessing K-D tree; we build it
single-process (mode=1, verbose=False), silence stdout while it loads, and query in batches.
Queries only read the tree, so threads may run them at once (no stdout juggling there: a
progress bar drawing on another thread must not vanish into a redirect).
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


log = logging.getLogger(__name__)

_lock = threading.Lock()
_geocoder: Any = None


@dataclass(frozen=True)
class Place:
    """The town a visitor would name for a photo (see :mod:`catalog.places.towns`), its
    region and country; ``locality`` is the nearest populated place when that is finer
    (the suburb or district: "Vanves" for a photo that is in Paris)."""

    name: str
    admin1: str
    country_code: str
    latitude: float
    longitude: float
    locality: str | None = None


def _load() -> Any:
    """The process-wide geocoder; the first call pays ~1–2 s to build the K-D tree."""
    global _geocoder
    with _lock:
        if _geocoder is None:
            import reverse_geocoder

            with contextlib.redirect_stdout(io.StringIO()):
                _geocoder = reverse_geocoder.RGeocoder(mode=1, verbose=False)
        return _geocoder


def reverse_geocode(coords: Sequence[tuple[float, float]]) -> list[Place]:
    """The nearest place to each (latitude, longitude), in order, in one batched query."""
    if not coords:
        return []
    for lat, lon in coords:
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError(f"not a coordinate: ({lat}, {lon})")
    points = [(float(lat), float(lon)) for lat, lon in coords]
    nearest = [_place(row) for row in _load().query(points)]
    from catalog.places.towns import visitor_towns  # numpy: only where places are looked up

    try:
        towns = visitor_towns(points, [(p.latitude, p.longitude, p.country_code) for p in nearest])
    except Exception:  # noqa: BLE001 - without the towns list, the nearest place still stands
        log.exception("town lookup failed; keeping the nearest places")
        return nearest
    moved = [i for i, town in enumerate(towns) if town is not None]
    if not moved:
        return nearest
    # the town's own row in reverse_geocoder: the same spelling and region as always
    named = _load().query([(towns[i].latitude, towns[i].longitude) for i in moved])  # type: ignore[union-attr]
    places = list(nearest)
    for i, row in zip(moved, named, strict=True):
        town = _place(row)
        if town.name != nearest[i].name or town.admin1 != nearest[i].admin1:
            places[i] = replace(town, locality=nearest[i].name)
    return places


def _place(row: dict[str, str]) -> Place:
    return Place(
        name=row.get("name", "").strip(),
        admin1=row.get("admin1", "").strip(),
        country_code=row.get("cc", "").strip().upper(),
        latitude=float(row.get("lat", 0.0)),
        longitude=float(row.get("lon", 0.0)),
    )
