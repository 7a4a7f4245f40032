"""Rows created on first sight, safely when two writers see the same thing at once.

Two imports (or the desktop and the command line) may both meet a new camera, lens, city or
tag in the same second. Each looks, finds nothing, and inserts: the second insert used to
fail with ``UNIQUE constraint failed``. Here the insert is ``INSERT … ON CONFLICT DO
NOTHING`` and the caller reads the row back, so whoever comes second simply uses the row
the first one made (the way PostgreSQL users write get-or-create).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import Insert, insert
from sqlalchemy.orm import Session

from catalog.db import new_id, utcnow
from catalog.models import Tag


def insert_ignore(model: Any) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``model``'s table, for rows (or links) that
    another writer may have added first."""
    return insert(model.__table__).on_conflict_do_nothing()


def insert_once(session: Session, model: Any, values: dict[str, Any]) -> bool:
    """Insert one row of ``model`` unless it would break a uniqueness rule; True if inserted.

    The caller then selects the row by its unique key: its own, or the other writer's."""
    now = utcnow()
    row = {"id": new_id(), "created_at": now, "updated_at": now, **values}
    result = session.execute(insert_ignore(model).values(row))
    return bool(getattr(result, "rowcount", 0))


def find_or_create_tags(session: Session, wanted: dict[str, str]) -> list[Tag]:
    """The tags for ``wanted`` (slug → name) in its order, creating the missing ones; a tag
    another writer creates meanwhile is used, not duplicated."""
    slugs = list(wanted)
    found = {t.slug: t for t in session.scalars(select(Tag).where(Tag.slug.in_(slugs)))}
    missing = [slug for slug in slugs if slug not in found]
    for slug in missing:
        insert_once(session, Tag, {"slug": slug, "name": wanted[slug]})
    if missing:
        found.update((t.slug, t) for t in session.scalars(select(Tag).where(Tag.slug.in_(missing))))
    return [found[slug] for slug in slugs]
