"""MakerNotes, XMP and IPTC: what a photographer sees in exiftool or Lightroom, ExifTree reads.

Real camera files (tests/data, from exif-samples) for MakerNotes the corpus has; files written
in the test with exiftool (XMP, IPTC, EXIF) or exiv2 (MakerNotes exiftool cannot create) for
the rest. exiftool reads each written MakerNote back, so the expected lens is not ours alone.
"""

from __future__ import annotations

import io
import json
import math
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import exiv2
import pytest
from PIL import Image

from catalog.gear.lenses import normalise_lens
from catalog.ingest.exif import ExifFields, read_exif
from catalog.ingest.worker import FileTask, Processed, process_file
from catalog.places.gps import parse_gps
from tests.catalog.ingest_helpers import DATA
from tests.factories import make_jpeg

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not installed")


def read(path: Path) -> ExifFields:
    """What an import reads: the worker's own path from the file's bytes."""
    result = process_file(FileTask(str(path), skip_if_known=False), frozenset())
    assert isinstance(result, Processed), result
    return result.exif


def lens_of(exif: ExifFields) -> str | None:
    return normalise_lens(exif.lens_make, exif.lens_model, exif.make)


def exiftool(path: Path, *arguments: str) -> None:
    subprocess.run([EXIFTOOL or "exiftool", "-q", "-overwrite_original", *arguments, str(path)],
                   check=True, capture_output=True)  # fmt: skip


def exiftool_says(path: Path, tag: str) -> str:
    out = subprocess.run([EXIFTOOL or "exiftool", "-s3", f"-{tag}", str(path)],
                         check=True, capture_output=True, text=True)  # fmt: skip
    return out.stdout.strip()


# --- MakerNotes of real cameras -------------------------------------------------------------


def test_nikon_lens_comes_from_the_makernote_lens_data() -> None:
    exif = read(DATA / "Nikon_D300_lens_data.jpeg")
    assert lens_of(exif) == "Nikon AF-S Nikkor 28-300mm f/3.5-5.6G ED VR"


def test_olympus_lens_and_35mm_from_the_makernote() -> None:
    exif = read(DATA / "Olympus_E-P3_small.jpg")
    assert lens_of(exif) == "Olympus M.Zuiko Digital 14-42mm f/3.5-5.6 II R"
    assert exif.focal_length_mm == 15.0
    assert exif.focal_length_35mm == 30.0  # Four Thirds: a 21.6 mm diagonal, crop 2


def test_canon_compact_iso_lens_range_and_35mm_from_the_makernote() -> None:
    exif = read(DATA / "Canon_DIGITAL_IXUS_400.jpg")
    assert exif.iso == 50  # only in the MakerNote's shot info
    assert lens_of(exif) == "7.4-22.2mm"  # the zoom range, as Lightroom shows it: no brand
    assert exif.focal_length_35mm is not None and 72 <= exif.focal_length_35mm <= 76
    assert exif.raw["MakerNote"]["Exif.CanonCs.Lens"] == "7.4 - 22.2 mm"


def test_a_bare_lens_spec_is_not_credited_to_the_body_maker() -> None:
    # XMP aux:Lens "100.0 mm f/2.8" on a D70: exiftool's LensID is "100.0mm f/2.8", no brand
    # (Nikon, Sigma, Tamron and Tokina all made 100-105 mm f/2.8 lenses for that mount)
    exif = read(DATA / "Nikon_D70.jpg")
    assert lens_of(exif) == "100mm f/2.8"
    if EXIFTOOL:
        assert exiftool_says(DATA / "Nikon_D70.jpg", "LensID") == "100.0mm f/2.8"


def test_an_old_olympus_picture_info_segment_gives_aperture_shutter_and_date() -> None:
    path = DATA / "Olympus_D-320L_picture_info.jpg"  # 1998: no EXIF at all, only APP12 text
    exif = read(path)
    assert exif.aperture == 2.8
    assert exif.exposure_time_s == pytest.approx(0.033363)
    assert exif.exposure_display == "1/30"
    assert exif.date_taken == datetime(1998, 10, 29, 22, 6, 59)
    assert exif.raw["PictureInfo"]["FNumber"] == "F2.8"
    if EXIFTOOL:  # exiftool's PictureInfo group says the same
        assert exiftool_says(path, "PictureInfo:FNumber") == "2.8"
        assert exiftool_says(path, "PictureInfo:ExposureTime") == "1/30"
        assert exiftool_says(path, "PictureInfo:DateTimeOriginal") == "1998:10:29 22:06:59"


def _with_makernote(tmp_path: Path, name: str, make: str, model: str, tags: dict) -> Path:
    """A small JPEG whose MakerNote exiv2 writes (exiftool can copy MakerNotes, not make them)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(out, "JPEG")
    image = exiv2.ImageFactory.open(out.getvalue())
    image.readMetadata()
    data = image.exifData()
    data["Exif.Image.Make"], data["Exif.Image.Model"] = make, model
    data["Exif.Photo.FocalLength"] = "300/10"
    for key, value in tags.items():
        data[key] = value
    image.writeMetadata()
    path = tmp_path / name
    path.write_bytes(bytes(image.io().mmap()))
    return path


@pytest.mark.parametrize(
    ("make", "model", "tags", "lens", "exiftool_tag"),
    [
        ("PENTAX Corporation", "PENTAX K10D", {"Exif.Pentax.LensType": "7 229"},
         "smc PENTAX-DA 18-55mm f/3.5-5.6 AL II", "LensType"),
        ("SONY", "DSLR-A700", {"Exif.Sony1.LensID": exiv2.ULongValue(2)},
         "Minolta AF 28-70mm f/2.8 G", "LensType"),
        ("FUJIFILM", "X-T1", {"Exif.Fujifilm.MinFocalLength": "18/1",
                              "Exif.Fujifilm.MaxFocalLength": "55/1",
                              "Exif.Fujifilm.MaxApertureAtMinFocal": "28/10",
                              "Exif.Fujifilm.MaxApertureAtMaxFocal": "4/1"},
         "18-55mm f/2.8-4", None),
        ("Canon", "Canon EOS 7D", {"Exif.CanonCs.LensType": exiv2.UShortValue(230),
                                   "Exif.CanonCs.Lens": "70 24 1",
                                   "Exif.CanonCs.MaxAperture": exiv2.UShortValue(95)},
         "Canon EF 24-70mm f/2.8L USM", "LensType"),
        # a lens id the rest of the settings contradict: only the zoom range is sure
        ("Canon", "Canon EOS 7D", {"Exif.CanonCs.LensType": exiv2.UShortValue(230),
                                   "Exif.CanonCs.Lens": "70 24 1"},
         "24-70mm", "Lens"),
    ],
)  # fmt: skip
def test_makernote_lens_of_each_maker(tmp_path, make, model, tags, lens, exiftool_tag) -> None:
    path = _with_makernote(tmp_path, "mn.jpg", make, model, tags)
    assert lens_of(read(path)) == lens
    if EXIFTOOL and exiftool_tag:  # exiftool reads the same lens from the same bytes
        focal_range = next(word for word in lens.split() if word.endswith("mm"))
        said = exiftool_says(path, exiftool_tag).replace(".0", "").replace(" ", "")
        assert focal_range in said


@needs_exiftool
def test_fujifilm_makernote_lens_range_is_what_exiftool_reads(tmp_path) -> None:
    path = _with_makernote(tmp_path, "fuji.jpg", "FUJIFILM", "X-T1", {
        "Exif.Fujifilm.MinFocalLength": "16/1", "Exif.Fujifilm.MaxFocalLength": "80/1",
        "Exif.Fujifilm.MaxApertureAtMinFocal": "4/1",
        "Exif.Fujifilm.MaxApertureAtMaxFocal": "4/1"})  # fmt: skip
    said = [exiftool_says(path, tag) for tag in ("MinFocalLength", "MaxFocalLength",
                                                 "MaxApertureAtMinFocal")]  # fmt: skip
    assert said == ["16", "80", "4"]
    assert lens_of(read(path)) == "16-80mm f/4"  # one aperture over the range: said once


def test_an_ambiguous_lens_id_is_left_out_rather_than_guessed(tmp_path) -> None:
    path = _with_makernote(tmp_path, "sony.jpg", "SONY", "DSLR-A700",
                           {"Exif.Sony2.LensID": exiv2.ULongValue(128)})  # fmt: skip
    assert lens_of(read(path)) is None  # 20-odd Sigma and Tamron lenses share id 128


# --- XMP and IPTC written with exiftool -----------------------------------------------------


@needs_exiftool
def test_gps_only_in_xmp_is_read(tmp_path) -> None:
    path = make_jpeg(tmp_path / "xmp_gps.jpg", (64, 48))
    exiftool(path, "-XMP-exif:GPSLatitude=48.858370", "-XMP-exif:GPSLatitudeRef=N",
             "-XMP-exif:GPSLongitude=-2.294481")  # fmt: skip
    exif = read(path)
    lat, lon, flag = parse_gps(exif.gps_latitude, exif.gps_latitude_ref,
                               exif.gps_longitude, exif.gps_longitude_ref)  # fmt: skip
    assert flag is None
    assert lat == pytest.approx(48.858370, abs=1e-5)
    assert lon == pytest.approx(-2.294481, abs=1e-5)


@needs_exiftool
def test_iptc_date_wins_over_an_editors_modify_date(tmp_path) -> None:
    path = make_jpeg(tmp_path / "iptc.jpg", (64, 48))
    exiftool(path, "-IFD0:ModifyDate=2023:05:01 10:00:00", "-IPTC:DateCreated=2009:06:14",
             "-IPTC:TimeCreated=15:30:12+02:00")  # fmt: skip
    exif = read(path)
    assert exif.date_taken == datetime(2009, 6, 14, 15, 30, 12)
    assert exif.offset_time == "+02:00"
    assert exif.raw["Iptc"]["Iptc.Application2.DateCreated"] == "2009-06-14"
    json.dumps(exif.raw)


@needs_exiftool
def test_an_iptc_day_without_a_time_is_kept_as_a_day(tmp_path) -> None:
    path = make_jpeg(tmp_path / "iptc_day.jpg", (64, 48))
    exiftool(path, "-IPTC:DateCreated=2009:05:03")
    exif = read(path)
    assert (exif.date_taken, exif.date_precision) == (datetime(2009, 5, 3), "day")
    exiftool(path, "-IPTC:TimeCreated=10:20:30")
    exif = read(path)
    assert (exif.date_taken, exif.date_precision) == (datetime(2009, 5, 3, 10, 20, 30), None)


@needs_exiftool
def test_modify_date_alone_is_never_the_date_taken(tmp_path) -> None:
    path = make_jpeg(tmp_path / "modified.jpg", (64, 48))
    exiftool(path, "-IFD0:ModifyDate=2023:05:01 10:00:00")
    assert read(path).date_taken is None


@needs_exiftool
def test_date_order_photoshop_before_xmp_create_date(tmp_path) -> None:
    path = make_jpeg(tmp_path / "xmp_dates.jpg", (64, 48))
    exiftool(path, "-XMP-xmp:CreateDate=2011:02:03 04:05:06",
             "-XMP-photoshop:DateCreated=2010:01:02 03:04:05-05:00")  # fmt: skip
    exif = read(path)
    assert exif.date_taken == datetime(2010, 1, 2, 3, 4, 5)
    assert exif.offset_time == "-05:00"


@needs_exiftool
def test_exif_digitized_date_comes_before_xmp(tmp_path) -> None:
    path = make_jpeg(tmp_path / "digitized.jpg", (64, 48))
    exiftool(path, "-ExifIFD:CreateDate=2007:07:07 07:07:07", "-XMP-xmp:CreateDate=2011:01:01")
    assert read(path).date_taken == datetime(2007, 7, 7, 7, 7, 7)


@needs_exiftool
def test_apex_aperture_and_shutter_when_fnumber_and_exposure_are_missing(tmp_path) -> None:
    path = make_jpeg(tmp_path / "apex.jpg", (64, 48))
    exiftool(path, "-ApertureValue=5.6", "-ShutterSpeedValue=1/125")  # exiftool writes APEX
    exif = read(path)
    assert exif.aperture == pytest.approx(5.6, abs=0.05)
    assert exif.exposure_time_s == pytest.approx(1 / 125, rel=0.02)
    assert exif.exposure_display == "1/125"


@needs_exiftool
def test_lens_only_in_xmp(tmp_path) -> None:
    path = make_jpeg(tmp_path / "xmp_lens.jpg", (64, 48), exif={0x010F: "Canon", 0x0110: "X"})
    exiftool(path, "-XMP-aux:Lens=EF24-70mm f/2.8L USM")
    assert lens_of(read(path)) == "Canon EF24-70mm f/2.8L USM"


@needs_exiftool
def test_35mm_from_the_sensor_size_in_exif(tmp_path) -> None:
    path = make_jpeg(tmp_path / "sensor.jpg", (300, 200))
    # an APS-C sensor (23.6 x 15.7 mm) at 3000 x 2000 pixels, a 35 mm lens
    exiftool(path, "-FocalLength=35", "-ExifImageWidth=3000", "-ExifImageHeight=2000",
             "-FocalPlaneXResolution=3228.8", "-FocalPlaneYResolution=3235.7",
             "-FocalPlaneResolutionUnit=inches")  # fmt: skip
    assert read(path).focal_length_35mm == pytest.approx(53, abs=1)


def _resized_g9(tmp_path: Path, model: str) -> Path:
    """The corpus' Canon PowerShot G9 16:10 shot (exif-samples jpg/tests/33-type_error.jpg):
    2560 x 1600 with the EXIF FocalPlaneXResolution of that size, which describes a sensor
    smaller than the G9's 1/1.7" one; no MakerNote, no FocalLengthIn35mmFormat."""
    return _with_makernote(tmp_path, "g9.jpg", "Canon", model, {
        "Exif.Photo.FocalLength": "74/10",
        "Exif.Photo.PixelXDimension": exiv2.ULongValue(2560),
        "Exif.Photo.PixelYDimension": exiv2.ULongValue(1600),
        "Exif.Photo.FocalPlaneXResolution": "4000000/291",
        "Exif.Photo.FocalPlaneYResolution": "3000000/219",
        "Exif.Photo.FocalPlaneResolutionUnit": exiv2.UShortValue(2),
    })  # fmt: skip


def test_35mm_of_a_known_body_comes_from_its_sensor_not_the_resized_resolution(tmp_path) -> None:
    # exiftool: ScaleFactor35efl 4.7, 35 mm equivalent 34.6 (the resolution alone says 57)
    assert read(_resized_g9(tmp_path, "Canon PowerShot G9")).focal_length_35mm == 34
    # an unknown body keeps exiftool's computation from the resolution
    assert read(_resized_g9(tmp_path, "Canon PowerShot Z99")).focal_length_35mm == 57


def test_35mm_of_a_thumbnail_sized_copy_of_a_known_body() -> None:
    exif = read(DATA / "Canon_40D.jpg")  # 100 x 68 px: the resolution gives nonsense
    assert exif.focal_length_mm == 135.0
    assert exif.focal_length_35mm == 218  # APS-C, crop 1.6 (exiftool: 218.5)


def test_the_sensor_table_knows_bodies_as_cameras_write_them() -> None:
    from catalog.ingest.sensors import SENSORS, sensor_diagonal_mm

    assert sensor_diagonal_mm("NIKON  D70") == pytest.approx(28.4, abs=0.1)
    assert sensor_diagonal_mm("Canon EOS 5D Mark III") == pytest.approx(43.27, abs=0.01)
    assert sensor_diagonal_mm("Canon PowerShot S110") is None  # two bodies share that name
    assert sensor_diagonal_mm(None) is None
    for body, (width, height) in SENSORS.items():
        assert 1 < width / height <= 1.51, body  # landscape, 4:3 to 3:2
        assert 1.0 <= 43.27 / math.hypot(width, height) <= 8.0, body


@needs_exiftool
def test_the_sensor_table_agrees_with_exiftool_on_every_corpus_body(corpus: Path) -> None:
    from catalog.ingest.sensors import sensor_diagonal_mm

    paths = [p for p in [*corpus.rglob("*.jpg"), *DATA.glob("*.jp*g")]]
    out = subprocess.run([EXIFTOOL or "exiftool", "-q", "-q", "-j", "-n", "-Model",
                          "-ScaleFactor35efl", *map(str, paths)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    checked = 0
    for row in json.loads(out.stdout or "[]"):
        diagonal = sensor_diagonal_mm(str(row.get("Model", "")))
        if diagonal and row.get("ScaleFactor35efl"):
            checked += 1
            assert 43.27 / diagonal == pytest.approx(row["ScaleFactor35efl"], rel=0.04), row
    assert checked >= 3


def test_xmp_and_iptc_are_kept_in_the_raw_copy() -> None:
    exif = read(DATA / "long_description.jpg")
    assert exif.raw["Xmp"]["Xmp.photoshop.DateCreated"] == "2003-08-31"
    assert exif.date_taken == datetime(2003, 8, 31)  # not IFD0's ModifyDate, 2008-07-31
    assert exif.date_precision == "day"  # a day, not midnight


def test_a_photo_without_the_bytes_still_reads_standard_exif() -> None:
    with Image.open(DATA / "Nikon_D70.jpg") as image:
        assert read_exif(image).iso == 200


# --- colour: Adobe RGB marked only in EXIF ---------------------------------------------------


def _adobe_rgb_jpeg(path: Path, srgb_colour: tuple[int, int, int]) -> None:
    """A flat patch whose numbers are ``srgb_colour`` converted to Adobe RGB, saved with NO
    profile: what a camera set to Adobe RGB writes."""
    from PIL import ImageCms

    from catalog.ingest.imaging import ADOBE_RGB_ICC

    patch = Image.new("RGB", (96, 64), srgb_colour)
    adobe = ImageCms.ImageCmsProfile(str(ADOBE_RGB_ICC))
    converted = ImageCms.profileToProfile(patch, ImageCms.createProfile("sRGB"), adobe)
    assert converted is not None
    converted.save(path, "JPEG", quality=98)


def _thumb_colour(path: Path) -> tuple[int, ...]:
    result = process_file(FileTask(str(path), skip_if_known=False), frozenset())
    assert isinstance(result, Processed), result
    with Image.open(io.BytesIO(result.thumbnails[300])) as thumb:
        assert thumb.getexif().get_ifd(0x8769).get(0xA001) == 1  # tagged sRGB
        return thumb.convert("RGB").resize((1, 1)).getpixel((0, 0))


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


@needs_exiftool
def test_uncalibrated_adobe_rgb_is_converted_to_srgb(tmp_path) -> None:
    green = (40, 200, 60)  # saturated: Adobe RGB's numbers for it differ a lot from sRGB's
    marked, plain = tmp_path / "marked.jpg", tmp_path / "plain.jpg"
    _adobe_rgb_jpeg(marked, green)
    _adobe_rgb_jpeg(plain, green)
    exiftool(marked, "-ExifIFD:ColorSpace#=65535", "-InteropIndex=R03")
    exiftool(plain, "-ExifIFD:ColorSpace#=65535")  # uncalibrated, but no DCF Adobe RGB mark
    assert read(marked).colour_space == "Adobe RGB"
    assert _distance(_thumb_colour(marked), green) <= 6
    assert _distance(_thumb_colour(plain), green) > 20  # numbers shown as they are


# --- the whole corpus against exiftool (bench/exiftool_compare.py prints the full table) ---


def _exiftool_tags(paths: list[Path]) -> dict[str, dict]:
    out = subprocess.run([EXIFTOOL or "exiftool", "-q", "-q", "-j", "-G1", "-n",
                          "-ExifIFD:all", "-XMP-photoshop:DateCreated", "-XMP-xmp:CreateDate",
                          "-IPTC:DateCreated", "-IPTC:TimeCreated", *map(str, paths)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return {str(Path(row["SourceFile"])): row for row in json.loads(out.stdout or "[]")}


def _expected_date(tags: dict) -> datetime | None:
    from catalog.ingest.fallbacks import parse_date

    for key in ("ExifIFD:DateTimeOriginal", "ExifIFD:CreateDate", "XMP-photoshop:DateCreated",
                "XMP-xmp:CreateDate"):  # fmt: skip
        date = parse_date(str(tags.get(key) or ""))
        if date is not None:
            return date
    day = tags.get("IPTC:DateCreated")
    return parse_date(f"{day} {tags.get('IPTC:TimeCreated', '')}") if day else None


@needs_exiftool
def test_corpus_dates_isos_and_apertures_agree_with_exiftool(corpus: Path) -> None:
    from catalog.ingest.validate import open_image

    paths = sorted(p for p in (corpus / "jpg").rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    tools = _exiftool_tags(paths)
    dates = dated = wrong = 0
    for path in paths:
        data = path.read_bytes()
        exif = read_exif(open_image(path, data), data)
        tags = tools.get(str(path), {})
        expected = _expected_date(tags)
        if expected is not None:
            dated += 1
            dates += exif.date_taken == expected
            assert exif.date_taken in (expected, None), path.name  # never a wrong date
        iso = tags.get("ExifIFD:ISO")
        if iso and exif.iso and iso < 65535:
            wrong += exif.iso != int(iso)
        f_number = tags.get("ExifIFD:FNumber")
        if f_number and exif.aperture:
            wrong += abs(exif.aperture - float(f_number)) > 0.05
    assert dated >= 10, "too few dated files to judge"
    assert dates >= 0.9 * dated and wrong == 0  # the goal: 90% of what exiftool reads
