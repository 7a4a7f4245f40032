"""A Canon MakerNote an editor moved without fixing its offsets is read as exiftool reads it.

The files carry, byte for byte, the EXIF segment of exif-samples' ``jpg/tests/11-tests.jpg``
(Canon DIGITAL IXUS 40, moved by -54 bytes), ``jpg/hdr/canon_hdr_NO.jpg`` (PowerShot SX60 HS,
-128 bytes) and ``jpg/tests/28-hex_value.jpg`` (IXUS 40, +62 bytes, and its little-endian
MakerNote inside EXIF an editor rewrote big-endian) on a small fresh image: exiftool says
"Adjusted MakerNotes base" for each.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import exiv2
import pytest

from catalog.gear.lenses import normalise_lens
from catalog.ingest import canon_makernote
from catalog.ingest.metadata import _metadata_part, read_metadata
from catalog.ingest.worker import FileTask, Processed, process_file
from tests.catalog.ingest_helpers import DATA

EXIFTOOL = shutil.which("exiftool")


def _read(path: Path):
    result = process_file(FileTask(str(path), skip_if_known=False), frozenset())
    assert isinstance(result, Processed), result
    return result.exif


@pytest.mark.parametrize(
    ("name", "lens", "iso", "exiftool_lens"),
    [
        ("Canon_IXUS_40_moved_makernote.jpg", "5.8-17.4mm", 50, "5.8 - 17.4 mm"),
        ("Canon_SX60_moved_makernote.jpg", "3.8-247mm", 800, "3.8 - 247.0 mm"),
        ("Canon_IXUS_40_swapped_makernote.jpg", "5.8-17.4mm", 50, "5.8 - 17.4 mm"),
    ],
)
def test_a_moved_canon_makernote_gives_its_lens_and_iso(name, lens, iso, exiftool_lens) -> None:
    exif = _read(DATA / name)
    assert normalise_lens(exif.lens_make, exif.lens_model, exif.make) == lens
    assert exif.iso == iso  # the IXUS 40 writes its ISO only in the MakerNote
    if EXIFTOOL:  # exiftool, which repairs the offsets too, reads the same lens
        said = subprocess.run([EXIFTOOL, "-s3", "-Lens", str(DATA / name)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        assert said.stdout.strip() == exiftool_lens


def _exiv2_alone(head: bytes | bytearray) -> str | None:
    """The Canon zoom range exiv2 reads from ``head`` as it is, without the repair."""
    image = exiv2.ImageFactory.open(bytes(head))
    image.readMetadata()
    data = image.exifData()
    lens = data.findKey(exiv2.ExifKey("Exif.CanonCs.Lens"))
    return None if lens == data.end() else lens.print(data)


def test_the_original_bytes_read_as_garbage_without_the_repair() -> None:
    head = _metadata_part((DATA / "Canon_IXUS_40_moved_makernote.jpg").read_bytes())
    assert _exiv2_alone(head) != "5.8 - 17.4 mm"
    assert _exiv2_alone(canon_makernote.repair(head)) == "5.8 - 17.4 mm"
    assert read_metadata(head).printed["Exif.CanonCs.Lens"] == "5.8 - 17.4 mm"


def test_a_makernote_in_place_or_already_fixed_is_left_alone() -> None:
    in_place = _metadata_part((DATA / "Canon_DIGITAL_IXUS_400.jpg").read_bytes())
    assert canon_makernote.repair(in_place) is in_place
    nikon = _metadata_part((DATA / "Nikon_D300_lens_data.jpeg").read_bytes())
    assert canon_makernote.repair(nikon) is nikon
    # offsets fixed by an editor who left Canon's footer stale (Picasa, ACDSee): no second shift
    moved = _metadata_part((DATA / "Canon_SX60_moved_makernote.jpg").read_bytes())
    repaired = canon_makernote.repair(moved)
    assert canon_makernote.repair(repaired) is repaired


def _shift_makernote_offsets(head: bytes, by: int, first_by: int | None = None) -> bytes:
    """``head`` with its Canon MakerNote's value offsets moved ``by`` bytes, as a careless
    editor leaves them (this MakerNote has no footer: the repair must find the shift itself)."""
    start, end = canon_makernote._exif_block(head)  # noqa: SLF001 - the test builds the damage
    tiff = canon_makernote._Tiff(head[start:end])  # noqa: SLF001
    ifd0 = tiff.entries(tiff.u32(4))
    exif = next(tiff.u32(f) for tag, _, _, f, _ in ifd0 if tag == canon_makernote.EXIF_IFD)
    field = next(f for tag, _, _, f, _ in tiff.entries(exif) if tag == canon_makernote.MAKERNOTE)
    note = tiff.u32(field)
    damaged = bytearray(head)
    values = [value_field for _, _, _, value_field, size in tiff.entries(note) if size > 4]
    for index, value_field in enumerate(values):
        moved = first_by if index == 0 and first_by is not None else by
        pointer = tiff.u32(value_field) + moved
        struct.pack_into(tiff.order + "I", damaged, start + value_field, pointer)
    return bytes(damaged)


@pytest.mark.parametrize("by", [-40, 26])
def test_without_a_footer_the_values_are_found_after_the_directory(by) -> None:
    head = bytes(_metadata_part((DATA / "Canon_DIGITAL_IXUS_400.jpg").read_bytes()))
    damaged = _shift_makernote_offsets(head, by)
    assert _exiv2_alone(damaged) != "7.4 - 22.2 mm"
    assert canon_makernote.repair(damaged) == head
    assert read_metadata(damaged).printed["Exif.CanonCs.Lens"] == "7.4 - 22.2 mm"


def test_a_shift_that_would_put_values_outside_the_makernote_is_not_made() -> None:
    head = bytes(_metadata_part((DATA / "Canon_DIGITAL_IXUS_400.jpg").read_bytes()))
    damaged = _shift_makernote_offsets(head, -40, first_by=5000)  # no one shift explains it
    assert canon_makernote.repair(damaged) == damaged
