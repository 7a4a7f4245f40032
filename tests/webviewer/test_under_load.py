"""A real ``exiftree serve`` on a SQLite snapshot survives 32 visitors at once.

It used to segfault in libsqlite3 within a second: its pool closed connections that other
threads were still reading from. Every request here must be answered 2xx and the process
must still be running afterwards. Bounded: 32 clients x 100 requests, loopback only.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

from catalog.slugs import slugify
from tests.conftest import free_port, wait_for_port
from tests.webviewer.conftest import Snap

CLIENTS = 32
REQUESTS_EACH = 100


def _paths(snap: Snap) -> list[str]:
    """Pages whose first render reads the snapshot: photos, facets, years, a search."""
    facts = snap.facts
    photos = [f"/photos/{pid}/" for pid in facts.listed[:40]]
    tags = [f"/tags/{quote(slugify(tag))}/" for tag in facts.by_tag]
    years = [f"/years/{year}/" for year in facts.by_year]
    searches = ["/search/?q=golden", "/search/?q=misty+bridge", "/search/?q=tokyo"]
    return ["/", "/cameras/", "/tags/", "/cities/", *photos, *tags, *years, *searches]


def _visitor(base: str, paths: list[str], offset: int, start: threading.Barrier) -> Counter:
    statuses: Counter = Counter()
    with httpx.Client(base_url=base, timeout=10) as client:
        start.wait(timeout=30)
        for n in range(REQUESTS_EACH):
            path = paths[(offset * 7 + n) % len(paths)]
            try:
                statuses[client.get(path).status_code] += 1
            except httpx.TransportError as exc:
                statuses[type(exc).__name__] += 1
    return statuses


def test_exiftree_serve_stays_up_under_32_concurrent_visitors(sqlite_snap: Snap) -> None:
    folder, port = sqlite_snap.media_dir.parent, free_port()
    exiftree = str(Path(sys.executable).parent / "exiftree")
    server = subprocess.Popen(
        [exiftree, "serve", "--from", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
        base, paths = f"http://127.0.0.1:{port}", _paths(sqlite_snap)
        start = threading.Barrier(CLIENTS)
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(_visitor, base, paths, i, start) for i in range(CLIENTS)]
            statuses = sum((f.result(timeout=120) for f in futures), Counter())
        alive = server.poll() is None
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert alive, f"exiftree serve died (exit {server.returncode}): {stderr.decode()[-2000:]}"
    assert statuses == Counter({200: CLIENTS * REQUESTS_EACH})
