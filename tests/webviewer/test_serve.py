"""The two ways to run the viewer: ``exiftree serve --from DIR`` and ``python -m webviewer``."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import free_port, wait_for_port
from tests.webviewer.conftest import Snap


@contextmanager
def running(args: list[str], port: int) -> Iterator[str]:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_exiftree_serve_previews_a_published_folder(sqlite_snap: Snap) -> None:
    folder, port = sqlite_snap.media_dir.parent, free_port()
    exiftree = str(Path(sys.executable).parent / "exiftree")
    cli = [exiftree, "serve", "--from", str(folder), "--port", str(port)]
    with running(cli, port) as base:
        home = httpx.get(base + "/")
        assert home.status_code == 200 and "Ada&#39;s Photographs" in home.text
        assert f'property="og:url" content="{base}/"' in home.text  # its own address…
        forged = httpx.get(base + "/feed.xml", headers={"host": "evil.example"}).text
        assert "evil.example" not in forged and base + "/photos/" in forged  # …never a Host
        image = re.search(r'<img src="(/media/[^"]+)"', home.text).group(1)
        rendition = httpx.get(base + image)
        assert rendition.status_code == 200 and rendition.content[:2] == b"\xff\xd8"


def test_python_m_webviewer_against_postgres(postgres_snap: Snap) -> None:
    port = free_port()
    args = [
        sys.executable, "-m", "webviewer", "--database-url", postgres_snap.url,
        "--media-url", "https://media.example.org/", "--port", str(port),
        "--site-url", "https://photos.example.org",
    ]  # fmt: skip
    with running(args, port) as base:
        home = httpx.get(base + "/")
        assert home.status_code == 200
        assert 'src="https://media.example.org/p/' in home.text
        assert "https://media.example.org" in home.headers["content-security-policy"]
