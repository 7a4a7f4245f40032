"""Modern formats a photographer's phone or editor writes: AVIF and JPEG XL.

The files are written here with Pillow (AVIF) and pillow-jxl-plugin (JPEG XL), each stored
sideways with EXIF orientation 6 and a camera, as phones do: the import must read the
camera, and every thumbnail must come out upright.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.models import Camera, Photo


def _sideways_photo(path: Path, fmt: str) -> None:
    """Left half red, right half blue as shown; stored turned, with orientation 6."""
    upright = Image.new("RGB", (400, 600), (220, 30, 30))
    upright.paste((30, 30, 220), (200, 0, 400, 600))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # 600 x 400 on disk
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Google", "Pixel 8", 6
    stored.save(path, fmt, exif=exif.tobytes(), quality=90)


@pytest.mark.parametrize(("suffix", "fmt"), [(".avif", "AVIF"), (".jxl", "JXL")])
def test_avif_and_jpeg_xl_are_imported_upright(
    catalog: Catalog, tmp_path: Path, suffix: str, fmt: str
) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    _sideways_photo(folder / f"PXL_0001{suffix}", fmt)

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 0), result.outcomes
    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()
        camera = session.get(Camera, photo.camera_id)
    assert (photo.width, photo.height) == (400, 600)
    assert camera is not None and "Pixel 8" in camera.name
    data = catalog.thumb_path(photo.content_hash, 300).read_bytes()
    with Image.open(io.BytesIO(data)) as thumb:
        assert thumb.height > thumb.width
        left, right = thumb.getpixel((5, thumb.height // 2)), thumb.getpixel((thumb.width - 5, 5))
    assert left[0] > 150 > left[2] and right[2] > 150 > right[0]  # red left, blue right
