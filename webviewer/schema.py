"""The published snapshot's tables: the one contract between the publisher and the viewer.

The viewer owns it (the reader defines what it reads). Every content table is *temporal*:
a row is part of publish ``seq`` when ``valid_from <= seq`` and (``valid_to`` is NULL or
``valid_to > seq``). A publish writes only the rows that changed — it closes old versions
(``valid_to = new seq``) and inserts new ones (``valid_from = new seq``) — then, in the same
transaction, inserts its ``publishes`` row as ``live``. Visitors therefore see the previous
snapshot or the new one, never a mix; rolling back is marking the newest publish
``rolled_back``, which makes the one before it live again with all its rows intact.

Only what a visitor may see is here: no GPS, no source paths, no private photos. Place is
the city; coordinates in ``cities`` are the city's own.
"""

from __future__ import annotations

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    event,
    func,
    literal_column,
    or_,
)
from sqlalchemy.dialects import postgresql  # noqa: F401 - registers to_tsvector's types
from sqlalchemy.sql.elements import ColumnElement

# The contract's version, written in every ``publishes`` row. The viewer reads only this
# version; the publisher migrates an older snapshot in place (publisher/snapshot_migrations.py)
# before it publishes. Change a table, bump it, add a migration step.
#   1: the first contract
#   2: SQLite snapshots carry their full-text index (photos_fts), as PostgreSQL ones their GIN
#   3: PostgreSQL snapshots carry ix_photos_listing (the listing as an index-only scan)
SCHEMA_VERSION = 3

metadata = MetaData()

LIVE = "live"
ROLLED_BACK = "rolled_back"

publishes = Table(
    "publishes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), unique=True, nullable=False),  # also the viewer's ETag seed
    Column("published_at", DateTime, nullable=False),
    Column("state", String(16), nullable=False),  # live | rolled_back
    Column("photo_count", Integer, nullable=False, default=0),  # listed public photos
    Column("schema_version", Integer, nullable=False, default=SCHEMA_VERSION),
)


def _versioned(name: str, *columns: Column, indexes: tuple[tuple[str, ...], ...] = ()) -> Table:
    table = Table(
        name,
        metadata,
        Column("row_id", Integer, primary_key=True, autoincrement=True),
        Column("valid_from", Integer, nullable=False),
        Column("valid_to", Integer, nullable=True),
        *columns,
    )
    Index(f"ix_{name}_validity", table.c.valid_to, table.c.valid_from)
    for cols in indexes:
        Index(f"ix_{name}_{'_'.join(cols)}", *(table.c[c] for c in cols))
    return table


photos = _versioned(
    "photos",
    Column("id", String(36), nullable=False),  # the catalog's photo UUID: /photos/<id>/
    Column("listed", Boolean, nullable=False, default=True),  # False: unlisted (link only)
    Column("title", Text),
    Column("description", Text),  # doubles as alt text
    Column("date_taken", DateTime),  # local time as the camera said
    Column("year", Integer),
    Column("width", Integer, nullable=False),  # of the largest rendition, upright
    Column("height", Integer, nullable=False),
    Column("camera_id", String(36)),
    Column("lens_id", String(36)),
    Column("city_id", String(36)),
    Column("camera_name", Text),  # EXIF summary, denormalised for the EXIF bar
    Column("lens_name", Text),
    Column("focal_length_mm", Float),
    Column("focal_length_35mm", Float),
    Column("aperture", Float),
    Column("exposure_display", String(32)),
    Column("iso", Integer),
    Column("placeholder_color", String(7)),  # "#rrggbb", shown while the image loads
    Column("shuffle_key", Integer, nullable=False),  # stable random 0..2**31-1
    # [{"size": 300, "key": "p/ab/<hash>-v1-300.jpg", "width": 300, "height": 200,
    #   "bytes": 12345}, ...] — keys are relative to the media base URL
    Column("renditions", JSON, nullable=False),
    Column("search_text", Text),  # title, description, tags, camera, lens, city: for FTS
    Column("first_published_at", DateTime),  # for the feed
    indexes=(
        ("id",),
        ("shuffle_key", "id"),
        ("date_taken", "id"),
        ("year",),
        ("camera_id",),
        ("lens_id",),
        ("city_id",),
        ("first_published_at",),
    ),
)

# Full-text search (PostgreSQL): a GIN index on this expression, which the search query
# repeats (webviewer/dialects.py). Words are runs of letters and digits, as SQLite's FTS5
# tokenizer sees them (PostgreSQL's own parser would drop "<tag>"s and keep "18-70mm"
# whole): everything else is blanked before 'simple' lower-cases the words.
POSTGRES_SEARCH_DOCUMENT = func.to_tsvector(
    literal_column("'simple'::regconfig"),
    func.regexp_replace(
        func.coalesce(photos.c.search_text, literal_column("''")),
        literal_column("'[^[:alnum:]]+'"),
        literal_column("' '"),
        literal_column("'g'"),
    ),
)
# SQLAlchemy 2.1 does not attach a function-only Index to its table, hence extend_existing.
Table(
    "photos",
    metadata,
    Index("ix_photos_search_fts", POSTGRES_SEARCH_DOCUMENT, postgresql_using="gin").ddl_if(
        dialect="postgresql"
    ),
    extend_existing=True,
)

# The listing (every listed photo's id and shuffle key, in id order, once per publish:
# webviewer/queries.py load_listing) as an index-only scan. Without it PostgreSQL reads the
# whole table and sorts on disk: 2.3 s at 1,000,000 photos (past the viewer's statement
# timeout on a loaded machine), 0.27 s with it (bench/scale.py).
LISTING_INDEX = Index(
    "ix_photos_listing",
    photos.c.id,
    postgresql_include=["shuffle_key", "valid_from", "valid_to"],
    postgresql_where=photos.c.listed.is_(True),
).ddl_if(dialect="postgresql")

# Full-text search (SQLite): an FTS5 index over photos.search_text, kept in step by triggers,
# so the viewer queries it read-only like PostgreSQL's GIN index. Keep in step with
# webviewer/dialects.py. Tokens as PostgreSQL's 'simple' configuration: lower case, accents kept.
SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS photos_fts USING fts5(search_text, content='photos',"
    " content_rowid='row_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS photos_fts_insert AFTER INSERT ON photos BEGIN"
    " INSERT INTO photos_fts (rowid, search_text) VALUES (new.row_id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS photos_fts_delete AFTER DELETE ON photos BEGIN"
    " INSERT INTO photos_fts (photos_fts, rowid, search_text)"
    " VALUES ('delete', old.row_id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS photos_fts_update AFTER UPDATE OF search_text ON photos BEGIN"
    " INSERT INTO photos_fts (photos_fts, rowid, search_text)"
    " VALUES ('delete', old.row_id, old.search_text);"
    " INSERT INTO photos_fts (rowid, search_text) VALUES (new.row_id, new.search_text); END",
)
for _statement in SQLITE_SEARCH_DDL:
    _ddl = DDL(_statement)  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy 2.1
    event.listen(photos, "after_create", _ddl.execute_if(dialect="sqlite"))

cameras = _versioned(
    "cameras",
    Column("id", String(36), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("make", Text),
    Column("name", Text, nullable=False),
    Column("photo_count", Integer, nullable=False),  # listed photos only
    Column("cover_photo_id", String(36)),
    indexes=(("slug",),),
)

lenses = _versioned(
    "lenses",
    Column("id", String(36), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("make", Text),
    Column("name", Text, nullable=False),
    Column("focal_min_mm", Float),
    Column("focal_max_mm", Float),
    Column("max_aperture", Float),
    Column("photo_count", Integer, nullable=False),
    Column("cover_photo_id", String(36)),
    indexes=(("slug",),),
)

cities = _versioned(
    "cities",
    Column("id", String(36), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("admin1", Text),  # region / state
    Column("country_code", String(2), nullable=False),
    Column("latitude", Float, nullable=False),  # the city's coordinates, never a photo's
    Column("longitude", Float, nullable=False),
    Column("photo_count", Integer, nullable=False),
    Column("cover_photo_id", String(36)),
    indexes=(("slug",),),
)

tags = _versioned(
    "tags",
    Column("id", String(36), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("photo_count", Integer, nullable=False),
    indexes=(("slug",),),
)

photo_tags = _versioned(
    "photo_tags",
    Column("photo_id", String(36), nullable=False),
    Column("tag_id", String(36), nullable=False),
    indexes=(("tag_id", "photo_id"), ("photo_id",)),
)

collections = _versioned(
    "collections",
    Column("id", String(36), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("date", DateTime),  # when it was made (or its newest photo's date)
    Column("position", Integer, nullable=False, default=0),
    Column("cover_photo_id", String(36)),
    Column("photo_count", Integer, nullable=False),
    indexes=(("slug",),),
)

collection_photos = _versioned(
    "collection_photos",
    Column("collection_id", String(36), nullable=False),
    Column("photo_id", String(36), nullable=False),
    Column("position", Integer, nullable=False),
    indexes=(("collection_id", "position"), ("photo_id",)),
)

site = _versioned(
    "site",
    Column("key", String(100), nullable=False),  # "title", "analytics_snippet", ...
    Column("value", Text, nullable=False),
    indexes=(("key",),),
)

VERSIONED_TABLES = (
    photos,
    cameras,
    lenses,
    cities,
    tags,
    photo_tags,
    collections,
    collection_photos,
    site,
)


def visible_in(table: Table, seq: int | ColumnElement[int]) -> ColumnElement[bool]:
    """The rows of ``table`` that make up publish ``seq``."""
    return and_(table.c.valid_from <= seq, or_(table.c.valid_to.is_(None), table.c.valid_to > seq))
