"""Frozen photo rows for user interfaces: never live ORM objects, loaded a batch at a time.

A grid of 100,000 photos asks for a screenful of rows at a time, so :func:`load_rows`
answers any number of ids with three queries per chunk (photos with their EXIF, gear
and city; tags; collections) instead of one per photo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from catalog.catalog import Catalog

from catalog import privacy
from catalog.models import (
    Camera,
    City,
    Collection,
    CollectionPhoto,
    ExifData,
    Lens,
    Photo,
    PhotoTag,
    Tag,
)

CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class PhotoRow:
    """One photo as a UI shows it; ``tags`` and ``tag_sources`` are parallel tuples."""

    id: str
    source_path: str
    content_hash: str
    status: str
    reason: str | None
    title: str | None
    description: str | None
    tags: tuple[str, ...]
    visibility: str
    rating: int
    width: int | None
    height: int | None
    date_taken: datetime | None
    camera: str | None
    lens: str | None
    focal_length: float | None
    aperture: float | None
    exposure: str | None
    iso: int | None
    latitude: float | None
    longitude: float | None
    city: str | None
    country_code: str | None
    phash: str | None
    dup_group: str | None
    created_at: datetime
    title_source: str | None
    description_source: str | None
    ai_review: str | None
    tag_sources: tuple[str, ...] = ()
    region: str | None = None  # the city's admin1
    date_taken_offset: str | None = None
    date_taken_precision: str | None = None  # "day": shown without a time
    focal_length_35mm: float | None = None
    exposure_time_s: float | None = None
    file_size: int = 0
    format: str | None = None
    orientation: int | None = None
    rotation: int = 0  # the owner's clockwise quarter turns
    camera_id: str | None = None
    lens_id: str | None = None
    city_id: str | None = None
    location_flag: str | None = None
    ai_model: str | None = None
    ai_described_at: datetime | None = None
    ai_error: str | None = None
    updated_at: datetime | None = None
    collection_ids: tuple[str, ...] = ()
    collection_names: tuple[str, ...] = ()
    missing_since: datetime | None = None  # the original was found gone then (drive, rename)
    companion_path: str | None = None  # a RAW+JPEG pair's other file (usually the RAW)

    @property
    def files(self) -> tuple[str, ...]:
        """The photo's files: the one its pictures come from, then a RAW+JPEG pair's other."""
        companion = (self.companion_path,) if self.companion_path else ()
        return (self.source_path, *companion)

    @property
    def state(self) -> str:
        """What a list shows: ``missing`` when the original is gone, else the status."""
        return "missing" if self.missing_since is not None else self.status

    @property
    def shown_visibility(self) -> str:
        """What lists and the desktop show: failed and rejected photos are private in effect."""
        return privacy.shown_visibility(self.status, self.visibility)

    @property
    def needs_attention(self) -> bool:
        return self.status in ("failed", "rejected") or self.dup_group is not None


_COLUMNS = (
    Photo.id,
    Photo.source_path,
    Photo.content_hash,
    Photo.status,
    Photo.reason,
    Photo.title,
    Photo.description,
    Photo.visibility,
    Photo.rating,
    Photo.width,
    Photo.height,
    Photo.date_taken,
    Camera.name.label("camera"),
    Lens.name.label("lens"),
    ExifData.focal_length_mm.label("focal_length"),
    ExifData.aperture,
    ExifData.exposure_display.label("exposure"),
    ExifData.iso,
    ExifData.gps_latitude.label("latitude"),
    ExifData.gps_longitude.label("longitude"),
    City.name.label("city"),
    City.country_code,
    Photo.phash,
    Photo.dup_group,
    Photo.created_at,
    Photo.title_source,
    Photo.description_source,
    Photo.ai_review,
    City.admin1.label("region"),
    Photo.date_taken_offset,
    Photo.date_taken_precision,
    ExifData.focal_length_35mm,
    ExifData.exposure_time_s,
    Photo.file_size,
    Photo.format,
    Photo.orientation,
    Photo.rotation,
    Photo.camera_id,
    Photo.lens_id,
    Photo.city_id,
    Photo.location_flag,
    Photo.ai_model,
    Photo.ai_described_at,
    Photo.ai_error,
    Photo.updated_at,
    Photo.missing_since,
    Photo.companion_path,
)


def chunked(ids: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    """Slices of ``ids`` short enough for one ``IN (...)`` list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def load_rows(session: Session, ids: Sequence[str]) -> list[PhotoRow]:
    """Rows for ``ids`` in the same order; ids that are not in the catalog are left out."""
    found: dict[str, PhotoRow] = {}
    for part in chunked(list(dict.fromkeys(ids))):
        found.update(_load_chunk(session, part))
    return [found[i] for i in ids if i in found]


def load_row(session: Session, photo_id: str) -> PhotoRow | None:
    rows = load_rows(session, [photo_id])
    return rows[0] if rows else None


def _load_chunk(session: Session, ids: Sequence[str]) -> dict[str, PhotoRow]:
    stmt = (
        select(*_COLUMNS)
        .outerjoin(ExifData, ExifData.photo_id == Photo.id)
        .outerjoin(Camera, Camera.id == Photo.camera_id)
        .outerjoin(Lens, Lens.id == Photo.lens_id)
        .outerjoin(City, City.id == Photo.city_id)
        .where(Photo.id.in_(ids))
    )
    tags = _tags_of(session, ids)
    collections = _collections_of(session, ids)
    rows: dict[str, PhotoRow] = {}
    for record in session.execute(stmt).mappings():
        values = dict(record)
        photo_tags = tags.get(values["id"], [])
        photo_colls = collections.get(values["id"], [])
        values["tags"] = tuple(name for name, _ in photo_tags)
        values["tag_sources"] = tuple(source for _, source in photo_tags)
        values["collection_ids"] = tuple(cid for cid, _ in photo_colls)
        values["collection_names"] = tuple(name for _, name in photo_colls)
        values["rating"] = values["rating"] or 0
        values["file_size"] = values["file_size"] or 0
        rows[values["id"]] = PhotoRow(**values)
    return rows


def _tags_of(session: Session, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    stmt = (
        select(PhotoTag.photo_id, Tag.name, PhotoTag.source)
        .join(Tag, Tag.id == PhotoTag.tag_id)
        .where(PhotoTag.photo_id.in_(ids))
        .order_by(PhotoTag.photo_id, Tag.name.collate("NOCASE"))
    )
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for photo_id, name, source in session.execute(stmt):
        out[photo_id].append((name, source))
    return out


def _collections_of(session: Session, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    stmt = (
        select(CollectionPhoto.photo_id, Collection.id, Collection.name)
        .join(Collection, Collection.id == CollectionPhoto.collection_id)
        .where(CollectionPhoto.photo_id.in_(ids))
        .order_by(CollectionPhoto.photo_id, Collection.name)
    )
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for photo_id, coll_id, name in session.execute(stmt):
        out[photo_id].append((coll_id, name))
    return out


def source_paths(catalog: Catalog) -> dict[str, str]:
    """Every photo's id → original path, in one query (no IN-list limit): for reports."""
    with catalog.reading() as session:
        return {pid: path for pid, path in session.execute(select(Photo.id, Photo.source_path))}
