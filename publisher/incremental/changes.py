"""The incremental plan: from the dirty photos (publisher/incremental/touched.py) to the rows
a publish writes, built exactly as the full publish builds them and diffed against the open
rows they replace, read by key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from catalog.catalog import Catalog
from catalog.settings import Settings
from publisher import intents
from publisher.catalog_view import CatalogSite, read_photos
from publisher.cursor import Cursor, read_cursor
from publisher.fingerprint import CatalogMark
from publisher.incremental.collection_rows import collection_rows
from publisher.incremental.facets import GEAR, facet_rows, tag_rows
from publisher.incremental.purge import to_purge
from publisher.incremental.rows import Desired, Old, any_ids, open_rows
from publisher.incremental.touched import dirty_photos, photos_carrying
from publisher.ledger import lookup_objects
from publisher.plan import Aside, ledger_renditions, rendition_keys, set_aside
from publisher.rows import photo_row
from publisher.set_aside import SetAside, read_set_aside
from publisher.state import Renditions, digest, live_seq, newest_seq
from webviewer import schema

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
    found = dirty_photos(catalog, engine, cursor)
    if found is None:
        return None
    touched, dirty = found
    with engine.connect() as conn:
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
        old_photos = {r["id"]: r for r in open_rows(conn, schema.photos, "id", dirty)}
        old_links = open_rows(conn, schema.photo_tags, "photo_id", dirty)
        ever = any_ids(conn, dirty)
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
        for table, kind, column in GEAR:
            ids = set(touched[kind]) | {r[column] for r in old_photos.values()}
            ids |= {r[column] for r in rows.values()}
            ids.discard(None)
            facet_rows(conn, cconn, table, column, ids, old_photos, rows, desired, old)
        # --- tags and the photos' tag links
        flipped = tag_rows(conn, cconn, site, touched, old_links, old_photos, rows, desired, old)
        if flipped:
            more = photos_carrying(catalog, conn, flipped)
            if not more <= dirty:
                return more - dirty
        # --- collections
        collection_rows(conn, cconn, touched, dirty, old_photos, rows, desired, old)
        purged = to_purge(conn, cconn, dirty, publishable, ever, old_photos)
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
