"""Helpers for the query, edit, search and collection tests: many photos at once."""

from __future__ import annotations

import hashlib

from catalog.catalog import Catalog
from catalog.db import new_id
from catalog.models import Photo, PhotoTag, Tag


def add_many(catalog: Catalog, n: int, tags: tuple[str, ...] = ()) -> list[str]:
    """``n`` processed photos in one transaction (``add_photo`` commits each one)."""
    ids = []
    with catalog.writing() as session:
        tag_rows = [Tag(slug=name, name=name) for name in tags]
        session.add_all(tag_rows)
        for i in range(n):
            photo = Photo(
                id=new_id(),
                source_path=f"/bulk/{i:06d}.jpg",
                content_hash=hashlib.sha256(f"bulk-{i}".encode()).hexdigest(),
                file_size=1,
                file_mtime_ns=i,
                status="processed",
            )
            photo.tags = [PhotoTag(tag=tag, source="owner") for tag in tag_rows]
            session.add(photo)
            ids.append(photo.id)
    return ids
