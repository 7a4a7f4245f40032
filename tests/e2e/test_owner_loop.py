"""The loop a real owner runs: import the corpus with the CLI, publish to S3 (moto) and
PostgreSQL, start the viewer with uvicorn, and walk the site in Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.conftest import REPO, MotoServer, free_port, wait_for_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BUCKET = "exiftree-e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def exiftree(catalog: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    """The real command line, as the owner types it (stdin is not a terminal)."""
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--catalog", str(catalog), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    return result


def make_bucket(endpoint_url: str) -> None:
    boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1").create_bucket(
        Bucket=BUCKET
    )


@pytest.fixture
def viewer(postgres_url: str, s3_server: MotoServer) -> Iterator[tuple[str, str]]:
    """Start the viewer once the test has published; yields (site URL, media URL)."""
    media_url = f"{s3_server.url}/{BUCKET}/"
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "webviewer",
            "--database-url",
            postgres_url,
            "--media-url",
            media_url,
            "--port",
            str(port),
            "--site-url",
            f"http://127.0.0.1:{port}",
        ],  # fmt: skip
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "EXIFTREE_VIEWER_RATE_LIMIT_PER_MINUTE": "0"},
    )
    yield f"http://127.0.0.1:{port}", media_url
    process.terminate()
    process.wait(timeout=10)


def test_import_publish_and_browse(
    corpus: Path, tmp_path: Path, postgres_url: str, s3_server: MotoServer, viewer
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    catalog = tmp_path / "catalog"

    # 1. Import the whole corpus; every file gets an outcome and nothing is a traceback.
    summary = exiftree(catalog, "import", str(corpus), "--workers", "2").stdout
    assert "imported" in summary
    photos = [json.loads(line) for line in exiftree(catalog, "list", "--json").stdout.splitlines()]
    processed = [p for p in photos if p["status"] == "processed"]
    assert len(processed) > 50
    gps = [p for p in processed if p["latitude"] is not None]
    assert gps, "the corpus has GPS files"

    assert {p["visibility"] for p in photos} == {"private"}  # nothing public by surprise

    # 2. The owner makes the photos public but one with GPS, then publishes to S3 + PostgreSQL.
    secret = gps[0]
    exiftree(catalog, "set", *(p["id"] for p in processed), "--public")
    exiftree(catalog, "set", secret["id"], "--private", "--title", "Private garden")
    boto3.client("s3", endpoint_url=s3_server.url, region_name="us-east-1").create_bucket(
        Bucket=BUCKET
    )
    site_url, media_url = viewer
    publish = ["publish", "--to", f"s3://{BUCKET}", "--endpoint-url", s3_server.url,
               "--media-url", media_url, "--database-url", postgres_url]  # fmt: skip
    refused = exiftree(catalog, *publish, code=1)  # many photos going online: nobody said yes
    assert "would go public for the first time" in refused.stderr and "--yes" in refused.stderr
    exiftree(catalog, *publish, "--yes")

    # 3. Visitors browse: grid, a photo, the keyboard, and no trace of the private one.
    port = int(site_url.rsplit(":", 1)[1])
    wait_for_port(port)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site_url + "/")
        cards = page.locator("#grid a.card")
        assert cards.count() > 0
        page.wait_for_load_state("networkidle")
        loaded = page.evaluate(
            "() => [...document.querySelectorAll('#grid img')]"
            ".filter(i => i.complete && i.naturalWidth > 0).length"
        )
        assert loaded > 0, "images load from the bucket"
        hrefs = [cards.nth(i).get_attribute("href") for i in range(cards.count())]
        assert all(secret["id"] not in h for h in hrefs)

        cards.first.click()
        page.wait_for_url(re.compile(re.escape(site_url + hrefs[0]) + r"(\?seed=\d+)?$"))
        assert page.locator("article.photo img").first.is_visible()
        if len(hrefs) > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_url(re.compile(re.escape(site_url + hrefs[1]) + r"(\?seed=\d+)?$"))
        page.keyboard.press("Escape")  # back to the grid it came from (its seed, if any)
        page.wait_for_url(re.compile(re.escape(site_url) + r"/(\?seed=\d+)?$"))

        # A published GPS photo: its EXIF bar names camera and city, never coordinates.
        shown = next(p for p in gps if p["id"] != secret["id"] and p["camera"] and p["city"])
        page.goto(f"{site_url}/photos/{shown['id']}/")
        exif_bar = page.locator("dl.exif").inner_text()
        assert shown["camera"] in exif_bar and shown["city"] in exif_bar
        html = page.content()
        assert str(round(shown["latitude"], 3)) not in html  # no coordinates, ever

        response = page.goto(f"{site_url}/photos/{secret['id']}/")
        assert response is not None and response.status == 404
        search = page.goto(f"{site_url}/search/?q=Private+garden")
        assert search is not None and search.status == 200
        assert page.locator("a.card").count() == 0  # the private title finds nothing
        browser.close()
    assert not errors, errors

    # The bucket holds no byte of the private photo.
    s3 = boto3.client("s3", endpoint_url=s3_server.url, region_name="us-east-1")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys and not any(secret["content_hash"] in k for k in keys)
