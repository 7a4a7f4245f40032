"""The web viewer under load: a 100,000-photo snapshot in PostgreSQL, one uvicorn worker.

Builds the snapshot (bulk inserts; schema.py creates the full-text index),
starts ``uvicorn`` with ONE worker serving the viewer plus a ``/_ceiling`` route that
returns a static body of the home page's size (the same server, the same middleware: the
ceiling), then drives each URL with ``wrk`` (Debian package ``wrk``: apt-get install wrk)
at concurrency 32 and prints requests/s, p50 and p99 and the ratio to the ceiling:

    .venv/bin/python bench/viewer.py [--photos 100000] [--duration 10] [--keep] [--workers 1,2,4]

Besides the cached pages, three rows are cold by construction: 5,000 different photo,
facet (``?after=`` cursors) and search pages each, more than the render cache holds; and a
floor row, ``/_floor/<id>/`` for the same 5,000 photos: one read of the photo's row through
the viewer's engine, handed to a thread as views are, and the ceiling's body (no render):
what a cold page cannot beat. ``bench/viewer_parts.py`` shows where a cold page's CPU goes.
``--workers 1,2,4`` runs the whole table once per number of worker processes (one
PostgreSQL) and prints how each row scaled.

``--server LABEL=TREE[:EXTRA]`` (repeatable) measures several viewers in the same run,
taking turns row by row, e.g. a baseline checkout against this one
(``--server main=/tmp/base --server branch=.``); each row also shows the CPU per request
of the server and of its PostgreSQL backends. ``--only photo,facet`` keeps some rows.

``--sqlite`` runs the local preview instead: ``exiftree serve --from SITE`` on a SQLite
snapshot of ``--photos`` photos, started cold ``--rounds`` times (default 3), each round
loaded at once by wrk at c=32 (the home page, then a mix of uncached pages); it reports
deaths, non-2xx answers and socket errors, and exits 1 if any round had one.

The bench database is dropped afterwards unless --keep (which also reuses it next time).

Set EXIFTREE_BENCH_DATABASE_URL to choose the server (default: the test server) and
EXIFTREE_BENCH_VIEWER_DB the database (default ``exiftree_bench_viewer``; another one, e.g.
the 1M scale snapshot with ``--keep --settle 90``, is only read and never dropped).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import Engine, create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from webviewer import schema as s  # noqa: E402

SERVER = os.environ.get(
    "EXIFTREE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DB_NAME = os.environ.get("EXIFTREE_BENCH_VIEWER_DB", "exiftree_bench_viewer")
CLK_TCK = os.sysconf("SC_CLK_TCK")
CONCURRENCY = 32
COLD_TIMEOUT_S = 10  # a cold start loads the listing and builds the search index first
TAGS = [f"tag{i}" for i in range(200)] + ["sunset", "harbour", "street", "mountains"]
WORDS = ["golden", "quiet", "blue", "late", "misty", "hidden", "bright", "long", "first"]
NOUNS = ["alley", "ridge", "window", "bridge", "market", "shore", "tram", "garden", "pier"]


def build_snapshot(photos: int) -> str:
    """A fresh PostgreSQL database holding one live publish of ``photos`` listed photos."""
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    url = make_url(SERVER).set(database=DB_NAME).render_as_string(hide_password=False)
    fill_snapshot(create_engine(url), photos)
    return url


def build_sqlite_site(folder: Path, photos: int) -> Path:
    """A published folder as ``exiftree publish`` leaves it: ``snapshot.sqlite`` + ``media/``
    (empty: the bench asks for pages, not images)."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    fill_snapshot(create_engine(f"sqlite:///{folder / 'snapshot.sqlite'}"), photos)
    return folder


def fill_snapshot(engine: Engine, photos: int) -> None:
    """One live publish of ``photos`` listed photos, with gear, cities and tags."""
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
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    print(
        f"snapshot ({engine.dialect.name}): {photos:,} photos in {time.perf_counter() - start:.1f}s"
    )


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
    same compressibility, through the same middleware); and ``/_floor/<id>/``: one read of
    a photo's row through the viewer's engine, then that same body (the cheapest a cold
    page could be)."""
    from sqlalchemy import Integer, bindparam, select
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from webviewer.app import create_app
    from webviewer.dialects import dialect_of
    from webviewer.views import base

    # The hand-off to a thread that the views use (older trees: Starlette's thread pool).
    hand_off = getattr(base, "in_render_thread", run_in_threadpool)

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

    one_row = select(s.photos.c.id, s.photos.c.title).where(
        s.visible_in(s.photos, bindparam("seq", type_=Integer)),
        s.photos.c.id == bindparam("photo_id"),
    )

    async def floor(request: Request) -> Response:
        """The floor of a cold page: one primary-key read of the photo through the viewer's
        own engine and pool, in a thread as every view runs, and the ceiling's body
        (no rendering). No cold page can be cheaper than this."""
        snapshot = app.state.viewer.snapshot  # type: ignore[attr-defined]
        params = {"seq": 1, "photo_id": request.path_params["photo_id"]}

        def read() -> object:
            return snapshot.read(lambda c: dialect_of(c).first(c, one_row, params))

        found = await hand_off(read)
        return await ceiling(request) if found is not None else Response(status_code=404)

    app.router.routes.insert(0, Route("/_ceiling", ceiling))
    app.router.routes.insert(0, Route("/_floor/{photo_id}/", floor))
    return app


def start_server(
    url: str, port: int, ceiling: Path, workers: int = 1, tree: tuple[Path, ...] = (ROOT,)
) -> subprocess.Popen:
    """The viewer of ``tree`` (this checkout, or a baseline's) under uvicorn."""
    env = {
        **os.environ,
        "EXIFTREE_VIEWER_DATABASE_URL": url,
        "EXIFTREE_VIEWER_MEDIA_URL": "https://media.example.org/",
        "EXIFTREE_VIEWER_SITE_URL": f"http://127.0.0.1:{port}",  # required in production
        "EXIFTREE_BENCH_CEILING_FILE": str(ceiling),
        "PYTHONPATH": os.pathsep.join(str(p) for p in tree),
    }
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.viewer:bench_app",
        "--factory",
        "--workers",
        str(workers),
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


@dataclass(frozen=True)
class Load:
    """What one wrk run saw."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int  # wrk counts 3xx here too; the viewer answers none on these URLs
    socket_errors: int  # connect + read + write + timeout: a dead server shows up here


def wrk(
    url: str,
    duration_s: int,
    script: Path | None = None,
    cookie: str | None = None,
    timeout_s: int = 2,
) -> Load:
    """One wrk run at concurrency 32 (2 threads), gzip accepted; a request slower than
    ``timeout_s`` counts as a socket error (wrk's default is 2 s)."""
    extra = (
        ["-s", str(script), f"--timeout={timeout_s}s"] if script else [f"--timeout={timeout_s}s"]
    )
    if cookie:
        extra += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [
            "wrk",
            *extra,
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{duration_s}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(out, "50%"),
        p99_ms=_ms(out, "99%"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def _ms(out: str, label: str) -> float:
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
    if found is None:  # no request completed (a server that died at once)
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database (and reuse it if present)"
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="instead: exiftree serve on a SQLite snapshot, started cold, --rounds times",
    )
    parser.add_argument("--rounds", type=int, default=3, help="cold starts for --sqlite")
    parser.add_argument(
        "--workers",
        default="1",
        help="uvicorn worker processes, or a list to compare (e.g. 1,2,4)",
    )
    parser.add_argument(
        "--server",
        action="append",
        default=[],
        help="LABEL=TREE[:EXTRA_PATH]: a viewer to measure (repeat to compare, e.g. a "
        "baseline checkout against this one); default: this checkout",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=2,
        help="seconds per worker for the seeded orders after warming (60 at 1M photos)",
    )
    parser.add_argument(
        "--only", default="", help="rows whose name starts with one of these (comma-separated)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    if args.sqlite:
        with tempfile.TemporaryDirectory(prefix="exiftree-bench-site-") as folder:
            site = build_sqlite_site(Path(folder), args.photos)
            sys.exit(1 if _serve_rounds(site, args.rounds, args.duration) else 0)
    url = make_url(SERVER).set(database=DB_NAME).render_as_string(hide_password=False)
    if not (args.keep and _has_snapshot(url)):
        url = build_snapshot(args.photos)
    try:
        servers = [parse_server(spec) for spec in args.server] or [Server("this", (ROOT,))]
        only = tuple(args.only.split(",")) if args.only else ("",)
        workers = [int(n) for n in args.workers.split(",")]
        _measure(url, args.duration, workers, servers, only, args.settle)
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
    if not DB_NAME.startswith("exiftree_bench"):  # e.g. the shared 1M snapshot: never
        print(f"not dropping {DB_NAME}: not a bench database")
        return
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    admin.dispose()


@dataclass(frozen=True)
class Server:
    """One viewer to measure: a label and the import path its uvicorn runs with (a tree
    first, e.g. a baseline's checkout, then any extra site-packages folder)."""

    label: str
    path: tuple[Path, ...]


def parse_server(spec: str) -> Server:
    """``label=TREE[:EXTRA...]``, e.g. ``main=/tmp/base`` or ``branch=.:/tmp/uvloop``."""
    label, _, paths = spec.partition("=")
    return Server(label, tuple(Path(p).resolve() for p in paths.split(os.pathsep) if p))


def _cpu_s(pids: list[int]) -> float:
    """user + system CPU seconds of ``pids`` (and, for the server, its children)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def _tree(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's worker processes)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        todo += [int(c) for c in children]
    return found


def _backends(admin: Engine, name: str) -> list[int]:
    """The PostgreSQL backends serving the viewer labelled ``name``."""
    with admin.connect() as conn:
        rows = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": name}
        )
        return [row[0] for row in rows]


@dataclass(frozen=True)
class Row:
    """One URL (or script) under one server: wrk's figures plus CPU per request."""

    rps: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float  # uvicorn's CPU per request
    db_cpu_ms: float  # its PostgreSQL backends' CPU per request
    load: float  # 1-minute load average at the end


def _measure(
    url: str,
    duration_s: int,
    workers: list[int],
    servers: list[Server],
    only: tuple[str, ...],
    settle_s: float = 2,
) -> None:
    """Start each server, find the URLs, warm them, and drive each row with wrk, the
    servers taking turns row by row (the machine's noise hits them alike); once per
    number of worker processes, then how each row scaled from the first."""
    base_port = 8765 + random.randrange(1000)
    ceiling = Path(tempfile.mkdtemp()) / "home.html"
    ceiling.write_bytes(b"")
    probe = start_server(url, base_port, ceiling, tree=servers[0].path)
    try:
        pages = _pages(f"http://127.0.0.1:{base_port}")
    finally:
        probe.terminate()
        probe.wait()
    ceiling.write_bytes(pages.pop("_body"))
    scripts = {
        "floor: 1 read, no render": _random_photos_script(url, ceiling.parent, "/_floor/"),
        "photo, 5,000 random": _random_photos_script(url, ceiling.parent),
        "facet, 5,000 random": _random_facets_script(url, ceiling.parent),
        "search, 5,000 random": _random_searches_script(url, ceiling.parent),
    }
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    by_workers: dict[int, dict[str, dict[str, Row]]] = {}
    for count in workers:
        running = {}
        try:
            for n, server in enumerate(servers):
                labelled = (
                    make_url(url)
                    .update_query_dict({"application_name": f"bench-{server.label}"})
                    .render_as_string(hide_password=False)
                )
                port = base_port + 1 + n
                process = start_server(labelled, port, ceiling, count, server.path)
                running[server.label] = (process, f"http://127.0.0.1:{port}")
            facets = re.findall(r'"(/[a-z]+/[^/"]+/)\?', scripts["facet, 5,000 random"].read_text())
            one_each = list({path.split("/")[1]: path for path in facets}.values())
            for _, base in running.values():
                _warm(base, [*pages.values(), *one_each], count)
            time.sleep(settle_s * count)  # each worker computes its seeded orders meanwhile
            shared = _shared_cacheable(next(iter(running.values()))[1], pages)
            rows = [(name, path, None) for name, path in pages.items()]
            rows += [(name, "/", script) for name, script in scripts.items()]
            rows = [r for r in rows if r[0] == "static ceiling" or r[0].startswith(only)]
            results: dict[str, dict[str, Row]] = {}
            for name, path, script in rows:
                for label, (process, base) in running.items():
                    pids = _tree(process.pid)
                    backends = _backends(admin, f"bench-{label}")
                    before = _cpu_s(pids), _cpu_s(backends)
                    load = wrk(base + path, duration_s, script, cookie="seed=3")
                    if load.non_2xx:  # e.g. 503s of an overloaded server: shown, not fatal
                        print(f"  {label} {name}: {load.non_2xx} non-2xx of {load.requests}")
                    if load.socket_errors:
                        print(f"  {label} {name}: {load.socket_errors} requests over 2 s or "
                              f"failed, of {load.requests}")  # fmt: skip
                    after = _cpu_s(pids), _cpu_s(_backends(admin, f"bench-{label}"))
                    per = 1000 / max(1, load.requests)
                    results.setdefault(name, {})[label] = Row(
                        load.rps,
                        load.p50_ms,
                        load.p99_ms,
                        (after[0] - before[0]) * per,
                        (after[1] - before[1]) * per,
                        os.getloadavg()[0],
                    )
        finally:
            for process, _ in running.values():
                process.terminate()
                process.wait()
        by_workers[count] = results
        _print_table(count, results, [s.label for s in servers])
    admin.dispose()
    if len(workers) > 1:
        for server in servers:
            first = by_workers[workers[0]]
            print(f"\n{server.label}: req/s relative to {workers[0]} worker(s) "
                  f"({os.cpu_count()} CPUs):")  # fmt: skip
            print(f"{'page':<22}" + "".join(f"{n:>8}w" for n in workers))
            for name in first:
                one = first[name][server.label].rps
                cells = "".join(
                    f"{by_workers[n][name][server.label].rps / one:>8.2f}x" for n in workers
                )
                print(f"{name:<22}{cells}")
    print("\nwhat a CDN may keep (wrk's requests carry no cookie, as first visits and crawlers):")
    for line in shared:
        print("  " + line)


def _warm(base: str, paths: list[str], workers: int) -> None:
    """Warm every worker's per-publish caches (the listing, each facet kind's members)
    with pages that are not measured: a running site has them."""
    warm = [*paths, "/search/?q=quiet+shore&year=2011"]
    for _ in range(2 * workers):
        for path in warm:
            httpx.get(base + path, headers={"cookie": "seed=3"}, timeout=60)


def _print_table(workers: int, results: dict[str, dict[str, Row]], labels: list[str]) -> None:
    """Per row and server: req/s, p50, p99, share of that server's ceiling, CPU/request."""
    print(f"\n{workers} worker(s); CPU ms per request: server + its PostgreSQL backends")
    print(f"{'page':<22}{'server':<10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'ceiling':>9}"
          f"{'cpu ms':>8}{'db ms':>7}{'load':>6}")  # fmt: skip
    for name, by_label in results.items():
        for label in labels:
            row = by_label[label]
            top = results["static ceiling"][label].rps
            print(f"{name:<22}{label:<10}{row.rps:>8.0f}{row.p50_ms:>9.2f}{row.p99_ms:>9.2f}"
                  f"{row.rps / top:>9.0%}{row.server_cpu_ms:>8.2f}{row.db_cpu_ms:>7.2f}"
                  f"{row.load:>6.1f}")  # fmt: skip


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


def _serve_rounds(site: Path, rounds: int, duration_s: int) -> int:
    """``exiftree serve --from SITE``, started cold each round and loaded at once by wrk at
    c=32: the home page (as a link shared somewhere), then a mix of uncached pages. Prints
    one row per load and returns how many rounds had a death, a non-2xx or a socket error."""
    exiftree = str(Path(sys.executable).parent / "exiftree")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    mixed = _mixed_script(site / "snapshot.sqlite", site)
    print(f"\n{'round':<7}{'load':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>9}"
          f"{'non-2xx':>9}{'sock err':>9}  server")  # fmt: skip
    failed = 0
    for n in range(1, rounds + 1):
        port = 8765 + random.randrange(1000)
        server = subprocess.Popen(
            [exiftree, "serve", "--from", str(site), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        bad = False
        try:
            _wait_for_port(port)
            for name, script in (("home /", None), ("mixed pages", mixed)):
                load = wrk(
                    f"http://127.0.0.1:{port}/", duration_s, script, timeout_s=COLD_TIMEOUT_S
                )
                alive = server.poll() is None
                state = "alive" if alive else f"DIED (exit {server.returncode})"
                figures = (
                    f"{load.requests:>9}{load.rps:>8.0f}{load.p50_ms:>8.2f}{load.p99_ms:>9.2f}"
                )
                errors = f"{load.non_2xx:>9}{load.socket_errors:>9}"
                stalled = "" if load.requests else f" (nothing answered within {duration_s}s)"
                print(f"{n:<7}{name:<14}{figures}{errors}  {state}{stalled}")
                bad = bad or not alive or bool(load.non_2xx or load.socket_errors)
                if not alive:
                    break
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # uvicorn still draining: this round is over
                server.kill()
                server.wait()
        failed += bad
    print(f"\n{rounds} cold starts: {failed} with a death, a non-2xx or a socket error")
    return failed


def _wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    """Listening, without a request: the first request the server sees is the load's."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"exiftree serve did not listen on port {port}")


def _mixed_script(snapshot: Path, folder: Path) -> Path:
    """A wrk script over uncached pages: 2,000 photos, every tag, camera and year, searches."""
    engine = create_engine(f"sqlite:///{snapshot}")
    with engine.connect() as conn:
        paths = [f"/photos/{i}/" for i in conn.scalars(text(_FIRST_PHOTOS))]
        for kind, table in (("tags", "tags"), ("cameras", "cameras"), ("cities", "cities")):
            paths += [
                f"/{kind}/{slug}/" for slug in conn.scalars(text(f"SELECT slug FROM {table}"))
            ]
        paths += [f"/years/{y}/" for y in conn.scalars(text("SELECT DISTINCT year FROM photos"))]
    engine.dispose()
    paths += [f"/search/?q={word}" for word in (*WORDS, *NOUNS, "misty+bridge", "sunset")]
    paths += ["/", "/cameras/", "/tags/", "/cities/", "/years/", "/feed.xml", "/sitemap.xml"]
    script = folder / "mixed.lua"
    script.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        f"{_SEED_EACH_THREAD}"
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
    )
    return script


# Each wrk thread has its own Lua state, and an unseeded math.random gives every thread the
# same sequence: with 2 threads every URL came twice, the second time a render-cache hit
# (the "5,000 random" rows before 2026-12-06 20:20 UTC were about half cached). A table's
# address differs per state: a seed of its own for each thread.
_SEED_EACH_THREAD = (
    'init = function(args) math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16)'
    " + os.time()) end\n"
)
_FIRST_PHOTOS = "SELECT id FROM photos ORDER BY shuffle_key LIMIT 2000"


def _random_photos_script(url: str, folder: Path, prefix: str = "/photos/") -> Path:
    """A wrk script visiting 5,000 different photo pages (more than the render cache holds:
    most requests render); with ``prefix="/_floor/"``, the floor route for the same ids."""
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM photos ORDER BY shuffle_key LIMIT 5000")).scalars()
        paths = ",".join(f'"{prefix}{photo_id}/"' for photo_id in ids)
    engine.dispose()
    script = folder / f"{prefix.strip('/_')}.lua"
    script.write_text(
        f"local paths = {{{paths}}}\n"
        f"{_SEED_EACH_THREAD}"
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
    )
    return script


def _random_facets_script(url: str, folder: Path) -> Path:
    """5,000 different facet pages, as a crawler walking them page by page: a random
    photo's camera, lens, city, tag or year, each from that photo on (``?after=``)."""
    rng = random.Random(11)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.id, c.slug AS camera, l.slug AS lens, ci.slug AS city, p.year,"
                " (SELECT t.slug FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
                "  WHERE pt.photo_id = p.id LIMIT 1) AS tag"
                " FROM photos p JOIN cameras c ON c.id = p.camera_id"
                " JOIN lenses l ON l.id = p.lens_id JOIN cities ci ON ci.id = p.city_id"
                " WHERE p.listed"  # an unlisted photo is no scroll cursor (a 303)
                " ORDER BY p.shuffle_key DESC LIMIT 5000"
            )
        ).all()
    engine.dispose()
    paths = []
    for row in rows:
        kind = rng.choice(("cameras", "lenses", "cities", "tags", "years"))
        slug = {"cameras": row.camera, "lenses": row.lens, "cities": row.city}.get(kind)
        slug = slug or (row.tag if kind == "tags" else row.year)
        paths.append(f"/{kind}/{slug}/?after={row.id}")
    return _paths_script(folder / "facets.lua", paths)


def _random_searches_script(url: str, folder: Path) -> Path:
    """5,000 different searches: two words, alone or with a camera, city or year filter."""
    rng = random.Random(13)
    engine = create_engine(url)
    with engine.connect() as conn:
        cameras = list(conn.execute(text("SELECT slug FROM cameras")).scalars())
        cities = list(conn.execute(text("SELECT slug FROM cities")).scalars())
    engine.dispose()
    found: set[str] = set()
    while len(found) < 5000:
        q = f"/search/?q={rng.choice(WORDS)}+{rng.choice(NOUNS)}"
        extra = rng.choice(
            (
                "",
                f"&camera={rng.choice(cameras)}",
                f"&city={rng.choice(cities)}",
                f"&year={rng.randrange(2005, 2025)}",
            )
        )
        found.add(q + extra)
    return _paths_script(folder / "searches.lua", sorted(found))


def _paths_script(script: Path, paths: list[str]) -> Path:
    """A wrk script requesting ``paths`` at random."""
    script.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        f"{_SEED_EACH_THREAD}"
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
