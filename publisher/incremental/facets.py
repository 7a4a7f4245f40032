"""Facet rows (cameras, lenses, cities, tags) after the dirty photos changed, from each one's
open row and the dirty photos alone: count = open count - what the dirty photos counted
before + what they count now; cover = the newer of the best photo no dirty photo displaced
(one indexed query when the cover itself is dirty) and the dirty candidates. Tag links
follow the tags that are on the site."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, select

from catalog.models import Camera, City, Lens, Tag
from publisher.catalog_view import CatalogSite
from publisher.incremental.rows import Desired, Old, chunks, open_rows
from publisher.state import Row, digest, row_key
from webviewer import schema

FACETS = (("cameras", "camera", "camera_id"), ("lenses", "lens", "lens_id"))
GEAR = (*FACETS, ("cities", "city", "city_id"))  # (snapshot table, journal kind, column)


def _newer(a: tuple[datetime, str] | None, b: tuple[datetime, str] | None) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _sort_key(date: datetime | None, pid: str) -> tuple[datetime, str]:
    """rows._newest_first's order: newest date first (none: oldest), then id."""
    return (date or datetime.min, pid)


def facet_rows(
    conn: Connection,
    cconn: Connection,
    table: str,
    column: str,
    ids: set[str],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> None:
    """Desired rows of cameras, lenses or cities ``ids`` (count and cover of listed photos)."""
    snap = schema.metadata.tables[table]
    before = {r["id"]: r for r in open_rows(conn, snap, "id", ids)}
    old[table] = {fid: (r["row_id"], digest(table, r)) for fid, r in before.items()}
    desired[table] = {}
    if not ids:
        return
    attrs = _entities(cconn, table, ids)
    for fid in sorted(ids):
        was = before.get(fid)
        leaving = {pid for pid, r in old_photos.items() if r["listed"] and r[column] == fid}
        coming = [r for r in rows.values() if r["listed"] and r[column] == fid]
        count = (was["photo_count"] if was else 0) - len(leaving) + len(coming)
        if count <= 0 or fid not in attrs:
            continue
        best = None
        if was is not None and was["cover_photo_id"] is not None:
            best = _best_kept(conn, column, fid, was["cover_photo_id"], leaving)
        for r in coming:
            best = _newer(best, _sort_key(r["date_taken"], r["id"]))
        row = {**attrs[fid], "photo_count": count, "cover_photo_id": best[1] if best else None}
        desired[table][fid] = (row, digest(table, row))


def _best_kept(
    conn: Connection, column: str, fid: str, cover: str, leaving: set[str]
) -> tuple[datetime, str] | None:
    """The newest listed open photo of ``fid`` that is not leaving: the old cover if it stays
    (it was the newest of them all), else asked of the snapshot in cover order."""
    p = schema.photos
    if cover not in leaving:
        date = conn.scalar(select(p.c.date_taken).where(p.c.valid_to.is_(None), p.c.id == cover))
        return _sort_key(date, cover)
    query = (
        select(p.c.id, p.c.date_taken)
        .where(p.c.valid_to.is_(None), p.c.listed.is_(True), p.c[column] == fid)
        .order_by(
            case((p.c.date_taken.is_(None), 0), else_=1).desc(),
            p.c.date_taken.desc(),
            p.c.id.desc(),
        )
        .limit(len(leaving) + 1)
    )
    for pid, date in conn.execute(query):
        if pid not in leaving:
            return _sort_key(date, pid)
    return None


def _entities(cconn: Connection, table: str, ids: set[str]) -> dict[str, Row]:
    """The catalog's own columns of these cameras, lenses, cities or tags, as rows.py puts
    them in the snapshot."""
    found: dict[str, Row] = {}
    q: Any
    for chunk in chunks(ids):
        if table == "cameras":
            q = select(Camera.id, Camera.slug, Camera.make, Camera.name).where(Camera.id.in_(chunk))
        elif table == "lenses":
            q = select(
                Lens.id, Lens.slug, Lens.make, Lens.name, Lens.focal_min_mm, Lens.focal_max_mm,
                Lens.max_aperture,
            ).where(Lens.id.in_(chunk))  # fmt: skip
        elif table == "cities":
            q = select(
                City.id, City.slug, City.name, City.admin1, City.country_code, City.latitude,
                City.longitude,
            ).where(City.id.in_(chunk))  # fmt: skip
        else:
            q = select(Tag.id, Tag.slug, Tag.name).where(Tag.id.in_(chunk))
        for row in cconn.execute(q).mappings():
            found[row["id"]] = dict(row)
            if table == "cities":
                found[row["id"]]["admin1"] = row["admin1"] or None
    return found


def tag_rows(
    conn: Connection,
    cconn: Connection,
    site: CatalogSite,
    touched: dict[str, set[str]],
    old_links: list[Any],
    old_photos: dict[str, Any],
    rows: dict[str, Row],
    desired: Desired,
    old: Old,
) -> set[str]:
    """Tags and tag links of the dirty photos; returns the tags that appear on or disappear
    from the site (their unlisted photos' links must follow)."""
    new_tags = {pid: site.photos[pid].tag_ids for pid in rows}
    ids = set(touched["tag"]) | {r["tag_id"] for r in old_links}
    ids |= {t for tags in new_tags.values() for t in tags}
    before = {r["id"]: r for r in open_rows(conn, schema.tags, "id", ids)}
    old["tags"] = {tid: (r["row_id"], digest("tags", r)) for tid, r in before.items()}
    leaving: dict[str, int] = {}
    for link in old_links:
        photo = old_photos.get(link["photo_id"])
        if photo is not None and photo["listed"]:
            leaving[link["tag_id"]] = leaving.get(link["tag_id"], 0) + 1
    coming: dict[str, int] = {}
    for pid, tags in new_tags.items():
        if rows[pid]["listed"]:
            for t in tags:
                coming[t] = coming.get(t, 0) + 1
    attrs = _entities(cconn, "tags", ids)
    desired["tags"] = {}
    shown: set[str] = set()
    for tid in ids:
        was = before.get(tid)
        count = (was["photo_count"] if was else 0) - leaving.get(tid, 0) + coming.get(tid, 0)
        if count > 0 and tid in attrs:
            shown.add(tid)
            row = {**attrs[tid], "photo_count": count}
            desired["tags"][tid] = (row, digest("tags", row))
    old["photo_tags"] = {
        row_key("photo_tags", r): (r["row_id"], digest("photo_tags", r)) for r in old_links
    }
    desired["photo_tags"] = {}
    for pid, tags in new_tags.items():
        for t in tags:
            if t in shown:
                link = {"photo_id": pid, "tag_id": t}
                desired["photo_tags"][row_key("photo_tags", link)] = (
                    link,
                    digest("photo_tags", link),
                )
    return {tid for tid in ids if (tid in before) != (tid in shown)}
