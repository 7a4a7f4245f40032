"""Offline reverse geocoding with ``reverse_geocoder``, loaded once per process.

The library prints while it loads and defaults to a multiprocessing K-D tree; we build it
single-process (mode=1, verbose=False), silence stdout while it loads, and query in batches.
Queries only read the tree, so threads may run them at once (no stdout juggling there: a
progress bar drawing on another thread must not vanish into a redirect).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_geocoder: Any = None


@dataclass(frozen=True)
class Place:
    """The nearest populated place to a photo: a city, its region and country."""

    name: str
    admin1: str
    country_code: str
    latitude: float
    longitude: float


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
    found = _load().query([(float(lat), float(lon)) for lat, lon in coords])
    return [_place(row) for row in found]


def _place(row: dict[str, str]) -> Place:
    return Place(
        name=row.get("name", "").strip(),
        admin1=row.get("admin1", "").strip(),
        country_code=row.get("cc", "").strip().upper(),
        latitude=float(row.get("lat", 0.0)),
        longitude=float(row.get("lon", 0.0)),
    )
