"""EXIF: parsed fields from real files, and the corpus's oddities handled without a crash."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from PIL import Image, TiffImagePlugin

from catalog.ingest.exif import (
    exposure_display,
    json_safe,
    number,
    parse_date,
    read_exif,
    text,
)
from tests.catalog.ingest_helpers import DATA
from tests.factories import make_jpeg


def _exif_of(path: Path):
    with Image.open(path) as image:
        return read_exif(image)


def test_camera_file_fields() -> None:
    exif = _exif_of(DATA / "Nikon_D70.jpg")
    assert (exif.make, exif.model) == ("NIKON CORPORATION", "NIKON D70")
    assert exif.date_taken == datetime(2008, 3, 15, 9, 52, 1)
    assert exif.aperture == 9.0
    assert exif.exposure_display == "1/200"
    assert exif.iso == 200
    assert exif.raw["Image"]["Make"] == "NIKON CORPORATION"
    json.dumps(exif.raw)  # JSON-safe, every tag


def test_gps_values_and_raw_refs_are_kept() -> None:
    exif = _exif_of(DATA / "DSCN0010.jpg")
    assert exif.gps_latitude_ref == "N" and exif.gps_longitude_ref == "E"
    assert exif.gps_latitude is not None and exif.gps_latitude[0] == 43.0
    assert exif.raw["GPS"]["GPSLatitudeRef"] == "N"


def test_orientation_is_read() -> None:
    assert _exif_of(DATA / "landscape_6.jpg").orientation == 6
    assert _exif_of(DATA / "landscape_1.jpg").orientation == 1


def test_odd_values_become_none_not_errors(tmp_path: Path) -> None:
    zero = TiffImagePlugin.IFDRational(1, 0)
    path = make_jpeg(
        tmp_path / "odd.jpg",
        exif={0x010F: "Canon\x00\x00junk", 0x0110: "   ", 0x0132: "0000:00:00 00:00:00"},
    )
    exif = _exif_of(path)
    assert exif.make == "Canon" and exif.model is None and exif.date_taken is None
    assert number(zero) is None
    assert number((TiffImagePlugin.IFDRational(5, 2),)) == 2.5


def test_text_cleaning() -> None:
    assert text(b"OLYMPUS\x00\x00") == "OLYMPUS"
    assert text(b"caf\xe9") == "café"  # latin-1 fallback
    assert text("") is None and text(None) is None and text(42) is None


def test_dates_and_exposures() -> None:
    assert parse_date("2004:03:14 15:02:01") == datetime(2004, 3, 14, 15, 2, 1)
    assert parse_date("2004-03-14T15:02") == datetime(2004, 3, 14, 15, 2)
    assert parse_date("2004:13:45 99:00:00") is None
    assert exposure_display(1 / 250) == "1/250" and exposure_display(2.5) == "2.5"
    assert parse_date("2003-08-31") == datetime(2003, 8, 31)  # a day alone (XMP, IPTC)
    assert exposure_display(0) is None


def test_json_safe_values() -> None:
    value = json_safe((TiffImagePlugin.IFDRational(1, 3), b"\x01\x02", b"ASCII\x00", 1.5))
    assert value == [[1, 3], "hex:0102", "ASCII", 1.5]
    assert json_safe(float("nan")) is None


def test_image_without_exif_has_empty_fields() -> None:
    image = Image.new("RGB", (10, 10))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    exif = read_exif(Image.open(buffer))
    assert exif.make is None and exif.orientation == 1 and exif.raw == {}
