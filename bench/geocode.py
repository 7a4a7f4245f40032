"""Reverse geocoding: batched (as ingest and ``exiftree geocode`` do) vs one query per photo.

Also times the one-off load of the GeoNames table and camera-name normalisation. Both
sides run in the same process and the same run; the ratio is what to read.

    .venv/bin/python bench/geocode.py [--photos 20000]
"""

from __future__ import annotations

import argparse
import random
import time

from catalog.gear import normalise_camera, normalise_lens
from catalog.places import geocoder, reverse_geocode

PAIRS = [
    ("NIKON CORPORATION", "NIKON D70"), ("Canon", "Canon EOS 40D"), ("FUJIFILM", "X-T3"),
    ("EASTMAN KODAK COMPANY", "KODAK CX7530 ZOOM DIGITAL CAMERA"), ("Apple", "iPhone 13 Pro Max"),
    ("OLYMPUS IMAGING CORP.", "E-M5"), ("RICOH IMAGING COMPANY, LTD.", "PENTAX K-3 II"),
]  # fmt: skip


def _coords(n: int) -> list[tuple[float, float]]:
    rng = random.Random(7)
    return [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=20000)
    n = parser.parse_args().photos
    coords = _coords(n)
    start = time.perf_counter()
    reverse_geocode(coords[:1])
    print(f"load (once per process): {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    reverse_geocode(coords)
    batched = (time.perf_counter() - start) / n
    sample = coords[: max(1, n // 10)]
    tree = geocoder._load()
    start = time.perf_counter()
    for coord in sample:
        tree.query([coord])
    single = (time.perf_counter() - start) / len(sample)
    print(f"batched: {batched * 1e6:8.1f} us/photo ({n} photos)")
    print(f"one per photo (baseline): {single * 1e6:8.1f} us/photo ({len(sample)} photos)")
    print(f"ratio: {single / batched:.1f}x")

    rounds = max(1, n // len(PAIRS))
    start = time.perf_counter()
    for _ in range(rounds):
        for make, model in PAIRS:
            normalise_camera(make, model)
            normalise_lens(make, "24-70 mm F2.8", make)
    per = (time.perf_counter() - start) / (rounds * len(PAIRS))
    print(f"camera + lens normalisation: {per * 1e6:.1f} us/photo")


if __name__ == "__main__":
    main()
