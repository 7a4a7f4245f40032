"""GPS coordinates from EXIF, with the hemisphere references read carefully.

A sign flipped by a sloppy ref puts American photos in Asia. So refs are trimmed and
upper-cased, and a missing or unreadable ref (or value) yields no coordinates and a flag
saying why; the raw values stay in the EXIF record, so the owner can fix them later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

_RATIO = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*/\s*(-?\d+(?:\.\d+)?)\s*$")
_REFS = {"latitude": ("N", "S", 90.0), "longitude": ("E", "W", 180.0)}


class _BadValue(ValueError):
    """A coordinate component that is not a number (zero denominator, junk text)."""


def _component(value: object) -> float:
    """One degrees/minutes/seconds part: a number, Fraction, exifread Ratio, (num, den)…"""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if isinstance(value, tuple | list) and len(value) == 2:  # (num, den); JSON keeps [num, den]
        value = _ratio(value[0], value[1])
    elif isinstance(value, str):
        match = _RATIO.match(value)
        value = _ratio(match.group(1), match.group(2)) if match else value.strip()
    elif hasattr(value, "num") and hasattr(value, "den"):
        value = _ratio(value.num, value.den)  # exifread's Ratio
    elif hasattr(value, "numerator") and hasattr(value, "denominator"):
        value = _ratio(value.numerator, value.denominator)  # Fraction, Pillow's IFDRational
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise _BadValue(str(value)) from exc
    if not math.isfinite(number):
        raise _BadValue(str(value))
    return number


def _ratio(num: object, den: object) -> float:
    numerator, denominator = float(num), float(den)  # type: ignore[arg-type]
    if denominator == 0:
        raise _BadValue(f"{num}/{den}")
    return float(Fraction(numerator) / Fraction(denominator))


def dms_to_degrees(dms: object) -> float:
    """Degrees from [deg, min, sec] (any of them rational), or from one number."""
    if isinstance(dms, str) and "," in dms:
        dms = [part for part in dms.strip("[] ").split(",")]
    is_ratio_pair = isinstance(dms, tuple) and len(dms) == 2  # (num, den), not (deg, min)
    if isinstance(dms, Sequence) and not isinstance(dms, str | bytes) and not is_ratio_pair:
        parts = [_component(v) for v in dms]
    else:
        parts = [_component(dms)]
    if not parts or len(parts) > 3:
        raise _BadValue(repr(dms))
    degrees, minutes, seconds = (parts + [0.0, 0.0])[:3]
    sign = -1.0 if degrees < 0 else 1.0
    return sign * (abs(degrees) + abs(minutes) / 60.0 + abs(seconds) / 3600.0)


def clean_ref(ref: object) -> str:
    """A hemisphere ref as text: NULs and spaces trimmed, upper-cased ("n\\x00 " → "N")."""
    if ref is None:
        return ""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", errors="replace")
    if isinstance(ref, list | tuple) and ref:
        ref = ref[0]
    return str(ref).replace("\x00", " ").strip().upper()


def _signed(axis: str, dms: object, ref: object) -> tuple[float | None, str | None]:
    """One signed coordinate, or None and the reason it cannot be trusted."""
    positive, negative, limit = _REFS[axis]
    if dms is None or (isinstance(dms, str | bytes | list | tuple) and len(dms) == 0):
        return None, f"missing GPS {axis}"
    try:
        value = dms_to_degrees(dms)
    except _BadValue:
        return None, f"invalid GPS {axis}"
    text = clean_ref(ref)
    if text in ("NORTH", "SOUTH", "EAST", "WEST"):
        text = text[0]
    if abs(value) > limit:
        return None, f"GPS {axis} out of range"
    if value == 0.0:
        return 0.0, None  # the equator and the meridian need no hemisphere
    if not text:
        return None, f"missing GPS {axis} ref"
    if text not in (positive, negative):
        return None, f"invalid GPS {axis} ref {text[:8]!r}"
    if value < 0:  # a signed value and a ref: trust the ref, which EXIF defines
        value = -value
    return (-value if text == negative else value), None


def parse_gps(
    lat_dms: object, lat_ref: object, lon_dms: object, lon_ref: object
) -> tuple[float | None, float | None, str | None]:
    """(latitude, longitude, flag). Both are None with a flag when either is doubtful;
    both None and no flag when the photo simply has no GPS."""
    if _is_empty(lat_dms) and _is_empty(lon_dms):
        return None, None, None
    latitude, lat_flag = _signed("latitude", lat_dms, lat_ref)
    longitude, lon_flag = _signed("longitude", lon_dms, lon_ref)
    flag = lat_flag or lon_flag
    if flag is not None:
        return None, None, flag
    if latitude == 0.0 and longitude == 0.0:
        return None, None, "GPS at 0,0 (no fix)"
    return latitude, longitude, None


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str | bytes | list | tuple) and len(value) == 0)
