"""Snapshot migrations: bring an older snapshot to ``schema.SCHEMA_VERSION`` in place.

The viewer reads one version of the contract and refuses others, so before a publish (or
a rollback) writes, the publisher runs every step newer than the snapshot's version, in
order, in one transaction with the new version written into every ``publishes`` row: the
viewer sees the old snapshot or the migrated one, never a half-migrated one. Steps are
idempotent (a step re-run on a migrated snapshot changes nothing), so a snapshot an older
ExifTree published into after a migration is simply brought up again.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, select, update

from publisher.errors import SnapshotDatabaseError
from publisher.snapshot import shown_url
from webviewer import schema
from webviewer.dialects import dialect_of

Step = Callable[[Connection], None]


def _search_index(conn: Connection) -> None:
    """2: SQLite snapshots carry their full-text index (PostgreSQL's GIN index, made sure)."""
    dialect_of(conn).create_search_index(conn)


def _listing_index(conn: Connection) -> None:
    """3: PostgreSQL snapshots get the listing's covering index (SQLite ones need none)."""
    if conn.dialect.name == "postgresql":
        schema.LISTING_INDEX.create(conn, checkfirst=True)


MIGRATIONS: tuple[tuple[int, Step], ...] = ((2, _search_index), (3, _listing_index))


def snapshot_version(conn: Connection) -> int:
    """The oldest contract version a kept publish was written under (0: nothing published,
    so every step runs; on empty tables each costs nothing)."""
    return conn.scalar(select(func.min(schema.publishes.c.schema_version))) or 0


def migrate_snapshot(engine: Engine) -> list[int]:
    """Run the steps the snapshot lacks; return the versions applied (oldest first)."""
    dialect = dialect_of(engine)
    with engine.begin() as conn:
        dialect.lock_writes(conn)
        found = snapshot_version(conn)
        newest = conn.scalar(select(func.max(schema.publishes.c.schema_version))) or 0
        if newest > schema.SCHEMA_VERSION:
            raise SnapshotDatabaseError(
                shown_url(engine.url),
                f"it was published by a newer ExifTree (snapshot version {newest}, this one "
                f"writes {schema.SCHEMA_VERSION}); upgrade ExifTree before publishing to it",
            )
        applied = [version for version, _ in MIGRATIONS if version > found]
        for version, step in MIGRATIONS:
            if version > found:
                step(conn)
        if applied:
            conn.execute(update(schema.publishes).values(schema_version=schema.SCHEMA_VERSION))
    return applied
