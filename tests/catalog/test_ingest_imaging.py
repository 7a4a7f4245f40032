"""Imaging: one scaled decode, upright thumbnails in pixels, a phash that ignores rotation."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from catalog.files import write_atomically
from catalog.ingest.duplicates import hamming
from catalog.ingest.imaging import to_display_rgb
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


def test_featureless_frames_are_never_near_duplicates(tmp_path: Path) -> None:
    """Flat grey, a black frame with sensor noise and a 1x1 image used to form one review
    group; they have nothing a perceptual hash can compare, so none of them is grouped."""
    rng = np.random.default_rng(1)
    noise = rng.normal(8, 1.5, (600, 900)).clip(0, 255).astype(np.uint8)
    frames = {
        "grey.jpg": Image.new("RGB", (900, 600), (128, 128, 128)),
        "black.jpg": Image.fromarray(noise).convert("RGB"),
        "dot.png": Image.new("RGB", (1, 1), (30, 30, 30)),
    }
    for name, image in frames.items():
        image.save(tmp_path / name)
    results = [_process(tmp_path / name) for name in frames]
    assert [r.phash for r in results] == [None, None, None]
    assert _process(make_jpeg(tmp_path / "real.jpg", (900, 600), seed=2)).phash is not None


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


# Mean difference allowed per size: the q88 JPEG of thin lines at 300 px differs by ~5-7 from a
# full-resolution LANCZOS reference (as it did before libvips); a wrong turn gives ~16, swapped
# channels ~36-60.
MAX_DIFFERENCE = {1600: 3.0, 800: 5.0, 300: 9.0}


def _difference_from(thumb: bytes, full: Image.Image, expected_size: tuple[int, int]) -> float:
    """Mean absolute difference per channel (0-255) between a thumbnail and a careful
    full-resolution LANCZOS resize of ``full`` to the thumbnail's size (within a pixel)."""
    shown = Image.open(io.BytesIO(thumb)).convert("RGB")
    assert all(abs(a - b) <= 1 for a, b in zip(shown.size, expected_size, strict=True))
    reference = full.convert("RGB").resize(shown.size, Image.Resampling.LANCZOS)
    diff = np.asarray(shown, dtype=np.int16) - np.asarray(reference, dtype=np.int16)
    return float(np.abs(diff).mean())


def test_big_jpeg_thumbnails_match_a_careful_full_resize(tmp_path: Path) -> None:
    """The fast path (scaled decode, libvips, reduce) shows what a full-resolution LANCZOS
    resize shows: same colours, same place, no shifted or swapped channels."""
    path = make_jpeg(tmp_path / "big.jpg", (4800, 3200), seed=11)
    result = _process(path)
    full = Image.open(path)
    for size, limit in MAX_DIFFERENCE.items():
        assert _difference_from(result.thumbnails[size], full, (size, size * 2 // 3)) < limit


def test_big_rotated_jpeg_is_upright_at_every_size(tmp_path: Path) -> None:
    upright = make_jpeg(tmp_path / "upright.jpg", (2000, 3600), seed=4)
    turned = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored lying on its side, displayed as ``upright``
    Image.open(upright).transpose(Image.Transpose.ROTATE_90).save(
        turned, quality=95, exif=exif.tobytes()
    )
    result = _process(turned)
    assert (result.width, result.height) == (2000, 3600)
    full = Image.open(upright)
    for size, limit in MAX_DIFFERENCE.items():
        expected = (round(size * 2000 / 3600), size)
        assert _difference_from(result.thumbnails[size], full, expected) < limit


def test_big_grey_jpeg_gives_grey_rgb_thumbnails(tmp_path: Path) -> None:
    path = tmp_path / "grey.jpg"
    Image.open(make_jpeg(tmp_path / "colour.jpg", (3600, 2400), seed=2)).convert("L").save(path)
    result = _process(path)
    assert _difference_from(result.thumbnails[1600], Image.open(path), (1600, 1067)) < 3.0
    pixels = np.asarray(Image.open(io.BytesIO(result.thumbnails[1600])).convert("RGB"), np.int16)
    assert np.abs(pixels[..., 0] - pixels[..., 2]).max() <= 2  # no colour cast


def test_big_palette_png_is_imported_not_failed(tmp_path: Path) -> None:
    """``reduce()`` refuses palette images: they are made RGB before scaling."""
    path = tmp_path / "palette.png"
    Image.new("RGB", (3400, 1700), (30, 120, 200)).convert("P").save(path)
    result = _process(path)
    thumb = Image.open(io.BytesIO(result.thumbnails[800]))
    assert thumb.size == (800, 400)
    red, green, blue = thumb.getpixel((400, 200))
    assert abs(red - 30) <= 6 and abs(green - 120) <= 6 and abs(blue - 200) <= 6


def test_big_16_bit_grey_scans_are_processed(tmp_path: Path) -> None:
    """A 16-bit greyscale PNG or TIFF over 3200 px: reduce() refuses I;16, so it failed."""
    ramp = np.tile(np.linspace(0, 65535, 3300, dtype=np.uint16), (2400, 1))
    for suffix in ("png", "tif"):
        path = tmp_path / f"scan.{suffix}"
        Image.fromarray(ramp).save(path)
        result = _process(path)
        assert (result.width, result.height) == (3300, 2400)
        with Image.open(io.BytesIO(result.thumbnails[300])) as thumb:
            left, right = (
                thumb.convert("L").getpixel((5, 100)),
                thumb.convert("L").getpixel((295, 100)),
            )
            assert left < 30 and right > 225  # the ramp survives the 16 -> 8 bit scaling


def test_the_perceptual_hash_is_imagehashs_phash_bit_for_bit() -> None:
    """Hashes already in catalogs were made by ``imagehash.phash``: ours (the same DCT,
    without scipy) must give the very same 16 hex digits, or old and new photos would stop
    matching as near-duplicates. (Only where low frequencies tie at the median, as in a
    perfect synthetic ramp, are both hashes rounding noise; no photograph does that.)"""
    import imagehash

    from catalog.ingest.imaging import perceptual_hash

    rng = np.random.default_rng(15)
    images = [Image.open(path).convert("RGB") for path in sorted(DATA.glob("*.jpg"))]
    images += [
        Image.fromarray(rng.integers(0, 256, (225, 300, 3), dtype=np.uint8)),  # noise
        Image.fromarray(  # a noisy ramp
            (np.add.outer(np.arange(200), np.arange(300)) // 2 + rng.integers(0, 9, (200, 300)))
            .clip(0, 255)
            .astype(np.uint8),
            "L",
        ),  # fmt: skip
        Image.fromarray(rng.integers(0, 256, (300, 17), dtype=np.uint8), "L"),  # thin
    ]
    images = [image.resize((300, round(300 * image.height / image.width))) for image in images]
    compared = 0
    for image in images:
        ours = perceptual_hash(image)
        if ours is None:  # featureless: no hash at all, by design
            continue
        assert ours == str(imagehash.phash(image)), image
        compared += 1
    assert compared >= 10
