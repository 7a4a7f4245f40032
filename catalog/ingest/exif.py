"""Stage 4: EXIF, read once from the already-opened image, parsed with care for oddities.

Pillow parses the EXIF while it reads the header we need anyway, so this costs nothing
extra (exifread re-parses the bytes: see docs/performance/ingest.md). Every value is made
JSON-safe for the raw copy; parsed fields survive zero denominators, NULs, bad encodings
and missing tags by becoming ``None``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from PIL import ExifTags, Image, TiffImagePlugin

from catalog.exposure import exposure_display
from catalog.ingest import fallbacks
from catalog.ingest.fallbacks import parse_date
from catalog.ingest.metadata import ExtraMetadata, read_metadata
from catalog.ingest.tasks import ExifFields as ExifFields  # a worker's result: light to unpickle

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
INTEROP_IFD = 0xA005
MAX_BLOB_BYTES = 16 * 1024  # a MakerNote beyond this is kept truncated, with its length

_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


def read_exif(image: Image.Image, data: bytes | bytearray | None = None) -> ExifFields:
    """Parse ``image``'s EXIF (any format Pillow reads); a broken block gives empty fields.

    With the file's ``data``, exiv2 adds what Pillow cannot read: the lens and ISO from the
    MakerNote, and XMP and IPTC (dates, GPS, lens) where EXIF has none."""
    extra = read_metadata(data) if data is not None else ExtraMetadata()
    try:
        exif = image.getexif()
        ifd0 = dict(exif)
        sub = _ifd(exif, EXIF_IFD)
        gps = _ifd(exif, GPS_IFD)
        interop = _ifd(exif, INTEROP_IFD) if INTEROP_IFD in sub else {}
    except Exception:  # noqa: BLE001 - a corrupt EXIF block must not fail the photo
        ifd0, sub, gps, interop = {}, {}, {}, {}
    return exif_fields(ifd0, sub, gps, interop, extra, image.size)


def exif_fields(
    ifd0: dict[int, Any],
    sub: dict[int, Any],
    gps: dict[int, Any],
    interop: dict[int, Any],
    extra: ExtraMetadata,
    size: tuple[int, int],
) -> ExifFields:
    """The fields and raw copy from EXIF's IFDs (as Pillow gives them: tag -> value) and
    exiv2's reading; shared with RAW files, whose IFDs come from exiv2."""
    raw = {
        "Image": _named(ifd0, ExifTags.TAGS),
        "Exif": _named(sub, ExifTags.TAGS),
        "GPS": _named(gps, ExifTags.GPSTAGS),
        "Interop": _named(interop, ExifTags.TAGS),
        "MakerNote": extra.makernote,
        "Xmp": extra.xmp,
        "Iptc": extra.iptc,
        "PictureInfo": extra.picture_info,
    }
    fields = _parse(ifd0, sub, gps, {k: v for k, v in raw.items() if v})
    return _complete(fields, sub, interop, extra, size)


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:  # noqa: BLE001 - one bad sub-IFD loses only that IFD
        return {}


def _parse(ifd0: dict[int, Any], sub: dict[int, Any], gps: dict[int, Any], raw: dict) -> ExifFields:
    exposure = number(sub.get(0x829A))
    date = parse_date(text(sub.get(0x9003))) or parse_date(text(sub.get(0x9004)))
    return ExifFields(
        make=text(ifd0.get(0x010F)),
        model=text(ifd0.get(0x0110)),
        lens_make=text(sub.get(0xA433)),
        lens_model=text(sub.get(0xA434)),
        lens_specification=_spec(sub.get(0xA432)),
        focal_length_mm=positive(number(sub.get(0x920A))),
        focal_length_35mm=positive(number(sub.get(0xA405))),
        aperture=positive(number(sub.get(0x829D))),
        exposure_time_s=positive(exposure),
        exposure_display=exposure_display(exposure),
        iso=_iso(sub.get(0x8827)),
        date_taken=date,
        offset_time=_offset(text(sub.get(0x9011)) or text(sub.get(0x9010))) if date else None,
        orientation=_orientation(ifd0.get(0x0112)),
        gps_latitude=_triple(gps.get(2)),
        gps_latitude_ref=text(gps.get(1)),
        gps_longitude=_triple(gps.get(4)),
        gps_longitude_ref=text(gps.get(3)),
        gps_altitude_m=_altitude(gps.get(6), gps.get(5)),
        gps_altitude_ref=None if gps.get(5) is None else str(_first_int(gps.get(5))),
        raw=raw,
    )


def _complete(
    fields: ExifFields,
    sub: dict[int, Any],
    interop: dict[int, Any],
    extra: ExtraMetadata,
    size: tuple[int, int],
) -> ExifFields:
    """Fill what standard EXIF left empty from exiv2's MakerNote, XMP and IPTC reading."""
    changes: dict[str, Any] = {}
    if fields.make is None and fields.model is None:
        changes["make"] = extra.printed.get("Exif.Image.Make")
        changes["model"] = extra.printed.get("Exif.Image.Model")
    current = fields.lens_model
    if not current or _NO_LENS.match(current) or _SPEC.match(current):
        # none, or only a spec ("18.0-70.0 mm f/3.5-4.5"): a MakerNote's name is better
        focal_mm = fields.focal_length_mm or extra.numbers.get("Exif.Photo.FocalLength")
        lens = fallbacks.lens_name(extra, focal_mm)
        spec_for_spec = current and _SPEC.match(current) and lens and _SPEC.match(lens)
        if lens is not None and not spec_for_spec:
            changes["lens_model"] = lens
    if fields.iso is None:
        changes["iso"] = fallbacks.iso(extra)
    if fields.aperture is None:
        changes["aperture"] = fallbacks.aperture(extra)
    exposure = fields.exposure_time_s
    if exposure is None:
        exposure = fallbacks.exposure(extra)
        changes["exposure_time_s"] = exposure
        changes["exposure_display"] = exposure_display(exposure)
    focal = fields.focal_length_mm or extra.numbers.get("Exif.Photo.FocalLength")
    if fields.focal_length_mm is None and focal:
        changes["focal_length_mm"] = positive(focal)
    if fields.focal_length_35mm is None:
        model = fields.model or extra.printed.get("Exif.Image.Model")
        changes["focal_length_35mm"] = fallbacks.focal_35mm(extra, focal, size, model)
    if fields.date_taken is None:
        date, offset, precision = fallbacks.date_taken(extra)
        changes["date_taken"], changes["offset_time"] = date, offset
        changes["date_precision"] = precision
    if fields.gps_latitude is None and fields.gps_longitude is None:
        changes.update(fallbacks.xmp_gps(extra.xmp))
    colour = sub.get(0xA001)
    index = text(interop.get(1)) or extra.printed.get("Exif.Iop.InteroperabilityIndex")
    if _first_int(colour) == 0xFFFF and (index or "").upper().startswith("R03"):
        changes["colour_space"] = "Adobe RGB"
    return replace(fields, **{k: v for k, v in changes.items() if v is not None})


_NO_LENS = re.compile(r"^(?:-+|0|n/?a|none|unknown.*)$", re.IGNORECASE)
_SPEC = re.compile(r"^[\d.\s\-]*mm(?:\s*f/?[\d.\s\-]+)?$", re.IGNORECASE)  # no name in it


def text(value: Any) -> str | None:
    """A clean string: NULs and padding gone, bytes decoded leniently; empty -> None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    cleaned = "".join(c for c in value.split("\x00", 1)[0] if c.isprintable()).strip()
    return cleaned or None


def number(value: Any) -> float | None:
    """A finite float from a rational, int or 1-tuple; zero denominators give ``None``."""
    if isinstance(value, tuple | list):
        value = value[0] if len(value) == 1 else None
    try:
        result = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) else None


def positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def _offset(value: str | None) -> str | None:
    return value if value and _OFFSET.match(value) else None


def _orientation(value: Any) -> int:
    result = _first_int(value)
    return result if result is not None and 1 <= result <= 8 else 1


def _iso(value: Any) -> int | None:
    result = _first_int(value)
    return result if result and result > 0 else None


def _first_int(value: Any) -> int | None:
    if isinstance(value, bytes):
        value = value[0] if value else None
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    try:
        return int(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _triple(value: Any) -> tuple[float, ...] | None:
    if not isinstance(value, tuple | list) or not value:
        return None
    numbers = tuple(number(v) for v in value)
    return None if any(n is None for n in numbers) else numbers  # type: ignore[return-value]


def _spec(value: Any) -> tuple[float, float, float, float] | None:
    triple = _triple(value)
    return triple if triple is not None and len(triple) == 4 else None


def _altitude(value: Any, ref: Any) -> float | None:
    metres = number(value)
    if metres is None:
        return None
    return -metres if _first_int(ref) == 1 else metres


def _named(tags: dict[int, Any], names: dict[int, str]) -> dict[str, Any]:
    """Tag names (or ``0x....`` when unknown) to JSON-safe values."""
    return {
        names.get(tag, f"0x{tag:04x}"): json_safe(value)
        for tag, value in tags.items()
        if tag not in (EXIF_IFD, GPS_IFD, INTEROP_IFD)
    }


def json_safe(value: Any) -> Any:
    """Rationals as [num, den], bytes as text or hex, anything else as str."""
    if isinstance(value, TiffImagePlugin.IFDRational):
        return [value.numerator, value.denominator]
    if isinstance(value, bool | int | str) or value is None:
        return value.replace("\x00", "") if isinstance(value, str) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bytes):
        return _bytes(value)
    if isinstance(value, tuple | list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return str(value)


def _bytes(value: bytes) -> str:
    stripped = value.rstrip(b"\x00")
    if stripped and all(32 <= b < 127 for b in stripped):
        return stripped.decode("ascii")
    if len(value) > MAX_BLOB_BYTES:
        return f"hex:{value[:MAX_BLOB_BYTES].hex()}…({len(value)} bytes)"
    return f"hex:{value.hex()}"
