"""The parent's side of the pipeline: what the catalog already knows, and one atomic write
per photo (row, EXIF, gear, city, rules, near-duplicate group, search row).

Only this module writes during an import, always through ``catalog.writing()``, so the
worker processes never touch SQLite.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import search
from catalog.catalog import Catalog
from catalog.gear import resolve_camera, resolve_lens
from catalog.ingest.duplicates import NearDuplicateIndex
from catalog.ingest.exif import ExifFields
from catalog.ingest.imaging import write_atomically
from catalog.ingest.worker import FileStat, Processed
from catalog.models import ExifData, Photo, Status
from catalog.places import Place, resolve_city
from catalog.settings import Settings


@dataclass
class KnownRow:
    id: str
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    status: str


@dataclass
class KnownFiles:
    """The catalog's files at the start of a run, kept up to date as the run commits."""

    by_path: dict[str, KnownRow] = field(default_factory=dict)
    by_hash: dict[str, KnownRow] = field(default_factory=dict)
    by_id: dict[str, KnownRow] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> KnownFiles:
        """One query over every photo: path, size, mtime, hash (fast even at 100k photos)."""
        known = cls()
        columns = (Photo.id, Photo.source_path, Photo.file_size, Photo.file_mtime_ns)
        for row in session.execute(select(*columns, Photo.content_hash, Photo.status)):
            known.remember(KnownRow(*row))
        return known

    def remember(self, row: KnownRow) -> None:
        self.forget(row.id)
        self.by_id[row.id] = row
        self.by_path[row.path] = row
        self.by_hash[row.content_hash] = row

    def forget(self, photo_id: str) -> None:
        old = self.by_id.pop(photo_id, None)
        if old is None:
            return
        if self.by_path.get(old.path) is old:
            del self.by_path[old.path]
        if self.by_hash.get(old.content_hash) is old:
            del self.by_hash[old.content_hash]

    def is_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        """Same path, size and mtime as the catalog: skip without reading the file."""
        row = self.by_path.get(path)
        return row is not None and row.size == size and row.mtime_ns == mtime_ns

    def has_file_elsewhere(self, row: KnownRow, path: str) -> bool:
        """True when ``row``'s own file is still where the catalog says (so ``path`` is a copy)."""
        if row.path == path:
            return False
        try:
            info = os.stat(row.path)
        except OSError:
            return False
        return info.st_size == row.size


def failed_hash(path: str) -> str:
    """A failed file has no photo identity: its row is keyed by its path instead."""
    return hashlib.sha256(b"exiftree-failed\x00" + os.fsencode(path)).hexdigest()


def write_thumbnails(catalog: Catalog, result: Processed, force: bool) -> None:
    """Content-addressed, so an existing thumbnail is already right (unless ``force``)."""
    for size, data in result.thumbnails.items():
        target = catalog.thumb_path(result.content_hash, size)
        if force or not target.exists():
            write_atomically(target, data)


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
    existing: Photo | None,
    near: NearDuplicateIndex,
) -> Photo:
    """Insert (or refresh in place) one photo with everything derived from its file."""
    photo = existing or Photo(visibility=settings.default_visibility)
    if existing is None:
        session.add(photo)
    _fill_photo(photo, result, decision)
    exif = result.exif
    with session.no_autoflush:  # one flush per photo, not one per lookup
        photo.camera = resolve_camera(session, exif.make, exif.model)
        photo.lens = resolve_lens(
            session, exif.lens_make, exif.lens_model, exif.make, exif.lens_specification
        )
        keep_place = decision.place is not None and not decision.drop_place
        photo.city = resolve_city(session, decision.place) if keep_place else None
    if photo.exif is None:
        photo.exif = ExifData()
    _fill_exif(photo.exif, exif, decision)
    session.flush()
    near.assign(session, photo)
    search.reindex(session, [photo.id])
    return photo


def _fill_photo(photo: Photo, result: Processed, decision: Decision) -> None:
    stat, exif = result.file, result.exif
    photo.source_path = stat.path
    photo.content_hash = result.content_hash
    photo.file_size = stat.size
    photo.file_mtime_ns = stat.mtime_ns
    photo.format = result.format
    photo.width, photo.height = result.width, result.height
    photo.orientation = result.orientation
    photo.date_taken = None if decision.clear_date else exif.date_taken
    photo.date_taken_offset = exif.offset_time
    photo.phash = result.phash
    photo.location_flag = decision.location_flag
    rejected = decision.reject_reason is not None
    photo.status = (Status.REJECTED if rejected else Status.PROCESSED).value
    photo.reason = decision.reject_reason


def _fill_exif(row: ExifData, exif: ExifFields, decision: Decision) -> None:
    row.raw = json.dumps(exif.raw, ensure_ascii=False, separators=(",", ":"))
    row.make, row.model = exif.make, exif.model
    row.lens_make, row.lens_model = exif.lens_make, exif.lens_model
    row.focal_length_mm, row.focal_length_35mm = exif.focal_length_mm, exif.focal_length_35mm
    row.aperture = exif.aperture
    row.exposure_time_s, row.exposure_display = exif.exposure_time_s, exif.exposure_display
    row.iso = exif.iso
    row.date_taken, row.offset_time = exif.date_taken, exif.offset_time
    row.gps_latitude, row.gps_longitude = decision.latitude, decision.longitude
    row.gps_altitude_m = exif.gps_altitude_m
    row.gps_latitude_ref = exif.gps_latitude_ref
    row.gps_longitude_ref = exif.gps_longitude_ref
    row.gps_altitude_ref = exif.gps_altitude_ref


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
    )
