"""The parent's side of the pipeline: what the catalog already knows, and one atomic write
per photo (row, EXIF, gear, city, rules, near-duplicate group, search row).

Only this module writes during an import, always through ``catalog.writing()``, so the
worker processes never touch SQLite.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from catalog import search
from catalog.catalog import Catalog
from catalog.db import new_id
from catalog.edits import ORIGINAL_DATE_KEY, TIME_SHIFT_KEY
from catalog.files import write_atomically
from catalog.gear import resolve_camera, resolve_lens
from catalog.ingest.duplicates import NearDuplicateIndex
from catalog.ingest.known import KnownRow
from catalog.ingest.tasks import FileStat, Processed
from catalog.models import ExifData, Photo, Status
from catalog.owner_dates import keep_owner_date
from catalog.places import Place, resolve_city
from catalog.places.fixes import keep_owner_position
from catalog.settings import Settings

if TYPE_CHECKING:
    from catalog.ingest.exif import ExifFields


def failed_hash(path: str) -> str:
    """A failed file has no photo identity: its row is keyed by its path instead."""
    return hashlib.sha256(b"exiftree-failed\x00" + os.fsencode(path)).hexdigest()


def take_write_lock(session: Session) -> None:
    """Begin ``session``'s transaction holding the catalog's write lock (``BEGIN
    IMMEDIATE``), waiting up to the busy timeout for another writer to finish.

    With SQLite's default deferred begin, a photo's reads (is this content known? is this
    camera?) ran before the lock and could be stale by the time of the insert: two imports
    then both inserted the same photo or camera. Holding the lock from the first read makes
    each photo's decisions and writes one step no other writer can come between."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    if not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def write_thumbnails(catalog: Catalog, result: Processed) -> None:
    """Always written: they are named by content, but they also carry the owner's rotation,
    so files left by an earlier state of the same content may be turned differently."""
    for size, data in result.thumbnails.items():
        write_atomically(catalog.thumb_path(result.content_hash, size), data)


@dataclass(frozen=True)
class Decision:
    """What rules and places decided for one photo before it is written."""

    place: Place | None
    latitude: float | None
    longitude: float | None
    location_flag: str | None
    reject_reason: str | None = None
    clear_date: bool = False
    drop_place: bool = False


def save_photo(
    session: Session,
    result: Processed,
    decision: Decision,
    settings: Settings,
    target_id: str | None,
    near: NearDuplicateIndex,
) -> KnownRow:
    """Insert (or refresh in place) one photo with everything derived from its file.

    Written with Core statements on the session's connection: the ORM's unit of work cost
    ~2 ms a photo here for two rows whose every column is known up front."""
    connection = session.connection()
    values = {**_photo_values(result, decision), **_links(session, result, decision)}
    exif_values = _exif_values(result.exif, decision)
    if target_id is not None:  # the owner's position fix outlives the file's GPS
        values, exif_values = keep_owner_position(session, target_id, values, exif_values)
    photo_id, group = _write_rows(connection, target_id, values, exif_values, settings)
    grouped = Photo(id=photo_id, phash=result.phash, dup_group=group)  # a stand-in, never added
    near.assign(session, grouped)
    if grouped.dup_group != group:
        connection.execute(_UPDATE_PHOTO.where(_PHOTOS.c.id == photo_id),
                           {"dup_group": grouped.dup_group})  # fmt: skip
    search.reindex(session, [photo_id])
    return KnownRow(photo_id, values["source_path"], values["file_size"],
                    values["file_mtime_ns"], values["content_hash"], values["status"],
                    result.turns)  # fmt: skip


def _links(session: Session, result: Processed, decision: Decision) -> dict[str, str | None]:
    """Camera, lens and city ids, through the gear and places resolvers."""
    exif = result.exif
    place = None if decision.drop_place else decision.place
    camera = resolve_camera(session, exif.make, exif.model)
    lens = resolve_lens(
        session, exif.lens_make, exif.lens_model, exif.make, exif.lens_specification
    )
    return {
        "camera_id": camera.id if camera is not None else None,
        "lens_id": lens.id if lens is not None else None,
        "city_id": resolve_city(session, place).id if place is not None else None,
    }


def _write_rows(
    connection: Connection,
    target_id: str | None,
    values: dict[str, Any],
    exif_values: dict[str, Any],
    settings: Settings,
) -> tuple[str, str | None]:
    """Insert the photo and EXIF rows, or refresh the row ``target_id`` in place; returns
    the photo's id and its near-duplicate group as it stands."""
    current = _current_group(connection, target_id) if target_id else _ABSENT
    if current is _ABSENT:
        photo_id = new_id()
        connection.execute(_INSERT_PHOTO, {**values, "id": photo_id,
                                           "visibility": settings.default_visibility})  # fmt: skip
        connection.execute(_INSERT_EXIF, {**exif_values, "id": new_id(), "photo_id": photo_id})
        return photo_id, None
    photo_id = cast(str, target_id)
    old_raw = connection.scalar(select(_EXIF.c.raw).where(_EXIF.c.photo_id == photo_id))
    values, exif_values = keep_owner_date(old_raw, values, exif_values)
    values, exif_values = _keep_time_shift(old_raw, values, exif_values)
    connection.execute(_UPDATE_PHOTO.where(_PHOTOS.c.id == photo_id), values)
    _update_exif(connection, photo_id, exif_values)
    return photo_id, cast("str | None", current)


def _keep_time_shift(
    old_raw: str | None, values: dict[str, Any], exif_values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The owner's clock fix (``shift-time``) survives deriving the photo again: the shift
    is added back to the date just read from the file (or the owner's date, put back
    first), and its two raw keys kept."""
    try:
        seconds = int(json.loads(old_raw or "{}").get(TIME_SHIFT_KEY, 0))
        raw = json.loads(exif_values["raw"])
    except (ValueError, TypeError, AttributeError):
        return values, exif_values
    if not seconds or not isinstance(raw, dict):
        return values, exif_values
    shift, read = timedelta(seconds=seconds), exif_values["date_taken"]
    raw[ORIGINAL_DATE_KEY] = read.isoformat(sep=" ") if read else None
    raw[TIME_SHIFT_KEY] = seconds
    exif_values = {
        **exif_values,
        "raw": json.dumps(raw, ensure_ascii=False, separators=(",", ":")),
        "date_taken": read + shift if read else None,
    }
    taken = values["date_taken"]
    return {**values, "date_taken": taken + shift if taken else None}, exif_values


_PHOTOS: Table = Photo.__table__  # type: ignore[assignment]
_EXIF: Table = ExifData.__table__  # type: ignore[assignment]
_INSERT_PHOTO = insert(_PHOTOS)
_INSERT_EXIF = insert(_EXIF)
_UPDATE_PHOTO = update(_PHOTOS)
_ABSENT = object()  # no row to refresh: a new photo


def _current_group(connection: Connection, photo_id: str) -> object:
    """The near-duplicate group of the row being refreshed; ``_ABSENT`` when it is gone."""
    row = connection.execute(select(_PHOTOS.c.dup_group).where(_PHOTOS.c.id == photo_id)).first()
    return _ABSENT if row is None else row[0]


def _update_exif(connection: Connection, photo_id: str, values: dict[str, Any]) -> None:
    where = _EXIF.c.photo_id == photo_id
    if connection.execute(update(_EXIF).where(where), values).rowcount == 0:
        connection.execute(_INSERT_EXIF, {**values, "id": new_id(), "photo_id": photo_id})


def _photo_values(result: Processed, decision: Decision) -> dict[str, Any]:
    stat, exif = result.file, result.exif
    rejected = decision.reject_reason is not None
    return {
        "source_path": stat.path,
        "content_hash": result.content_hash,
        "file_size": stat.size,
        "file_mtime_ns": stat.mtime_ns,
        "format": result.format,
        "width": result.width,
        "height": result.height,
        "rotation": result.turns,
        "orientation": result.orientation,
        "date_taken": None if decision.clear_date else exif.date_taken,
        "date_taken_offset": exif.offset_time,
        "date_taken_precision": None if decision.clear_date else exif.date_precision,
        "phash": result.phash,
        "location_flag": decision.location_flag,
        "locality": None if decision.drop_place or not decision.place else decision.place.locality,
        "status": (Status.REJECTED if rejected else Status.PROCESSED).value,
        "reason": decision.reject_reason,
    }


def _exif_values(exif: ExifFields, decision: Decision) -> dict[str, Any]:
    return {
        "raw": json.dumps(exif.raw, ensure_ascii=False, separators=(",", ":")),
        "make": exif.make,
        "model": exif.model,
        "lens_make": exif.lens_make,
        "lens_model": exif.lens_model,
        "focal_length_mm": exif.focal_length_mm,
        "focal_length_35mm": exif.focal_length_35mm,
        "aperture": exif.aperture,
        "exposure_time_s": exif.exposure_time_s,
        "exposure_display": exif.exposure_display,
        "iso": exif.iso,
        "date_taken": exif.date_taken,
        "offset_time": exif.offset_time,
        "gps_latitude": decision.latitude,
        "gps_longitude": decision.longitude,
        "gps_altitude_m": exif.gps_altitude_m,
        "gps_latitude_ref": exif.gps_latitude_ref,
        "gps_longitude_ref": exif.gps_longitude_ref,
        "gps_altitude_ref": exif.gps_altitude_ref,
    }


def save_failure(session: Session, stat: FileStat, reason: str, existing: Photo | None) -> Photo:
    """A ``failed`` row keyed by the path, with the reason the user will read."""
    photo = existing or Photo(content_hash=failed_hash(stat.path))
    if existing is None:
        session.add(photo)
    photo.source_path = stat.path
    photo.file_size, photo.file_mtime_ns = stat.size, stat.mtime_ns
    photo.status, photo.reason = Status.FAILED.value, reason
    session.flush()
    return photo


def move_photo(session: Session, photo_id: str, stat: FileStat) -> Photo:
    """The same content found at a new path: follow it, never duplicate it."""
    photo = session.get_one(Photo, photo_id)
    photo.source_path = stat.path
    photo.file_size, photo.file_mtime_ns = stat.size, stat.mtime_ns
    return photo


def known_row(photo: Photo) -> KnownRow:
    return KnownRow(
        photo.id,
        photo.source_path,
        photo.file_size,
        photo.file_mtime_ns,
        photo.content_hash,
        photo.status,
        photo.rotation,
    )
