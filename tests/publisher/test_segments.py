"""Real camera files carrying a JPEG comment (COM) and APP12/APP13 segments reach the site,
with nothing but the allow-listed segments; a photo that still cannot go is named, by file."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from catalog.privacy import jpeg_segments, segment_name
from desktop.cli import main
from tests.catalog.ingest_helpers import copy_data

# From tests/data (exif-samples, CC BY-SA 4.0): a Sony camera JPEG whose COM segment holds a
# sentence, and a file with APP12 (Ducky) and APP13 (Photoshop IRB) segments.
CARRIERS = {"sony-powershota5.jpg": {"COM (a JPEG comment)"}, "landscape_1.jpg": {"APP12", "APP13"}}
ALLOWED = {"APP0", "APP1"}  # JFIF and the allow-listed EXIF


def _app_segments(data: bytes) -> set[str]:
    metadata = range(0xE0, 0xF0), 0xFE  # APP0-APP15, COM
    return {
        segment_name(s.marker)
        for s in jpeg_segments(data)
        if s.marker in metadata[0] or s.marker == metadata[1]
    }


def _catalog_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    folder = tmp_path / "in"
    for path in copy_data(folder, *CARRIERS):
        assert CARRIERS[path.name] <= _app_segments(path.read_bytes())  # the test can fail
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    capsys.readouterr()
    assert main([*home, "list"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert main([*home, "set", *ids, "--public"]) == 0
    return home


def test_comment_and_app_segments_never_reach_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = _catalog_with(tmp_path, capsys)
    site = tmp_path / "site"
    shutil.rmtree(tmp_path / "cat" / "thumbs")  # an emptied cache: every size from the original
    assert main([*home, "publish", "--to", str(site)]) == 0
    out = capsys.readouterr()
    assert "could not be published" not in out.out + out.err
    with sqlite3.connect(site / "snapshot.sqlite") as db:
        published = db.execute("SELECT COUNT(*) FROM photos").fetchone()[0]
    assert published == len(CARRIERS)
    files = list((site / "media").rglob("*.jpg"))
    assert len(files) >= 2 * len(CARRIERS)
    for path in files:
        data = path.read_bytes()
        assert _app_segments(data) <= ALLOWED, path.name
        with Image.open(io.BytesIO(data)) as image:
            assert "comment" not in image.info
            assert {marker for marker, _ in image.applist} <= ALLOWED


def test_a_photo_that_cannot_go_is_named_by_file_in_the_dry_run_and_fails_the_publish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = _catalog_with(tmp_path, capsys)
    gone = tmp_path / "in" / "sony-powershota5.jpg"
    gone.unlink()  # the drive is unplugged, and the thumbnail cache was emptied
    shutil.rmtree(tmp_path / "cat" / "thumbs")
    site = ["--to", str(tmp_path / "site")]
    assert main([*home, "publish", *site, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 photo(s) cannot be published:" in out
    assert f"{gone}: its web images could not be made" in out and "Reconnect the drive" in out
    assert main([*home, "publish", *site]) == 1
    out = capsys.readouterr()
    assert f"{gone}: its web images could not be made" in out.err
    assert "1 photo(s) could not be published" in out.err
    with sqlite3.connect(tmp_path / "site" / "snapshot.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM photos").fetchone()[0] == 1  # the other one
