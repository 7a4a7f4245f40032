"""What Pillow cannot read: MakerNotes, XMP and IPTC, through libexiv2 (what digiKam uses).

Pillow hands us EXIF's standard tags for free while it parses the header, but a camera puts
its lens, and a compact its ISO, in the maker's private MakerNote, and editors put dates and
GPS in XMP or IPTC. exiv2 decodes all three from the bytes already in memory (~1 ms a photo,
no copy). Only the few MakerNote tags we use are looked up; XMP and IPTC are kept whole for
the raw copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import exiv2

from catalog.ingest import canon_makernote
from catalog.ingest.picture_info import read_picture_info

exiv2.LogMsg.setLevel(exiv2.LogMsg.Level.mute)  # a damaged MakerNote is not the user's news
log = logging.getLogger(__name__)

MAX_VALUE_CHARS = 2000  # an XMP history or embedded thumbnail is kept truncated

# MakerNote and standard tags, as exiv2 names them, looked up by key (exiv2 prints the lens
# name from its lens tables: Canon LensType 0x0089 -> "Canon EF-S 18-55mm f/3.5-5.6 IS").
LENS_KEYS = (
    "Exif.Photo.LensModel",
    "Exif.Canon.LensModel",
    "Exif.CanonCs.LensType",
    "Exif.NikonLd4.LensIDNumber",
    "Exif.NikonLd3.LensIDNumber",
    "Exif.NikonLd2.LensIDNumber",
    "Exif.NikonLd1.LensIDNumber",
    "Exif.OlympusEq.LensType",
    "Exif.OlympusEq.LensModel",
    "Exif.Pentax.LensType",
    "Exif.PentaxDng.LensType",
    "Exif.Sony2.LensID",
    "Exif.Sony1.LensID",
    "Exif.Sony2.LensSpec",
    "Exif.Sony1.LensSpec",
    "Exif.Minolta.LensID",
    "Exif.Panasonic.LensType",
    "Exif.Samsung2.LensType",
    "Exif.Sigma.LensRange",
    "Exif.Nikon3.Lens",  # a lens spec, "28-300mm F3.5-5.6": last, as a name of last resort
    "Exif.CanonCs.Lens",  # a compact's zoom range, "7.4 - 22.2 mm", as Lightroom shows it
)
ISO_KEYS = (
    "Exif.Photo.ISOSpeedRatings",
    "Exif.Photo.RecommendedExposureIndex",
    "Exif.CanonCs.ISOSpeed",
    "Exif.CanonSi.ISOSpeed",
    "Exif.Nikon3.ISOSpeed",
    "Exif.Nikon1.ISOSpeed",
    "Exif.Olympus2.ISOSpeed",
    "Exif.Olympus.ISOSpeed",
    "Exif.Pentax.ISO",
    "Exif.Casio2.ISO",
    "Exif.Casio.ISO",
)
NUMBER_KEYS = (
    "Exif.Photo.FNumber",
    "Exif.Photo.ApertureValue",
    "Exif.Photo.ExposureTime",
    "Exif.Photo.ShutterSpeedValue",
    "Exif.Photo.FocalLength",
    "Exif.Photo.FocalLengthIn35mmFilm",
    "Exif.Photo.FocalPlaneXResolution",
    "Exif.Photo.FocalPlaneYResolution",
    "Exif.Photo.FocalPlaneResolutionUnit",
    "Exif.Photo.PixelXDimension",
    "Exif.Photo.PixelYDimension",
    "Exif.Photo.ColorSpace",
    "Exif.CanonSi.AutoISO",
    "Exif.Fujifilm.MinFocalLength",
    "Exif.Fujifilm.MaxFocalLength",
    "Exif.Fujifilm.MaxApertureAtMinFocal",
    "Exif.Fujifilm.MaxApertureAtMaxFocal",
    "Exif.OlympusEq.FocalPlaneDiagonal",
    "Exif.Olympus.FocalPlaneDiagonal",
)
CANON_FOCAL = "Exif.Canon.FocalLength"  # [type, focal, sensor width, height in 1/1000 inch]
TEXT_KEYS = (
    "Exif.Image.Make",
    "Exif.Image.Model",
    "Exif.Photo.DateTimeOriginal",
    "Exif.Photo.DateTimeDigitized",
    "Exif.Photo.OffsetTimeOriginal",
    "Exif.Iop.InteroperabilityIndex",
)


_WANTED = frozenset((*LENS_KEYS, *ISO_KEYS, *NUMBER_KEYS, *TEXT_KEYS, CANON_FOCAL))
_NUMERIC = frozenset((*ISO_KEYS, *NUMBER_KEYS))


@dataclass(frozen=True)
class ExtraMetadata:
    """exiv2's reading: the EXIF/MakerNote tags we use (printed, as exiv2 interprets them,
    and as numbers where they are numbers), and all of XMP and IPTC by key."""

    printed: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    xmp: dict[str, str] = field(default_factory=dict)
    iptc: dict[str, str] = field(default_factory=dict)
    makernote: dict[str, str] = field(default_factory=dict)  # the MakerNote tags we used
    picture_info: dict[str, str] = field(default_factory=dict)  # Olympus' APP12 text

    def first_printed(self, keys: tuple[str, ...]) -> tuple[str, str] | None:
        """The first of ``keys`` exiv2 has a value for, with that value."""
        for key in keys:
            value = self.printed.get(key)
            if value:
                return key, value
        return None


def read_metadata(data: bytes | bytearray) -> ExtraMetadata:
    """exiv2's view of ``data``; a file exiv2 cannot parse gives empty metadata, never a raise
    (Pillow's reading still stands)."""
    head = _metadata_part(data)
    info = read_picture_info(head)
    try:
        image = exiv2.ImageFactory.open(canon_makernote.repair(head))
        image.readMetadata()
    except Exception as exc:  # noqa: BLE001 - exiv2 raises its own error for any damage
        log.debug("exiv2 could not read the metadata: %s", exc)
        return ExtraMetadata(picture_info=info)
    try:
        return replace(_extract(image), picture_info=info)
    except Exception as exc:  # noqa: BLE001 - one odd tag must not lose the photo
        log.debug("exiv2 metadata skipped: %s", exc)
        return ExtraMetadata(picture_info=info)


def _metadata_part(data: bytes | bytearray) -> bytes | bytearray:
    """A JPEG's segments before its first scan, closed with EOI: all its metadata, without
    handing exiv2 the ~10 MB of a 24 MP photo's pixels (which cost ~4 ms a photo there)."""
    if data[:2] != b"\xff\xd8":
        return data
    position, size = 2, len(data)
    while position + 4 <= size and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the metadata is all behind us
            return bytes(data[:position]) + b"\xff\xd9"
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return data  # an odd layout: let exiv2 walk it


def _extract(image: exiv2.Image) -> ExtraMetadata:
    exif = image.exifData()
    printed: dict[str, str] = {}
    numbers: dict[str, float] = {}
    for datum in exif:  # one pass: findKey() searches the list afresh for every key
        name = datum.key()
        if name not in _WANTED:
            continue
        if name == CANON_FOCAL:
            numbers.update(_canon_sensor(datum))
            continue
        text = _clean(datum.print(exif))
        if text:
            printed[name] = text
        if name in _NUMERIC:
            number = _number(datum)
            if number is not None:
                numbers[name] = number
    standard = ("Exif.Photo.", "Exif.Image.", "Exif.Iop.")
    makernote = {k: v for k, v in printed.items() if not k.startswith(standard)}
    xmp = {d.key(): _clip(d.toString()) for d in image.xmpData()}
    iptc: dict[str, str] = {}
    for datum in image.iptcData():  # repeatable datasets (keywords) joined, not overwritten
        key, value = datum.key(), _clip(datum.toString())
        iptc[key] = f"{iptc[key]}; {value}" if key in iptc else value
    return ExtraMetadata(printed, numbers, xmp, iptc, makernote)


def _canon_sensor(datum: exiv2.Exifdatum) -> dict[str, float]:
    """A Canon's sensor size in mm, from its MakerNote's FocalLength array (exiftool's
    FocalPlaneX/YSize): what the 35 mm equivalent needs when EXIF's resolution is wrong."""
    if datum.count() < 4:
        return {}
    width, height = float(datum.toFloat(2)), float(datum.toFloat(3))
    if not 0 < height < width < 2 * height:  # a sensor is landscape, 4:3 to 3:2: else junk
        return {}
    return {"Canon.SensorWidthMm": width * 0.0254, "Canon.SensorHeightMm": height * 0.0254}


def _number(datum: exiv2.Exifdatum) -> float | None:
    try:
        if datum.count() < 1:
            return None
        value = float(datum.toFloat(0))
    except Exception:  # noqa: BLE001 - a string where a number belongs
        return None
    return value if value == value and abs(value) != float("inf") else None


def _clean(text: str) -> str:
    return " ".join("".join(c for c in text.split("\x00", 1)[0] if c.isprintable()).split())


def _clip(text: str) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= MAX_VALUE_CHARS else f"{text[:MAX_VALUE_CHARS]}…({len(text)} chars)"
