"""What the catalog wants on the site: its publishable photos and the things they link to.

Only photos the privacy policy (``catalog.privacy``) lets leave are read at all, so private,
failed and rejected photos cannot reach a rendition, a row, a title or a count by accident.
Photos in an owner's privacy zone lose their place here, and AI text awaiting review its
words, before anything downstream sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.licences import copyright_notice, licence
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
from catalog.privacy import is_listed, may_leave_clause, place_may_leave, text_may_leave
from catalog.settings import Settings
from publisher.renditions import ExifSummary, RenditionSource


@dataclass(frozen=True)
class CatalogPhoto:
    id: str
    content_hash: str
    listed: bool
    title: str | None
    description: str | None
    date_taken: datetime | None
    camera_id: str | None
    lens_id: str | None
    city_id: str | None  # None when the city is inside a privacy zone
    camera_name: str | None
    lens_name: str | None
    focal_length_35mm: float | None
    exposure_display: str | None
    tag_ids: tuple[str, ...]
    source: RenditionSource
    in_privacy_zone: bool = False
    awaiting_review: bool = False


@dataclass
class CatalogSite:
    """Everything a publish needs from the catalog, read in a handful of queries."""

    photos: dict[str, CatalogPhoto] = field(default_factory=dict)
    cameras: dict[str, dict] = field(default_factory=dict)
    lenses: dict[str, dict] = field(default_factory=dict)
    cities: dict[str, dict] = field(default_factory=dict)
    tags: dict[str, dict] = field(default_factory=dict)
    collections: list[dict] = field(default_factory=list)  # with "members": [photo ids]
    site: dict[str, str] = field(default_factory=dict)


def site_settings(settings: Settings) -> dict[str, str]:
    """The snapshot's ``site`` rows: what the viewer shows in every page, feed and card."""
    chosen = licence(settings.licence)
    return {
        "title": settings.site_title,
        "description": settings.site_tagline,
        "author": settings.owner_name,
        "license": chosen.name,
        "license_url": chosen.url,
        "analytics_snippet": settings.analytics_snippet or "",
    }


def read_catalog(catalog: Catalog, settings: Settings) -> CatalogSite:
    """The publishable part of the catalog, as plain values."""
    site = CatalogSite(site=site_settings(settings))
    with catalog.reading() as session:
        tags_by_photo = _read_tags(session, site, settings.ai_review_required)
        _read_photos(session, catalog, settings, site, tags_by_photo)
        _read_gear(session, site)
        _read_collections(session, site)
    return site


def read_photos(catalog: Catalog, settings: Settings, photo_ids: Iterable[str]) -> CatalogSite:
    """The publishable ones of these photos, with the gear, places and tags they show, read
    exactly as :func:`read_catalog` reads them (the incremental publish's view; no
    collections: it reads those itself)."""
    site = CatalogSite(site=site_settings(settings))
    ids = sorted(set(photo_ids))
    with catalog.reading() as session:
        tags_by_photo: dict[str, list[str]] = {}
        for chunk in _chunks(ids):
            only = Photo.id.in_(chunk)
            tags_by_photo.update(_read_tags(session, site, settings.ai_review_required, only))
        for chunk in _chunks(ids):
            _read_photos(session, catalog, settings, site, tags_by_photo, Photo.id.in_(chunk))
        _read_gear(session, site)
    return site


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


_PHOTO_COLUMNS = (
    Photo.id,
    Photo.content_hash,
    Photo.source_path,
    Photo.status,
    Photo.visibility,
    Photo.title,
    Photo.title_source,
    Photo.description,
    Photo.description_source,
    Photo.date_taken,
    Photo.camera_id,
    Photo.lens_id,
    Photo.city_id,
    Photo.ai_review,
    Photo.rotation,
    Photo.width,
    Photo.height,
    ExifData.make,
    ExifData.model,
    ExifData.lens_model,
    ExifData.exposure_time_s,
    ExifData.exposure_display,
    ExifData.aperture,
    ExifData.iso,
    ExifData.focal_length_mm,
    ExifData.focal_length_35mm,
    ExifData.gps_latitude,
    ExifData.gps_longitude,
    City.latitude.label("city_latitude"),
    City.longitude.label("city_longitude"),
)


def _read_photos(
    session: Session,
    catalog: Catalog,
    settings: Settings,
    site: CatalogSite,
    tags_by_photo: dict[str, list[str]],
    only: ColumnElement[bool] | None = None,
) -> None:
    """One query over plain columns (no ORM objects: this runs over every public photo);
    ``only``: of these photos (then just their gear and places are loaded)."""
    query = (
        select(*_PHOTO_COLUMNS)
        .outerjoin(ExifData, ExifData.photo_id == Photo.id)
        .outerjoin(City, City.id == Photo.city_id)
        .where(may_leave_clause(Photo))
    )
    rows: Iterable[Any]
    if only is None:
        cameras = {c.id: c for c in session.scalars(select(Camera))}
        lenses = {lens.id: lens for lens in session.scalars(select(Lens))}
        cities = {c.id: c for c in session.scalars(select(City))}
        rows = session.connection().execute(query)  # Core rows: no ORM bookkeeping
    else:
        rows = session.connection().execute(query.where(only)).all()
        cameras = _by_id(session, Camera, {r.camera_id for r in rows})
        lenses = _by_id(session, Lens, {r.lens_id for r in rows})
        cities = _by_id(session, City, {r.city_id for r in rows})
    zones, review = settings.privacy_zones, settings.ai_review_required
    for row in rows:
        camera, lens = cameras.get(row.camera_id), lenses.get(row.lens_id)
        points = ((row.city_latitude, row.city_longitude), (row.gps_latitude, row.gps_longitude))
        zoned = not place_may_leave(points, zones)
        pending = not text_may_leave("ai", row.ai_review, review)
        if row.city_id in cities and not zoned:
            site.cities.setdefault(row.city_id, _city_row(cities[row.city_id]))
        site.photos[row.id] = CatalogPhoto(
            id=row.id,
            content_hash=row.content_hash,
            listed=is_listed(row.status, row.visibility),
            title=row.title if text_may_leave(row.title_source, row.ai_review, review) else None,
            description=(
                row.description
                if text_may_leave(row.description_source, row.ai_review, review)
                else None
            ),
            date_taken=row.date_taken,
            camera_id=row.camera_id,
            lens_id=row.lens_id,
            city_id=None if zoned else row.city_id,
            camera_name=camera.name if camera else None,
            lens_name=lens.name if lens else None,
            focal_length_35mm=row.focal_length_35mm,
            exposure_display=row.exposure_display,
            tag_ids=tuple(sorted(tags_by_photo.get(row.id, ()))),
            source=RenditionSource(
                row.id,
                row.content_hash,
                catalog.thumb_path,
                row.source_path,
                _summary(row, camera, lens, settings),
                row.rotation,
                max(row.width or 0, row.height or 0) or None,
            ),
            in_privacy_zone=zoned,
            awaiting_review=pending,
        )


def _by_id(session: Session, model: Any, ids: set[str | None]) -> dict[str, Any]:
    wanted = sorted(i for i in ids if i is not None)
    return {e.id: e for e in session.scalars(select(model).where(model.id.in_(wanted)))}


def _summary(row: Any, camera: Camera | None, lens: Lens | None, settings: Settings) -> ExifSummary:
    """The allow-listed EXIF a rendition carries: canonical gear names where known, and the
    owner's credit and licence when they gave a name."""
    owner = settings.owner_name.strip()
    year = row.date_taken.year if row.date_taken else None
    return ExifSummary(
        artist=owner or None,
        copyright=copyright_notice(owner, settings.licence, year) if owner else None,
        make=camera.make if camera else row.make,
        model=camera.model if camera else row.model,
        lens=lens.name if lens else row.lens_model,
        exposure_time_s=row.exposure_time_s,
        aperture=row.aperture,
        iso=row.iso,
        focal_length_mm=row.focal_length_mm,
        date_taken=row.date_taken,
    )


def _city_row(city: City) -> dict:
    return {
        "id": city.id,
        "slug": city.slug,
        "name": city.name,
        "admin1": city.admin1 or None,
        "country_code": city.country_code,
        "latitude": city.latitude,
        "longitude": city.longitude,
    }


def _read_tags(
    session: Session,
    site: CatalogSite,
    review_required: bool,
    only: ColumnElement[bool] | None = None,
) -> dict[str, list[str]]:
    query = (
        select(PhotoTag.photo_id, PhotoTag.source, Tag.id, Tag.slug, Tag.name, Photo.ai_review)
        .join(Tag, Tag.id == PhotoTag.tag_id)
        .join(Photo, Photo.id == PhotoTag.photo_id)
        .where(may_leave_clause(Photo))
    )
    if only is not None:
        query = query.where(only)
    by_photo: dict[str, list[str]] = {}
    for photo_id, source, tag_id, slug, name, review in session.connection().execute(query):
        if not text_may_leave(source, review, review_required):
            continue  # unreviewed AI words stay home
        by_photo.setdefault(photo_id, []).append(tag_id)
        site.tags[tag_id] = {"id": tag_id, "slug": slug, "name": name}
    return by_photo


def _read_gear(session: Session, site: CatalogSite) -> None:
    used_cameras = {p.camera_id for p in site.photos.values()}
    used_lenses = {p.lens_id for p in site.photos.values()}
    cameras, lenses = select(Camera), select(Lens)
    if len(used_cameras) < 500:  # a few photos' gear: ask by id
        cameras = cameras.where(Camera.id.in_(sorted(c for c in used_cameras if c)))
    if len(used_lenses) < 500:
        lenses = lenses.where(Lens.id.in_(sorted(c for c in used_lenses if c)))
    for camera in session.scalars(cameras):
        if camera.id in used_cameras:
            site.cameras[camera.id] = {
                "id": camera.id,
                "slug": camera.slug,
                "make": camera.make,
                "name": camera.name,
            }
    for lens in session.scalars(lenses):
        if lens.id in used_lenses:
            site.lenses[lens.id] = {
                "id": lens.id,
                "slug": lens.slug,
                "make": lens.make,
                "name": lens.name,
                "focal_min_mm": lens.focal_min_mm,
                "focal_max_mm": lens.focal_max_mm,
                "max_aperture": lens.max_aperture,
            }


def _read_collections(session: Session, site: CatalogSite) -> None:
    members: dict[str, list[str]] = {}
    query = select(CollectionPhoto.collection_id, CollectionPhoto.photo_id).order_by(
        CollectionPhoto.collection_id, CollectionPhoto.position, CollectionPhoto.id
    )
    for collection_id, photo_id in session.connection().execute(query):
        members.setdefault(collection_id, []).append(photo_id)
    ordered = session.scalars(select(Collection).order_by(Collection.created_at, Collection.id))
    for collection in ordered:
        site.collections.append(
            {
                "id": collection.id,
                "slug": collection.slug,
                "name": collection.name,
                "description": collection.description,
                "cover_photo_id": collection.cover_photo_id,
                "created_at": collection.created_at,
                "members": members.get(collection.id, []),
            }
        )
