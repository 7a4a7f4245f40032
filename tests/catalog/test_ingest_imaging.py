"""Imaging: one scaled decode, upright thumbnails in pixels, a phash that ignores rotation."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from catalog.ingest.duplicates import hamming
from catalog.ingest.imaging import to_display_rgb, write_atomically
from catalog.ingest.worker import FileTask, Processed, process_file
from tests.catalog.ingest_helpers import DATA, pixel_difference
from tests.factories import make_jpeg


def _process(path: Path) -> Processed:
    result = process_file(FileTask(str(path)), set())
    assert isinstance(result, Processed), result
    return result


def _save_thumb(result: Processed, size: int, folder: Path) -> Path:
    path = folder / f"{Path(result.file.path).stem}_{size}.jpg"
    path.write_bytes(result.thumbnails[size])
    return path


def test_large_photo_gives_three_sizes(tmp_path: Path) -> None:
    result = _process(make_jpeg(tmp_path / "big.jpg", (4000, 3000), seed=3))
    sizes = {size: Image.open(io.BytesIO(data)).size for size, data in result.thumbnails.items()}
    assert sizes == {1600: (1600, 1200), 800: (800, 600), 300: (300, 225)}
    assert (result.width, result.height) == (4000, 3000)
    assert len(result.phash) == 16


def test_small_photo_is_never_upscaled() -> None:
    result = _process(DATA / "Canon_40D.jpg")
    assert Image.open(io.BytesIO(result.thumbnails[1600])).size == (100, 68)


def test_rotated_file_is_upright_in_pixels(tmp_path: Path) -> None:
    upright = _process(DATA / "landscape_1.jpg")
    rotated = _process(DATA / "landscape_6.jpg")
    assert (rotated.width, rotated.height) == (upright.width, upright.height)
    a, b = _save_thumb(upright, 300, tmp_path), _save_thumb(rotated, 300, tmp_path)
    assert pixel_difference(a, b) < 8
    flipped = tmp_path / "flipped.jpg"
    Image.open(a).transpose(Image.Transpose.ROTATE_180).save(flipped)
    assert pixel_difference(a, flipped) > 20  # the comparison can tell a wrong turn


def test_phash_is_the_same_for_a_rotated_copy(tmp_path: Path) -> None:
    original = make_jpeg(tmp_path / "a.jpg", (1200, 800), seed=5)
    turned = tmp_path / "b.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated, displayed upright
    Image.open(original).transpose(Image.Transpose.ROTATE_90).save(turned, exif=exif.tobytes())
    assert hamming(_process(original).phash, _process(turned).phash) <= 4


def test_png_with_alpha_and_tiff_take_the_pillow_path(tmp_path: Path) -> None:
    Image.new("RGBA", (3300, 2000), (255, 0, 0, 0)).save(tmp_path / "clear.png")
    Image.new("RGB", (900, 600), (0, 90, 0)).save(tmp_path / "green.tiff")
    clear, green = _process(tmp_path / "clear.png"), _process(tmp_path / "green.tiff")
    assert Image.open(io.BytesIO(clear.thumbnails[300])).getpixel((5, 5)) == (255, 255, 255)
    assert clear.format == "PNG" and green.format == "TIFF"
    assert Image.open(io.BytesIO(green.thumbnails[1600])).size == (900, 600)


def test_write_atomically_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "ab" / "thumb.jpg"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["thumb.jpg"]


def test_only_non_srgb_profiles_are_converted() -> None:
    image = Image.new("RGB", (4, 4), (200, 100, 50))
    srgb = Image.open(DATA / "Nikon_D70.jpg").info["icc_profile"]  # "sRGB IEC61966-2.1"
    generic = Image.open(DATA / "landscape_6.jpg").info["icc_profile"]  # "Generic RGB Profile"
    assert to_display_rgb(image, srgb).getpixel((0, 0)) == (200, 100, 50)
    assert to_display_rgb(image, generic).getpixel((0, 0)) != (200, 100, 50)
    assert to_display_rgb(image, b"not a profile").getpixel((0, 0)) == (200, 100, 50)
