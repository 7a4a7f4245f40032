"""How far into the catalog's change journal the newest publish read (``publish_cursor``).

Written in the same transaction as its publish, so it is exactly as current as the snapshot.
The next publish reads only the journal after it (publisher/incremental/) — when the
catalog is the same one (epoch), its journal goes on from there (no restore of an older
copy), and nothing else that shapes every row changed: settings, sizes, the rendition
version, the catalog's schema (``basis``). Anything else: the full publish.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from catalog.journal import JournalPosition
from publisher.fingerprint import CatalogMark
from publisher.tables import publish_cursor


@dataclass(frozen=True)
class Cursor:
    position: JournalPosition
    basis: str
    photo_rows: int  # open photo rows of that publish


def is_current(cursor: Cursor | None, mark: CatalogMark) -> bool:
    """Nothing happened since the publish: the journal stands where it read it, with the
    same basis. O(1): the no-change publish of a journalled catalog."""
    return (
        cursor is not None
        and mark.position is not None
        and cursor.position == mark.position
        and cursor.basis == mark.basis
    )


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
