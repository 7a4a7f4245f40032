"""Modern formats a photographer's phone or editor writes: AVIF and JPEG XL.

The files are written here with Pillow (AVIF) and pillow-jxl-plugin (JPEG XL), each stored
sideways with EXIF orientation 6 and a camera, as phones do: the import must read the
camera, and every thumbnail must come out upright.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.models import Camera, Photo
from tests.conftest import CORPUS, REPO


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


def _detailed(size: tuple[int, int]) -> Image.Image:
    """Noise compresses badly, so the image data is most of the file (as in a photo)."""
    return Image.frombytes("RGB", size, bytes(random.Random(7).randbytes(size[0] * size[1] * 3)))


@pytest.mark.parametrize(("suffix", "fmt", "kind"),
                         [(".heic", "HEIF", "HEIF/HEIC"), (".avif", "AVIF", "AVIF")])  # fmt: skip
def test_a_heif_cut_short_is_refused_by_name_and_a_whole_one_imported(
    catalog: Catalog, tmp_path: Path, suffix: str, fmt: str, kind: str
) -> None:
    """libheif decodes a HEIF missing its last bytes as flat green without a word: the
    import must refuse it, saying so, and still import the whole one beside it."""
    folder = tmp_path / "phone"
    folder.mkdir()
    whole = folder / f"IMG_0001{suffix}"
    _detailed((640, 480)).save(whole, fmt, quality=90)
    data = whole.read_bytes()
    (folder / f"IMG_0002{suffix}").write_bytes(data[: len(data) * 6 // 10])  # a copy cut short
    (folder / f"IMG_0003{suffix}").write_bytes(data[:24])  # only its first box

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 2), result.outcomes
    reasons = {Path(o.key).name: o.reason for o in result.outcomes if o.reason}
    assert reasons[f"IMG_0002{suffix}"].startswith(f"damaged {kind}: the file is cut short")
    assert "40% of it is missing" in reasons[f"IMG_0002{suffix}"]
    assert reasons[f"IMG_0003{suffix}"].startswith(f"damaged {kind}: ")
    assert "cut short" in reasons[f"IMG_0003{suffix}"]


SHARED_HEIC = REPO.parent / "shared" / "corpus" / "exif-samples" / "heic"


def test_every_heif_of_the_corpus_is_imported(catalog: Catalog) -> None:
    """Phones' HEIF as they come (Apple's tiled grids, a Nokia's 10-bit HDR, rotations
    stored as irot beside EXIF orientation): a valid HEIF is never refused, nor taken for
    one cut short."""
    folder = SHARED_HEIC if SHARED_HEIC.is_dir() else CORPUS / "heic"  # CI has the whole one
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".heic", ".heif"))

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (len(files), 0), result.outcomes


@pytest.mark.parametrize(("suffix", "fmt", "kind", "decoder"),
                         [(".heic", "HEIF", "HEIF/HEIC", "libheif"),
                          (".avif", "AVIF", "AVIF", "libavif")])  # fmt: skip
def test_a_heif_with_a_broken_item_table_says_what_its_decoder_found(
    catalog: Catalog, tmp_path: Path, suffix: str, fmt: str, kind: str, decoder: str
) -> None:
    """Pillow only says it cannot identify a HEIF (and raises a bare RuntimeError for an
    AVIF): the reason names the kind of file and the decoder's finding."""
    folder = tmp_path / "phone"
    folder.mkdir()
    _detailed((320, 240)).save(folder / f"whole{suffix}", fmt, quality=90)
    data = (folder / f"whole{suffix}").read_bytes()
    assert data.count(b"pitm") == 1
    (folder / f"no-primary{suffix}").write_bytes(data.replace(b"pitm", b"xxxx"))

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 1), result.outcomes
    (reason,) = [o.reason for o in result.outcomes if o.reason]
    assert reason.startswith(f"damaged {kind}: its header cannot be read ({decoder}: "), reason


def test_a_damaged_jpeg_xl_is_named_without_libjxls_build_advice(
    catalog: Catalog, tmp_path: Path
) -> None:
    """pillow-jxl-plugin's error tells a developer to rebuild libjxl: the owner reads what
    is wrong with the file instead."""
    folder = tmp_path / "export"
    folder.mkdir()
    _detailed((320, 240)).save(folder / "whole.jxl", "JXL", quality=90)
    data = (folder / "whole.jxl").read_bytes()
    (folder / "cut.jxl").write_bytes(data[: len(data) // 2])

    result = run_import(catalog, [folder], workers=1)

    assert (result.imported, result.failed) == (1, 1), result.outcomes
    (reason,) = [o.reason for o in result.outcomes if o.reason]
    assert reason == "damaged JPEG XL: libjxl cannot decode it (the file is cut short or corrupt)"
