"""What the catalog's journal says changed since the publish's cursor, and the photos that
makes dirty: those touched, and those showing a touched camera, lens, city or tag (their
rows repeat its name), on either side (catalog and open snapshot rows)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine

from catalog import journal
from catalog.catalog import Catalog
from publisher.cursor import Cursor
from publisher.incremental.facets import GEAR
from publisher.incremental.rows import open_ids
from webviewer import schema


def dirty_photos(
    catalog: Catalog, engine: Engine, cursor: Cursor
) -> tuple[dict[str, set[str]], set[str]] | None:
    """What was touched since ``cursor`` (by kind), and the dirty photos; None: the journal
    does not follow on from the cursor (publish in full)."""
    with journal.reading(catalog.db_path) as db:
        # The position again, in the transaction that lists the changes: a thing touched
        # once before the mark and again since has only its newer row, so the range must
        # end where this transaction sees the journal end.
        upto = journal.position(db)
        if upto is None or not journal.follows(db, cursor.position, upto):
            return None
        touched = journal.changes(db, cursor.position.rev, upto.rev)
        dirty = set(touched["photo"])
        for _, kind, _ in GEAR:
            dirty |= journal.photos_linked(db, kind, touched[kind])
        dirty |= journal.photos_linked(db, "tag", touched["tag"])
    with engine.connect() as conn:
        for _, kind, column in GEAR:
            dirty |= open_ids(conn, schema.photos, column, touched[kind])
        dirty |= open_ids(conn, schema.photo_tags, "tag_id", touched["tag"], "photo_id")
    return touched, dirty


def photos_carrying(catalog: Catalog, conn: Connection, tags: Iterable[str]) -> set[str]:
    """Photos with these tags, in the catalog or in the open snapshot rows."""
    tags = set(tags)
    with journal.reading(catalog.db_path) as db:
        found = journal.photos_linked(db, "tag", tags)
    return found | open_ids(conn, schema.photo_tags, "tag_id", tags, "photo_id")
