"""The publish journal, read: what changed in the catalog since a revision.

Kept by SQLite triggers (migration 0011_publish_journal): touching a photo (its row, EXIF,
tags), a camera, lens, city, tag or collection (its row, its members) leaves one row
``(rev, kind, ref)``, replacing any earlier row of the same thing, so the journal is as
large as the number of things ever touched, and ``rev > n`` lists what changed since ``n``.
The publisher remembers the position it published and asks only for what is newer
(issue 15: a publish of one change without reading the whole catalog). Pure SQL, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

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


def position(conn: Connection) -> JournalPosition | None:
    """The journal's newest position, or None when the catalog keeps no complete journal
    (not migrated, or a trigger missing: a table rebuilt by a later migration loses them)."""
    names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all())
    if not names >= TRIGGERS:
        return None
    epoch = conn.scalar(text("SELECT epoch FROM publish_journal_meta"))
    if epoch is None:
        return None
    row = conn.execute(
        text("SELECT rev, kind, ref FROM publish_journal ORDER BY rev DESC LIMIT 1")
    ).first()
    if row is None:
        return JournalPosition(str(epoch), 0)
    return JournalPosition(str(epoch), int(row.rev), row.kind, row.ref)


def follows(conn: Connection, published: JournalPosition, now: JournalPosition) -> bool:
    """Does ``now`` continue the journal ``published`` was read from, with nothing lost?
    Same epoch, not behind, and the thing named at the published revision still noted at
    that revision or later (a restored older copy has it lower, or not at all)."""
    if published.epoch != now.epoch or published.rev > now.rev:
        return False
    if published.kind is None or published.ref is None:
        return published.rev == 0
    rev = conn.scalar(
        text("SELECT rev FROM publish_journal WHERE kind = :kind AND ref = :ref"),
        {"kind": published.kind, "ref": published.ref},
    )
    return rev is not None and int(rev) >= published.rev


def changes(conn: Connection, after: int, upto: int) -> dict[str, set[str]]:
    """What was touched in revisions (after, upto], by kind."""
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    query = text("SELECT kind, ref FROM publish_journal WHERE rev > :after AND rev <= :upto")
    for kind, ref in conn.execute(query, {"after": after, "upto": upto}):
        found.setdefault(kind, set()).add(ref)
    return found


def photos_linked(conn: Connection, kind: str, refs: Iterable[str]) -> set[str]:
    """Catalog photos that show these cameras, lenses, cities or tags (their rows repeat the
    names, so a rename changes every one of them)."""
    column = {"camera": "camera_id", "lens": "lens_id", "city": "city_id"}
    ids = sorted(set(refs))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":r{i}" for i in range(len(chunk)))
        params = {f"r{i}": ref for i, ref in enumerate(chunk)}
        if kind == "tag":
            query = f"SELECT photo_id FROM photo_tags WHERE tag_id IN ({marks})"  # noqa: S608
        else:
            query = f"SELECT id FROM photos WHERE {column[kind]} IN ({marks})"  # noqa: S608
        found.update(conn.scalars(text(query), params))
    return found
