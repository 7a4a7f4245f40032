"""Catalog queries at scale: ids for the grid, rows on demand, facets, search, dashboard.

Builds a synthetic catalog (default 100,000 photos, bulk inserts), then times each query
the desktop makes against a straightforward ORM baseline in the same run:

    .venv/bin/python bench/query.py [--photos 100000] [--catalog DIR] [--repeat 3]
        [--code TREE] [--no-baselines]

``--code TREE`` times another checkout's ``catalog`` (main's, say) with these same cases, in
a process of its own: before and after in one run. ``build_catalog`` is importable for other
benchmarks that need a big catalog.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

if __name__ == "__main__" and "--code" in sys.argv:  # the catalog package to time
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))
else:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inspect  # noqa: E402

from sqlalchemy import select  # noqa: E402

from catalog.catalog import Catalog  # noqa: E402
from catalog.models import Photo  # noqa: E402
from catalog.query import PhotoFilter, count, facets, page, photo_ids  # noqa: E402
from catalog.rows import load_rows  # noqa: E402
from catalog.search import reindex, search_ids  # noqa: E402
from catalog.stats import dashboard  # noqa: E402


def build_catalog(root: Path, n: int, seed: int = 1) -> Catalog:
    """The shared synthetic archive (bench/synthetic.py): gear, cities, tags, collections."""
    from bench.synthetic import build_catalog as build

    build(root, n, seed)
    return Catalog.open(root)


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
    parser.add_argument("--code", type=Path, help="time this checkout's catalog package")
    parser.add_argument("--no-baselines", action="store_true", help="skip the ORM baselines")
    args = parser.parse_args()
    root = args.catalog or Path(tempfile.mkdtemp(prefix="exiftree-bench-"))
    t0 = time.perf_counter()
    if (root / "catalog.sqlite").exists():
        catalog = Catalog.open(root)
    else:
        catalog = build_catalog(root, args.photos)
        print(f"built {args.photos} photos (and their search index) in "
              f"{time.perf_counter() - t0:.1f} s at {root}")  # fmt: skip
    import catalog as package

    print(f"catalog package: {Path(package.__file__).parent}; load {os.getloadavg()}")
    report(catalog, args.repeat, baselines=not args.no_baselines)


def report(catalog: Catalog, repeat: int, baselines: bool = True) -> dict[str, float]:
    """Print (and return, in ms) each query's median; ``baselines``: the ORM ways too."""
    with catalog.reading() as s:
        ids = photo_ids(s, PhotoFilter())
        facet = facets(s)
        cam, tag, coll = facet["cameras"][0].id, facet["tags"][0].id, facet["collections"][0].id
        window = ids[50_000:50_200] if len(ids) > 50_200 else ids[:200]
        public = PhotoFilter(visibility="public")
        ranked_screen = (
            (lambda: search_ids(s, "mount", limit=200))
            if "limit" in inspect.signature(search_ids).parameters
            else None  # an older catalog package: no first-screen ranking
        )
        cases: dict[str, Callable[[], object] | None] = {
            "photo_ids all, by date": lambda: photo_ids(s, PhotoFilter()),
            "photo_ids all, by title": lambda: photo_ids(s, PhotoFilter(), "title"),
            "photo_ids one camera": lambda: photo_ids(s, PhotoFilter(camera_id=cam)),
            "photo_ids one tag": lambda: photo_ids(s, PhotoFilter(tag_id=tag)),
            "photo_ids one year": lambda: photo_ids(s, PhotoFilter(year=2015)),
            "photo_ids collection, own order": lambda: photo_ids(
                s, PhotoFilter(collection_id=coll), "position"
            ),
            "photo_ids text 'sunset'": lambda: photo_ids(s, PhotoFilter(text="sunset")),
            "page 200, text 'sunset' (1st screen)": lambda: page(s, PhotoFilter(text="sunset")),
            "photo_ids text rare ('golden ridge')": lambda: photo_ids(
                s, PhotoFilter(text="golden ridge")
            ),
            "photo_ids text + camera + year": lambda: photo_ids(
                s, PhotoFilter(text="sea", camera_id=cam, year=2015)
            ),
            "page 200, text + camera + year": lambda: page(
                s, PhotoFilter(text="sea", camera_id=cam, year=2015)
            ),
            "count text 'sunset'": lambda: count(s, PhotoFilter(text="sunset")),
            "search_ids 'mount' (prefix)": lambda: search_ids(s, "mount"),
            "search_ids 'mount', best 200": ranked_screen,
            "load_rows 200 (one screen)": lambda: load_rows(s, window),
            "page 200 deep in keyset": lambda: page(s, PhotoFilter(), "date_taken", None, 200),
            "facets (sidebar)": lambda: facets(s),
            "sidebar counts (4 sources)": lambda: [
                count(s, PhotoFilter()),
                count(s, PhotoFilter(visibility="private")),
                count(s, PhotoFilter(needs_attention=True)),
                count(s, PhotoFilter(imported_since=datetime(2026, 6, 1))),
            ],
            "facets, one camera": lambda: facets(s, PhotoFilter(camera_id=cam)),
            "facets, public (half)": lambda: facets(s, public),
            "dashboard": lambda: dashboard(s),
        }
        print(f"{len(ids)} processed photos; median of {repeat} runs")
        figures = {}
        for name, case in cases.items():
            if case is None:
                print(f"  {name:<38} n/a")
                continue
            fn = case
            cpu = time.process_time()
            figures[name] = timed(fn, repeat)
            figures[f"{name} (CPU)"] = (time.process_time() - cpu) * 1000 / repeat
            print(
                f"  {name:<38} {figures[name]:8.1f} ms  (CPU {figures[f'{name} (CPU)']:7.1f} ms,"
                " mean)"
            )

    def reindex_one() -> None:
        with catalog.writing() as w:
            reindex(w, window[:1])

    figures["reindex one photo"] = timed(reindex_one, repeat)
    print(f"  {'reindex one photo (ingest, edits)':<38} {figures['reindex one photo']:8.1f} ms")
    if not baselines:
        return figures
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
    return figures


if __name__ == "__main__":
    main()
