"""Fixing a flagged location: the raw GPS values read again with the hemisphere the owner
knows, or a position typed in. The file is never touched; the raw EXIF keeps what it said."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.errors import CatalogError, NotFoundError
from catalog.models import ExifData, Photo
from catalog.places.cities import resolve_city
from catalog.places.geocoder import reverse_geocode
from catalog.places.gps import parse_gps

OWNER_POSITION_KEY = "ExifTree:OwnerPosition"  # in the raw EXIF JSON: [latitude, longitude]


class PositionError(CatalogError):
    """A position the owner gave, or one re-read from raw EXIF, that cannot be used."""

    def __init__(self, photo_id: str, reason: str) -> None:
        super().__init__(f"photo {photo_id}: {reason}")
        self.photo_id = photo_id
        self.reason = reason


def _raw_gps(exif: ExifData) -> dict[str, object]:
    try:
        raw = json.loads(exif.raw or "{}")
    except ValueError:
        return {}
    gps = raw.get("GPS") if isinstance(raw, dict) else None
    return gps if isinstance(gps, dict) else {}


def _position(
    photo_id: str,
    exif: ExifData,
    position: tuple[float, float] | None,
    refs: tuple[str | None, str | None],
) -> tuple[float, float]:
    """The owner's position, else the raw values with the owner's refs standing in."""
    if position is not None:
        lat, lon, flag = parse_gps(abs(position[0]), "S" if position[0] < 0 else "N",
                                   abs(position[1]), "W" if position[1] < 0 else "E")  # fmt: skip
    else:
        gps = _raw_gps(exif)
        lat, lon, flag = parse_gps(
            gps.get("GPSLatitude"),
            refs[0] or gps.get("GPSLatitudeRef"),
            gps.get("GPSLongitude"),
            refs[1] or gps.get("GPSLongitudeRef"),
        )
    if flag is not None or lat is None or lon is None:
        raise PositionError(photo_id, flag or "no GPS position in its EXIF")
    return lat, lon


def fix_positions(
    catalog: Catalog,
    photo_ids: Sequence[str],
    *,
    position: tuple[float, float] | None = None,
    lat_ref: str | None = None,
    lon_ref: str | None = None,
) -> list[str]:
    """Set the coordinates of photos and clear their location flag; all or nothing.
    Run :func:`catalog.places.regeocode.geocode_photos` on the result to place them."""
    with catalog.writing() as session:
        rows = session.execute(
            select(Photo, ExifData)
            .join(ExifData, ExifData.photo_id == Photo.id)
            .where(Photo.id.in_(list(photo_ids)))
        ).all()
        found = {photo.id: (photo, exif) for photo, exif in rows}
        for photo_id in photo_ids:
            if photo_id not in found:
                raise NotFoundError("photo", photo_id)
            photo, exif = found[photo_id]
            lat, lon = _position(photo_id, exif, position, (lat_ref, lon_ref))
            exif.gps_latitude, exif.gps_longitude = lat, lon
            exif.raw = _with_owner_position(exif.raw, lat, lon)
            photo.location_flag = None
    return list(photo_ids)


def _with_owner_position(raw_json: str | None, lat: float, lon: float) -> str:
    """The raw EXIF JSON with the owner's position noted, so deriving the photo again from
    its file (``reprocess``, ``--force``) keeps it, as a ``shift-time`` is kept."""
    try:
        raw = json.loads(raw_json or "{}")
    except ValueError:
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    raw[OWNER_POSITION_KEY] = [lat, lon]
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def owner_position(raw_json: str | None) -> tuple[float, float] | None:
    """The position the owner gave a photo (``geocode --position`` or a ref fix), if any."""
    try:
        value = json.loads(raw_json or "{}").get(OWNER_POSITION_KEY)
        lat, lon = float(value[0]), float(value[1])
    except (ValueError, TypeError, AttributeError, IndexError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def keep_owner_position(
    session: Session, photo_id: str, values: dict[str, Any], exif_values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Photo and EXIF column values read again from the file, with the owner's position fix
    (kept in the photo's current raw EXIF) put back over the file's GPS, and its city."""
    current = session.scalar(select(ExifData.raw).where(ExifData.photo_id == photo_id))
    position = owner_position(current)
    if position is None:
        return values, exif_values
    lat, lon = position
    city_id: str | None
    locality = values.get("locality")
    try:
        place = reverse_geocode([position])[0]
        city_id, locality = resolve_city(session, place).id, place.locality
    except Exception:  # noqa: BLE001 - the fix stays even when the city cannot be named
        city_id = values.get("city_id")
    exif_values = {
        **exif_values,
        "gps_latitude": lat,
        "gps_longitude": lon,
        "raw": _with_owner_position(exif_values.get("raw"), lat, lon),
    }
    values = {**values, "city_id": city_id, "locality": locality, "location_flag": None}
    return values, exif_values
