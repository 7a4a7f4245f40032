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
* ``sizes``: the catalog and the snapshot on disk;
* ``publish``: the incremental publish of one change, and the no-change publish, on copies
  of the catalog and the snapshot (the archive itself is never written).

    .venv/bin/python bench/scale.py --photos 1000000 [--workdir /tmp/exiftree-scale]
        [--only generate,sizes,query,desktop,viewer] [--duration 10]

The snapshot database is ``exiftree_scale_<N>`` (``--db-prefix``: another prefix) on
EXIFTREE_BENCH_DATABASE_URL's server (the test server by default); it is kept for the next
run (``--drop`` drops it). Results: docs/performance/scale.md.

``--only dry-run --tree main=/work/main --tree branch=.``: ``publish --dry-run`` after one
change, for each source tree in turn on the same copies (docs/performance/publish.md).
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
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import synthetic  # noqa: E402

SERVER = os.environ.get(
    "EXIFTREE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
STEPS = ("generate", "sizes", "query", "publish", "desktop", "viewer")  # and "dry-run"
DB_PREFIX = ["exiftree"]  # --db-prefix: two benches on one server keep apart


def snapshot_url(n: int) -> str:
    name = f"{DB_PREFIX[0]}_scale_{n}"
    return make_url(SERVER).set(database=name).render_as_string(False)


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


def publish_one_change(root: Path, n: int, scratch: Path, repeat: int) -> dict[str, float]:
    """The incremental publish of one change (issue 15), end to end: a title + ISO edit
    (new row, new objects), rendered from the thumbnail, written to a local media folder and
    to a copy of the PostgreSQL snapshot; then the no-change publish. The shared archive
    stays untouched (see :func:`_publish_copies`)."""
    from catalog.models import Photo
    from publisher.fingerprint import catalog_fingerprint, catalog_mark
    from publisher.publish import publish
    from publisher.renditions import SIZES_PX

    catalog, target, seq, rows = _publish_copies(root, n, scratch)
    url, settings = target.database_url, _settings(catalog)
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    db = make_url(url).database
    figures: dict[str, float] = {}

    def timed(name: str, fn) -> object:  # noqa: ANN001 - a thunk
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        figures[name] = time.perf_counter() - wall
        figures[f"{name} cpu"] = time.process_time() - cpu
        print(f"  {name:<36} {figures[name]:8.3f} s wall {figures[f'{name} cpu']:7.3f} s "
              f"cpu  load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        return result

    print(f"publish of one change at {n:,} photos (bench/scale.py):", flush=True)
    timed("catalog_fingerprint (for comparison)",
          lambda: catalog_fingerprint(catalog.db_path, settings, SIZES_PX))  # fmt: skip
    timed("catalog_mark (the journal's position)",
          lambda: catalog_mark(catalog.db_path, settings, SIZES_PX))  # fmt: skip
    with catalog.reading() as s:
        chosen = s.execute(
            select(Photo.id, Photo.content_hash)
            .where(Photo.visibility == "public", Photo.status == "processed")
            .order_by(Photo.id).limit(repeat)
        ).all()  # fmt: skip
    _thumbnails_for(scratch / f"catalog-{n}" / "thumbs", root / "thumbs", [h for _, h in chosen])
    ones, cpus = [], []
    for k, (photo_id, _) in enumerate(chosen):
        with catalog.writing() as s:
            photo = s.get(Photo, photo_id)
            assert photo is not None and photo.exif is not None
            photo.title = f"Changed {k} at {time.time()}"  # never the value it has
            photo.exif.iso = (photo.exif.iso or 100) + 1
        result = timed(f"one photo changed #{k + 1}", lambda: publish(catalog, target))
        assert result.plan is not None and result.plan.delta is not None  # type: ignore[attr-defined]
        assert result.uploaded_objects == 3, result  # type: ignore[attr-defined]
        ones.append(figures[f"one photo changed #{k + 1}"])
        cpus.append(figures[f"one photo changed #{k + 1} cpu"])
    nothing = [timed(f"no-change publish #{k + 1}", lambda: publish(catalog, target))
               for k in range(repeat)]  # fmt: skip
    assert all(r.plan is None for r in nothing)  # type: ignore[attr-defined]
    figures["one_change_median"] = sorted(ones)[len(ones) // 2]
    figures["one_change_cpu_median"] = sorted(cpus)[len(cpus) // 2]
    engine = create_engine(url)
    with engine.connect() as conn:
        live = conn.scalar(text("SELECT count(*) FROM photos WHERE valid_to IS NULL"))
        assert live == rows, (live, rows)
        newest = conn.scalar(text("SELECT max(seq) FROM publishes"))
        assert newest == seq + repeat, (newest, seq)
    engine.dispose()
    catalog.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
    admin.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mb"] = rss
    wall, cpu = figures["one_change_median"], figures["one_change_cpu_median"]
    print(f"  one change: median {wall:.3f} s wall, {cpu:.3f} s cpu; peak RSS {rss:.0f} MB")
    return figures


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _settings(catalog: Any) -> Any:
    from catalog.settings import load_settings

    with catalog.reading() as session:
        return load_settings(session)


def _publish_copies(root: Path, n: int, scratch: Path) -> tuple[Any, Any, int, int]:
    """A copy of the archive's catalog in ``scratch`` (thumbnails by symlink) and of its
    snapshot database as ``PREFIX_publish_<N>`` (CREATE DATABASE ... TEMPLATE), given the
    publish cursor a full publish would have left (publisher/cursor.py): the catalog, the
    target (a local media folder and that database), the live publish and its photo rows."""
    import shutil
    from dataclasses import replace

    from catalog import journal
    from catalog.catalog import Catalog
    from publisher.cursor import Cursor, save_cursor
    from publisher.fingerprint import catalog_mark
    from publisher.renditions import SIZES_PX
    from publisher.snapshot import connect_snapshot
    from publisher.state import save_marker
    from publisher.storage import LocalStore
    from publisher.targets import Target

    folder = scratch / f"catalog-{n}"
    if not (folder / "catalog.sqlite").exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / "catalog.sqlite", folder / "catalog.sqlite")
        (folder / "thumbs").symlink_to(root / "thumbs")
    catalog = Catalog.open(folder)  # migrates the copy: the journal starts here
    settings = _settings(catalog)
    db = f"{DB_PREFIX[0]}_publish_{n}"
    url = make_url(SERVER).set(database=db).render_as_string(False)
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    _copy_database(admin, make_url(snapshot_url(n)).database or "", db)
    admin.dispose()
    engine = connect_snapshot(url)  # adds the publisher's tables
    mark = catalog_mark(catalog.db_path, settings, SIZES_PX)
    assert mark.position is not None
    mark = replace(mark, position=journal.stamp(catalog.db_path))  # as a publish stamps it
    with engine.begin() as conn:
        seq = conn.scalar(text("SELECT max(seq) FROM publishes"))
        rows = conn.scalar(text("SELECT count(*) FROM photos WHERE valid_to IS NULL"))
        # synthetic.fill_snapshot wrote seq 1 itself: move the serial past it
        conn.execute(text("SELECT setval(pg_get_serial_sequence('publishes', 'seq'), :s)"),
                     {"s": seq})  # fmt: skip
        save_marker(conn, seq, None)
        save_cursor(conn, seq, Cursor(mark.position, mark.basis, rows))
    engine.dispose()
    target = Target(LocalStore(scratch / f"media-{n}"), url, None, str(scratch))
    return catalog, target, seq, rows


def _settle_renditions(catalog: Any, url: str) -> None:
    """The synthetic snapshot's rendition keys are not the ones the catalog's photos want
    (their EXIF digests differ), so a full plan would see every photo to render again; give
    each open row the keys its photo wants, as a real publish leaves them (only the changed
    photo is then to render, in the full plan as in the incremental one)."""
    import json as json_

    from publisher.catalog_view import read_catalog
    from publisher.plan import rendition_keys
    from publisher.renditions import SIZES_PX

    keys = rendition_keys(read_catalog(catalog, _settings(catalog)), SIZES_PX)
    values = [
        {
            "id": pid,
            "r": json_.dumps(
                [
                    {
                        "size": size,
                        "key": key,
                        "width": size,
                        "height": size * 2 // 3,
                        "bytes": size * 40,
                    }
                    for size, key in wanted.items()
                ]
            ),
        }  # fmt: skip
        for pid, wanted in keys.items()
    ]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE photos SET renditions = CAST(:r AS json) "
                "WHERE id = :id AND valid_to IS NULL"
            ),
            values,
        )
    engine.dispose()


# Run with PYTHONPATH=<a source tree>: that tree's ``publish --dry-run`` (the publish()
# call it makes), timed in a warm process, after one untimed run (imports, caches).
_DRY_RUN_PROBE = """
import json, sys, time
from pathlib import Path
from catalog.catalog import Catalog
from publisher.publish import publish
from publisher.storage import LocalStore
from publisher.targets import Target
folder, url, media, repeat = sys.argv[1:5]
catalog = Catalog.open(Path(folder))
target = Target(LocalStore(Path(media)), url, None, media)
publish(catalog, target, dry_run=True)
walls, cpus = [], []
for _ in range(int(repeat)):
    wall, cpu = time.perf_counter(), time.process_time()
    result = publish(catalog, target, dry_run=True)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
plan = result.plan
print(json.dumps({"wall": walls, "cpu": cpus, "incremental": plan.delta is not None,
                  "lines": plan.lines()}))
"""


def dry_run_one_change(
    root: Path, n: int, scratch: Path, repeat: int, trees: list[tuple[str, Path]]
) -> dict[str, float]:
    """``exiftree publish --dry-run`` after one change (a title + ISO edit) at ``n`` photos,
    for each source tree (``--tree main=/work/main --tree branch=.``) in turn, on the same
    copies (:func:`_publish_copies`; a dry run writes nothing, so each sees the same)."""
    from catalog.models import Photo

    catalog, target, _, _ = _publish_copies(root, n, scratch)
    _settle_renditions(catalog, target.database_url)
    with catalog.writing() as s:
        photo = s.scalars(
            select(Photo).where(Photo.visibility == "public", Photo.status == "processed")
            .order_by(Photo.id).limit(1)
        ).one()  # fmt: skip
        _thumbnails_for(scratch / f"catalog-{n}" / "thumbs", root / "thumbs", [photo.content_hash])
        assert photo.exif is not None
        photo.title = f"Changed at {time.time()}"
        photo.exif.iso = (photo.exif.iso or 100) + 1
    catalog.close()
    figures: dict[str, float] = {}
    print(f"publish --dry-run after one change at {n:,} photos (bench/scale.py):", flush=True)
    lines: dict[str, list[str]] = {}
    for round_ in range(2):  # each tree twice, interleaved: the load drifts
        for name, tree in trees:
            command = [sys.executable, "-c", _DRY_RUN_PROBE, str(scratch / f"catalog-{n}"),
                       target.database_url, str(scratch / f"media-{n}"), str(repeat)]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
            load = os.getloadavg()[0]
            out = subprocess.run(command, check=True, capture_output=True, text=True, env=env,
                                 cwd=tree).stdout  # fmt: skip
            got = json.loads(out.strip().splitlines()[-1])
            wall, cpu = _median(got["wall"]), _median(got["cpu"])
            figures[f"{name} wall #{round_ + 1}"], figures[f"{name} cpu #{round_ + 1}"] = wall, cpu
            how = "incremental" if got["incremental"] else "full"
            print(f"  {name:<8} ({how:<11}) median of {repeat}: {wall:7.3f} s wall "
                  f"{cpu:7.3f} s cpu  load {load:.1f}", flush=True)  # fmt: skip
            lines[name] = got["lines"]
    for name, shown in lines.items():
        print(f"  {name} says: " + " | ".join(shown[:6])[:600], flush=True)
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = make_url(target.database_url).database
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    return figures


def _thumbnails_for(thumbs: Path, shared: Path, hashes: list[str]) -> None:
    """The archive has one 300 px thumbnail per photo; a publish renders 300, 800 and
    1600 px. The copy's thumbnail folder links to the archive's, but for the folders of
    the photos the bench changes, which hold those photos' three sizes (made from the
    300 px one) — and nothing else: only they are published again."""
    from PIL import Image

    if thumbs.is_symlink():
        thumbs.unlink()
    thumbs.mkdir(exist_ok=True)
    for sub in shared.iterdir():
        if not (thumbs / sub.name).exists():
            (thumbs / sub.name).symlink_to(sub)
    for content_hash in hashes:
        sub = thumbs / content_hash[:2]
        if sub.is_symlink():
            sub.unlink()
            sub.mkdir()
        with Image.open(shared / content_hash[:2] / f"{content_hash}_300.jpg") as small:
            for size in (300, 800, 1600):
                picture = small.resize((size, size * small.height // small.width))
                picture.save(sub / f"{content_hash}_{size}.jpg", quality=85)


def _copy_database(admin: Engine, source: str, copy: str, wait_s: float = 600) -> None:
    """CREATE DATABASE ... TEMPLATE needs the source without sessions (a viewer bench may be
    reading it): try again until it is free."""
    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + wait_s
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
        while True:
            try:
                conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"'))
                return
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/exiftree-scale"))
    parser.add_argument("--only", default=",".join(STEPS), help="comma-separated steps")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per URL")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--drop", action="store_true", help="drop the snapshot database after")
    parser.add_argument("--scratch", type=Path, help="publish: where the catalog copy goes "
                        "(default: WORKDIR/publish-scratch)")  # fmt: skip
    parser.add_argument("--db-prefix", default="exiftree", help="names the databases "
                        "PREFIX_scale_N and PREFIX_publish_N")  # fmt: skip
    parser.add_argument("--tree", action="append", default=[], help="dry-run: NAME=PATH of "
                        "a source tree to measure (e.g. main=/work/main branch=.)")  # fmt: skip
    args = parser.parse_args()
    if "dry-run" in args.only and not args.tree:
        args.tree = [f"this={REPO}"]
    DB_PREFIX[0] = args.db_prefix
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
        command = [
            sys.executable,
            __file__,
            "--photos",
            str(args.photos),
            "--workdir",
            str(args.workdir),
            "--only",
            "publish-here",
            "--repeat",
            str(args.repeat),
            "--db-prefix",
            args.db_prefix,
        ]
        if args.scratch:
            command += ["--scratch", str(args.scratch)]  # fmt: skip
        subprocess.run(command, check=True)
    if "publish-here" in steps:
        scratch = args.scratch or args.workdir / "publish-scratch"
        figures["publish"] = publish_one_change(root, args.photos, scratch, args.repeat)
    if "dry-run" in steps:
        scratch = args.scratch or args.workdir / "publish-scratch"
        trees = [(t.split("=", 1)[0], Path(t.split("=", 1)[1])) for t in args.tree]
        figures["dry-run"] = dry_run_one_change(root, args.photos, scratch, args.repeat, trees)
    if "desktop" in steps:
        print(f"desktop (bench/desktop.py), load {os.getloadavg()}", flush=True)
        command = [sys.executable, str(REPO / "bench" / "desktop.py"), "--photos",
                   str(args.photos), "--workdir", str(args.workdir)]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(out, flush=True)
        figures["desktop"] = json.loads(out.strip().splitlines()[-1])
    if "viewer" in steps:
        from bench.viewer import ROOT as VIEWER_TREE
        from bench.viewer import Server, _measure

        print(f"viewer (bench/viewer.py's loads), load {os.getloadavg()}", flush=True)
        this = [Server("this", (VIEWER_TREE,))]
        _measure(snapshot_url(args.photos), args.duration, [1], this, ("",), settle_s=10)
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
