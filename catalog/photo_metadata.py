"""Everything the catalog knows about one photo, as labelled text for a metadata panel.

The parsed fields come from a :class:`~catalog.rows.PhotoRow`, formatted as photographers
write them (:mod:`catalog.exposure`); the raw EXIF / XMP / IPTC tree is the JSON kept beside
them at import. No Qt here: the desktop shows these, the CLI or tests may print them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.exposure import aperture_text, exposure_text, focal_text
from catalog.models import ExifData
from catalog.rows import PhotoRow
from catalog.taken import taken_text

_ORIENTATIONS = {
    1: "Normal", 2: "Mirrored", 3: "Rotated 180°", 4: "Mirrored vertically",
    5: "Mirrored, rotated 90° anticlockwise", 6: "Rotated 90° clockwise",
    7: "Mirrored, rotated 90° clockwise", 8: "Rotated 90° anticlockwise",
}  # fmt: skip


def raw_metadata(catalog: Catalog, photo_id: str) -> dict[str, Any]:
    """The raw EXIF / XMP / IPTC tree stored at import ({} when none or unreadable)."""
    with catalog.reading() as session:
        text = session.scalar(select(ExifData.raw).where(ExifData.photo_id == photo_id))
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {"value": value}


def size_text(n_bytes: int) -> str:
    """``4.2 MB``, ``812 KB``: decimal units, as file managers show them."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes} bytes"


def coordinates_text(latitude: float | None, longitude: float | None) -> str:
    """``43.46321° N, 11.88000° E`` (five decimals: about a metre)."""
    if latitude is None or longitude is None:
        return ""
    ns = "N" if latitude >= 0 else "S"
    ew = "E" if longitude >= 0 else "W"
    return f"{abs(latitude):.5f}° {ns}, {abs(longitude):.5f}° {ew}"


def parsed_fields(row: PhotoRow) -> list[tuple[str, str]]:
    """Every parsed field worth showing, in the order a photographer reads them."""
    path = Path(row.source_path)
    megapixels = (row.width or 0) * (row.height or 0) / 1e6
    dimensions = (
        f"{row.width:,} × {row.height:,} ({megapixels:.1f} MP)" if row.width and row.height else ""
    )
    focal = focal_text(row.focal_length)
    if (
        focal
        and row.focal_length_35mm
        and round(row.focal_length_35mm) != round(row.focal_length or 0)
    ):
        focal += f" ({focal_text(row.focal_length_35mm)} in 35 mm)"
    taken = taken_text(row.date_taken, row.date_taken_precision, "%-d %b %Y, %H:%M:%S", "%-d %b %Y")
    if taken and row.date_taken_offset:
        taken += f" (UTC{row.date_taken_offset})"
    fields = [
        ("File name", path.name),
        ("Folder", str(path.parent)),
        ("File size", size_text(row.file_size) if row.file_size else ""),
        ("Format", row.format or ""),
        ("Dimensions", dimensions),
        ("Camera", row.camera or ""),
        ("Lens", row.lens or ""),
        ("Focal length", focal),
        ("Aperture", aperture_text(row.aperture)),
        ("Exposure", exposure_text(row.exposure)),
        ("ISO", str(row.iso) if row.iso else ""),
        ("Date taken", taken),
        ("Orientation", _ORIENTATIONS.get(row.orientation or 0, "")),
        ("Position", coordinates_text(row.latitude, row.longitude)),
        ("Status", row.state),
    ]
    return [(label, value) for label, value in fields if value]


def place_lines(row: PhotoRow) -> list[tuple[str, str]]:
    """The place hierarchy (country, region, city) and the coordinates, where known."""
    lines = [
        ("Country", row.country_code or ""),
        ("Region", row.region or ""),
        ("City", row.city or ""),
        ("Coordinates", coordinates_text(row.latitude, row.longitude)),
    ]
    return [(label, value) for label, value in lines if value]


def leaf_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(leaf_text(v) for v in value)
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"  # a thumbnail blob stays short
