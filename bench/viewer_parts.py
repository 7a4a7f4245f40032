"""Where a cold viewer page's CPU goes: the ASGI app called in-process, serially, no HTTP.

Calls the viewer (``webviewer.app.create_app``) with a plain ASGI scope for N different
photo, facet (``?after=`` cursors) or search URLs of the ``bench/viewer.py`` snapshot, each
for the first time (the render cache never hits), and prints the process CPU per request
and, with ``--split``, the thread CPU spent in each part (the cards' query, their HTML, the
page's Jinja, gzip…). Renders run in the calling thread (``--split`` and ``--profile``
need that; ``--threads`` keeps the real hand-off to a render thread). Compare two trees
by running it with each on ``PYTHONPATH`` (best of a few runs: the machine is shared):

    EXIFTREE_BENCH_VIEWER_DB=exiftree_bench_viewer PYTHONPATH=. \\
        .venv/bin/python bench/viewer_parts.py photo,facet,search --count 500 --split

``--profile`` prints cProfile's top functions by thread CPU. The snapshot is the one
``bench/viewer.py --keep`` leaves (build it with that first).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import os
import pstats
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: the tree under test wins

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

SERVER = os.environ.get(
    "EXIFTREE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DB_NAME = os.environ.get("EXIFTREE_BENCH_VIEWER_DB", "exiftree_bench_viewer")
WORDS = ["golden", "quiet", "blue", "late", "misty", "hidden", "bright", "long", "first"]
NOUNS = ["alley", "ridge", "window", "bridge", "market", "shore", "tram", "garden", "pier"]
# The listing and each kind's members, loaded as on a running site (not measured).
WARM = ("/", "/tags/sunset/", "/cameras/camera-1/", "/lenses/lens-1/", "/cities/city-1/",
        "/years/2010/", "/search/?q=quiet+shore&year=2011")  # fmt: skip
SPENT: collections.Counter[str] = collections.Counter()


def cold_urls(url: str, kind: str, count: int, rng: random.Random) -> list[str]:
    """``count`` different URLs of one kind, as bench/viewer.py's cold rows pick them."""
    engine = create_engine(url)
    with engine.connect() as conn:
        if kind == "photo":
            query = text("SELECT id FROM photos WHERE listed ORDER BY shuffle_key LIMIT :n")
            return [f"/photos/{i}/" for i in conn.execute(query, {"n": count}).scalars()]
        if kind == "facet":
            rows = conn.execute(
                text(
                    "SELECT p.id, c.slug AS camera, l.slug AS lens, ci.slug AS city, p.year,"
                    " (SELECT t.slug FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
                    "  WHERE pt.photo_id = p.id LIMIT 1) AS tag"
                    " FROM photos p JOIN cameras c ON c.id = p.camera_id"
                    " JOIN lenses l ON l.id = p.lens_id JOIN cities ci ON ci.id = p.city_id"
                    " WHERE p.listed ORDER BY p.shuffle_key DESC LIMIT :n"
                ),
                {"n": count},
            ).all()
            urls = []
            for row in rows:
                where = rng.choice(("cameras", "lenses", "cities", "tags", "years"))
                slug = {"cameras": row.camera, "lenses": row.lens, "cities": row.city}.get(where)
                urls.append(f"/{where}/{slug or (row.tag if where == 'tags' else row.year)}/"
                            f"?after={row.id}")  # fmt: skip
            return urls
        cameras = list(conn.execute(text("SELECT slug FROM cameras")).scalars())
        cities = list(conn.execute(text("SELECT slug FROM cities")).scalars())
    engine.dispose()
    found: set[str] = set()
    while len(found) < count:
        q = f"/search/?q={rng.choice(WORDS)}+{rng.choice(NOUNS)}"
        filters = ("", f"&camera={rng.choice(cameras)}", f"&city={rng.choice(cities)}")
        found.add(q + rng.choice((*filters, f"&year={rng.randrange(2005, 2025)}")))
    return sorted(found, key=lambda _: rng.random())


async def call(app: Any, path: str) -> int:
    """One GET through the whole ASGI app (middleware included); its status."""
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", b"seed=3"), (b"accept-encoding", b"gzip")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def timed(owner: Any, name: str, label: str) -> None:
    """Add the thread CPU of ``owner.name`` to SPENT[label] (a part inside another counts
    in both; a call inside the same part, e.g. a template rendered within a template, once)."""
    original: Callable = getattr(owner, name)
    inside = threading.local()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if getattr(inside, "busy", False):
            return original(*args, **kwargs)
        inside.busy, start = True, time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            inside.busy = False
            SPENT[label] += time.thread_time() - start

    setattr(owner, name, wrapper)


def instrument() -> None:
    import gzip

    import jinja2

    from webviewer import fragments, snapshot
    from webviewer.views import base

    timed(base, "_render", "render (all of the view and its page)")
    timed(jinja2.Template, "render", "Jinja (page, with the cards' HTML)")
    timed(fragments.CardFragments, "grid", "cards' HTML")
    timed(snapshot.Snapshot, "cards", "cards: query and rows")
    timed(snapshot.Snapshot, "read", "every query (pool, driver, rows)")
    timed(snapshot.Snapshot, "sequence", "the context's order (facet, search)")
    timed(gzip, "compress", "gzip")


def render_inline() -> None:
    """Renders in the calling thread: what cProfile and the split can see."""
    from webviewer.views import base

    async def inline(work: Callable, *args: Any) -> Any:
        return work(*args)

    base.in_render_thread = inline  # type: ignore[attr-defined]
    base.run_in_threadpool = inline  # type: ignore[attr-defined]  # older trees


async def measure(app: Any, url: str, kinds: list[str], count: int, args: Any) -> None:
    rng = random.Random(5)
    for warm in WARM:
        await call(app, warm)
    await asyncio.sleep(3)  # the seeded orders, computed in the background
    for kind in kinds:
        urls = cold_urls(url, kind, count + 50, rng)
        for path in urls[count:]:
            await call(app, path)
        SPENT.clear()
        profile = cProfile.Profile(time.thread_time) if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        failed = sum([await call(app, path) != 200 for path in urls[:count]])
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"{kind}: {count} different pages, CPU {1000 * cpu / count:.3f} ms a page "
              f"(wall {1000 * wall / count:.3f} ms), {failed} not 200")  # fmt: skip
        for label, spent in sorted(SPENT.items(), key=lambda item: -item[1]):
            print(f"    {label:<40}{1000 * spent / count:>8.3f} ms")
        if profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", help="photo, facet and/or search, comma-separated")
    parser.add_argument("--count", type=int, default=500, help="different pages of each kind")
    parser.add_argument("--split", action="store_true", help="thread CPU per part")
    parser.add_argument("--profile", action="store_true", help="cProfile (thread CPU)")
    parser.add_argument("--threads", action="store_true", help="keep the render threads")
    args = parser.parse_args()
    url = make_url(SERVER).set(database=DB_NAME).render_as_string(hide_password=False)
    os.environ.setdefault("EXIFTREE_VIEWER_DATABASE_URL", url)
    os.environ.setdefault("EXIFTREE_VIEWER_MEDIA_URL", "https://media.example.org/")
    os.environ.setdefault("EXIFTREE_VIEWER_SITE_URL", "http://127.0.0.1")
    from webviewer.app import create_app

    app = create_app()
    if not args.threads:
        render_inline()
    if args.split:
        instrument()
    asyncio.run(measure(app, url, args.kinds.split(","), args.count, args))


if __name__ == "__main__":
    main()
