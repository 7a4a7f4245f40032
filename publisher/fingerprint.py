"""A cheap fingerprint of everything a publish reads, for the O(1) "nothing changed" answer.

Every catalog row carries ``created_at``/``updated_at`` and every edit bumps ``updated_at``,
so a table's (row count, newest update, newest insert) changes whenever its content does —
a delete lowers the count, an insert raises the newest insert. Together with the settings
and the rendition version, an unchanged fingerprint means an unchanged site: the publish
stops after a dozen aggregate queries, without reading any photo.

Asked of the catalog file with sqlite3, so that a publish with nothing to do can answer
without loading SQLAlchemy (:mod:`publisher.noop`, issue 15).
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from catalog import journal
from catalog.journal import JournalPosition
from catalog.settings import Settings
from publisher.renditions import RENDITION_VERSION, SIZES_RULE

_DESIGN = "incremental-1"  # bump when what the incremental publish derives changes

# The tables of Photo, ExifData, Camera, Lens, City, Tag, PhotoTag, Collection and
# CollectionPhoto: what the site shows (a test keeps this in step with the models).
TABLES = (
    "photos",
    "exif_data",
    "cameras",
    "lenses",
    "cities",
    "tags",
    "photo_tags",
    "collections",
    "collection_photos",
)


def catalog_fingerprint(db_path: Path, settings: Settings, sizes: tuple[int, ...]) -> str:
    """The fingerprint of the catalog in ``db_path`` as published with ``settings``."""
    parts: list[object] = [RENDITION_VERSION, SIZES_RULE, sizes, repr(settings)]
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        db.execute("BEGIN")  # one read transaction: every table as of the same moment
        for table in TABLES:
            query = f"SELECT count(*), max(updated_at), max(created_at) FROM {table}"  # noqa: S608 - names above
            parts.append(tuple(db.execute(query).fetchone()))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class CatalogMark:
    """Where the catalog's change journal stands, and the basis of a publish: what shapes
    every row besides the catalog's rows (settings, sizes, versions, the catalog's schema)."""

    position: JournalPosition | None  # None: the catalog keeps no (complete) journal
    basis: str


def catalog_mark(db_path: Path, settings: Settings, sizes: tuple[int, ...]) -> CatalogMark:
    """Read before the catalog is: a change made while a publish reads the catalog is then
    newer than the mark, so the next publish reads it again (never missed, maybe seen
    twice). Two indexed probes, where the fingerprint aggregates nine tables (seconds at
    a million photos)."""
    with journal.reading(db_path) as db:
        position = journal.position(db)
        version = journal.schema_version(db)
    parts = [_DESIGN, RENDITION_VERSION, SIZES_RULE, sizes, repr(settings), version]
    return CatalogMark(position, hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest())
