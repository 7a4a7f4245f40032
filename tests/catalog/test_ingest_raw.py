"""Camera RAW import through LibRaw: real DNG files written by tests/catalog/raw_samples.py.

Each sample is stored sideways (orientation 6, as a camera held upright writes it) with a
red top, a blue bottom and a green corner: the thumbnails must come out upright, in those
colours, whether they come from the embedded preview or from a demosaic.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.models import Camera, ExifData, Photo
from tests.catalog.raw_samples import painted, write_dng


def _thumb(catalog: Catalog, photo: Photo, size: int) -> np.ndarray:
    data = catalog.thumb_path(photo.content_hash, size).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int32)


def _assert_upright_colours(pixels: np.ndarray) -> None:
    """Stored landscape with red on top, turned 90 degrees clockwise by orientation 6:
    shown portrait, red on the right, blue on the left, green at the top right."""
    height, width = pixels.shape[:2]
    assert height > width
    red = pixels[height // 2, width - width // 8]
    blue = pixels[height // 2, width // 8]
    green = pixels[height // 20, width - width // 20]
    assert red[0] > 150 and red[0] > red[1] + 80 and red[0] > red[2] + 80, red
    assert blue[2] > 150 and blue[2] > blue[0] + 80 and blue[2] > blue[1] + 80, blue
    assert green[1] > 150 and green[1] > green[0] + 80 and green[1] > green[2] + 80, green


@pytest.mark.parametrize(
    ("width", "height", "preview_px"),
    [(640, 426, None), (3300, 2200, None), (640, 426, 1800)],
    ids=["demosaic", "half-size-demosaic", "embedded-preview"],
)
def test_raw_imports_upright_in_colour_with_its_camera(
    catalog: Catalog, tmp_path: Path, width: int, height: int, preview_px: int | None
) -> None:
    folder = tmp_path / "card"
    folder.mkdir()
    original = write_dng(
        folder / "DSC_0001.DNG",
        painted(width, height),
        orientation=6,
        make="NIKON CORPORATION",
        model="NIKON D750",
        preview_px=preview_px,
    )
    before = original.read_bytes()

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 0), result.outcomes
    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()
        camera = session.get(Camera, photo.camera_id)
        exif = session.scalars(select(ExifData)).one()
    assert photo.format == "DNG"
    assert (photo.width, photo.height) == (height, width)  # shown upright
    assert camera is not None and "D750" in camera.name
    assert (exif.iso, exif.aperture, exif.exposure_display) == (400, 2.8, "1/250")
    assert exif.date_taken is not None and exif.date_taken.year == 2024
    for size in (300, 800):
        _assert_upright_colours(_thumb(catalog, photo, size))
    assert photo.phash is not None
    assert original.read_bytes() == before  # the original is never written


def test_damaged_raw_gets_a_clear_reason_and_the_batch_goes_on(
    catalog: Catalog, tmp_path: Path
) -> None:
    folder = tmp_path / "card"
    folder.mkdir()
    good = write_dng(folder / "good.dng", painted(320, 214))
    (folder / "cut.NEF").write_bytes(good.read_bytes()[:300])  # cut short in its header
    (folder / "junk.CR2").write_bytes(b"not a raw file at all " * 100)

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 2), result.outcomes
    reasons = {Path(o.key).name: o.reason or "" for o in result.failures}
    assert set(reasons) == {"cut.NEF", "junk.CR2"}
    for reason in reasons.values():
        assert reason.startswith("unsupported RAW: "), reason
        assert "Traceback" not in reason


def test_an_import_without_raw_files_never_loads_rawpy(tmp_path: Path) -> None:
    """LibRaw is loaded by the first worker that meets a RAW, not by every import."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from catalog.catalog import Catalog\n"
        "from catalog.ingest import run_import\n"
        "from tests.factories import make_jpeg\n"
        f"folder = Path({str(tmp_path / 'in')!r})\n"
        "make_jpeg(folder / 'a.jpg', (64, 48), seed=1)\n"
        f"catalog = Catalog.open(Path({str(tmp_path / 'cat')!r}))\n"
        "assert run_import(catalog, [folder], workers=1).imported == 1\n"
        "print('rawpy' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
