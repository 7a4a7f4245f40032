"""Is a folder's site already what a publish would make? Answered with sqlite3 alone.

The common publish is the one with nothing to do. The full path (:func:`publisher.publish.
publish`) answers it from the catalog fingerprint too, but only after loading SQLAlchemy,
boto3 and the planner (~1 s of imports, issue 15). For a folder target the snapshot is a
local SQLite file, so the same questions — is the newest publish live, at this contract
version, made from this catalog fingerprint, with no killed publish's intents left? — are
asked here with sqlite3; for a catalog that keeps a change journal (catalog/journal.py), the
question is whether the journal still stands where the newest publish read it (two probes,
where the fingerprint aggregates nine tables). Any other answer (or any doubt) sends the
caller down the full path, which decides exactly as before: a shortcut, never a second policy.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from catalog.journal import JournalPosition
from catalog.settings import read_settings
from publisher.fingerprint import catalog_fingerprint, catalog_mark
from publisher.renditions import ORIGINAL_SIZE_PX, SIZES_PX

# webviewer.schema's SCHEMA_VERSION and LIVE (importing it loads SQLAlchemy); a test keeps
# them in step.
SCHEMA_VERSION = 3
LIVE = "live"
SNAPSHOT_FILE = "snapshot.sqlite"  # publisher.targets'
MEDIA_DIR = "media"


def folder_site_is_current(db_path: Path, folder: Path, with_originals: bool = False) -> bool:
    """True when publishing the catalog ``db_path`` to ``folder`` would change nothing."""
    snapshot, media = folder / SNAPSHOT_FILE, folder / MEDIA_DIR
    if not (snapshot.is_file() and media.is_dir()):
        return False
    sizes = SIZES_PX + ((ORIGINAL_SIZE_PX,) if with_originals else ())
    try:
        settings = read_settings(db_path)
        mark = catalog_mark(db_path, settings, sizes)
        if mark.position is not None:  # a journalled catalog: where its journal stands
            return _stored_mark(snapshot) == (mark.position, mark.basis)
        fingerprint = catalog_fingerprint(db_path, settings, sizes)
        return _stored_fingerprint(snapshot) == fingerprint
    except (sqlite3.Error, OSError, ValueError):  # locked, damaged, older: the full path says
        return False


def _stored_mark(snapshot: Path) -> tuple[JournalPosition, str] | None:
    """publisher.cursor's cursor of the newest publish, when it is live, needs no migration
    and no publish left intents (else None): publisher.publish._unchanged's question."""
    row = _of_newest(snapshot, "SELECT epoch, rev, kind, ref, basis FROM publish_cursor")
    if row is None:
        return None
    return JournalPosition(row[0], int(row[1]), row[2], row[3]), row[4]


def _newest_is_current(db: sqlite3.Connection) -> bool:
    """The newest publish is live, at this contract version, and left no intents and no
    photo set aside (publisher/set_aside.py)."""
    newest, live, oldest_version, newest_version = db.execute(
        "SELECT max(seq), max(CASE WHEN state = ? THEN seq END), min(schema_version), "
        "max(schema_version) FROM publishes",
        (LIVE,),
    ).fetchone()
    if newest is None or newest != live:
        return False
    if oldest_version != SCHEMA_VERSION or newest_version != SCHEMA_VERSION:
        return False
    if db.execute("SELECT 1 FROM publish_set_aside LIMIT 1").fetchone() is not None:
        return False  # photos that could not go: the plan looks at them again
    return db.execute("SELECT 1 FROM publish_intents LIMIT 1").fetchone() is None


def _stored_fingerprint(snapshot: Path) -> str | None:
    """publisher.state.stored_fingerprint, when the snapshot needs no migration and no
    publish left intents (else None)."""
    row = _of_newest(snapshot, "SELECT fingerprint FROM publish_state")
    return None if row is None else row[0]


def _of_newest(snapshot: Path, select: str) -> tuple[Any, ...] | None:
    """``select``'s row for the newest publish (its ``seq``), read in one transaction with
    the check that this publish is current (else None)."""
    with closing(sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)) as db:
        db.execute("BEGIN")  # one read transaction
        if not _newest_is_current(db):
            return None
        newest = " WHERE seq = (SELECT max(seq) FROM publishes)"
        row: tuple[Any, ...] | None = db.execute(select + newest).fetchone()
    return row
