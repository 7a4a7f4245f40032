"""The snapshot writer: a generic temporal diff, committed in one transaction.

Desired rows (keyed by each table's natural key) are compared with the rows that are still
open (``valid_to IS NULL``, i.e. the newest publish's); changed and removed rows are closed
at the new ``seq``, new versions inserted from it, and the ``publishes`` row goes in as live
in the same transaction — so visitors see the old site or the new, never a mix.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    Text,
    and_,
    cast,
    exists,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from publisher.cursor import Cursor, save_cursor
from publisher.errors import NothingToRollBack, SnapshotDatabaseError, TargetError
from publisher.renditions import picture_of_key
from publisher.state import (
    NATURAL_KEYS,
    Row,
    SnapshotState,
    digest,
    live_seq,
    newest_seq,
    row_key,
    save_marker,
    save_state,
    set_fingerprint,
)
from publisher.tables import publisher_metadata
from webviewer import schema
from webviewer.dialects import UnsupportedDatabase, dialect_of

KEEP_SNAPSHOTS = 3
# How long a replaced snapshot may still be on screen: a viewer trusts the live publish for
# ``publish_check_s`` (1 s) and pages are cached for ``html_max_age_s`` (60 s) plus ten times
# that stale-while-revalidate. Objects only such a snapshot uses stay until it has passed.
REPLACED_GRACE_S = 15 * 60
Key = tuple[Any, ...]


@dataclass(frozen=True)
class WriteResult:
    seq: int | None  # None: nothing changed, no publish row written
    publish_id: str | None
    rows_closed: int
    rows_inserted: int


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def shown_url(url: str | URL) -> str:
    """A database URL fit for a message: no password, whether in the user part or given as
    a query parameter (``?password=``, ``sslpassword``...)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(an unparsable database URL)"
    secret = [name for name in parsed.query if any(w in name.lower() for w in _SECRET_WORDS)]
    return parsed.difference_update_query(secret).render_as_string(hide_password=True)


_SECRET_WORDS = ("password", "secret", "token", "key")


def parse_database_url(url: str) -> URL:
    """The snapshot database URL, or a TargetError that does not repeat it (it may hold a
    password)."""
    try:
        return make_url(url)
    except ArgumentError:
        raise TargetError(
            "the database URL cannot be read (expected postgresql://user@host/db)"
        ) from None


# Publisher tables a reader copes without (an older snapshot): a dry run does not create them.
OPTIONAL_TABLES = frozenset({"publish_set_aside"})  # publisher/set_aside.py reads it as empty


def connect_snapshot(url: str, reading: bool = False) -> Engine:
    """An engine on the snapshot DB with every table created; fails fast and clearly.
    ``reading`` (a dry run): the tables in ``OPTIONAL_TABLES`` are not created, so a
    snapshot written before they existed is not written to (nor refused to a login that
    may only read it)."""
    parsed = parse_database_url(url)
    where = shown_url(parsed)
    try:
        engine = dialect_of(parsed).writer_engine(parsed)
    except UnsupportedDatabase as exc:
        raise TargetError(str(exc)) from None
    except OSError as exc:  # a file where the folder goes, a read-only disk, ...
        raise SnapshotDatabaseError(where, exc.strerror or str(exc)) from exc
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        wanted = {"publishes", *publisher_metadata.tables}
        if not wanted - (OPTIONAL_TABLES if reading else set()) <= tables:
            schema.metadata.create_all(engine)
            publisher_metadata.create_all(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SnapshotDatabaseError(where, cause) from exc
    return engine


def diff_table(
    current: dict[str, tuple[int, str]], desired: dict[str, tuple[Row, str]]
) -> tuple[list[int], list[tuple[str, Row, str]]]:
    """Row ids to close, and (key, row, digest) to insert, so ``current`` becomes ``desired``."""
    close = [rid for k, (rid, d) in current.items() if desired.get(k, (None, None))[1] != d]
    inserts = [(k, r, d) for k, (r, d) in desired.items() if current.get(k, (0, None))[1] != d]
    return close, inserts


def digested(desired: dict[str, dict[Key, Row]]) -> dict[str, dict[str, tuple[Row, str]]]:
    """Desired rows by table and key string, each with its digest."""
    return {
        name: {row_key(name, row): (row, digest(name, row)) for row in rows.values()}
        for name, rows in desired.items()
    }


def count_changes(state: SnapshotState, desired: dict[str, dict[str, tuple[Row, str]]]) -> int:
    """How many rows a write would touch (0: the snapshot already matches)."""
    total = 0
    for name, rows in desired.items():
        close, inserts = diff_table(state.table(name), rows)
        total += len(close) + len(inserts)
    return total


def write_snapshot(
    engine: Engine,
    desired: dict[str, dict[str, tuple[Row, str]]],
    renditions: dict[str, Any],
    state: SnapshotState,
    *,
    photo_count: int,
    purge_photo_ids: Sequence[str] = (),
    force: bool = False,
    fingerprint: str | None = None,
    cursor: Cursor | None = None,
) -> WriteResult:
    """Make ``desired`` the live snapshot in one transaction (``force``: rewrite every row).
    ``cursor``: how far into the catalog's journal it goes (None: the next publish is full)."""
    with engine.begin() as conn:
        _lock(conn)
        if newest_seq(conn) != state.seq:  # another publish got in first: start again
            raise SnapshotDatabaseError("snapshot", "changed during this publish; publish again")
        diffs = {
            name: diff_table({} if force else state.table(name), desired[name])
            for name in NATURAL_KEYS
        }
        if force:
            diffs = {
                n: ([rid for rid, _ in state.table(n).values()], d[1]) for n, d in diffs.items()
            }
        changed = sum(len(c) + len(i) for c, i in diffs.values())
        if not (changed or purge_photo_ids) and state.seq == live_seq(conn):
            set_fingerprint(conn, state.seq, fingerprint)
            if state.seq is not None:
                save_cursor(conn, state.seq, cursor)
            return WriteResult(None, None, 0, 0)
        publish_id, seq = _new_publish(conn, photo_count)
        new_state = SnapshotState(seq, renditions=renditions)
        for table in schema.VERSIONED_TABLES:
            close, inserts = diffs[table.name]
            _close_rows(conn, table, close, seq)
            closed = set(close)
            kept = {k: v for k, v in state.table(table.name).items() if v[0] not in closed}
            kept.update(_insert_rows(conn, table, inserts, seq))
            new_state.rows[table.name] = kept
        new_state.first_published = {
            pid: row["first_published_at"] for pid, (row, _) in desired["photos"].items()
        }
        purge_photos(conn, purge_photo_ids)
        save_state(conn, new_state, fingerprint)
        save_cursor(conn, seq, cursor)
        closed_count = sum(len(c) for c, _ in diffs.values())
        return WriteResult(seq, publish_id, closed_count, changed - closed_count)


def _new_publish(conn: Connection, photo_count: int) -> tuple[str, int]:
    """Insert the new publish as live; its id and seq."""
    publish_id = str(uuid.uuid4())
    primary_key = conn.execute(
        insert(schema.publishes).values(
            id=publish_id,
            published_at=utcnow(),
            state=schema.LIVE,
            photo_count=photo_count,
            schema_version=schema.SCHEMA_VERSION,
        )
    ).inserted_primary_key
    assert primary_key is not None  # a single-row INSERT always reports its key
    return publish_id, int(primary_key[0])


def write_delta(
    engine: Engine,
    seq: int,
    old: dict[str, dict[str, tuple[int, str]]],
    desired: dict[str, dict[str, tuple[Row, str]]],
    *,
    photo_count: int,
    purge_photo_ids: Sequence[str] = (),
    fingerprint: str | None = None,
    cursor: Cursor,
) -> WriteResult:
    """The incremental publish's write: ``old`` holds the open rows (id, digest) of exactly
    the keys ``desired`` answers for; the rest of the snapshot carries over untouched. One
    transaction, as :func:`write_snapshot`."""
    with engine.begin() as conn:
        _lock(conn)
        if newest_seq(conn) != seq:  # another publish got in first: start again
            raise SnapshotDatabaseError("snapshot", "changed during this publish; publish again")
        diffs = {name: diff_table(old.get(name, {}), rows) for name, rows in desired.items()}
        changed = sum(len(c) + len(i) for c, i in diffs.values())
        if not (changed or purge_photo_ids):
            set_fingerprint(conn, seq, fingerprint)
            save_cursor(conn, seq, cursor)
            return WriteResult(None, None, 0, 0)
        publish_id, new_seq = _new_publish(conn, photo_count)
        for table in schema.VERSIONED_TABLES:
            if table.name in diffs:
                close, inserts = diffs[table.name]
                _close_rows(conn, table, close, new_seq)
                _insert_rows(conn, table, inserts, new_seq)
        purge_photos(conn, purge_photo_ids)
        save_marker(conn, new_seq, fingerprint)
        save_cursor(conn, new_seq, cursor)
        closed_count = sum(len(c) for c, _ in diffs.values())
        return WriteResult(new_seq, publish_id, closed_count, changed - closed_count)


def _insert_rows(
    conn: Connection, table: Table, inserts: list[tuple[str, Row, str]], seq: int
) -> dict[str, tuple[int, str]]:
    """Insert new versions; return their keys with the new row ids."""
    if not inserts:
        return {}
    statement = insert(table).returning(table.c.row_id, sort_by_parameter_order=True)
    ids = conn.execute(statement, [{**row, "valid_from": seq} for _, row, _ in inserts]).scalars()
    return {key: (rid, d) for (key, _, d), rid in zip(inserts, ids, strict=True)}


def _lock(conn: Connection) -> None:
    """One snapshot writer at a time (PostgreSQL: an advisory lock; SQLite serialises)."""
    dialect_of(conn).lock_writes(conn)


def _close_rows(conn: Connection, table: Table, row_ids: list[int], seq: int) -> None:
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start : start + 500]
        conn.execute(update(table).where(table.c.row_id.in_(chunk)).values(valid_to=seq))


def purge_photos(conn: Connection, photo_ids: Iterable[str]) -> None:
    """Erase every version of photos that became private: no snapshot may keep them, nor
    the tags, places, gear or collections that only they put on the site."""
    ids = list(photo_ids)
    if not ids:
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(schema.photos.delete().where(schema.photos.c.id.in_(chunk)))
        for table in (schema.photo_tags, schema.collection_photos):
            conn.execute(table.delete().where(table.c.photo_id.in_(chunk)))
        for table in (schema.cameras, schema.lenses, schema.cities, schema.collections):
            conn.execute(
                update(table).where(table.c.cover_photo_id.in_(chunk)).values(cover_photo_id=None)
            )
    for facet, link, column in _FACET_LINKS:
        overlapping = and_(
            link.c[column] == facet.c.id,
            link.c.valid_from < func.coalesce(facet.c.valid_to, _OPEN),
            func.coalesce(link.c.valid_to, _OPEN) > facet.c.valid_from,
        )
        orphaned = facet.c.valid_to.is_not(None) & ~exists().where(overlapping)
        conn.execute(facet.delete().where(orphaned))  # closed versions only: live rows are
        # this publish's, built without the purged photos


# Each facet and the rows that put it on the site: a version with none left was there only
# for the purged photos. Open versions are never touched (the publish state knows them).
_FACET_LINKS = (
    (schema.tags, schema.photo_tags, "tag_id"),
    (schema.cities, schema.photos, "city_id"),
    (schema.cameras, schema.photos, "camera_id"),
    (schema.lenses, schema.photos, "lens_id"),
    (schema.collections, schema.collection_photos, "collection_id"),
)
_OPEN = 2**31 - 1  # valid_to of an open version, for overlap tests


def pictures_of(conn: Connection, photo_ids: Iterable[str]) -> dict[str, set[str]]:
    """The content hashes the kept rows of these photo ids show (their keys name them)."""
    ids = sorted(set(photo_ids))
    pictures: dict[str, set[str]] = {}
    photos = schema.photos
    for start in range(0, len(ids), 500):
        query = select(photos.c.id, photos.c.renditions).where(
            photos.c.id.in_(ids[start : start + 500])
        )
        for pid, items in conn.execute(query):
            pictures.setdefault(pid, set()).update(picture_of_key(r["key"]) for r in items or ())
    return pictures


def prune_snapshots(
    engine: Engine, keep: int = KEEP_SNAPSHOTS, grace_s: float = REPLACED_GRACE_S
) -> set[str]:
    """Delete row versions no kept snapshot can see; return object keys that may now be unused.

    Beyond the ``keep`` newest live snapshots, every snapshot that was live less than
    ``grace_s`` ago is kept too: a visitor may still be looking at a page of it.
    """
    p = schema.publishes
    with engine.begin() as conn:
        kept = conn.scalars(
            select(p.c.seq).where(p.c.state == schema.LIVE).order_by(p.c.seq.desc()).limit(keep)
        ).all()
        if len(kept) < keep:
            return set()
        oldest = min(kept[-1], _oldest_on_screen(conn, grace_s))
        old = schema.photos.c.valid_to.is_not(None) & (schema.photos.c.valid_to <= oldest)
        dropped = conn.scalars(select(schema.photos.c.renditions).where(old))
        candidates = {r["key"] for items in dropped for r in items or ()}
        for table in schema.VERSIONED_TABLES:
            conn.execute(
                table.delete().where(table.c.valid_to.is_not(None), table.c.valid_to <= oldest)
            )
        conn.execute(p.delete().where(p.c.seq < oldest))
        return candidates - keys_in_use(conn, candidates)


def _oldest_on_screen(conn: Connection, grace_s: float) -> int:
    """The oldest snapshot that was still the live one ``grace_s`` ago (or since)."""
    p = schema.publishes
    cutoff = utcnow() - timedelta(seconds=grace_s)
    before = select(func.max(p.c.seq)).where(p.c.state == schema.LIVE, p.c.published_at <= cutoff)
    seq = conn.scalar(before)
    if seq is None:  # every live snapshot is younger than the grace: keep them all
        seq = conn.scalar(select(func.min(p.c.seq)).where(p.c.state == schema.LIVE))
    return int(seq or 0)


def rollback(engine: Engine) -> tuple[int, int]:
    """Put the previous live snapshot back in one step; return (rolled back seq, live seq)."""
    p = schema.publishes
    with engine.begin() as conn:
        _lock(conn)
        live = conn.scalars(
            select(p.c.seq).where(p.c.state == schema.LIVE).order_by(p.c.seq.desc()).limit(2)
        ).all()
        if len(live) < 2:
            raise NothingToRollBack("there is no earlier snapshot to roll back to")
        conn.execute(update(p).where(p.c.seq == live[0]).values(state=schema.ROLLED_BACK))
    return live[0], live[1]


def closed_photo_ids(engine: Engine) -> set[str]:
    """Photos with versions only older kept snapshots see (maybe to purge)."""
    with engine.connect() as conn:
        query = select(schema.photos.c.id).where(schema.photos.c.valid_to.is_not(None)).distinct()
        return set(conn.scalars(query))


def keys_in_use(conn: Connection, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` a kept photo row still points at, whatever its photo id: a picture
    removed and imported again is a new id with the same keys. One text search per picture
    (the key names its content hash), so it costs O(candidates), not a read of every row."""
    wanted = set(keys)
    used: set[str] = set()
    renditions = schema.photos.c.renditions
    for picture in sorted({picture_of_key(key) for key in wanted}):
        query = select(renditions).where(cast(renditions, Text).contains(picture))
        used.update(r["key"] for items in conn.scalars(query) for r in items or ())
    return used & wanted


def referenced_keys(conn: Connection, photo_ids: set[str] | None = None) -> set[str]:
    """Object keys the kept snapshots' photo rows point at (all, or of these photos)."""
    query = select(schema.photos.c.renditions)
    keys: set[str] = set()
    if photo_ids is not None:
        ids = sorted(photo_ids)
        for start in range(0, len(ids), 500):
            chunk = query.where(schema.photos.c.id.in_(ids[start : start + 500]))
            keys.update(r["key"] for items in conn.scalars(chunk) for r in items or ())
        return keys
    return {r["key"] for items in conn.scalars(query) for r in items or ()}
