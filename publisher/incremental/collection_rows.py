"""Collections touched, holding or covered by a dirty photo, rebuilt from their members; the
positions of all collections (a small table) follow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from catalog.models import Collection, CollectionPhoto
from publisher.incremental.rows import (
    Desired,
    Old,
    chunks,
    listed_dates,
    open_ids,
    open_rows,
    plain,
)
from publisher.state import Row, digest, row_key
from webviewer import schema


def collection_rows(
    conn: Connection,
    cconn: Connection,
    touched: dict[str, set[str]],
    dirty: set[str],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> None:
    """Collections touched, holding or covered by a dirty photo: rebuilt from their members;
    every collection's position follows (rows.py: the n-th shown one, by creation)."""
    ordered = cconn.execute(
        select(
            Collection.id,
            Collection.slug,
            Collection.name,
            Collection.description,
            Collection.cover_photo_id,
            Collection.created_at,
        ).order_by(Collection.created_at, Collection.id)
    ).all()
    snap = schema.collections
    before = {
        r["id"]: r for r in conn.execute(select(snap).where(snap.c.valid_to.is_(None))).mappings()
    }
    cp = schema.collection_photos
    redo = set(touched["collection"])
    redo |= {c.id for c in ordered if c.cover_photo_id in dirty}
    redo |= {cid for cid, r in before.items() if r["cover_photo_id"] in dirty}
    redo |= open_ids(conn, cp, "photo_id", dirty, "collection_id")
    for chunk in chunks(dirty):
        query = select(CollectionPhoto.collection_id).where(CollectionPhoto.photo_id.in_(chunk))
        redo.update(cconn.scalars(query))
    rebuilt: dict[str, Row] = {}
    members_rows: dict[str, tuple[Row, str]] = {}
    for c in ordered:
        if c.id not in redo:
            continue
        members = list(
            cconn.scalars(
                select(CollectionPhoto.photo_id)
                .where(CollectionPhoto.collection_id == c.id)
                .order_by(CollectionPhoto.position, CollectionPhoto.id)
            )
        )
        listed = listed_dates(conn, [m for m in members if m not in dirty])
        listed.update({pid: r["date_taken"] for pid, r in rows.items() if r["listed"]})
        shown = [m for m in members if m in listed]
        if not shown:
            continue
        dates = [d for m in shown if (d := listed[m]) is not None]
        rebuilt[c.id] = {
            "id": c.id,
            "slug": c.slug,
            "name": c.name,
            "description": c.description,
            "date": max(dates) if dates else c.created_at,
            "cover_photo_id": c.cover_photo_id
            if c.cover_photo_id in listed or _is_listed(conn, c.cover_photo_id, dirty, rows)
            else shown[0],
            "photo_count": len(shown),
        }
        for i, pid in enumerate(shown):
            link = {"collection_id": c.id, "photo_id": pid, "position": i}
            members_rows[row_key("collection_photos", link)] = (
                link,
                digest("collection_photos", link),
            )
    old["collections"] = {cid: (r["row_id"], digest("collections", r)) for cid, r in before.items()}
    desired["collections"] = {}
    position = 0
    for c in ordered:
        if c.id in redo:
            row = rebuilt.get(c.id)
        else:
            row = plain("collections", before[c.id]) if c.id in before else None
        if row is None:
            continue
        row = {**row, "position": position}
        position += 1
        desired["collections"][c.id] = (row, digest("collections", row))
    old_members = open_rows(conn, cp, "collection_id", redo)
    old["collection_photos"] = {
        row_key("collection_photos", r): (r["row_id"], digest("collection_photos", r))
        for r in old_members
    }
    desired["collection_photos"] = members_rows


def _is_listed(
    conn: Connection, photo_id: str | None, dirty: set[str], rows: dict[str, Row]
) -> bool:
    """Is a cover that is no member a listed photo of the new snapshot?"""
    if photo_id is None:
        return False
    if photo_id in dirty:
        return photo_id in rows and bool(rows[photo_id]["listed"])
    return photo_id in listed_dates(conn, [photo_id])
