"""How far into the catalog's change journal the newest publish read (``publish_cursor``).

Written in the same transaction as its publish, so it is exactly as current as the snapshot.
The next publish reads only the journal after it (publisher/incremental.py) — when the
catalog is the same one (epoch), its journal goes on from there (no restore of an older
copy), and nothing else that shapes every row changed: settings, sizes, the rendition
version, the catalog's schema (``basis``). Anything else: the full publish.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, text, update

from catalog import journal
from catalog.catalog import Catalog
from catalog.journal import JournalPosition
from catalog.settings import Settings
from publisher.renditions import RENDITION_VERSION, SIZES_RULE
from publisher.tables import publish_cursor

_DESIGN = "incremental-1"  # bump when what the incremental publish derives changes


@dataclass(frozen=True)
class Cursor:
    position: JournalPosition
    basis: str
    photo_rows: int  # open photo rows of that publish


@dataclass(frozen=True)
class CatalogMark:
    """The journal position, read before the catalog is, and the basis of the publish."""

    position: JournalPosition | None  # None: the catalog keeps no journal
    basis: str


def catalog_mark(catalog: Catalog, settings: Settings, sizes: tuple[int, ...]) -> CatalogMark:
    """Read first: a change made while the publish reads the catalog is then newer than
    the position, so the next publish reads it again (never missed, maybe seen twice)."""
    with catalog.reading() as session:
        conn = session.connection()
        position = journal.position(conn)
        schema_version = conn.scalar(text("SELECT version_num FROM alembic_version"))
    parts = [_DESIGN, RENDITION_VERSION, SIZES_RULE, sizes, repr(settings), schema_version]
    basis = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return CatalogMark(position, basis)


def read_cursor(conn: Connection, seq: int) -> Cursor | None:
    row = conn.execute(select(publish_cursor).where(publish_cursor.c.seq == seq)).first()
    if row is None:
        return None
    position = JournalPosition(row.epoch, int(row.rev), row.kind, row.ref)
    return Cursor(position, row.basis, int(row.photo_rows))


def save_cursor(conn: Connection, seq: int, cursor: Cursor | None) -> None:
    """The cursor of publish ``seq`` (None: none, so the next publish is a full one)."""
    conn.execute(delete(publish_cursor))
    if cursor is None:
        return
    p = cursor.position
    conn.execute(
        insert(publish_cursor).values(
            seq=seq,
            epoch=p.epoch,
            rev=p.rev,
            kind=p.kind,
            ref=p.ref,
            basis=cursor.basis,
            photo_rows=cursor.photo_rows,
        )
    )


def advance_cursor(conn: Connection, seq: int | None, position: JournalPosition | None) -> None:
    """Nothing to write, but everything up to ``position`` is in publish ``seq``."""
    if seq is None or position is None:
        return
    values = {"rev": position.rev, "kind": position.kind, "ref": position.ref}
    conn.execute(
        update(publish_cursor)
        .where(publish_cursor.c.seq == seq, publish_cursor.c.epoch == position.epoch)
        .values(**values)
    )
