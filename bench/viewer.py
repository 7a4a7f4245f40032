"""The web viewer under load: a 100,000-photo snapshot in PostgreSQL, one uvicorn worker.

Builds the snapshot (bulk inserts, plus the full-text GIN index proposed for schema.py),
starts ``uvicorn`` with ONE worker serving the viewer plus a ``/_ceiling`` route that
returns a static body of the home page's size (the same server, the same middleware: the
ceiling), then drives each URL with ``wrk`` (Debian package ``wrk``: apt-get install wrk)
at concurrency 32 and prints requests/s, p50 and p99 and the ratio to the ceiling:

    .venv/bin/python bench/viewer.py [--photos 100000] [--duration 10] [--keep]

The bench database is dropped afterwards unless --keep (which also reuses it next time).

Set EXIFTREE_BENCH_DATABASE_URL to choose the server (default: the test server).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from webviewer import schema as s  # noqa: E402

SERVER = os.environ.get(
    "EXIFTREE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DB_NAME = "exiftree_bench_viewer"
CONCURRENCY = 32
GIN_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_photos_search_fts ON photos USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(search_text, '')))"
)
TAGS = [f"tag{i}" for i in range(200)] + ["sunset", "harbour", "street", "mountains"]
WORDS = ["golden", "quiet", "blue", "late", "misty", "hidden", "bright", "long", "first"]
NOUNS = ["alley", "ridge", "window", "bridge", "market", "shore", "tram", "garden", "pier"]


def build_snapshot(photos: int) -> str:
    """A fresh database holding one live publish of ``photos`` listed photos."""
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    url = make_url(SERVER).set(database=DB_NAME).render_as_string(hide_password=False)
    engine = create_engine(url)
    s.metadata.create_all(engine)
    rng = random.Random(7)
    live = {"valid_from": 1, "valid_to": None}

    def entity(kind: str, i: int) -> dict:
        return {
            **live,
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}{i}")),
            "slug": f"{kind}-{i}",
        }

    cameras = [entity("camera", i) for i in range(60)]
    lenses = [entity("lens", i) for i in range(90)]
    cities = [entity("city", i) for i in range(500)]
    tags = [{**entity("tag", i), "slug": name} for i, name in enumerate(TAGS)]
    counts: dict[str, int] = {}
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            insert(s.publishes).values(
                seq=1,
                id=str(uuid.uuid4()),
                published_at=datetime(2026, 11, 1),
                state=s.LIVE,
                photo_count=photos,
            )
        )
        for chunk in range(0, photos, 5000):
            rows, links = [], []
            for n in range(chunk, min(photos, chunk + 5000)):
                photo, photo_tags = _photo(n, rng, cameras, lenses, cities, tags, live)
                rows.append(photo)
                for tag in photo_tags:
                    links.append({**live, "photo_id": photo["id"], "tag_id": tag["id"]})
                for key in (
                    photo["camera_id"],
                    photo["lens_id"],
                    photo["city_id"],
                    *(t["id"] for t in photo_tags),
                ):
                    counts[key] = counts.get(key, 0) + 1
            conn.execute(insert(s.photos), rows)
            conn.execute(insert(s.photo_tags), links)
        first_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "photo-0"))
        for table, items in ((s.cameras, cameras), (s.lenses, lenses), (s.cities, cities)):
            extra = (
                {"country_code": "JP", "latitude": 35.0, "longitude": 139.0}
                if table is s.cities
                else {}
            )
            conn.execute(
                insert(table),
                [
                    {
                        **x,
                        "name": x["slug"].title(),
                        "photo_count": counts.get(x["id"], 0),
                        "cover_photo_id": first_id,
                        **extra,
                    }
                    for x in items
                ],
            )
        conn.execute(
            insert(s.tags),
            [{**t, "name": t["slug"], "photo_count": counts.get(t["id"], 0)} for t in tags],
        )
        conn.execute(insert(s.site), [{**live, "key": "title", "value": "Bench"}])
        conn.execute(text(GIN_INDEX))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"snapshot: {photos:,} photos in {time.perf_counter() - start:.1f}s")
    return url


def _photo(
    n: int, rng: random.Random, cameras: list, lenses: list, cities: list, tags: list, live: dict
) -> tuple[dict, list]:
    camera, lens, city = rng.choice(cameras), rng.choice(lenses), rng.choice(cities)
    photo_tags = rng.sample(tags, 3)
    title = f"{rng.choice(WORDS).title()} {rng.choice(NOUNS)} {n}"
    digest = f"{n:064x}"
    renditions = [
        {
            "size": size,
            "key": f"p/{digest[:2]}/{digest}-v1-{size}.jpg",
            "width": size,
            "height": size * 2 // 3,
            "bytes": size * 90,
        }
        for size in (400, 800, 1600)
    ]
    year = 2005 + n % 20
    return {
        **live,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"photo-{n}")),
        "listed": True,
        "title": title,
        "description": f"A {rng.choice(NOUNS)} on a walk.",
        "date_taken": datetime(year, 1, 1) + timedelta(hours=n % 8000),
        "year": year,
        "width": 1600,
        "height": 1067,
        "camera_id": camera["id"],
        "lens_id": lens["id"],
        "city_id": city["id"],
        "camera_name": camera["slug"],
        "lens_name": lens["slug"],
        "focal_length_mm": 35.0,
        "aperture": 2.8,
        "exposure_display": "1/250 s",
        "iso": 200,
        "placeholder_color": "#445566",
        "shuffle_key": rng.randint(0, 2**31 - 1),
        "renditions": renditions,
        "search_text": " ".join(
            [title, *(t["slug"] for t in photo_tags), camera["slug"], lens["slug"], city["slug"]]
        ),
        "first_published_at": datetime(2026, 1, 1) + timedelta(minutes=n),
    }, photo_tags


def bench_app() -> object:
    """The viewer plus ``/_ceiling``: the home page's bytes as a static body (same size,
    same compressibility, through the same middleware)."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from webviewer.app import create_app

    app = create_app()
    body = Path(os.environ["EXIFTREE_BENCH_CEILING_FILE"]).read_bytes()
    gzipped = gzip.compress(body, 6)

    async def ceiling(request: Request) -> Response:
        """Pre-compressed like the viewer's cached pages (as a static server's gzip_static)."""
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(
                gzipped,
                media_type="text/html; charset=utf-8",
                headers={"content-encoding": "gzip", "vary": "Accept-Encoding"},
            )
        return Response(body, media_type="text/html; charset=utf-8")

    app.router.routes.insert(0, Route("/_ceiling", ceiling))
    return app


def start_server(url: str, port: int, ceiling: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "EXIFTREE_VIEWER_DATABASE_URL": url,
        "EXIFTREE_VIEWER_MEDIA_URL": "https://media.example.org/",
        "EXIFTREE_VIEWER_SITE_URL": f"http://127.0.0.1:{port}",  # required in production
        "EXIFTREE_BENCH_CEILING_FILE": str(ceiling),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.viewer:bench_app",
        "--factory",
        "--workers",
        "1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(args, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the viewer did not start")


def run_wrk(url: str, duration_s: int, script: Path | None = None) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) at concurrency 32, one visitor's seed cookie."""
    extra = ["-s", str(script)] if script else []
    out = subprocess.run(
        [
            "wrk",
            *extra,
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{duration_s}s",
            "--latency",
            "-H",
            "Cookie: seed=3",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if "Non-2xx" in out:
        raise RuntimeError(f"errors from {url}:\n{out}")
    return rps, _ms(out, "50%"), _ms(out, "99%")


def _ms(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database (and reuse it if present)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    url = make_url(SERVER).set(database=DB_NAME).render_as_string(hide_password=False)
    if not (args.keep and _has_snapshot(url)):
        url = build_snapshot(args.photos)
    try:
        _measure(url, args.duration)
    finally:
        if not args.keep:
            _drop_database()


def _has_snapshot(url: str) -> bool:
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT count(*) FROM publishes")).scalar())
    except Exception:  # noqa: BLE001 - absent or half-built: build it again
        return False


def _drop_database() -> None:
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    admin.dispose()


def _measure(url: str, duration_s: int) -> None:
    """Start the server, find the URLs, warm them, and drive each with wrk."""
    port = 8765 + random.randrange(1000)
    base = f"http://127.0.0.1:{port}"
    ceiling = Path(tempfile.mkdtemp()) / "home.html"
    ceiling.write_bytes(b"")
    probe = start_server(url, port, ceiling)
    try:
        pages = _pages(base)
    finally:
        probe.terminate()
        probe.wait()
    ceiling.write_bytes(pages.pop("_body"))
    server = start_server(url, port, ceiling)
    try:
        for path in pages.values():  # warm the per-publish caches, as any running site is
            httpx.get(base + path, headers={"cookie": "seed=3"}, timeout=60)
        shared = _shared_cacheable(base, pages)
        results = {name: run_wrk(base + path, duration_s) for name, path in pages.items()}
        script = _random_photos_script(url, ceiling.parent)
        results["photo, 5,000 random"] = run_wrk(base + "/", duration_s, script)
    finally:
        server.terminate()
        server.wait()
    top = results["static ceiling"][0]
    print(f"\n{'page':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs ceiling':>12}")
    for name, (rps, p50, p99) in results.items():
        print(f"{name:<22}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}{rps / top:>11.0%}")
    print("\nwhat a CDN may keep (wrk's requests carry no cookie, as first visits and crawlers):")
    for line in shared:
        print("  " + line)


def _shared_cacheable(base: str, pages: dict) -> list[str]:
    """Per page: is a cookie-less response cacheable by a shared cache, and does it set a
    cookie (which most CDNs refuse to cache)?"""
    lines = []
    for name, path in pages.items():
        if name.startswith(("_", "static")):
            continue
        response = httpx.get(base + path, timeout=60)
        control = response.headers.get("cache-control", "")
        shared = "public" in control and "no-store" not in control and "private" not in control
        cookie = "set-cookie" in response.headers
        lines.append(
            f"{name:<22}{'cacheable' if shared and not cookie else 'NOT cacheable':<15}"
            f"cache-control: {control}{' + set-cookie' if cookie else ''}"
        )
    return lines


def _random_photos_script(url: str, folder: Path) -> Path:
    """A wrk script visiting 5,000 different photo pages (more than the render cache holds:
    most requests render)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM photos ORDER BY shuffle_key LIMIT 5000")).scalars()
        paths = ",".join(f'"/photos/{photo_id}/"' for photo_id in ids)
    engine.dispose()
    script = folder / "photos.lua"
    script.write_text(
        f"local paths = {{{paths}}}\n"
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
    )
    return script


def _pages(base: str) -> dict:
    """The URLs under test, found by browsing like a visitor (seed 3)."""
    cookies = {"seed": "3"}
    home = httpx.get(base + "/", cookies=cookies, timeout=120)
    fragment = re.search(r'hx-get="([^"]+)"', home.text).group(1).replace("&amp;", "&")
    photo = re.search(r'class="card" href="([^"?]+)', home.text).group(1)
    return {
        "home": "/",
        "next-page fragment": fragment,
        "photo": photo,
        "tag": "/tags/sunset/",
        "search": "/search/?q=misty+bridge",
        "static ceiling": "/_ceiling",
        "_body": home.content,
    }


if __name__ == "__main__":
    main()
