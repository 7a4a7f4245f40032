"""Where each field comes from when standard EXIF does not have it, in the order
photographers' tools (exiftool, Lightroom, digiKam) use: the camera's MakerNote first, then
what an editor wrote in XMP, then IPTC. Every function takes exiv2's reading
(:class:`~catalog.ingest.metadata.ExtraMetadata`) and gives ``None`` when nothing fits.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from catalog.ingest import picture_info, sensors
from catalog.ingest.metadata import ISO_KEYS as _ISO_KEYS
from catalog.ingest.metadata import LENS_KEYS, ExtraMetadata
from catalog.taken import DAY

_DATE = re.compile(
    r"(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?"
)
_DAY = re.compile(r"^\s*(\d{4})[:\-/.]?(\d{2})[:\-/.]?(\d{2})\s*$")
_ZONE = re.compile(r"(?:\d{2}(?:\.\d+)?)(Z|[+-]\d{1,2}:?\d{2})\s*$")
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*mm$")
_GPS = re.compile(r"^\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$")

# Lens text that names no lens: exiv2's "n/a", "Unknown Lens (0)", bare numbers, "None".
_NO_LENS = re.compile(r"^(?:n/?a|none|unknown.*|\(?-?[\d.\s]+\)?|-+|0x[0-9a-f]+)$", re.IGNORECASE)
# EXIF's own field (read here when Pillow missed it), then lens specs: weaker than names
_SPEC_KEYS = ("Exif.Photo.LensModel", "Exif.Nikon3.Lens", "Exif.CanonCs.Lens")
_XMP_LENS = ("Xmp.exifEX.LensModel", "Xmp.aux.Lens")
_DATE_XMP = ("Xmp.photoshop.DateCreated", "Xmp.xmp.CreateDate", "Xmp.exif.DateTimeOriginal")
_INCH_MM = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}  # EXIF FocalPlaneResolutionUnit
_FULL_FRAME_DIAGONAL_MM = math.hypot(36.0, 24.0)


def parse_date(value: str | None) -> datetime | None:
    """``2004:03:14 15:02:01``, ISO 8601 and their variants; a day alone (XMP and IPTC allow
    it) is that day at midnight (:func:`precision` says so); zero or impossible dates give
    ``None``."""
    match = _DATE.search(value or "")
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
    elif (day := _DAY.match(value or "")) is not None:
        parts = [int(p) for p in day.groups()]
    else:
        return None
    try:
        return datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None


def precision(value: str | None) -> str | None:
    """:data:`DAY` when ``value`` gives a day without a time ("2009-05-03"), else ``None``
    (to the second, or minute, as cameras write it)."""
    text = value or ""
    return DAY if _DATE.search(text) is None and _DAY.match(text) else None


def lens_name(extra: ExtraMetadata, focal_mm: float | None = None) -> str | None:
    """The lens the MakerNote names (exiv2 looks the maker's lens id up), else XMP's, else a
    lens spec from the MakerNote ("28-300mm F3.5-5.6", a compact's "7.4-22.2mm")."""
    named = tuple(k for k in LENS_KEYS if k not in _SPEC_KEYS)
    for value in (
        *(_one_lens(extra.printed.get(k), focal_mm) for k in named),
        *(extra.xmp.get(k) for k in _XMP_LENS),
        extra.printed.get(_SPEC_KEYS[0]),
        extra.printed.get(_SPEC_KEYS[1]),
        _zoom_range(extra.printed.get(_SPEC_KEYS[2])),
        _fujifilm_spec(extra.numbers),
    ):
        if value and not _NO_LENS.match(value.strip()):
            return value.strip()
    return None


def _one_lens(value: str | None, focal_mm: float | None) -> str | None:
    """exiv2 lists every lens that shares a maker's id ("A | B | C"): keep the one whose
    focal range holds the photo's focal length, or none when that does not settle it."""
    if not value or " | " not in value:
        return value
    fits = [name for name in value.split(" | ") if _holds(name, focal_mm)]
    return fits[0] if len(fits) == 1 else None


def _holds(name: str, focal_mm: float | None) -> bool:
    match = _FOCAL_IN_NAME.search(name)
    if match is None or focal_mm is None:
        return False
    low = float(match.group(1))
    high = float(match.group(2) or low)
    return low - 0.5 <= focal_mm <= high + 0.5


_FOCAL_IN_NAME = re.compile(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\s*mm", re.IGNORECASE)


def _fujifilm_spec(numbers: dict[str, float]) -> str | None:
    """A Fujifilm MakerNote's focal and aperture range as a lens spec: "18-55mm F2.8-4"."""
    low = numbers.get("Exif.Fujifilm.MinFocalLength")
    high = numbers.get("Exif.Fujifilm.MaxFocalLength") or low
    if not low or not high or not 0 < low <= high:
        return None
    focal = f"{low:g}mm" if low == high else f"{low:g}-{high:g}mm"
    wide = numbers.get("Exif.Fujifilm.MaxApertureAtMinFocal")
    tele = numbers.get("Exif.Fujifilm.MaxApertureAtMaxFocal") or wide
    if not wide or wide <= 0:
        return focal
    aperture = f"F{wide:g}" if tele is None or abs(tele - wide) < 0.05 else f"F{wide:g}-{tele:g}"
    return f"{focal} {aperture}"


def _zoom_range(value: str | None) -> str | None:
    """Canon's "7.4 - 22.2 mm" as "7.4-22.2mm"; nonsense ranges ("1.3 - 0.0 mm") dropped."""
    match = _RANGE.match(value or "")
    if not match:
        return None
    low, high = float(match.group(1)), float(match.group(2))
    if not 0 < low <= high:
        return None
    return f"{low:g}mm" if low == high else f"{low:g}-{high:g}mm"


def iso(extra: ExtraMetadata) -> int | None:
    """ISO from the MakerNote (Canon compacts write it nowhere else), else XMP."""
    for key in _ISO_KEYS:
        value = _float(extra.printed.get(key))
        if key == "Exif.CanonSi.ISOSpeed":
            value = _canon_iso(extra.numbers)
        if value is not None and 1 <= value < 65535:
            return round(value)
    value = _float(extra.xmp.get("Xmp.exif.ISOSpeedRatings", "").split(",")[0])
    return round(value) if value is not None and 1 <= value < 65535 else None


def _canon_iso(numbers: dict[str, float]) -> float | None:
    """A Canon compact's ISO from its shot info, as exiftool computes it: BaseISO =
    2^(raw/32) x 100/32, times AutoISO = 2^(raw/32) (0 = not recorded)."""
    base = numbers.get("Exif.CanonSi.ISOSpeed")
    if not base or base <= 0:
        return None
    auto = numbers.get("Exif.CanonSi.AutoISO") or 0.0
    return 2 ** (base / 32) * 100 / 32 * 2 ** (auto / 32)


def aperture(extra: ExtraMetadata) -> float | None:
    """The f-number: FNumber, else from the APEX ``ApertureValue`` (f = 2^(Av/2)), else XMP."""
    value = extra.numbers.get("Exif.Photo.FNumber")
    if value and value > 0:
        return value
    apex = extra.numbers.get("Exif.Photo.ApertureValue")
    if apex is not None and 0 <= apex < 32:
        return round(2 ** (apex / 2), 1)
    value = _float(extra.xmp.get("Xmp.exif.FNumber"))
    if value and value > 0:
        return value
    apex = _float(extra.xmp.get("Xmp.exif.ApertureValue"))
    if apex is not None and 0 <= apex < 32:
        return round(2 ** (apex / 2), 1)
    return picture_info.f_number(extra.picture_info)


def exposure(extra: ExtraMetadata) -> float | None:
    """Seconds: ExposureTime, else from the APEX ``ShutterSpeedValue`` (t = 2^-Tv), else XMP."""
    value = extra.numbers.get("Exif.Photo.ExposureTime")
    if value and value > 0:
        return value
    apex = extra.numbers.get("Exif.Photo.ShutterSpeedValue")
    if apex is not None and -20 < apex < 30:
        return 2 ** (-apex)
    value = _float(extra.xmp.get("Xmp.exif.ExposureTime"))
    return value if value and value > 0 else picture_info.exposure_s(extra.picture_info)


def focal_35mm(
    extra: ExtraMetadata, focal_mm: float | None, size: tuple[int, int], model: str | None = None
) -> float | None:
    """The 35 mm equivalent: XMP's, else the focal length times the crop factor of the
    sensor (see :func:`sensor_diagonal_mm`), as exiftool computes it."""
    value = _float(extra.xmp.get("Xmp.exif.FocalLengthIn35mmFilm"))
    if value and value > 0:
        return value
    if not focal_mm or focal_mm <= 0:
        return None
    diagonal = sensor_diagonal_mm(extra.numbers, size, model)
    if diagonal is None:
        return None
    return float(round(focal_mm * _FULL_FRAME_DIAGONAL_MM / diagonal))


def sensor_diagonal_mm(
    numbers: dict[str, float], size: tuple[int, int], model: str | None = None
) -> float | None:
    """The sensor's diagonal: Olympus says it; a Canon MakerNote gives width and height;
    else the body's known sensor (:mod:`catalog.ingest.sensors`); else pixels over EXIF's
    FocalPlaneX/YResolution (wrong in a resized or cropped copy, which is why a known body
    comes first; an implausible diagonal gives nothing rather than a guess)."""
    diagonal = numbers.get("Exif.OlympusEq.FocalPlaneDiagonal") or numbers.get(
        "Exif.Olympus.FocalPlaneDiagonal"
    )
    if not diagonal and "Canon.SensorWidthMm" in numbers:
        diagonal = math.hypot(numbers["Canon.SensorWidthMm"], numbers["Canon.SensorHeightMm"])
    if not diagonal:
        diagonal = sensors.sensor_diagonal_mm(model)
    if not diagonal:
        diagonal = _diagonal_from_resolution(numbers, size)
    return diagonal if diagonal and 3.0 <= diagonal <= 60.0 else None


def _diagonal_from_resolution(numbers: dict[str, float], size: tuple[int, int]) -> float | None:
    x_res = numbers.get("Exif.Photo.FocalPlaneXResolution")
    y_res = numbers.get("Exif.Photo.FocalPlaneYResolution") or x_res
    unit_mm = _INCH_MM.get(int(numbers.get("Exif.Photo.FocalPlaneResolutionUnit", 2)), 25.4)
    width = numbers.get("Exif.Photo.PixelXDimension") or size[0]
    height = numbers.get("Exif.Photo.PixelYDimension") or size[1]
    if not x_res or not y_res or x_res <= 0 or y_res <= 0 or width <= 0 or height <= 0:
        return None
    return math.hypot(width / x_res * unit_mm, height / y_res * unit_mm)


def date_taken(extra: ExtraMetadata) -> tuple[datetime | None, str | None, str | None]:
    """(date, UTC offset, precision) when EXIF has no DateTimeOriginal/DateTimeDigitized:
    exiv2's EXIF (Pillow may have missed a damaged IFD), then XMP ``photoshop:DateCreated``,
    ``xmp:CreateDate``, ``exif:DateTimeOriginal``, then IPTC DateCreated + TimeCreated, then
    an old Olympus' APP12 "[picture info]" TimeDate. Never ModifyDate: that is when an
    editor last saved the file. A day without a time
    (``photoshop:DateCreated`` "2009-05-03", an IPTC date without TimeCreated) keeps
    precision :data:`DAY`: midnight is where it sorts, not a time anyone saw."""
    for key in ("Exif.Photo.DateTimeOriginal", "Exif.Photo.DateTimeDigitized"):
        date = parse_date(extra.printed.get(key))
        if date is not None:
            return date, _offset(extra.printed.get("Exif.Photo.OffsetTimeOriginal")), None
    for key in _DATE_XMP:
        value = extra.xmp.get(key)
        date = parse_date(value)
        if date is not None:
            return date, _xmp_offset(value or ""), precision(value)
    day = extra.iptc.get("Iptc.Application2.DateCreated")
    if day:
        time = extra.iptc.get("Iptc.Application2.TimeCreated", "")
        date = parse_date(f"{day} {time[:8]}".strip())
        if date is not None:
            offset = _offset(time[8:]) if len(time) > 8 else None
            return date, offset, None if time.strip() else DAY
    return picture_info.taken(extra.picture_info), None, None


def _offset(value: str | None) -> str | None:
    return value if value and re.match(r"^[+-]\d{2}:\d{2}$", value) else None


def _xmp_offset(value: str) -> str | None:
    """The zone of an ISO 8601 time ("…T09:52:01-04:00" -> "-04:00", "Z" -> "+00:00")."""
    match = _ZONE.search(value) if "T" in value else None
    if match is None:
        return None
    zone = match.group(1)
    if zone == "Z":
        return "+00:00"
    sign, digits = zone[0], zone[1:].replace(":", "")
    return _offset(f"{sign}{int(digits[:-2]):02d}:{digits[-2:]}")


def xmp_gps(xmp: dict[str, str]) -> dict[str, object]:
    """GPS from XMP's ``exif:GPSLatitude`` ("48,51.5N" or "48,51,30N"), in the shape EXIF's
    GPS fields have (degrees, minutes, seconds and a reference letter)."""
    lat = _xmp_coordinate(xmp.get("Xmp.exif.GPSLatitude"))
    lon = _xmp_coordinate(xmp.get("Xmp.exif.GPSLongitude"))
    if lat is None or lon is None:
        return {}
    result: dict[str, object] = {
        "gps_latitude": lat[0],
        "gps_latitude_ref": lat[1],
        "gps_longitude": lon[0],
        "gps_longitude_ref": lon[1],
    }
    altitude = _float(xmp.get("Xmp.exif.GPSAltitude"))
    if altitude is not None:
        below = xmp.get("Xmp.exif.GPSAltitudeRef", "0").strip() == "1"
        result["gps_altitude_m"] = -altitude if below else altitude
    return result


def _xmp_coordinate(value: str | None) -> tuple[tuple[float, float, float], str] | None:
    match = _GPS.match(value or "")
    if not match:
        return None
    degrees, minutes, seconds, ref = match.groups()
    return (float(degrees), float(minutes), float(seconds or 0)), ref


def _float(value: str | None) -> float | None:
    """A number from exiv2's text: "100", "62.9961", XMP's rational "633985/100000"."""
    if not value:
        return None
    text = value.strip()
    try:
        if "/" in text:
            num, _, den = text.partition("/")
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None
