"""Privacy over the dirty photos, decided as the full publish decides it
(``publish.photos_to_purge``'s rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Text, cast, select

from catalog.models import Photo
from catalog.privacy import purge_clause
from publisher.incremental.rows import chunks
from publisher.snapshot import pictures_of
from webviewer import schema


def to_purge(
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
    for chunk in chunks(dirty):
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
        for chunk in chunks(shown):
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
    for chunk in chunks(found):
        present.update(cconn.scalars(select(Photo.id).where(Photo.id.in_(chunk))))
    return found - present
