"""Moving photos from one camera, lens or city row to another: the core of merge.

Shared by the three kinds so that each one re-links photos, touches ``updated_at`` (so the
next publish sees the change) and refreshes the search index the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from catalog.db import utcnow
from catalog.errors import NotFoundError
from catalog.models import Photo
from catalog.slugs import slugify


def row_by_slug(session: Session, table: Any, kind: str, slug: str) -> Any:
    """The row of ``table`` with ``slug`` (also accepted: a name that slugifies to it)."""
    row = session.scalar(select(table).where(table.slug == slug))
    if row is None and slugify(slug) != slug:
        row = session.scalar(select(table).where(table.slug == slugify(slug)))
    if row is None:
        raise NotFoundError(kind, slug)
    return row


def relink_photos(
    session: Session, column: InstrumentedAttribute[Any], source_id: str, target_id: str | None
) -> list[str]:
    """Point every photo at ``source_id`` (through ``column``) to ``target_id``; their ids."""
    ids = list(session.scalars(select(Photo.id).where(column == source_id)))
    if ids:
        session.execute(
            update(Photo)
            .where(column == source_id)
            .values({column.key: target_id, "updated_at": utcnow()})
            .execution_options(synchronize_session=False)
        )
    return ids


def link_photos(
    session: Session, column: InstrumentedAttribute[Any], photo_ids: list[str], target_id: str
) -> None:
    """Point the given photos to ``target_id`` through ``column``."""
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start : start + 500]
        session.execute(
            update(Photo)
            .where(Photo.id.in_(chunk))
            .values({column.key: target_id, "updated_at": utcnow()})
            .execution_options(synchronize_session=False)
        )


def reindex_photos(session: Session, photo_ids: list[str]) -> None:
    """Keep full-text search in step with new names, when the search module exists."""
    if not photo_ids:
        return
    try:
        from catalog.search import reindex
    except ImportError:  # the search module lands separately
        return
    session.flush()
    reindex(session, photo_ids)


def merge_gear(
    session: Session,
    kind: str,
    table: Any,
    alias_column: InstrumentedAttribute[Any],
    photo_column: InstrumentedAttribute[Any],
    slugs: tuple[str, str],
    point_name_alias: Callable[[Session, str, str], None],
) -> int:
    """Fold one camera or lens (``slugs``: source, target) into another; photos moved.

    Photos and raw aliases move to the target, the source row goes, and the source's name
    becomes an alias of the target so that future imports follow the owner's decision.
    """
    source = row_by_slug(session, table, kind, slugs[0])
    target = row_by_slug(session, table, kind, slugs[1])
    if source.id == target.id:
        return 0
    source_name, target_id = source.name, target.id
    ids = relink_photos(session, photo_column, source.id, target.id)
    session.execute(
        update(alias_column.class_)
        .where(alias_column == source.id)
        .values({alias_column.key: target.id})
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(table).where(table.id == source.id))
    session.expire_all()
    point_name_alias(session, source_name, target_id)
    session.flush()
    reindex_photos(session, ids)
    return len(ids)
