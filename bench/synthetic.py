"""Synthetic archives for the benches: a catalog (SQLite) and a published snapshot, at any N.

One generator for every bench that needs a big archive (query, desktop, backup, operations,
viewer, scale), so their figures describe the same kind of data and 1,000,000 photos build in
minutes: rows are streamed in chunks (never a million dicts in memory), inserted with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL, indexes built after the load), and the
catalog's full-text index is filled by one ``INSERT … SELECT`` over the catalog's own
source query. Schemas come from the product: ``Catalog.open`` runs the catalog's migrations,
``webviewer.schema`` is the snapshot contract the publisher writes.

What a photo looks like: a camera of 30 (7 makers), a lens of 60, a city of 300 for 60 % of
photos, 1–5 tags of 500 (a few common words, so facets and searches have big and small
answers), a date over 2005–2026 (2 % undated), ratings mostly 0, visibility public 50 % /
private 25 % / unlisted 25 %, 1 % failed; one collection per 5,000 photos (at least 20) of
500 photos each. Thumbnails, when asked for, are hard links to 48 small real JPEGs.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePath

from sqlalchemy import Engine, text
from sqlalchemy.schema import CreateIndex, DropIndex

from webviewer import schema as s

CHUNK = 20_000
VARIANTS = 48
WORDS = ["sea", "sunset", "mountain", "city", "street", "portrait", "dog", "cat", "bridge",
         "river", "snow", "forest", "night"]  # fmt: skip
# the viewer bench browses /tags/sunset/ and searches "misty bridge": both must answer
ADJECTIVES = ["golden", "quiet", "blue", "late", "misty", "hidden", "bright", "long", "first"]
NOUNS = ["alley", "ridge", "window", "bridge", "market", "shore", "tram", "garden", "pier"]
START = datetime(2005, 1, 1)
SPAN_MIN = 22 * 365 * 24 * 60


def _ts(value: datetime) -> str:
    """SQLAlchemy's SQLite DateTime storage format (microseconds always present)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


NOW = _ts(datetime(2026, 1, 1))


@dataclass(frozen=True)
class World:
    """The named things photos point at, with stable ids (same seed, same world)."""

    cameras: list[dict]
    lenses: list[dict]
    cities: list[dict]
    tags: list[dict]
    collections: list[dict]


@dataclass(frozen=True)
class SyntheticPhoto:
    """One photo, as both the catalog and the snapshot need it."""

    n: int
    id: str
    content_hash: str
    taken: datetime | None
    title: str | None
    rating: int
    visibility: str
    status: str
    camera: int
    lens: int
    city: int | None
    tags: tuple[int, ...]
    shuffle_key: int


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_world(n: int, seed: int = 1) -> World:
    rng = random.Random(seed * 7919)
    cameras = [
        {"id": _uuid(rng), "slug": f"maker{i % 7}-model-{i}", "make": f"Maker{i % 7}",
         "model": f"Model {i}", "name": f"Maker{i % 7} Model {i}"}
        for i in range(30)
    ]  # fmt: skip
    lenses = [
        {"id": _uuid(rng), "slug": f"lens-{10 + i}mm", "model": f"Lens {10 + i}mm",
         "name": f"Lens {10 + i}mm"}
        for i in range(60)
    ]  # fmt: skip
    cities = [
        {"id": _uuid(rng), "slug": f"city-{i}", "name": f"City {i}", "admin1": f"Region {i % 40}",
         "country_code": f"C{i % 20}"[:2], "latitude": 40 + i / 100, "longitude": i / 100}
        for i in range(300)
    ]  # fmt: skip
    names = ["sunset", "harbour", "street", "mountains", "family", "night"]
    names += [f"{WORDS[i % len(WORDS)]} {i}" for i in range(500 - len(names))]
    tags = [{"id": _uuid(rng), "slug": name.replace(" ", "-"), "name": name} for name in names]
    collections = [
        {"id": _uuid(rng), "slug": f"collection-{c}", "name": f"Collection {c}", "size": 500}
        for c in range(max(20, n // 5000))
    ]
    return World(cameras, lenses, cities, tags, collections)


def iter_photos(n: int, seed: int = 1) -> Iterator[SyntheticPhoto]:
    """The same ``n`` photos for the same seed, one at a time."""
    rng = random.Random(seed)
    common = list(range(6))  # the named tags: a third of photos carry one
    for i in range(n):
        taken = START + timedelta(minutes=rng.randrange(SPAN_MIN)) if rng.random() > 0.02 else None
        k = rng.choice((1, 2, 3, 3, 4, 5))
        tags = set(rng.sample(range(500), k))
        if rng.random() < 0.33:
            tags.add(rng.choice(common))
        yield SyntheticPhoto(
            n=i,
            id=_uuid(rng),
            content_hash=f"{rng.getrandbits(256):064x}",
            taken=taken,
            title=(
                f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)} {i}"
                if rng.random() < 0.4
                else None
            ),
            rating=rng.choice((0, 0, 0, 0, 1, 2, 3, 4, 5)),
            visibility=rng.choice(("public", "public", "private", "unlisted")),
            status="processed" if rng.random() > 0.01 else "failed",
            camera=rng.randrange(30),
            lens=rng.randrange(60),
            city=rng.randrange(300) if rng.random() < 0.6 else None,
            tags=tuple(sorted(tags)),
            shuffle_key=rng.randrange(2**31),
        )


def _chunks(n: int, seed: int) -> Iterator[list[SyntheticPhoto]]:
    chunk: list[SyntheticPhoto] = []
    for photo in iter_photos(n, seed):
        chunk.append(photo)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the catalog --------------------------------------------------------------------------
def build_catalog(root: Path, n: int, seed: int = 1, thumbnail_sizes: tuple[int, ...] = ()) -> Path:
    """A migrated catalog of ``n`` photos at ``root`` (its full-text index filled); with
    ``thumbnail_sizes``, every photo's thumbnails of those sizes as hard links. Returns the
    catalog's database path."""
    from catalog.catalog import Catalog

    with Catalog.open(root) as catalog:
        db_path, thumb_path = catalog.db_path, catalog.thumb_path
    world = make_world(n, seed)
    variants = _thumbnail_variants(root / "variants") if thumbnail_sizes else []
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")  # 400 MB: index pages stay in memory
    _insert_world(conn, world)
    members = _collection_members(n, world, seed)
    for chunk in _chunks(n, seed):
        _insert_photos(conn, world, chunk, members)
        for photo in chunk:
            for size in thumbnail_sizes:
                target = thumb_path(photo.content_hash, size)
                target.parent.mkdir(exist_ok=True)
                os.link(variants[photo.n % len(variants)], target)
    _fill_search(conn)
    conn.commit()
    conn.execute("ANALYZE")  # as the catalog's own maintenance leaves it
    conn.close()
    return db_path


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if rows:
        cols = list(rows[0])
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
            rows,
        )


def _insert_world(conn: sqlite3.Connection, world: World) -> None:
    stamp = {"created_at": NOW, "updated_at": NOW}
    _insert(conn, "cameras", [{**c, **stamp} for c in world.cameras])
    _insert(conn, "lenses", [{**x, **stamp} for x in world.lenses])
    _insert(conn, "cities", [{**c, **stamp} for c in world.cities])
    _insert(conn, "tags", [{**t, **stamp} for t in world.tags])
    _insert(
        conn,
        "collections",
        [{"id": c["id"], "slug": c["slug"], "name": c["name"], **stamp} for c in world.collections],
    )


def _collection_members(n: int, world: World, seed: int) -> dict[int, list[tuple[int, int]]]:
    """photo number -> [(collection index, position)]."""
    rng = random.Random(seed + 3)
    members: dict[int, list[tuple[int, int]]] = {}
    for c, collection in enumerate(world.collections):
        for position, k in enumerate(rng.sample(range(n), min(collection["size"], n))):
            members.setdefault(k, []).append((c, position))
    return members


def _insert_photos(
    conn: sqlite3.Connection,
    world: World,
    chunk: list[SyntheticPhoto],
    members: dict[int, list[tuple[int, int]]],
) -> None:
    rng = random.Random(chunk[0].n)
    photos, exif, links, in_collections = [], [], [], []
    for p in chunk:
        taken = _ts(p.taken) if p.taken else None
        created = _ts(datetime(2024, 1, 1) + timedelta(seconds=p.n))
        photos.append(
            (p.id, created, NOW, f"/photos/{p.taken.year if p.taken else 'undated'}/"
             f"{p.n // 1000:04d}/IMG_{p.n:07d}.jpg", p.content_hash, 5_000_000 + p.n % 997,
             p.n, "JPEG", 6000, 4000, 1, taken, f"{p.shuffle_key:016x}", p.title, p.rating,
             p.visibility, p.status, world.cameras[p.camera]["id"], world.lenses[p.lens]["id"],
             None if p.city is None else world.cities[p.city]["id"])
        )  # fmt: skip
        exif.append(
            (f"{p.id[:-12]}{p.n:012x}", created, NOW, p.id, "{}", rng.choice((24.0, 35.0, 85.0)),
             rng.choice((1.8, 2.8, 8.0)), "1/250", rng.choice((100, 400, 1600)), taken)
        )  # fmt: skip
        for t in p.tags:
            links.append((f"{p.id[:-12]}{t:012x}", created, NOW, p.id, world.tags[t]["id"]))
        for c, position in members.get(p.n, ()):
            cid = world.collections[c]["id"]
            in_collections.append((f"{cid[:-12]}{p.n:012x}", NOW, NOW, cid, p.id, position))
    conn.executemany(
        "INSERT INTO photos (id, created_at, updated_at, source_path, content_hash, file_size,"
        " file_mtime_ns, format, width, height, orientation, date_taken, phash, title, rating,"
        " visibility, status, camera_id, lens_id, city_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        photos,
    )
    conn.executemany(
        "INSERT INTO exif_data (id, created_at, updated_at, photo_id, raw, focal_length_mm,"
        " aperture, exposure_display, iso, date_taken) VALUES (?,?,?,?,?,?,?,?,?,?)",
        exif,
    )
    conn.executemany(
        "INSERT INTO photo_tags (id, created_at, updated_at, photo_id, tag_id, source)"
        " VALUES (?,?,?,?,?,'owner')",
        links,
    )
    conn.executemany(
        "INSERT INTO collection_photos (id, created_at, updated_at, collection_id, photo_id,"
        " position) VALUES (?,?,?,?,?,?)",
        in_collections,
    )


def _fill_search(conn: sqlite3.Connection) -> None:
    """The catalog's full-text rows, from the catalog's own source query, in one statement."""
    from catalog.search import _SOURCE_SQL

    conn.create_function("file_of", 1, lambda p: PurePath(p).name, deterministic=True)
    conn.create_function("folder_of", 1, lambda p: str(PurePath(p).parent), deterministic=True)
    conn.execute(
        "INSERT INTO photo_search (rowid, photo_id, title, description, tags, camera, lens,"
        " city, file, folder) SELECT photo_rowid, id, title, description, tags, camera,"
        f" lens, city, file_of(source_path), folder_of(source_path) FROM ({_SOURCE_SQL})"
    )


def _thumbnail_variants(folder: Path) -> list[Path]:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(VARIANTS):
        path = folder / f"v{i}.jpg"
        if not path.exists():
            image = Image.new("RGB", (300, 200), (30 + i * 4, 80 + i * 2, 140 - i))
            draw = ImageDraw.Draw(image)
            for k in range(8):
                draw.ellipse(
                    (k * 20 + i, k * 9, 300 - k * 15, 200 - k * 11),
                    outline=(200 - k * 20, 120 + i, 60 + k * 18),
                    width=3,
                )
            image.save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


# --- the published snapshot ---------------------------------------------------------------
def fill_snapshot(engine: Engine, n: int, seed: int = 1) -> int:
    """One live publish of the same archive's public and unlisted photos into an empty
    database (``webviewer.schema``'s tables); returns the listed photos. PostgreSQL: COPY,
    secondary indexes built after the load."""
    world = make_world(n, seed)
    s.metadata.create_all(engine)
    postgres = engine.dialect.name == "postgresql"
    indexes = [i for t in s.metadata.sorted_tables for i in t.indexes]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if postgres:
            for index in indexes:
                cursor.execute(str(DropIndex(index).compile(dialect=engine.dialect)))
        members = _collection_members(n, world, seed)
        counts: dict[str, int] = {}
        listed = 0
        shown: set[int] = set()
        first_shown: str | None = None
        for chunk in _chunks(n, seed):
            photos, links, in_collections = [], [], []
            for p in chunk:
                if p.status != "processed" or p.visibility == "private":
                    continue
                row, tag_ids = _snapshot_photo(p, world)
                photos.append(row)
                shown.add(p.n)
                first_shown = first_shown or p.id
                for tag_id in tag_ids:
                    links.append((1, None, p.id, tag_id))
                if row[3]:
                    listed += 1
                    for key in (row[11], row[12], row[13], *tag_ids):
                        if key:
                            counts[key] = counts.get(key, 0) + 1
                for c, position in members.get(p.n, ()):
                    in_collections.append((1, None, world.collections[c]["id"], p.id, position))
            _load(cursor, postgres, s.photos, photos)
            _load(cursor, postgres, s.photo_tags, links)
            _load(cursor, postgres, s.collection_photos, in_collections)
        _load_world(cursor, postgres, world, counts, listed, shown, members, first_shown)
        if postgres:
            for index in indexes:
                cursor.execute(str(CreateIndex(index).compile(dialect=engine.dialect)))
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    return listed


_PHOTO_COLUMNS = (
    "valid_from", "valid_to", "id", "listed", "title", "description", "date_taken", "year",
    "width", "height", "shuffle_key", "camera_id", "lens_id", "city_id", "camera_name",
    "lens_name", "focal_length_mm", "aperture", "exposure_display", "iso",
    "placeholder_color", "renditions", "search_text", "first_published_at",
)  # fmt: skip


def _snapshot_photo(p: SyntheticPhoto, world: World) -> tuple[tuple, list[str]]:
    camera, lens = world.cameras[p.camera], world.lenses[p.lens]
    city = None if p.city is None else world.cities[p.city]
    tags = [world.tags[t] for t in p.tags]
    renditions = json.dumps(
        [
            {"size": size, "key": f"p/{p.content_hash[:2]}/{p.content_hash}-v1-{size}.jpg",
             "width": size, "height": size * 2 // 3, "bytes": size * 90}
            for size in (300, 800, 1600)
        ]
    )  # fmt: skip
    words = [p.title or "", *(t["name"] for t in tags), camera["name"], lens["name"]]
    if city:
        words += [city["name"], city["admin1"], city["country_code"]]
    row = (
        1, None, p.id, p.visibility == "public", p.title, None, p.taken,
        p.taken.year if p.taken else None, 1600, 1067, p.shuffle_key, camera["id"], lens["id"],
        city["id"] if city else None, camera["name"], lens["name"], 35.0, 2.8, "1/250 s", 200,
        f"#{p.shuffle_key % 0xFFFFFF:06x}", renditions, " ".join(w for w in words if w),
        datetime(2026, 1, 1) + timedelta(seconds=p.n),
    )  # fmt: skip
    return row, [t["id"] for t in tags]


def _load(cursor: object, postgres: bool, table: object, rows: list[tuple]) -> None:
    """Rows in the column order of ``_columns(table)``."""
    if not rows:
        return
    cols = _columns(table)
    if postgres:
        with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(cols))
        cursor.executemany(  # type: ignore[attr-defined]
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks})",  # type: ignore[attr-defined]
            [tuple(_sqlite_value(v) for v in row) for row in rows],
        )


def _sqlite_value(value: object) -> object:
    return _ts(value) if isinstance(value, datetime) else value


def _columns(table: object) -> tuple[str, ...]:
    return {
        "photos": _PHOTO_COLUMNS,
        "photo_tags": ("valid_from", "valid_to", "photo_id", "tag_id"),
        "collection_photos": ("valid_from", "valid_to", "collection_id", "photo_id", "position"),
    }[table.name]  # type: ignore[attr-defined]


def _load_world(
    cursor: object,
    postgres: bool,
    world: World,
    counts: dict[str, int],
    listed: int,
    shown: set[int],
    members: dict[int, list[tuple[int, int]]],
    first_shown: str | None,
) -> None:
    """Gear, cities, tags, collections, the site's title and the live publish."""
    del postgres  # a few hundred rows: plain inserts everywhere
    cover = first_shown
    sql = []
    for name, items in (("cameras", world.cameras), ("lenses", world.lenses),
                        ("cities", world.cities)):  # fmt: skip
        for x in items:
            extra = (
                {"admin1": x["admin1"], "country_code": x["country_code"],
                 "latitude": x["latitude"], "longitude": x["longitude"]}
                if name == "cities" else {}
            )  # fmt: skip
            sql.append((name, {"valid_from": 1, "id": x["id"], "slug": x["slug"],
                               "name": x["name"], "photo_count": counts.get(x["id"], 0),
                               "cover_photo_id": cover, **extra}))  # fmt: skip
    for t in world.tags:
        count = counts.get(t["id"], 0)
        sql.append(("tags", {"valid_from": 1, "id": t["id"], "slug": t["slug"],
                             "name": t["name"], "photo_count": count}))  # fmt: skip
    sizes: dict[int, int] = {}
    for k, places in members.items():
        if k in shown:
            for c, _ in places:
                sizes[c] = sizes.get(c, 0) + 1
    for c, x in enumerate(world.collections):
        sql.append(("collections", {"valid_from": 1, "id": x["id"], "slug": x["slug"],
                                    "name": x["name"], "position": c,
                                    "photo_count": sizes.get(c, 0)}))  # fmt: skip
    sql.append(("site", {"valid_from": 1, "key": "title", "value": "Scale bench"}))
    sql.append(("publishes", {"seq": 1, "id": str(uuid.uuid4()),
                              "published_at": datetime(2026, 1, 1), "state": s.LIVE,
                              "photo_count": listed,
                              "schema_version": s.SCHEMA_VERSION}))  # fmt: skip
    mark = "%s" if type(cursor).__module__.startswith("psycopg") else "?"
    for table, row in sql:
        cols = list(row)
        values = [_sqlite_value(v) if mark == "?" else v for v in row.values()]
        cursor.execute(  # type: ignore[attr-defined]
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})",
            values,
        )


def disk_bytes(path: Path) -> int:
    """Bytes a file or folder takes on disk (hard links counted once)."""
    if path.is_file():
        return path.stat().st_blocks * 512
    seen: set[int] = set()
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            st = os.stat(os.path.join(folder, name))
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


__all__ = ["build_catalog", "fill_snapshot", "iter_photos", "make_world", "disk_bytes"]
