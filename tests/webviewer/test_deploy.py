"""docs/deploy.md's recipe, run: several uvicorn worker processes over one snapshot and a
read replica answer as one origin a CDN can cache and revalidate.

A shared cache in front of N processes (or N machines) only works if every process gives
the same page the same ETag and the same caching headers: a revalidation that lands on
another worker must still get its 304.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, wait_for_port
from tests.webviewer.conftest import Snap

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3


def test_worker_processes_answer_as_one_cacheable_origin(postgres_snap: Snap) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EXIFTREE_VIEWER_DATABASE_URL": postgres_snap.url,
        # the same database as its own "replica": the recipe's variable, exercised
        "EXIFTREE_VIEWER_DATABASE_REPLICA_URLS": postgres_snap.url,
        "EXIFTREE_VIEWER_MEDIA_URL": "https://media.example.org/",
        "EXIFTREE_VIEWER_SITE_URL": "https://photos.example.org",
    }
    args = [sys.executable, "-m", "uvicorn", "webviewer.app:create_app", "--factory"]
    args += ["--workers", str(WORKERS), "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, 60)
        base = f"http://127.0.0.1:{port}"
        photo = f"/photos/{postgres_snap.facts.listed[0]}/"
        for path in ("/", photo, "/tags/", "/search/?q=tram"):
            # Fresh connections, so the kernel spreads them over the worker processes.
            answers = [
                httpx.get(base + path, headers={"accept-encoding": "gzip"}) for _ in range(12)
            ]
            assert {a.status_code for a in answers} == {200}, path
            etags = {a.headers["etag"] for a in answers}
            assert len(etags) == 1, f"{path}: workers disagree on the ETag: {etags}"
            first = answers[0].headers
            assert first["cache-control"].startswith("public, max-age="), path
            assert "set-cookie" not in first, path  # a CDN would refuse to keep it
            assert "Accept-Encoding" in first.get("vary", ""), path
            etag = etags.pop()
            for _ in range(6):  # any worker revalidates any other's copy
                again = httpx.get(base + path, headers={"if-none-match": etag})
                assert again.status_code == 304 and again.headers["etag"] == etag, path
        home = httpx.get(base + "/")
        assert "Cookie" in home.headers["vary"]  # pages in a visitor's own order vary by it
        static = httpx.get(base + _stylesheet(home.text))
        assert "immutable" in static.headers["cache-control"]
        assert httpx.get(base + "/seed").headers["cache-control"] == "no-store"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _stylesheet(html: str) -> str:
    start = html.index('href="/static/') + len('href="')
    return html[start : html.index('"', start)]
