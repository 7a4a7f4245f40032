"""ExifTree at 10,000 / 100,000 / 1,000,000 photos: does anything get slower as it grows?

Builds (once, cached in --workdir) the shared synthetic archive of ``--photos`` photos
(bench/synthetic.py): a catalog through the catalog's own migrations, with a 300 px
thumbnail per photo (hard links), and its published snapshot in PostgreSQL (COPY) — then
runs the existing benches against it, each in its own process where it measures a start:

* ``query``: the catalog's query layer — grid ids, facet counts, search, one screen of rows
  (bench/query.py's cases, without its ORM baselines, which take minutes at 1M);
* ``desktop``: process start → populated grid, the largest scroll stall, peak memory
  (bench/desktop.py);
* ``viewer``: one uvicorn worker over the snapshot, wrk at c=32 on home, the next-page
  fragment, a photo, a tag (facet) page, a search, 5,000 random photos (bench/viewer.py);
* ``sizes``: the catalog and the snapshot on disk.

    .venv/bin/python bench/scale.py --photos 1000000 [--workdir /tmp/exiftree-scale]
        [--only generate,sizes,query,desktop,viewer] [--duration 10]

The snapshot database is ``exiftree_scale_<N>`` on EXIFTREE_BENCH_DATABASE_URL's server (the
test server by default); it is kept for the next run (``--drop`` drops it). Results:
docs/performance/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import synthetic  # noqa: E402

SERVER = os.environ.get(
    "EXIFTREE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
STEPS = ("generate", "sizes", "query", "publish", "desktop", "viewer")


def snapshot_url(n: int) -> str:
    return make_url(SERVER).set(database=f"exiftree_scale_{n}").render_as_string(False)


def generate(root: Path, n: int) -> None:
    """The catalog (as bench/desktop.py caches it) and the PostgreSQL snapshot, if absent."""
    from bench.desktop import build_catalog

    started = time.perf_counter()
    if not (root / f".built-{n}").exists():
        build_catalog(root, n)
        print(f"catalog: {n:,} photos in {time.perf_counter() - started:.0f} s", flush=True)
    url, started = snapshot_url(n), time.perf_counter()
    if _has_snapshot(url):
        return
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = make_url(url).database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url)
    listed = synthetic.fill_snapshot(engine, n)
    engine.dispose()
    print(
        f"snapshot (PostgreSQL, COPY): {listed:,} listed photos in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def _has_snapshot(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(text("SELECT count(*) FROM publishes")))
    except Exception:  # noqa: BLE001 - absent or half-built: build it again
        return False
    finally:
        engine.dispose()


def sizes(root: Path, n: int) -> dict[str, float]:
    """Megabytes on disk: the catalog database, the snapshot database (PostgreSQL)."""
    catalog = (
        sum(synthetic.disk_bytes(p) for p in root.glob("catalog.sqlite*") if p.is_file()) / 1e6
    )
    engine = create_engine(snapshot_url(n))
    with engine.connect() as conn:
        snapshot = conn.scalar(text("SELECT pg_database_size(current_database())")) / 1e6
        rows = conn.scalar(text("SELECT count(*) FROM photos"))
    engine.dispose()
    figures = {"catalog_mb": catalog, "snapshot_pg_mb": snapshot, "snapshot_photo_rows": rows}
    print(
        f"on disk: catalog.sqlite {catalog:,.0f} MB ({catalog * 1e6 / n:,.0f} B/photo); "
        f"snapshot in PostgreSQL {snapshot:,.0f} MB for {rows:,} photo rows; thumbnails are "
        "hard links to 48 files (a real archive: ~3 thumbnails of 20–300 KB per photo)",
        flush=True,
    )
    return figures


def query(root: Path, repeat: int) -> dict[str, float]:
    """bench/query.py's cases without its baselines, plus this process's peak memory."""
    from bench.query import report
    from catalog.catalog import Catalog

    started = time.perf_counter()
    catalog = Catalog.open(root)
    print(f"Catalog.open: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
    figures = report(catalog, repeat, baselines=False)
    catalog.close()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process: {figures['peak_rss_mb']:.0f} MB", flush=True)
    return figures


def publish_steps(root: Path) -> dict[str, float]:
    """The steps a one-change publish runs over the whole catalog in Python, each timed on
    its own (no upload, no render: a lower bound of ``publish`` after one edit). The
    snapshot state round trip uses an in-memory SQLite snapshot."""
    from datetime import datetime

    from catalog.catalog import Catalog
    from catalog.settings import load_settings
    from publisher.catalog_view import read_catalog
    from publisher.fingerprint import catalog_fingerprint
    from publisher.renditions import SIZES_PX
    from publisher.rows import build_rows
    from publisher.snapshot import count_changes, digested
    from publisher.state import SnapshotState, load_state, save_state
    from publisher.tables import publisher_metadata
    from webviewer import schema

    figures: dict[str, float] = {}

    def step(name: str, fn):  # noqa: ANN001, ANN202 - a thunk and its result
        started = time.perf_counter()
        result = fn()
        figures[name] = time.perf_counter() - started
        print(f"  {name:<44} {figures[name]:8.2f} s", flush=True)
        return result

    catalog = Catalog.open(root)
    with catalog.reading() as session:
        settings = load_settings(session)
    print("publish of one change, its whole-catalog steps (bench/scale.py):", flush=True)
    step(
        "catalog_fingerprint (aggregates)", lambda: catalog_fingerprint(catalog, settings, SIZES_PX)
    )
    site = step("read_catalog (every publishable photo)", lambda: read_catalog(catalog, settings))
    renditions = {
        pid: ([{"size": z, "key": f"p/{pid}-{z}.jpg", "width": z, "height": z, "bytes": 1}
               for z in SIZES_PX], "#445566")
        for pid in site.photos
    }  # fmt: skip
    now = datetime(2026, 1, 1)
    desired = step(
        "build_rows + digested (plan's desired rows)",
        lambda: digested(build_rows(site, renditions, {}, now)),
    )
    saved = {t: {k: (i, d) for i, (k, (_, d)) in enumerate(rows.items())}
             for t, rows in desired.items()}  # fmt: skip
    state = SnapshotState(1, saved, renditions, {pid: now for pid in site.photos})
    step("diff against the saved state (count_changes)", lambda: count_changes(state, desired))
    engine = create_engine("sqlite://")
    schema.metadata.create_all(engine)
    publisher_metadata.create_all(engine)
    with engine.begin() as conn:
        live = {"seq": 1, "id": "x", "published_at": now, "state": schema.LIVE, "photo_count": 0}
        conn.execute(schema.publishes.insert().values(**live))
        step("save_state (JSON of every row's digest)", lambda: save_state(conn, state))
        size = conn.scalar(text("SELECT length(state) FROM publish_state")) / 1e6
        step("load_state (the same, read back)", lambda: load_state(conn))
    engine.dispose()
    catalog.close()
    figures["state_json_mb"] = size
    figures["photos_on_site"] = len(site.photos)
    total = sum(v for k, v in figures.items() if not k.startswith(("state_", "photos_")))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'sum (a lower bound of publish one change)':<44} {total:8.2f} s; "
          f"state JSON {size:.0f} MB for {len(site.photos):,} photos; peak RSS "
          f"{rss:.0f} MB", flush=True)  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/exiftree-scale"))
    parser.add_argument("--only", default=",".join(STEPS), help="comma-separated steps")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per URL")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--drop", action="store_true", help="drop the snapshot database after")
    args = parser.parse_args()
    steps = set(args.only.split(","))
    root = args.workdir / f"catalog-{args.photos}"
    print(f"{args.photos:,} photos; {os.cpu_count()} cores; load {os.getloadavg()}", flush=True)
    generate(root, args.photos)  # every step needs it
    figures: dict[str, object] = {}
    if "sizes" in steps:
        figures["sizes"] = sizes(root, args.photos)
    if "query" in steps:
        figures["query"] = query(root, args.repeat)
    if "publish" in steps:  # in its own process: its peak memory is its own
        command = [sys.executable, __file__, "--photos", str(args.photos), "--workdir",
                   str(args.workdir), "--only", "publish-here"]  # fmt: skip
        subprocess.run(command, check=True)
    if "publish-here" in steps:
        figures["publish"] = publish_steps(root)
    if "desktop" in steps:
        print(f"desktop (bench/desktop.py), load {os.getloadavg()}", flush=True)
        command = [sys.executable, str(REPO / "bench" / "desktop.py"), "--photos",
                   str(args.photos), "--workdir", str(args.workdir)]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(out, flush=True)
        figures["desktop"] = json.loads(out.strip().splitlines()[-1])
    if "viewer" in steps:
        from bench.viewer import _measure

        print(f"viewer (bench/viewer.py's loads), load {os.getloadavg()}", flush=True)
        _measure(snapshot_url(args.photos), args.duration)
    print(f"load at the end {os.getloadavg()}")
    print(json.dumps(figures))
    if args.drop:
        admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = make_url(snapshot_url(args.photos)).database
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
