"""The viewer reads only the snapshot version it knows, and says what to do otherwise."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from webviewer import schema
from webviewer.app import create_app


def _site_at_version(sqlite_snap: Snap, folder: Path, version: int) -> Path:
    """A copy of the published folder whose publishes claim ``version``."""
    shutil.copytree(sqlite_snap.media_dir.parent, folder)
    engine = create_engine(f"sqlite:///{folder / 'snapshot.sqlite'}")
    with engine.begin() as conn:
        conn.execute(update(schema.publishes).values(schema_version=version))
    engine.dispose()
    return folder


@pytest.mark.parametrize(
    ("version", "advice"),
    [
        (schema.SCHEMA_VERSION + 1, "upgrade the viewer"),
        (schema.SCHEMA_VERSION - 1, "publish again with this ExifTree"),
    ],
)
def test_exiftree_serve_refuses_a_snapshot_version_it_does_not_know(
    sqlite_snap: Snap, tmp_path: Path, version: int, advice: str
) -> None:
    folder = _site_at_version(sqlite_snap, tmp_path / "site", version)
    exiftree = str(Path(sys.executable).parent / "exiftree")
    done = subprocess.run(
        [exiftree, "serve", "--from", str(folder), "--port", "9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"the snapshot is version {version}" in done.stderr and advice in done.stderr
    assert "Traceback" not in done.stderr


_PRODUCTION = ["--site-url", "https://photos.example.org", "--port", "9"]


def test_python_m_webviewer_refuses_it_too(sqlite_snap: Snap, tmp_path: Path) -> None:
    folder = _site_at_version(sqlite_snap, tmp_path / "site", schema.SCHEMA_VERSION + 1)
    database_url = f"sqlite:///{folder / 'snapshot.sqlite'}"
    done = subprocess.run(
        [sys.executable, "-m", "webviewer", "--database-url", database_url, *_PRODUCTION],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "upgrade the viewer" in done.stderr and "Traceback" not in done.stderr


def test_a_running_viewer_stops_serving_a_snapshot_a_newer_publisher_migrated(
    sqlite_snap: Snap, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "site"
    shutil.copytree(sqlite_snap.media_dir.parent, folder)
    snap = Snap(f"sqlite:///{folder / 'snapshot.sqlite'}", folder / "media", sqlite_snap.facts, "")
    with TestClient(create_app(snap.settings())) as client:
        assert client.get("/").status_code == 200
        engine = create_engine(snap.url)
        with engine.begin() as conn:  # what a newer ExifTree's publish leaves
            conn.execute(update(schema.publishes).values(schema_version=schema.SCHEMA_VERSION + 1))
        engine.dispose()
        page = client.get("/?fresh=1")
    assert page.status_code == 503 and "briefly unavailable" in page.text
    assert "upgrade the viewer" in caplog.text  # the owner's log says what to do
