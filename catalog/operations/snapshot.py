"""Row images: the state of some catalog rows before (or after) an edit, and putting it back.

An operation names the rows it may touch as :class:`Scope`\\ s, captures them before and
after it runs, and keeps both: restoring the "before" images is its undo, restoring the
"after" ones its redo. One generic mechanism instead of one hand-written inverse per edit,
so an undo brings back exactly the values that were there (rows that appeared go, rows that
went come back with their own ids and ``created_at``). ``updated_at`` is the one exception:
a restored row is touched now, so the next publish sees the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from catalog.db import Base, utcnow
from catalog.rows import chunked

Values = tuple[tuple[str, Any], ...]  # (column, value) pairs, hashable and frozen
SCAN_ABOVE = 5_000  # values in a scope past which one table scan beats IN-lists


@dataclass(frozen=True)
class Scope:
    """Rows of ``table`` whose ``column`` is one of ``values``.

    With ``columns`` None the scope covers whole rows: rows that match later but did not
    before are deleted on restore, and missing ones inserted. With ``columns`` given, only
    those columns of rows identified by ``id`` are covered (rows are never added or dropped).
    ``used_by`` names (table, column) pairs that may point at these rows from outside the
    edit (a tag another photo got meanwhile): a row still pointed at is never dropped.
    """

    table: str
    column: str
    values: tuple[Any, ...]
    columns: tuple[str, ...] | None = None
    used_by: tuple[tuple[str, str], ...] = ()

    @property
    def whole_rows(self) -> bool:
        return self.columns is None

    def _table(self) -> Table:
        return Base.metadata.tables[self.table]


@dataclass(frozen=True)
class Image:
    """What the rows of a scope held at one moment, keyed by row id."""

    scope: Scope
    rows: tuple[tuple[str, Values], ...]


def photo_columns(ids: Iterable[str], *columns: str) -> Scope:
    """Just these columns of these photos."""
    return Scope("photos", "id", tuple(dict.fromkeys(ids)), tuple(columns))


def rows_of(
    table: str, column: str, values: Iterable[Any], used_by: tuple[tuple[str, str], ...] = ()
) -> Scope:
    """Every row of ``table`` whose ``column`` is one of ``values``."""
    return Scope(table, column, tuple(dict.fromkeys(values)), used_by=used_by)


def capture(session: Session, scopes: Sequence[Scope]) -> tuple[Image, ...]:
    """The current state of each scope (after flushing the session's pending changes)."""
    session.flush()
    return tuple(_capture(session, scope) for scope in scopes)


def _matching(session: Session, scope: Scope, *cols: Any) -> Iterable[Any]:
    """Rows of ``cols`` in the scope: by IN-lists for a few values, by one scan for many
    (a select-all edit of 100,000 photos: one query instead of 200)."""
    table = scope._table()
    key = table.c[scope.column]
    if len(scope.values) > SCAN_ABOVE:
        wanted = set(scope.values)
        for row in session.execute(select(key, *cols)):
            if row[0] in wanted:
                yield row[1:]
        return
    for part in chunked(list(scope.values)):
        yield from session.execute(select(*cols).where(key.in_(part)))


def _capture(session: Session, scope: Scope) -> Image:
    table = scope._table()
    names = scope.columns if scope.columns is not None else tuple(
        c.name for c in table.columns if c.name != "id")  # fmt: skip
    cols = [table.c.id, *(table.c[n] for n in names)]
    rows: dict[str, Values] = {}
    for row in _matching(session, scope, *cols):
        rows[row[0]] = tuple(zip(names, row[1:], strict=True))
    return Image(scope, tuple(sorted(rows.items())))


def restore(session: Session, images: Sequence[Image]) -> None:
    """Put every image back: first drop the rows that were not there (children first, so
    ``images`` lists parents before children), then write the rows that were."""
    session.flush()
    for image in reversed(images):
        if image.scope.whole_rows:
            _drop_extra_rows(session, image)
    for image in images:
        _write_rows(session, image)
    session.expire_all()


def _current_ids(session: Session, scope: Scope) -> set[str]:
    return {row[0] for row in _matching(session, scope, scope._table().c.id)}


def _drop_extra_rows(session: Session, image: Image) -> None:
    table = image.scope._table()
    wanted = {row_id for row_id, _ in image.rows}
    extra = sorted(_current_ids(session, image.scope) - wanted)
    for name, column in image.scope.used_by:  # shared rows stay while anything uses them
        referrer = Base.metadata.tables[name].c[column]
        for part in chunked(list(extra)):
            used = set(session.scalars(select(referrer).where(referrer.in_(part)).distinct()))
            extra = [row_id for row_id in extra if row_id not in used]
    for part in chunked(extra):
        session.execute(delete(table).where(table.c.id.in_(part)))


def _write_rows(session: Session, image: Image) -> None:
    table = image.scope._table()
    if not image.rows:
        return
    touch = {"updated_at": utcnow()} if "updated_at" in table.c else {}
    existing = _current_ids(session, image.scope) if image.scope.whole_rows else None
    by_values: dict[Values, list[str]] = {}  # rows that go back to the same values
    inserts = []
    for row_id, values in image.rows:
        if existing is None or row_id in existing:
            by_values.setdefault(values, []).append(row_id)
        else:
            inserts.append({"id": row_id, **dict(values), **touch})
    if inserts:
        session.execute(insert(table), inserts)
    singles: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values, ids in by_values.items():
        record = {**dict(values), **touch}
        if len(ids) == 1:  # most whole rows: one executemany per shape, below
            shape = tuple(record)
            singles.setdefault(shape, []).append({"_id": ids[0], **_prefixed(record)})
            continue
        for part in chunked(ids):  # an undone bulk edit: a few values, many rows each
            session.execute(update(table).where(table.c.id.in_(part)).values(record))
    for shape, records in singles.items():
        stmt = update(table).where(table.c.id == bindparam("_id"))
        stmt = stmt.values({k: bindparam("v_" + k) for k in shape})
        session.connection().execute(stmt, records)


def _prefixed(record: dict[str, Any]) -> dict[str, Any]:
    """Bind names apart from column names (SQLAlchemy reserves those in UPDATE ... SET)."""
    return {"v_" + k: v for k, v in record.items()}


def scopes_of(images: Iterable[Image]) -> list[Scope]:
    return [image.scope for image in images]
