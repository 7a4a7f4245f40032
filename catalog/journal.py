"""The publish journal, read: what changed in the catalog since a revision.

Kept by SQLite triggers (migration 0012_publish_journal): touching a photo (its row, EXIF,
tags), a camera, lens, city, tag or collection (its row, its members) leaves one row
``(rev, kind, ref)``, replacing any earlier row of the same thing, so the journal is as
large as the number of things ever touched, and ``rev > n`` lists what changed since ``n``.
The publisher remembers the position it published and asks only for what is newer
(issue 15: a publish of one change without reading the whole catalog). Asked with sqlite3
(no SQLAlchemy), so the no-change publish can ask it without loading the heavy stack.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

KINDS = ("photo", "camera", "lens", "city", "tag", "collection")
WATCHED_TABLES = (
    "photos",
    "exif_data",
    "photo_tags",
    "cameras",
    "lenses",
    "cities",
    "tags",
    "collections",
    "collection_photos",
)
TRIGGERS = frozenset(
    f"publish_journal_{table}_{event}"
    for table in WATCHED_TABLES
    for event in ("insert", "delete", "update")
)


@dataclass(frozen=True)
class JournalPosition:
    """Where the journal stood: its catalog's epoch, the newest revision, and the thing that
    revision named (so a catalog restored from an older copy, whose revisions count again
    from lower, is not mistaken for the one published)."""

    epoch: str
    rev: int
    kind: str | None = None
    ref: str | None = None


@contextmanager
def reading(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection in one read transaction: every answer as of the same moment."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        db.execute("BEGIN")
        yield db


def position(conn: sqlite3.Connection) -> JournalPosition | None:
    """The journal's newest position, or None when the catalog keeps no complete journal
    (not migrated, or a trigger missing: a table rebuilt by a later migration loses them)."""
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    if not names >= TRIGGERS:
        return None
    meta = conn.execute("SELECT epoch FROM publish_journal_meta").fetchone()
    if meta is None:
        return None
    row = conn.execute("SELECT rev, kind, ref FROM publish_journal ORDER BY rev DESC LIMIT 1")
    last = row.fetchone()
    if last is None:
        return JournalPosition(str(meta[0]), 0)
    return JournalPosition(str(meta[0]), int(last[0]), last[1], last[2])


def schema_version(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def renew_epoch(db_path: Path) -> None:
    """Name the journal of a catalog file afresh (a restored copy: its revisions count again
    from where the backup stood), so the next publish reads it whole, once."""
    with closing(sqlite3.connect(db_path)) as db, db:
        has_journal = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'publish_journal_meta'"
        ).fetchone()
        if has_journal:
            db.execute("UPDATE publish_journal_meta SET epoch = lower(hex(randomblob(16)))")


STAMP = "publish"  # the journal kind of a publish's own stamp (no trigger writes it)


def stamp(db_path: Path) -> JournalPosition | None:
    """Note a publish in the catalog's journal: a row naming a random token, which only this
    catalog file holds. A publish remembers this position, so a copy of the catalog put
    back by hand (an old file over the new one, the same folder on a second machine),
    whose revisions count again from where it was copied, can never pass for the catalog
    that was published: it lacks the token. None: no journal, or the catalog is busy or
    read-only (the next publish is then a full one)."""
    token = secrets.token_hex(16)
    try:
        with closing(sqlite3.connect(db_path, timeout=30)) as db:
            db.execute("BEGIN IMMEDIATE")
            now = position(db)
            if now is None:
                db.rollback()
                return None
            # keep the newest earlier stamp (the one the live publish remembers), drop older
            db.execute(
                "DELETE FROM publish_journal WHERE kind = ? AND rev < "
                "(SELECT max(rev) FROM publish_journal WHERE kind = ?)",
                (STAMP, STAMP),
            )
            rev = db.execute(
                "INSERT INTO publish_journal (kind, ref) VALUES (?, ?)", (STAMP, token)
            ).lastrowid
            db.commit()
    except sqlite3.Error:
        return None
    assert rev is not None
    return JournalPosition(now.epoch, int(rev), STAMP, token)


def follows(conn: sqlite3.Connection, published: JournalPosition, now: JournalPosition) -> bool:
    """Does ``now`` continue the journal ``published`` was read from, with nothing lost?
    Same epoch, not behind, and the publish's own stamp still there at its revision (a copy
    of the catalog made before that publish lacks it, whatever it did since)."""
    if published.epoch != now.epoch or published.rev > now.rev or published.kind != STAMP:
        return False
    row = conn.execute(
        "SELECT rev FROM publish_journal WHERE kind = ? AND ref = ?", (STAMP, published.ref)
    ).fetchone()
    return row is not None and int(row[0]) == published.rev


def changes(conn: sqlite3.Connection, after: int, upto: int) -> dict[str, set[str]]:
    """What was touched in revisions (after, upto], by kind."""
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    query = "SELECT kind, ref FROM publish_journal WHERE rev > ? AND rev <= ?"
    for kind, ref in conn.execute(query, (after, upto)):
        found.setdefault(kind, set()).add(ref)
    return found


def photos_linked(conn: sqlite3.Connection, kind: str, refs: Iterable[str]) -> set[str]:
    """Catalog photos that show these cameras, lenses, cities or tags (their rows repeat the
    names, so a rename changes every one of them)."""
    column = {"camera": "camera_id", "lens": "lens_id", "city": "city_id"}
    ids = sorted(set(refs))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        if kind == "tag":
            query = f"SELECT photo_id FROM photo_tags WHERE tag_id IN ({marks})"  # noqa: S608
        else:
            query = f"SELECT id FROM photos WHERE {column[kind]} IN ({marks})"  # noqa: S608
        found.update(pid for (pid,) in conn.execute(query, chunk))
    return found
