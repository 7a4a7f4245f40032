"""The incremental publish: read and write only what changed since the last publish.

The catalog's journal (catalog/journal.py) names the photos, gear, places, tags and
collections touched since the publish's cursor (publisher/cursor.py). From them:

- the *dirty photos*: those touched, and those showing a touched camera, lens, city or tag
  (their rows repeat its name), on either side (catalog and open snapshot rows); a tag that
  appears or disappears from the site adds every photo carrying it (unlisted photos' tag
  links follow it);
- their rows are built exactly as the full publish builds them (``read_photos`` then
  ``photo_row``), diffed against their open rows, read by key: the open rows are the state;
- every facet row they touch (camera, lens, city, tag, collection) is recomputed from its
  open row and the dirty photos alone: count = open count − what the dirty photos counted
  before + what they count now; cover = the newer of the best photo no dirty photo displaced
  (one indexed query when the cover itself is dirty) and the dirty candidates;
- collections touched (or holding, or covered by, a dirty photo) are rebuilt from their
  members; positions of all collections (a small table) follow.

Privacy is decided as the full publish decides it (``photos_to_purge``' rules, over the dirty
photos); a tests/publisher property test checks that after random edit sequences the live
rows equal a full publish's. Anything this cannot answer — no cursor, another catalog, a
journal gap, new settings, a rolled-back or killed publish — returns None: the full path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Text, case, cast, select

from catalog import journal
from catalog.catalog import Catalog
from catalog.models import Camera, City, Collection, CollectionPhoto, Lens, Photo, Tag
from catalog.privacy import purge_clause
from catalog.settings import Settings
from publisher import intents
from publisher.catalog_view import CatalogSite, read_photos
from publisher.cursor import Cursor, read_cursor
from publisher.fingerprint import CatalogMark
from publisher.ledger import lookup_objects
from publisher.plan import Aside, ledger_renditions, rendition_keys, set_aside
from publisher.rows import photo_row
from publisher.set_aside import SetAside, read_set_aside
from publisher.snapshot import pictures_of
from publisher.state import COLUMNS, Renditions, Row, digest, live_seq, newest_seq, row_key
from webviewer import schema

Desired = dict[str, dict[str, tuple[Row, str]]]
Old = dict[str, dict[str, tuple[int, str]]]
_FACETS = (("cameras", "camera", "camera_id"), ("lenses", "lens", "lens_id"))
_GEAR = (*_FACETS, ("cities", "city", "city_id"))
_CHUNK = 500
_MAX_ROUNDS = 6


@dataclass
class Delta:
    """What an incremental plan read: the old rows (row id, digest) of every key it may
    touch, and the facts the write needs."""

    seq: int
    old: Old
    photo_rows_before: int  # open photo rows of the publish it continues
    listed_others: int  # listed photos of that publish that are not dirty
    mark: CatalogMark
    cursor: Cursor


@dataclass
class Changes:
    """An incremental plan's rows, before renditions are filled in."""

    site: CatalogSite
    keys: dict[str, dict[int, str]]  # photo id -> size -> object key
    ready: dict[str, Renditions]  # photos whose objects are all uploaded
    known: frozenset[str]
    current: dict[str, Renditions]  # the dirty photos' open rows' renditions
    first_published: dict[str, datetime]
    desired: Desired  # rows of the touched keys (photos with pending renditions)
    delta: Delta
    purged: set[str]
    ever_published: set[str]  # dirty photos in any kept snapshot
    aside: Aside  # dirty photos that cannot be published (publisher/set_aside.py)


def start(
    engine: Engine, mark: CatalogMark, own_intents: bool = False
) -> tuple[Cursor, int] | None:
    """The cursor to continue from and the newest publish, or None: publish in full.
    ``own_intents``: the intents are this publish's own (planned again after its upload),
    not a killed publish's, so they do not call for the full path."""
    if mark.position is None:
        return None
    with engine.connect() as conn:
        seq = newest_seq(conn)
        if seq is None or seq != live_seq(conn):
            return None
        if intents.outstanding(conn) and not own_intents:
            return None
        cursor = read_cursor(conn, seq)
    if cursor is None or cursor.basis != mark.basis:
        return None
    return cursor, seq


def plan_changes(
    catalog: Catalog,
    engine: Engine,
    settings: Settings,
    sizes: tuple[int, ...],
    mark: CatalogMark,
    now: datetime,
    own_intents: bool = False,
) -> Changes | None:
    """The rows an incremental publish writes, or None (publish in full)."""
    begun = start(engine, mark, own_intents)
    if begun is None or mark.position is None:
        return None
    cursor, seq = begun
    with journal.reading(catalog.db_path) as db:
        # The position again, in the transaction that lists the changes: a thing touched
        # once before the mark and again since has only its newer row, so the range must
        # end where this transaction sees the journal end.
        upto = journal.position(db)
        if upto is None or not journal.follows(db, cursor.position, upto):
            return None
        touched = journal.changes(db, cursor.position.rev, upto.rev)
        dirty = set(touched["photo"])
        for _, kind, _ in _GEAR:
            dirty |= journal.photos_linked(db, kind, touched[kind])
        dirty |= journal.photos_linked(db, "tag", touched["tag"])
    with engine.connect() as conn:
        for _, kind, column in _GEAR:
            dirty |= _open_ids(conn, schema.photos, column, touched[kind])
        dirty |= _open_ids(conn, schema.photo_tags, "tag_id", touched["tag"], "photo_id")
        remembered = read_set_aside(conn)
    dirty |= set(remembered)  # tried again once their files change: stat them every time
    delta_base = (seq, cursor, mark)
    for _ in range(_MAX_ROUNDS):
        result = _compute(
            catalog, engine, settings, sizes, touched, dirty, delta_base, now, remembered
        )
        if isinstance(result, Changes):
            return result
        dirty |= result
    return None  # tags keep flipping: let the full publish decide


def _compute(
    catalog: Catalog,
    engine: Engine,
    settings: Settings,
    sizes: tuple[int, ...],
    touched: dict[str, set[str]],
    dirty: set[str],
    base: tuple[int, Cursor, CatalogMark],
    now: datetime,
    remembered: dict[str, SetAside],
) -> Changes | set[str]:
    """The changes for this dirty set, or more photos to add to it (tags that appear on or
    disappear from the site take every photo carrying them along)."""
    seq, cursor, mark = base
    site = read_photos(catalog, settings, dirty)
    with engine.connect() as conn:
        old_photos = {r["id"]: r for r in _open_rows(conn, schema.photos, "id", dirty)}
        old_links = _open_rows(conn, schema.photo_tags, "photo_id", dirty)
        ever = _any_ids(conn, dirty)
        listed_before = int(
            conn.scalar(select(schema.publishes.c.photo_count).where(schema.publishes.c.seq == seq))
            or 0
        )
    # --- the photos' rows
    current = {pid: (r["renditions"], r["placeholder_color"]) for pid, r in old_photos.items()}
    first = {pid: r["first_published_at"] for pid, r in old_photos.items()}
    keys, renditions, known = _renditions(engine, site, sizes, current)
    publishable = set(site.photos)  # before the photos that cannot go are set aside
    aside = set_aside(site, sizes, current, keys, renditions, remembered)
    site, keys = aside.site, aside.keys
    pending: dict[str, Renditions] = {pid: ([], None) for pid in keys if pid not in renditions}
    rows = {
        pid: photo_row(p, site, {**renditions, **pending}[pid], first.get(pid, now))
        for pid, p in site.photos.items()
    }
    desired: Desired = {"photos": {pid: (r, digest("photos", r)) for pid, r in rows.items()}}
    old: Old = {
        "photos": {pid: (r["row_id"], digest("photos", r)) for pid, r in old_photos.items()}
    }
    with engine.connect() as conn, catalog.reading() as session:
        cconn = session.connection()
        # --- cameras, lenses, cities
        for table, kind, column in _GEAR:
            ids = set(touched[kind]) | {r[column] for r in old_photos.values()}
            ids |= {r[column] for r in rows.values()}
            ids.discard(None)
            _facet(conn, cconn, table, column, ids, old_photos, rows, desired, old)
        # --- tags and the photos' tag links
        flipped = _tags(conn, cconn, site, touched, old_links, old_photos, rows, desired, old)
        if flipped:
            with journal.reading(catalog.db_path) as db:
                more = journal.photos_linked(db, "tag", flipped)
            more |= _open_ids(conn, schema.photo_tags, "tag_id", flipped, "photo_id")
            if not more <= dirty:
                return more - dirty
        # --- collections
        _collections(conn, cconn, touched, dirty, old_photos, rows, desired, old)
        purged = _to_purge(conn, cconn, dirty, publishable, ever, old_photos)
    listed_before_dirty = sum(1 for r in old_photos.values() if r["listed"])
    delta = Delta(seq, old, cursor.photo_rows, listed_before - listed_before_dirty, mark, cursor)
    return Changes(
        site=site,
        keys=keys,
        ready=renditions,
        known=known,
        current=current,
        first_published={pid: f for pid, f in first.items() if f is not None},
        desired=desired,
        delta=delta,
        purged=purged,
        ever_published=ever,
        aside=aside,
    )


def _renditions(
    engine: Engine, site: CatalogSite, sizes: tuple[int, ...], current: dict[str, Renditions]
) -> tuple[dict[str, dict[int, str]], dict[str, Renditions], frozenset[str]]:
    """plan.make_plan's keys and ready renditions, for these photos only."""
    keys = rendition_keys(site, sizes)
    ready: dict[str, Renditions] = {}
    for pid, wanted in keys.items():
        now = current.get(pid)
        if now and [r["key"] for r in now[0]] == list(wanted.values()):
            ready[pid] = now
    pending = [k for pid, wanted in keys.items() if pid not in ready for k in wanted.values()]
    found = lookup_objects(engine, pending)
    for pid, wanted in keys.items():
        if pid not in ready and (r := ledger_renditions(wanted, found)) is not None:
            ready[pid] = r
    return keys, ready, frozenset(found)


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    ordered = sorted(v for v in set(values) if v is not None)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _open_rows(conn: Connection, table: Any, column: str, values: Iterable[Any]) -> list[Any]:
    """Open rows of ``table`` whose ``column`` is one of ``values`` (by an index)."""
    found: list[Any] = []
    for chunk in _chunks(values):
        query = select(table).where(table.c.valid_to.is_(None), table.c[column].in_(chunk))
        found += conn.execute(query).mappings().all()
    return found


def _open_ids(
    conn: Connection, table: Any, column: str, values: Iterable[Any], wanted: str = "id"
) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        query = select(table.c[wanted]).where(
            table.c.valid_to.is_(None), table.c[column].in_(chunk)
        )
        found.update(conn.scalars(query))
    return found


def _any_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these photos any kept snapshot shows (open or closed rows)."""
    found: set[str] = set()
    p = schema.photos
    for chunk in _chunks(ids):
        found.update(conn.scalars(select(p.c.id).where(p.c.id.in_(chunk)).distinct()))
    return found


def _plain(table: str, row: Any) -> Row:
    return {c: row[c] for c in COLUMNS[table]}


def _newer(a: tuple[datetime, str] | None, b: tuple[datetime, str] | None) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _sort_key(date: datetime | None, pid: str) -> tuple[datetime, str]:
    """rows._newest_first's order: newest date first (none: oldest), then id."""
    return (date or datetime.min, pid)


def _facet(
    conn: Connection,
    cconn: Connection,
    table: str,
    column: str,
    ids: set[str],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> None:
    """Desired rows of cameras, lenses or cities ``ids`` (count and cover of listed photos)."""
    snap = schema.metadata.tables[table]
    before = {r["id"]: r for r in _open_rows(conn, snap, "id", ids)}
    old[table] = {fid: (r["row_id"], digest(table, r)) for fid, r in before.items()}
    desired[table] = {}
    if not ids:
        return
    attrs = _entities(cconn, table, ids)
    for fid in sorted(ids):
        was = before.get(fid)
        leaving = {pid for pid, r in old_photos.items() if r["listed"] and r[column] == fid}
        coming = [r for r in rows.values() if r["listed"] and r[column] == fid]
        count = (was["photo_count"] if was else 0) - len(leaving) + len(coming)
        if count <= 0 or fid not in attrs:
            continue
        best = None
        if was is not None and was["cover_photo_id"] is not None:
            best = _best_kept(conn, column, fid, was["cover_photo_id"], leaving)
        for r in coming:
            best = _newer(best, _sort_key(r["date_taken"], r["id"]))
        row = {**attrs[fid], "photo_count": count, "cover_photo_id": best[1] if best else None}
        desired[table][fid] = (row, digest(table, row))


def _best_kept(
    conn: Connection, column: str, fid: str, cover: str, leaving: set[str]
) -> tuple[datetime, str] | None:
    """The newest listed open photo of ``fid`` that is not leaving: the old cover if it stays
    (it was the newest of them all), else asked of the snapshot in cover order."""
    p = schema.photos
    if cover not in leaving:
        date = conn.scalar(select(p.c.date_taken).where(p.c.valid_to.is_(None), p.c.id == cover))
        return _sort_key(date, cover)
    query = (
        select(p.c.id, p.c.date_taken)
        .where(p.c.valid_to.is_(None), p.c.listed.is_(True), p.c[column] == fid)
        .order_by(
            case((p.c.date_taken.is_(None), 0), else_=1).desc(),
            p.c.date_taken.desc(),
            p.c.id.desc(),
        )
        .limit(len(leaving) + 1)
    )
    for pid, date in conn.execute(query):
        if pid not in leaving:
            return _sort_key(date, pid)
    return None


def _entities(cconn: Connection, table: str, ids: set[str]) -> dict[str, Row]:
    """The catalog's own columns of these cameras, lenses, cities or tags, as rows.py puts
    them in the snapshot."""
    found: dict[str, Row] = {}
    q: Any
    for chunk in _chunks(ids):
        if table == "cameras":
            q = select(Camera.id, Camera.slug, Camera.make, Camera.name).where(Camera.id.in_(chunk))
        elif table == "lenses":
            q = select(
                Lens.id, Lens.slug, Lens.make, Lens.name, Lens.focal_min_mm, Lens.focal_max_mm,
                Lens.max_aperture,
            ).where(Lens.id.in_(chunk))  # fmt: skip
        elif table == "cities":
            q = select(
                City.id, City.slug, City.name, City.admin1, City.country_code, City.latitude,
                City.longitude,
            ).where(City.id.in_(chunk))  # fmt: skip
        else:
            q = select(Tag.id, Tag.slug, Tag.name).where(Tag.id.in_(chunk))
        for row in cconn.execute(q).mappings():
            found[row["id"]] = dict(row)
            if table == "cities":
                found[row["id"]]["admin1"] = row["admin1"] or None
    return found


def _tags(
    conn: Connection,
    cconn: Connection,
    site: CatalogSite,
    touched: dict[str, set[str]],
    old_links: list[Any],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> set[str]:
    """Tags and tag links of the dirty photos; returns the tags that appear on or disappear
    from the site (their unlisted photos' links must follow)."""
    new_tags = {pid: site.photos[pid].tag_ids for pid in rows}
    ids = set(touched["tag"]) | {r["tag_id"] for r in old_links}
    ids |= {t for tags in new_tags.values() for t in tags}
    before = {r["id"]: r for r in _open_rows(conn, schema.tags, "id", ids)}
    old["tags"] = {tid: (r["row_id"], digest("tags", r)) for tid, r in before.items()}
    leaving: dict[str, int] = {}
    for link in old_links:
        photo = old_photos.get(link["photo_id"])
        if photo is not None and photo["listed"]:
            leaving[link["tag_id"]] = leaving.get(link["tag_id"], 0) + 1
    coming: dict[str, int] = {}
    for pid, tags in new_tags.items():
        if rows[pid]["listed"]:
            for t in tags:
                coming[t] = coming.get(t, 0) + 1
    attrs = _entities(cconn, "tags", ids)
    desired["tags"] = {}
    shown: set[str] = set()
    for tid in ids:
        was = before.get(tid)
        count = (was["photo_count"] if was else 0) - leaving.get(tid, 0) + coming.get(tid, 0)
        if count > 0 and tid in attrs:
            shown.add(tid)
            row = {**attrs[tid], "photo_count": count}
            desired["tags"][tid] = (row, digest("tags", row))
    old["photo_tags"] = {
        row_key("photo_tags", r): (r["row_id"], digest("photo_tags", r)) for r in old_links
    }
    desired["photo_tags"] = {}
    for pid, tags in new_tags.items():
        for t in tags:
            if t in shown:
                link = {"photo_id": pid, "tag_id": t}
                desired["photo_tags"][row_key("photo_tags", link)] = (
                    link,
                    digest("photo_tags", link),
                )
    return {tid for tid in ids if (tid in before) != (tid in shown)}


def _collections(
    conn: Connection,
    cconn: Connection,
    touched: dict[str, set[str]],
    dirty: set[str],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> None:
    """Collections touched, holding or covered by a dirty photo: rebuilt from their members;
    every collection's position follows (rows.py: the n-th shown one, by creation)."""
    ordered = cconn.execute(
        select(
            Collection.id,
            Collection.slug,
            Collection.name,
            Collection.description,
            Collection.cover_photo_id,
            Collection.created_at,
        ).order_by(Collection.created_at, Collection.id)
    ).all()
    snap = schema.collections
    before = {
        r["id"]: r for r in conn.execute(select(snap).where(snap.c.valid_to.is_(None))).mappings()
    }
    cp = schema.collection_photos
    redo = set(touched["collection"])
    redo |= {c.id for c in ordered if c.cover_photo_id in dirty}
    redo |= {cid for cid, r in before.items() if r["cover_photo_id"] in dirty}
    redo |= _open_ids(conn, cp, "photo_id", dirty, "collection_id")
    for chunk in _chunks(dirty):
        query = select(CollectionPhoto.collection_id).where(CollectionPhoto.photo_id.in_(chunk))
        redo.update(cconn.scalars(query))
    rebuilt: dict[str, Row] = {}
    members_rows: dict[str, tuple[Row, str]] = {}
    for c in ordered:
        if c.id not in redo:
            continue
        members = list(
            cconn.scalars(
                select(CollectionPhoto.photo_id)
                .where(CollectionPhoto.collection_id == c.id)
                .order_by(CollectionPhoto.position, CollectionPhoto.id)
            )
        )
        listed = _listed_dates(conn, [m for m in members if m not in dirty])
        listed.update({pid: r["date_taken"] for pid, r in rows.items() if r["listed"]})
        shown = [m for m in members if m in listed]
        if not shown:
            continue
        dates = [d for m in shown if (d := listed[m]) is not None]
        rebuilt[c.id] = {
            "id": c.id,
            "slug": c.slug,
            "name": c.name,
            "description": c.description,
            "date": max(dates) if dates else c.created_at,
            "cover_photo_id": c.cover_photo_id
            if c.cover_photo_id in listed or _is_listed(conn, c.cover_photo_id, dirty, rows)
            else shown[0],
            "photo_count": len(shown),
        }
        for i, pid in enumerate(shown):
            link = {"collection_id": c.id, "photo_id": pid, "position": i}
            members_rows[row_key("collection_photos", link)] = (
                link,
                digest("collection_photos", link),
            )
    old["collections"] = {cid: (r["row_id"], digest("collections", r)) for cid, r in before.items()}
    desired["collections"] = {}
    position = 0
    for c in ordered:
        if c.id in redo:
            row = rebuilt.get(c.id)
        else:
            row = _plain("collections", before[c.id]) if c.id in before else None
        if row is None:
            continue
        row = {**row, "position": position}
        position += 1
        desired["collections"][c.id] = (row, digest("collections", row))
    old_members = _open_rows(conn, cp, "collection_id", redo)
    old["collection_photos"] = {
        row_key("collection_photos", r): (r["row_id"], digest("collection_photos", r))
        for r in old_members
    }
    desired["collection_photos"] = members_rows


def _is_listed(
    conn: Connection, photo_id: str | None, dirty: set[str], rows: dict[str, Row]
) -> bool:
    """Is a cover that is no member a listed photo of the new snapshot?"""
    if photo_id is None:
        return False
    if photo_id in dirty:
        return photo_id in rows and bool(rows[photo_id]["listed"])
    return photo_id in _listed_dates(conn, [photo_id])


def _listed_dates(conn: Connection, ids: list[str]) -> dict[str, datetime | None]:
    p = schema.photos
    found: dict[str, datetime | None] = {}
    for chunk in _chunks(ids):
        query = select(p.c.id, p.c.date_taken).where(
            p.c.valid_to.is_(None), p.c.listed.is_(True), p.c.id.in_(chunk)
        )
        found.update((pid, date) for pid, date in conn.execute(query))
    return found


def _to_purge(
    conn: Connection,
    cconn: Connection,
    dirty: set[str],
    publishable: set[str],
    ever: set[str],
    old_photos: dict[str, Any],
) -> set[str]:
    """publish.photos_to_purge over the dirty photos: published ones now private, failed or
    rejected, and removed ones whose picture another photo now hides; and, for pictures the
    dirty photos now hide, earlier ids (removed since) whose kept rows still show them."""
    candidates = ever - publishable
    hidden: set[str] = set()
    present: set[str] = set()
    hidden_pictures: set[str] = set()
    for chunk in _chunks(dirty):
        query = select(Photo.id, Photo.content_hash, purge_clause(Photo)).where(Photo.id.in_(chunk))
        for pid, content_hash, is_hidden in cconn.execute(query):
            present.add(pid)
            if is_hidden:
                hidden_pictures.add(content_hash)
                if pid in candidates:
                    hidden.add(pid)
    gone = candidates - present
    if gone:
        pictures = pictures_of(conn, gone)
        shown = set().union(*pictures.values()) if pictures else set()
        for chunk in _chunks(shown):
            hashes = select(Photo.content_hash).where(
                Photo.content_hash.in_(chunk), purge_clause(Photo)
            )
            hidden_pictures.update(cconn.scalars(hashes))
        hidden.update(pid for pid, seen in pictures.items() if seen & hidden_pictures)
    if hidden_pictures:
        hidden |= _earlier_ids(conn, cconn, hidden_pictures)
    return hidden


def _earlier_ids(conn: Connection, cconn: Connection, pictures: set[str]) -> set[str]:
    """Photo ids no longer in the catalog whose closed rows show one of these pictures."""
    p = schema.photos
    found: set[str] = set()
    for picture in sorted(pictures):
        shows = cast(p.c.renditions, Text).contains(picture)
        query = select(p.c.id).where(p.c.valid_to.is_not(None), shows).distinct()
        found.update(conn.scalars(query))
    if not found:
        return found
    present: set[str] = set()
    for chunk in _chunks(found):
        present.update(cconn.scalars(select(Photo.id).where(Photo.id.in_(chunk))))
    return found - present
