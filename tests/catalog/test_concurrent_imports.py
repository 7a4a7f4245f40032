"""Two real ``exiftree import`` processes writing one catalog at the same time.

Both import overlapping folders (each sees every file, in a different order), and both meet
the same new cameras, lenses and cities at once. Nothing may fail because of the other:
each picture ends in the catalog exactly once, copies are duplicates, no SQL reaches the
user, and both exit 0.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from catalog.catalog import Catalog
from catalog.ingest import run_import
from tests.catalog.ingest_helpers import DATA
from tests.factories import make_jpeg

EXIFTREE = str(Path(sys.executable).parent / "exiftree")
MAKE, MODEL, EXIF_IFD, LENS_MAKE, LENS_MODEL = 0x010F, 0x0110, 0x8769, 0xA433, 0xA434


def _folders(root: Path) -> tuple[Path, Path, int]:
    """``a`` and ``b`` sharing most files (byte-identical copies); the number of distinct
    pictures. The shared ones carry cameras and lenses no catalog has seen."""
    a, b = root / "a", root / "b"
    pictures = 0
    for i in range(16):  # in both folders: both imports meet these new gear rows at once
        shared = _with_gear(a / f"new_gear_{i:02d}.jpg", i)
        b.mkdir(parents=True, exist_ok=True)
        shutil.copy2(shared, b / shared.name)
        pictures += 1
    for name in ("Nikon_D70.jpg", "Canon_40D.jpg", "DSCN0010.jpg", "landscape_1.jpg"):
        for folder in (a, b):  # real cameras, and GPS (a new city for both imports)
            shutil.copy2(DATA / name, folder / name)
        pictures += 1
    for i, folder in enumerate((a, a, b, b)):  # a few only one folder has
        make_jpeg(folder / f"own_{i}.jpg", (160, 120), seed=100 + i)
        pictures += 1
    return a, b, pictures


def _with_gear(path: Path, i: int) -> Path:
    """A small JPEG whose camera (IFD0) and lens (Exif IFD) no catalog has seen."""
    make_jpeg(path, (160, 120), seed=i)
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Racecam", f"R{i % 4}00"
    exif.get_ifd(EXIF_IFD).update({LENS_MAKE: "Racecam", LENS_MODEL: f"Racecam {10 + i % 3}mm"})
    with Image.open(path) as image:
        image.load()
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


@pytest.mark.slow
def test_two_imports_at_once_fail_nothing_and_keep_each_picture_once(tmp_path: Path) -> None:
    a, b, pictures = _folders(tmp_path / "photos")
    home = tmp_path / "cat"
    subprocess.run([EXIFTREE, "--catalog", str(home), "where"], check=True, capture_output=True)
    base = [EXIFTREE, "--catalog", str(home), "import", "--workers", "2"]
    first = subprocess.Popen([*base, str(a), str(b)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    second = subprocess.Popen([*base, str(b), str(a)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    outputs = [process.communicate(timeout=300) for process in (first, second)]

    for process, (out, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, err
        assert "failed 0" in out, out
        for text in (out, err):
            assert "IntegrityError" not in text and "SQL" not in text and "UNIQUE" not in text
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        rows = conn.execute("SELECT content_hash, status FROM photos").fetchall()
        cameras = conn.execute("SELECT name FROM cameras WHERE name LIKE 'Racecam%'").fetchall()
        lenses = conn.execute("SELECT name FROM lenses WHERE name LIKE 'Racecam%'").fetchall()
        cities = conn.execute("SELECT name, count(*) FROM cities GROUP BY 1").fetchall()
    assert {status for _, status in rows} == {"processed"}
    assert len(rows) == pictures == len({content for content, _ in rows})
    assert sorted(name for (name,) in cameras) == [f"Racecam R{i}00" for i in range(4)]
    assert len(lenses) == 3
    assert cities and all(count == 1 for _, count in cities)


def test_an_import_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    """Another program holds the catalog's write lock for a while: the import waits."""
    photos = tmp_path / "photos"
    for name in ("Nikon_D70.jpg", "Canon_40D.jpg"):
        photos.mkdir(exist_ok=True)
        shutil.copy2(DATA / name, photos / name)
    with Catalog.open(tmp_path / "cat") as catalog:
        run_import(catalog, [], workers=1)  # first use: the catalog is in WAL mode from here
        other = sqlite3.connect(catalog.db_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # e.g. a long bulk edit in the desktop
        release = threading.Timer(1.5, other.execute, ["COMMIT"])
        release.start()
        try:
            result = run_import(catalog, [photos], workers=1)
        finally:
            release.join()
            other.close()
        assert result.imported == 2 and result.failed == 0 and result.stopped is None
