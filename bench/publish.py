"""Publish benchmark: a large catalog against a real S3 server (moto) and PostgreSQL.

Measures, in one run: a full first publish, a no-change publish, a one-photo-changed
publish, and a naive baseline that re-renders, re-uploads and rewrites everything
(``publish(force=True)``). Goals: one-change >= 50x faster than naive and < 3 s; no-change < 1 s.

    .venv/bin/python bench/publish.py --photos 10000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import boto3
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.catalog import THUMB_SIZES_PX, Catalog  # noqa: E402
from catalog.models import Camera, City, ExifData, Lens, Photo, PhotoTag, Tag  # noqa: E402
from publisher.publish import publish  # noqa: E402
from publisher.targets import s3_target  # noqa: E402

BUCKET = "exiftree-bench"
PG = os.environ.get(
    "EXIFTREE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def build_catalog(root: Path, n: int) -> Catalog:
    """``n`` processed public photos with gear, cities, tags and tiny thumbnails."""
    catalog = Catalog.open(root)
    with catalog.writing() as s:
        cameras = [
            Camera(slug=f"cam-{i}", make="Nikon", model=f"D{i}", name=f"Nikon D{i}")
            for i in range(8)
        ]
        lenses = [Lens(slug=f"lens-{i}", model=f"{i}mm", name=f"Nikkor {i}mm") for i in range(8)]
        cities = [
            City(
                slug=f"city-{i}",
                name=f"City {i}",
                admin1="R",
                country_code="NL",
                latitude=50 + i / 10,
                longitude=4 + i / 10,
            )
            for i in range(40)
        ]
        tags = [Tag(slug=f"tag-{i}", name=f"tag {i}") for i in range(50)]
        s.add_all(cameras + lenses + cities + tags)
        s.flush()
        for i in range(n):
            h = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
            photo = Photo(
                source_path=f"/photos/{i}.jpg",
                content_hash=h,
                file_size=1,
                file_mtime_ns=i,
                width=1600,
                height=1067,
                status="processed",
                visibility="public",
                title=f"Photo {i}",
                date_taken=datetime(2015, 1, 1) + timedelta(hours=i),
                camera_id=cameras[i % 8].id,
                lens_id=lenses[i % 8].id,
                city_id=cities[i % 40].id,
            )
            photo.exif = ExifData(
                raw="{}", iso=100 + i % 7 * 100, aperture=2.8, focal_length_mm=35.0
            )
            s.add(photo)
            s.flush()
            s.add_all([PhotoTag(photo_id=photo.id, tag_id=tags[(i + k) % 50].id) for k in (0, 7)])
    colour_cache: dict[int, bytes] = {}
    for i in range(n):
        h = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
        for size in THUMB_SIZES_PX:
            path = catalog.thumb_path(h, size)
            path.parent.mkdir(parents=True, exist_ok=True)
            key = (i % 200) * 10 + size
            if key not in colour_cache:
                img = Image.new("RGB", (size // 50, size // 75), (i % 200, 80, 120))
                out = path.with_suffix(".tmp")
                img.save(out, "JPEG")
                colour_cache[key] = out.read_bytes()
                out.unlink()
            path.write_bytes(colour_cache[key])
    return catalog


def start_moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    for _ in range(400):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}"


def timed(label: str, fn) -> float:  # noqa: ANN001 - a thunk
    """Wall time, returned; printed with this process's CPU (rendering threads included;
    moto and PostgreSQL are other processes) and the load, since the machine is shared."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed = time.perf_counter() - start
    print(
        f"{label:<28} {elapsed:8.3f} s   cpu {time.process_time() - cpu:7.3f} s   "
        f"uploaded={result.uploaded_objects:<6} rows={result.rows_closed}+{result.rows_inserted}"
        f"   load {os.getloadavg()[0]:.1f}"
    )
    return elapsed


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up moto and the database
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="cProfile the small publishes")
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    db = f"exiftree_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    moto, url = start_moto()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            catalog = build_catalog(Path(tmp) / "catalog", args.photos)
            print(f"catalog of {args.photos} photos built in {time.perf_counter() - t0:.1f} s")
            boto3.client("s3", endpoint_url=url, region_name="us-east-1").create_bucket(
                Bucket=BUCKET
            )
            target = s3_target(
                BUCKET,
                endpoint_url=url,
                region="us-east-1",
                media_url=None,
                workers=args.workers,
                database_url=make_url(PG).set(database=db).render_as_string(hide_password=False),
            )
            run = lambda **kw: publish(catalog, target, workers=args.workers, **kw)  # noqa: E731
            full = timed("full first publish", run)
            no_change = statistics.median(timed("no-change publish", run) for _ in range(3))
            one = []
            for k in range(3):
                photo_id = _change_one(catalog, k)
                one.append(timed(f"one photo changed ({photo_id[:8]})", run))
            one_change = statistics.median(one)
            if args.profile:
                _profile(run, catalog)
            naive = timed("naive: everything again", lambda: run(force=True))
            print()
            print(f"photos={args.photos} workers={args.workers} cores={os.cpu_count()}")
            print(
                f"full={full:.2f}s no-change={no_change:.3f}s one-change={one_change:.3f}s "
                f"naive={naive:.2f}s  naive/one-change={naive / one_change:.0f}x"
            )
            catalog.close()
    finally:
        moto.terminate()
        moto.wait()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def _profile(run, catalog: Catalog) -> None:  # noqa: ANN001
    import cProfile
    import pstats

    for label, k in (("no-change", None), ("one-change", 9)):
        if k is not None:
            _change_one(catalog, k)
        profiler = cProfile.Profile()
        profiler.runcall(run)
        print(f"--- profile: {label}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def _change_one(catalog: Catalog, k: int) -> str:
    """Retitle a photo and change its ISO: new row *and* new objects (the EXIF differs)."""
    with catalog.writing() as s:
        photo = s.query(Photo).order_by(Photo.id).offset(17 * (k + 1)).first()
        photo.title = f"Changed {k}"
        photo.exif.iso = 6400 + k
        return photo.id


if __name__ == "__main__":
    main()
