"""Test helpers for publisher tests: catalog edits and whole-site consistency checks."""

from __future__ import annotations

import io
import json
from typing import Any

import exifread
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.models import Collection, CollectionPhoto, Photo
from publisher.renditions import ALLOWED_EXIF, ALLOWED_IFD0
from publisher.tables import publish_objects, publish_state
from tests.publisher.conftest import Site
from webviewer import schema

ALLOWED_EXIFREAD = {"Image " + n for n in ALLOWED_IFD0.values()} | {
    "EXIF " + n for n in ALLOWED_EXIF.values()
}


def set_fields(catalog: Catalog, photo_id: str, **fields: Any) -> None:
    with catalog.writing() as session:
        photo = session.get(Photo, photo_id)
        for name, value in fields.items():
            setattr(photo, name, value)


def delete_photo(catalog: Catalog, photo_id: str) -> None:
    with catalog.writing() as session:
        session.delete(session.get(Photo, photo_id))


def add_collection(catalog: Catalog, name: str, photo_ids: list[str]) -> str:
    with catalog.writing() as session:
        collection = Collection(slug=name.lower(), name=name)
        session.add(collection)
        session.flush()
        for i, pid in enumerate(photo_ids):
            session.add(CollectionPhoto(collection_id=collection.id, photo_id=pid, position=i))
        return collection.id


def publishable_ids(catalog: Catalog) -> set[str]:
    with catalog.reading() as session:
        query = select(Photo.id).where(
            Photo.status == "processed", Photo.visibility.in_(["public", "unlisted"])
        )
        return set(session.scalars(query))


def live_keys(site: Site) -> set[str]:
    return {r["key"] for row in site.live_rows(schema.photos) for r in row["renditions"]}


def all_snapshot_text(site: Site) -> str:
    """Every row of every table in the snapshot DB (all versions, the publisher's own tables
    too), as one searchable string."""
    engine = site.engine()
    try:
        with engine.connect() as conn:
            chunks = []
            tables = (*schema.VERSIONED_TABLES, schema.publishes, publish_objects, publish_state)
            for table in tables:
                for row in conn.execute(select(table)).mappings():
                    chunks.append(json.dumps(dict(row), default=str))
            return "\n".join(chunks)
    finally:
        engine.dispose()


def assert_consistent(site: Site) -> None:
    """What a visitor could load now: every live row's objects are in the store."""
    missing = live_keys(site) - site.object_keys()
    assert not missing, f"live rows point at missing objects: {sorted(missing)[:3]}"


def exif_tags_outside_allow_list(data: bytes) -> list[str]:
    """Read a JPEG's EXIF with exifread (not the library that wrote it)."""
    tags = exifread.process_file(io.BytesIO(data), details=True)
    return [name for name in tags if name not in ALLOWED_EXIFREAD]
