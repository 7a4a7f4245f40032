"""Catalog queries at scale: ids for the grid, rows on demand, facets, search, dashboard.

Builds a synthetic catalog (default 100,000 photos, bulk inserts), then times each query
the desktop makes against a straightforward ORM baseline in the same run:

    .venv/bin/python bench/query.py [--photos 100000] [--catalog DIR] [--repeat 3]

``build_catalog`` is importable for other benchmarks that need a big catalog.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from catalog.catalog import Catalog  # noqa: E402
from catalog.models import Photo  # noqa: E402
from catalog.query import PhotoFilter, facets, page, photo_ids  # noqa: E402
from catalog.rows import load_rows  # noqa: E402
from catalog.search import reindex, search_ids  # noqa: E402
from catalog.stats import dashboard  # noqa: E402

WORDS = [
    "sea",
    "sunset",
    "mountain",
    "city",
    "street",
    "portrait",
    "dog",
    "cat",
    "bridge",
    "river",
    "snow",
    "forest",
    "night",
]


def _ts(value: datetime) -> str:
    """SQLAlchemy's SQLite DateTime storage format (microseconds always present)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _entity(name: str, **extra: object) -> dict:
    now = _ts(datetime(2024, 1, 1))
    return {"id": str(uuid.uuid4()), "created_at": now, "updated_at": now, "name": name, **extra}


def build_catalog(root: Path, n: int, seed: int = 1) -> Catalog:
    """A migrated catalog with ``n`` processed photos, gear, cities, tags and collections."""
    catalog = Catalog.open(root)
    rnd = random.Random(seed)
    db = sqlite3.connect(catalog.db_path)
    cameras = [
        _entity(
            f"Maker{i % 7} Model {i}", slug=f"cam-{i}", make=f"Maker{i % 7}", model=f"Model {i}"
        )
        for i in range(30)
    ]
    lenses = [_entity(f"Lens {i}mm", slug=f"lens-{i}", model=f"Lens {i}mm") for i in range(60)]
    cities = [
        _entity(
            f"City {i}",
            slug=f"city-{i}",
            admin1=f"Region {i % 40}",
            country_code=f"C{i % 20:01d}"[:2],
            latitude=0.0,
            longitude=0.0,
        )
        for i in range(300)
    ]
    tags = [_entity(f"{WORDS[i % len(WORDS)]} {i}", slug=f"tag-{i}") for i in range(500)]
    for table, records in (
        ("cameras", cameras),
        ("lenses", lenses),
        ("cities", cities),
        ("tags", tags),
    ):
        cols = list(records[0])
        db.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
            records,
        )
    start = datetime(2005, 1, 1)
    photos: list[dict] = []
    for i in range(n):
        taken = start + timedelta(minutes=rnd.randrange(20 * 365 * 24 * 60))
        photos.append(
            {
                "id": str(uuid.uuid4()),
                "source_path": f"/photos/{i // 1000:03d}/IMG_{i:06d}.jpg",
                "content_hash": f"{i:064x}",
                "file_size": 5_000_000,
                "file_mtime_ns": i,
                "format": "JPEG",
                "width": 6000,
                "height": 4000,
                "orientation": 1,
                "date_taken": _ts(taken) if rnd.random() > 0.02 else None,
                "phash": f"{rnd.getrandbits(64):016x}",
                "title": f"{rnd.choice(WORDS)} {rnd.choice(WORDS)}" if rnd.random() < 0.3 else None,
                "rating": rnd.choice((0, 0, 0, 1, 2, 3, 4, 5)),
                "visibility": rnd.choice(("public", "public", "private", "unlisted")),
                "status": "processed" if rnd.random() > 0.01 else "failed",
                "camera_id": rnd.choice(cameras)["id"],
                "lens_id": rnd.choice(lenses)["id"],
                "city_id": rnd.choice(cities)["id"] if rnd.random() < 0.6 else None,
                "created_at": _ts(datetime(2024, 1, 1) + timedelta(seconds=i)),
                "updated_at": _ts(datetime(2024, 1, 1)),
            }
        )
    cols = list(photos[0])
    db.executemany(
        f"INSERT INTO photos ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
        photos,
    )
    db.executemany(
        "INSERT INTO exif_data (id, photo_id, raw, focal_length_mm, aperture, exposure_display,"
        " iso, date_taken, created_at, updated_at) VALUES (?, ?, '{}', 35, 2.8, '1/250', 200,"
        " ?, ?, ?)",
        [
            (str(uuid.uuid4()), p["id"], p["date_taken"], p["created_at"], p["created_at"])
            for p in photos
        ],
    )
    links = []
    for p in photos:
        for tag in rnd.sample(tags, 3):
            links.append((str(uuid.uuid4()), p["id"], tag["id"], p["created_at"]))
    db.executemany(
        "INSERT INTO photo_tags (id, photo_id, tag_id, source, created_at, updated_at)"
        " VALUES (?, ?, ?, 'owner', ?, ?4)",
        links,
    )
    for c in range(20):
        coll_id = str(uuid.uuid4())
        db.execute(
            "INSERT INTO collections (id, slug, name, created_at, updated_at) VALUES"
            " (?, ?, ?, '2024-01-01 00:00:00.000000', '2024-01-01 00:00:00.000000')",
            (coll_id, f"coll-{c}", f"Collection {c}"),
        )
        members = rnd.sample(photos, min(500, n))
        db.executemany(
            "INSERT INTO collection_photos (id, collection_id, photo_id, position, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, '2024-01-01 00:00:00.000000',"
            " '2024-01-01 00:00:00.000000')",
            [(str(uuid.uuid4()), coll_id, m["id"], k) for k, m in enumerate(members)],
        )
    db.commit()  # no ANALYZE: a real catalog has no statistics either
    db.close()
    return catalog


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def baseline_ids(catalog: Catalog) -> list[str]:
    """The straightforward way: load every photo object, filter and sort in Python."""
    with catalog.reading() as s:
        photos = [p for p in s.scalars(select(Photo)) if p.status == "processed"]
        photos.sort(key=lambda p: (p.date_taken or datetime.min, p.id), reverse=True)
        return [p.id for p in photos]


def baseline_rows(catalog: Catalog, ids: list[str]) -> list[tuple]:
    """The straightforward way: one object per id, relationships loaded lazily (N+1)."""
    with catalog.reading() as s:
        out = []
        for i in ids:
            p = s.get(Photo, i)
            out.append(
                (
                    p.title,
                    p.camera and p.camera.name,
                    p.lens and p.lens.name,
                    p.city and p.city.name,
                    [t.tag.name for t in p.tags],
                    p.exif.iso,
                )
            )
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--catalog", type=Path, help="reuse or create the catalog here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.catalog or Path(tempfile.mkdtemp(prefix="exiftree-bench-"))
    t0 = time.perf_counter()
    if (root / "catalog.sqlite").exists():
        catalog = Catalog.open(root)
    else:
        catalog = build_catalog(root, args.photos)
        print(f"built {args.photos} photos in {time.perf_counter() - t0:.1f} s at {root}")
        t0 = time.perf_counter()
        with catalog.writing() as s:
            reindex(s)
        print(f"reindex (full-text, all photos): {time.perf_counter() - t0:.1f} s")
    report(catalog, args.repeat)


def report(catalog: Catalog, repeat: int) -> None:
    with catalog.reading() as s:
        ids = photo_ids(s, PhotoFilter())
        facet = facets(s)
        cam, tag, coll = facet["cameras"][0].id, facet["tags"][0].id, facet["collections"][0].id
        window = ids[50_000:50_200] if len(ids) > 50_200 else ids[:200]
        cases = {
            "photo_ids all, by date": lambda: photo_ids(s, PhotoFilter()),
            "photo_ids all, by title": lambda: photo_ids(s, PhotoFilter(), "title"),
            "photo_ids one camera": lambda: photo_ids(s, PhotoFilter(camera_id=cam)),
            "photo_ids one tag": lambda: photo_ids(s, PhotoFilter(tag_id=tag)),
            "photo_ids one year": lambda: photo_ids(s, PhotoFilter(year=2015)),
            "photo_ids collection, own order": lambda: photo_ids(
                s, PhotoFilter(collection_id=coll), "position"
            ),
            "photo_ids text 'sunset'": lambda: photo_ids(s, PhotoFilter(text="sunset")),
            "photo_ids text + camera + year": lambda: photo_ids(
                s, PhotoFilter(text="sea", camera_id=cam, year=2015)
            ),
            "search_ids 'mount' (prefix)": lambda: search_ids(s, "mount"),
            "load_rows 200 (one screen)": lambda: load_rows(s, window),
            "page 200 deep in keyset": lambda: page(s, PhotoFilter(), "date_taken", None, 200),
            "facets (sidebar)": lambda: facets(s),
            "dashboard": lambda: dashboard(s),
        }
        print(f"{len(ids)} processed photos; median of {repeat} runs")
        for name, fn in cases.items():
            print(f"  {name:<34} {timed(fn, repeat):8.1f} ms")

    def reindex_one() -> None:
        with catalog.writing() as w:
            reindex(w, window[:1])

    print(f"  {'reindex one photo (ingest, edits)':<34} {timed(reindex_one, repeat):8.1f} ms")
    base_ids = timed(lambda: baseline_ids(catalog), 1)
    base_rows = timed(lambda: baseline_rows(catalog, window), repeat)
    with catalog.reading() as s:
        ours_ids = timed(lambda: photo_ids(s, PhotoFilter()), repeat)
        ours_rows = timed(lambda: load_rows(s, window), repeat)
    print(
        f"baseline ids (ORM objects, Python sort): {base_ids:8.1f} ms"
        f"  -> photo_ids {base_ids / ours_ids:5.1f}x faster"
    )
    print(
        f"baseline 200 rows (lazy ORM, N+1):       {base_rows:8.1f} ms"
        f"  -> load_rows {base_rows / ours_rows:5.1f}x faster"
    )


if __name__ == "__main__":
    main()
