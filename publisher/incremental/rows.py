"""The open snapshot rows the incremental publish reads, always by key (an index), in chunks;
and the shapes of what it reads and wants (old and desired rows by table)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from publisher.state import COLUMNS, Row
from webviewer import schema

Desired = dict[str, dict[str, tuple[Row, str]]]  # table -> key -> (row, digest)
Old = dict[str, dict[str, tuple[int, str]]]  # table -> key -> (row id, digest)
CHUNK = 500


def chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    ordered = sorted(v for v in set(values) if v is not None)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def open_rows(conn: Connection, table: Any, column: str, values: Iterable[Any]) -> list[Any]:
    """Open rows of ``table`` whose ``column`` is one of ``values`` (by an index)."""
    found: list[Any] = []
    for chunk in chunks(values):
        query = select(table).where(table.c.valid_to.is_(None), table.c[column].in_(chunk))
        found += conn.execute(query).mappings().all()
    return found


def open_ids(
    conn: Connection, table: Any, column: str, values: Iterable[Any], wanted: str = "id"
) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(values):
        query = select(table.c[wanted]).where(
            table.c.valid_to.is_(None), table.c[column].in_(chunk)
        )
        found.update(conn.scalars(query))
    return found


def any_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these photos any kept snapshot shows (open or closed rows)."""
    found: set[str] = set()
    p = schema.photos
    for chunk in chunks(ids):
        found.update(conn.scalars(select(p.c.id).where(p.c.id.in_(chunk)).distinct()))
    return found


def listed_dates(conn: Connection, ids: list[str]) -> dict[str, datetime | None]:
    p = schema.photos
    found: dict[str, datetime | None] = {}
    for chunk in chunks(ids):
        query = select(p.c.id, p.c.date_taken).where(
            p.c.valid_to.is_(None), p.c.listed.is_(True), p.c.id.in_(chunk)
        )
        found.update((pid, date) for pid, date in conn.execute(query))
    return found


def plain(table: str, row: Any) -> Row:
    return {c: row[c] for c in COLUMNS[table]}
