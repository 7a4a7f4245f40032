"""A cheap fingerprint of everything a publish reads, for the O(1) "nothing changed" answer.

Every catalog row carries ``created_at``/``updated_at`` and every edit bumps ``updated_at``,
so a table's (row count, newest update, newest insert) changes whenever its content does —
a delete lowers the count, an insert raises the newest insert. Together with the settings
and the rendition version, an unchanged fingerprint means an unchanged site: the publish
stops after a dozen aggregate queries, without reading any photo.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from catalog.catalog import Catalog
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
from catalog.settings import Settings
from publisher.renditions import RENDITION_VERSION, SIZES_RULE

_MODELS = (Photo, ExifData, Camera, Lens, City, Tag, PhotoTag, Collection, CollectionPhoto)


def catalog_fingerprint(catalog: Catalog, settings: Settings, sizes: tuple[int, ...]) -> str:
    parts: list[object] = [RENDITION_VERSION, SIZES_RULE, sizes, repr(settings)]
    with catalog.reading() as session:
        for model in _MODELS:
            query = select(func.count(), func.max(model.updated_at), func.max(model.created_at))
            parts.append(tuple(session.execute(query).one()))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
