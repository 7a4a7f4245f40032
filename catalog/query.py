"""Which photos a view shows, and in what order: the grid's one entry point.

:func:`photo_ids` answers a whole filter with one indexed query returning ids only (the
grid holds ids and fetches rows on demand); :func:`page` is keyset pagination for callers
that want rows a page at a time. :class:`PhotoFilter` and :func:`facets` live in
``catalog.filters`` and ``catalog.facets`` and are re-exported here, so a UI needs one import.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from catalog.edit_errors import AmbiguousIdError
from catalog.errors import NotFoundError
from catalog.filters import NEEDS_ATTENTION_STATUSES, PhotoFilter, conditions, text_is_broad
from catalog.models import CollectionPhoto, Photo
from catalog.rows import PhotoRow, load_rows

if TYPE_CHECKING:
    from catalog.facets import FacetItem, facets

MIN_ID_PREFIX = 4


class BadCursorError(ValueError):
    """A page cursor that this module did not make (or made for another sort)."""


@dataclass(frozen=True)
class _Sort:
    columns: tuple[Any, ...]  # sort keys, the last one always Photo.id (unique)
    descending: bool  # the natural direction


SORTS: dict[str, _Sort] = {
    "date_taken": _Sort((Photo.date_taken, Photo.id), True),
    "created_at": _Sort((Photo.created_at, Photo.id), True),
    "rating": _Sort((Photo.rating, Photo.date_taken, Photo.id), True),
    "title": _Sort((Photo.title.collate("NOCASE"), Photo.id), False),
    "path": _Sort((Photo.source_path, Photo.id), False),
    "position": _Sort((CollectionPhoto.position, Photo.id), False),
}
SORT_ALIASES = {"imported": "created_at", "date_imported": "created_at", "taken": "date_taken"}


def _resolve_sort(f: PhotoFilter, sort: str) -> tuple[str, _Sort]:
    name = SORT_ALIASES.get(sort, sort)
    if name not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(sorted(SORTS))}")
    if name == "position" and f.collection_id is None:
        name = "date_taken"  # only a collection has an order of its own
    return name, SORTS[name]


def _base_query(f: PhotoFilter, sort_name: str, broad_text: bool = False) -> Select[Any]:
    stmt = select(Photo.id).where(*conditions(f, broad_text))
    if sort_name == "position":
        stmt = stmt.join(
            CollectionPhoto,
            and_(
                CollectionPhoto.photo_id == Photo.id,
                CollectionPhoto.collection_id == f.collection_id,
            ),
        )
    return stmt


def _order_by(spec: _Sort, descending: bool) -> list[Any]:
    return [c.desc() if descending else c.asc() for c in spec.columns]


def photo_ids(
    session: Session, f: PhotoFilter, sort: str = "date_taken", descending: bool | None = None
) -> list[str]:
    """Every matching id in order: one query. ``descending=None`` takes the sort's natural
    direction (newest, best rated first; titles, paths and collection order A→Z)."""
    name, spec = _resolve_sort(f, sort)
    desc = spec.descending if descending is None else descending
    stmt = _base_query(f, name, _broad_text(session, f)).order_by(*_order_by(spec, desc))
    return list(session.scalars(stmt))


def _broad_text(session: Session, f: PhotoFilter) -> bool:
    """Whether ``f`` has a text matching many photos: then the sort's index (or another
    field's) leads and each photo's match is a membership test, instead of fetching and
    sorting every match (at 1,000,000 photos a common word matches 250,000)."""
    return bool(f.text and f.text.strip()) and text_is_broad(session, f)


def ordered_ids(
    session: Session,
    f: PhotoFilter,
    sort: str = "date_taken",
    descending: bool | None = None,
    limit: int | None = None,
) -> list[str]:
    """:func:`photo_ids` read straight from the driver's cursor, for a grid of a million:
    the same statement without SQLAlchemy's per-row result handling (0.8 s of CPU instead
    of 1.8 s at 1,000,000 ids), fetched in chunks so a reading thread lets others run.
    ``limit`` keeps the first ids only (the grid's first screen)."""
    name, spec = _resolve_sort(f, sort)
    desc = spec.descending if descending is None else descending
    stmt = _base_query(f, name, _broad_text(session, f)).order_by(*_order_by(spec, desc))
    if limit is not None:
        stmt = stmt.limit(limit)
    result = session.connection().execute(stmt)
    try:
        ids: list[str] = []
        while chunk := result.cursor.fetchmany(20_000):
            ids.extend([r[0] for r in chunk])
        return ids
    finally:
        result.close()


def resolve_ids(session: Session, keys: Sequence[str]) -> list[str]:
    """Full photo ids from full ids or unique prefixes (at least 4 characters), as git takes
    commit ids: what a person types on a command line."""
    out = []
    for key in (k.strip() for k in keys):
        if session.get(Photo, key) is not None:
            out.append(key)
            continue
        found = []
        if len(key) >= MIN_ID_PREFIX:
            stmt = select(Photo.id).where(Photo.id.startswith(key, autoescape=True)).limit(2)
            found = list(session.scalars(stmt))
        if not found:
            raise NotFoundError("photo", key)
        if len(found) > 1:
            raise AmbiguousIdError(key)
        out.append(found[0])
    return out


def duplicate_groups(session: Session) -> dict[str, list[PhotoRow]]:
    """Near-duplicate groups for review (as ingest assigned them), the suggested keeper
    first: the most pixels, then the largest file, then the oldest; groups in a stable order."""
    pixels = func.coalesce(Photo.width, 0) * func.coalesce(Photo.height, 0)
    stmt = (
        select(Photo.dup_group, Photo.id)
        .where(Photo.dup_group.is_not(None))
        .order_by(Photo.dup_group, pixels.desc(), Photo.file_size.desc(), Photo.date_taken)
        .order_by(Photo.id)
    )
    pairs = session.execute(stmt).all()
    rows = {row.id: row for row in load_rows(session, [photo_id for _, photo_id in pairs])}
    groups: dict[str, list[PhotoRow]] = {}
    for group, photo_id in pairs:
        if photo_id in rows:
            groups.setdefault(str(group), []).append(rows[photo_id])
    return groups


def count(session: Session, f: PhotoFilter) -> int:
    """How many photos the filter selects, without fetching them (from the stored facet
    counts when the filter is one the sidebar lists)."""
    from catalog.facets import stored_total

    stored = stored_total(session, f)
    if stored is not None:
        return stored
    conditions_ = conditions(f, _broad_text(session, f))
    return session.scalar(select(func.count()).select_from(Photo).where(*conditions_)) or 0


def page(
    session: Session,
    f: PhotoFilter,
    sort: str = "date_taken",
    after: str | None = None,
    limit: int = 200,
    descending: bool | None = None,
) -> tuple[list[PhotoRow], str | None]:
    """Up to ``limit`` rows after the opaque cursor ``after``, and the cursor of the next
    page (None at the end). Keyset, so a page costs the same at the end as at the start."""
    name, spec = _resolve_sort(f, sort)
    desc = spec.descending if descending is None else descending
    stmt = _base_query(f, name, _broad_text(session, f)).add_columns(*spec.columns[:-1])
    if after is not None:
        stmt = stmt.where(_after(spec, desc, _decode_cursor(after, name, len(spec.columns))))
    records = session.execute(stmt.order_by(*_order_by(spec, desc)).limit(limit + 1)).all()
    more = len(records) > limit
    records = records[:limit]
    rows = load_rows(session, [r[0] for r in records])
    cursor = None
    if more and records:
        last = records[-1]
        cursor = _encode_cursor(name, [*last[1:], last[0]])
    return rows, cursor


def _after(spec: _Sort, descending: bool, values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in lexicographic order, SQLite NULL order included
    (NULLs sort first ascending, last descending)."""
    alternatives = []
    for i, (column, value) in enumerate(zip(spec.columns, values, strict=True)):
        equal_before = [_equal(c, v) for c, v in zip(spec.columns[:i], values[:i], strict=True)]
        alternatives.append(and_(*equal_before, _beyond(column, value, descending)))
    return or_(*alternatives)


def _equal(column: Any, value: Any) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _beyond(column: Any, value: Any, descending: bool) -> ColumnElement[bool]:
    if descending:
        return false() if value is None else or_(column < value, column.is_(None))
    return column.is_not(None) if value is None else column > value


def _encode_cursor(sort_name: str, values: Sequence[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([sort_name, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort_name: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, plain = json.loads(base64.urlsafe_b64decode(padded))
        values = [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in plain]
    except (ValueError, TypeError, KeyError) as exc:
        raise BadCursorError(f"not a page cursor: {cursor!r}") from exc
    if name != sort_name or len(values) != width:
        raise BadCursorError(f"cursor made for another sort: {cursor!r}")
    return values


__all__ = [
    "NEEDS_ATTENTION_STATUSES",
    "SORTS",
    "BadCursorError",
    "FacetItem",
    "PhotoFilter",
    "conditions",
    "count",
    "duplicate_groups",
    "facets",
    "ordered_ids",
    "page",
    "photo_ids",
    "resolve_ids",
]


def __getattr__(name: str) -> Any:
    """``facets`` and ``FacetItem``, re-exported on first use: listing photos needs neither."""
    if name in ("facets", "FacetItem"):
        from catalog import facets as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
