"""The snapshot rows a publish wants, built from the catalog's view and the uploaded objects.

Counts and covers are over *listed* photos only, so unlisted photos never show in a list or
a count; a photo whose renditions are not all uploaded gets no row (objects first, rows second).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from publisher.catalog_view import CatalogPhoto, CatalogSite
from publisher.state import NATURAL_KEYS, Renditions, Row


def shuffle_key(photo_id: str) -> int:
    """Stable pseudo-random order, the same on every publish."""
    return int(hashlib.sha256(photo_id.encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def build_rows(
    site: CatalogSite,
    renditions: dict[str, Renditions],
    first_published: dict[str, datetime],
    now: datetime,
) -> dict[str, dict[tuple, Row]]:
    """Desired rows of every versioned table, keyed by natural key."""
    photos = [p for p in site.photos.values() if p.id in renditions]
    listed = [p for p in photos if p.listed]
    tables: dict[str, list[Row]] = {
        "photos": [
            photo_row(p, site, renditions[p.id], first_published.get(p.id, now)) for p in photos
        ],
        "cameras": _entity_rows(site.cameras, listed, "camera_id"),
        "lenses": _entity_rows(site.lenses, listed, "lens_id"),
        "cities": _entity_rows(site.cities, listed, "city_id"),
        "tags": _tag_rows(site, listed),
        "site": [{"key": k, "value": v} for k, v in sorted(site.site.items())],
    }
    published_tags = {t["id"] for t in tables["tags"]}
    tables["photo_tags"] = [
        {"photo_id": p.id, "tag_id": t} for p in photos for t in p.tag_ids if t in published_tags
    ]
    tables["collections"], tables["collection_photos"] = _collection_rows(site, listed)
    return {name: _keyed(name, rows) for name, rows in tables.items()}


def _keyed(name: str, rows: Iterable[Row]) -> dict[tuple, Row]:
    keys = NATURAL_KEYS[name]
    return {tuple(r[k] for k in keys): r for r in rows}


def photo_row(
    photo: CatalogPhoto, site: CatalogSite, renditions: Renditions, first: datetime
) -> Row:
    """One photo's row; ``renditions`` may be ([], None) while its objects are being made."""
    items, placeholder = renditions
    largest = max(items, key=lambda r: r["size"]) if items else {"width": 0, "height": 0}
    exif = photo.source.exif
    city = site.cities.get(photo.city_id or "")
    words = [photo.title, photo.description, photo.camera_name, photo.lens_name]
    words += [site.tags[t]["name"] for t in photo.tag_ids if t in site.tags]
    words += [city["name"]] if city else []
    return {
        "id": photo.id,
        "listed": photo.listed,
        "title": photo.title,
        "description": photo.description,
        "date_taken": photo.date_taken,
        "year": photo.date_taken.year if photo.date_taken else None,
        "width": largest["width"],
        "height": largest["height"],
        "camera_id": photo.camera_id if photo.camera_id in site.cameras else None,
        "lens_id": photo.lens_id if photo.lens_id in site.lenses else None,
        "city_id": photo.city_id if city else None,
        "camera_name": photo.camera_name,
        "lens_name": photo.lens_name,
        "focal_length_mm": exif.focal_length_mm,
        "focal_length_35mm": photo.focal_length_35mm,
        "aperture": exif.aperture,
        "exposure_display": photo.exposure_display,
        "iso": exif.iso,
        "placeholder_color": placeholder,
        "shuffle_key": shuffle_key(photo.id),
        "renditions": items,
        "search_text": " ".join(w for w in words if w) or None,
        "first_published_at": first,
    }


def _newest_first(photos: Iterable[CatalogPhoto]) -> list[CatalogPhoto]:
    return sorted(photos, key=lambda p: (p.date_taken or datetime.min, p.id), reverse=True)


def _entity_rows(entities: dict[str, dict], listed: list[CatalogPhoto], attr: str) -> list[Row]:
    """Cameras, lenses or cities that have listed photos, with count and newest cover."""
    counts = Counter(getattr(p, attr) for p in listed)
    covers: dict[str, str] = {}
    for photo in _newest_first(listed):
        covers.setdefault(getattr(photo, attr), photo.id)
    return [
        {**row, "photo_count": counts[eid], "cover_photo_id": covers[eid]}
        for eid, row in entities.items()
        if counts[eid]
    ]


def _tag_rows(site: CatalogSite, listed: list[CatalogPhoto]) -> list[Row]:
    counts = Counter(t for p in listed for t in p.tag_ids)
    return [{**row, "photo_count": counts[tid]} for tid, row in site.tags.items() if counts[tid]]


def _collection_rows(site: CatalogSite, listed: list[CatalogPhoto]) -> tuple[list[Row], list[Row]]:
    by_id = {p.id: p for p in listed}
    collections: list[Row] = []
    members: list[Row] = []
    for collection in site.collections:
        photos = [by_id[pid] for pid in collection["members"] if pid in by_id]
        if not photos:
            continue  # an empty (or all-private) collection is not shown
        cover = collection["cover_photo_id"]
        dates = [p.date_taken for p in photos if p.date_taken]
        collections.append(
            {
                "id": collection["id"],
                "slug": collection["slug"],
                "name": collection["name"],
                "description": collection["description"],
                "date": max(dates) if dates else collection["created_at"],
                "position": len(collections),
                "cover_photo_id": cover if cover in by_id else photos[0].id,
                "photo_count": len(photos),
            }
        )
        members += [
            {"collection_id": collection["id"], "photo_id": p.id, "position": i}
            for i, p in enumerate(photos)
        ]
    return collections, members
