"""Every read of the snapshot: small functions of (connection, publish seq, …) → typed rows.

Each query filters every table with ``visible_in(table, seq)`` so only the live publish
shows; lists and counts use listed photos only (unlisted ones are reachable by URL alone).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Integer,
    Table,
    bindparam,
    func,
    literal_column,
    select,
)

from webviewer import schema as s
from webviewer.dialects import dialect_of
from webviewer.filters import exposure
from webviewer.listing import Listing
from webviewer.rows import Card, Link, PhotoDetail, renditions_from

SLUG_TABLES: dict[str, Table] = {
    "camera": s.cameras,
    "lens": s.lenses,
    "tag": s.tags,
    "city": s.cities,
    "collection": s.collections,
}
_PHOTO_FK = {"camera": s.photos.c.camera_id, "lens": s.photos.c.lens_id, "city": s.photos.c.city_id}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CARD_COLUMNS = (
    s.photos.c.id,
    s.photos.c.title,
    s.photos.c.description,
    s.photos.c.width,
    s.photos.c.height,
    s.photos.c.placeholder_color,
    s.photos.c.renditions,
    s.photos.c.camera_name,
    s.photos.c.focal_length_mm,
    s.photos.c.aperture,
    s.photos.c.date_taken,
    s.photos.c.first_published_at,
    s.photos.c.city_id,
)


# Statements every cold page runs are built once, with bound parameters: constructing a
# SQLAlchemy select per request cost more CPU (~0.6 ms) than PostgreSQL spent answering it.
_SEQ: BindParameter[int] = bindparam("seq", type_=Integer)
_PHOTO_COLUMNS = (
    *_CARD_COLUMNS,
    s.photos.c.listed,
    s.photos.c.exposure_display,
    s.photos.c.iso,
    s.photos.c.focal_length_35mm,
    s.photos.c.lens_name,
    s.photos.c.year,
    s.photos.c.camera_id,
    s.photos.c.lens_id,
)


def listed_photos(seq: int) -> Any:
    """The WHERE clause of "listed photos of publish ``seq``"."""
    return s.visible_in(s.photos, seq) & s.photos.c.listed.is_(True)


def load_listing(conn: Connection, seq: int) -> Listing:
    """Every listed photo's id and shuffle key (once per publish)."""
    query = (
        select(s.photos.c.id, s.photos.c.shuffle_key)
        .where(listed_photos(seq))
        .order_by(s.photos.c.id)  # a stable tie-break for the seeded orders, in every worker
    )
    rows = conn.execute(query).all()
    return Listing(ids=[r.id for r in rows], keys=[r.shuffle_key for r in rows])


def facet_rows_by_slug(conn: Connection, seq: int) -> dict[str, dict[str, Any]]:
    """Every camera/lens/tag/city/collection row of publish ``seq`` by slug: small tables,
    read once per publish, so a facet page or a search filter needs no query for its row."""
    found: dict[str, dict[str, Any]] = {}
    for kind, table in SLUG_TABLES.items():
        rows = conn.execute(select(table).where(s.visible_in(table, seq)))
        by_slug: dict[str, Any] = {}
        for row in rows:
            by_slug.setdefault(row.slug, row)
        found[kind] = by_slug
    return found


def photo_ids_for(conn: Connection, seq: int, kind: str, row: Any) -> list[str]:
    """The listed photos of a camera, lens, city, tag or collection (collections in order)."""
    if kind in _PHOTO_FK:
        query = select(s.photos.c.id).where(listed_photos(seq), _PHOTO_FK[kind] == row.id)
    elif kind == "tag":
        pt = s.photo_tags
        query = select(pt.c.photo_id).where(s.visible_in(pt, seq), pt.c.tag_id == row.id)
    else:
        cp = s.collection_photos
        query = (
            select(cp.c.photo_id)
            .where(s.visible_in(cp, seq), cp.c.collection_id == row.id)
            .order_by(cp.c.position, cp.c.photo_id)
        )
    return list(conn.execute(query).scalars())


def photo_ids_for_year(conn: Connection, seq: int, year: int) -> list[str]:
    query = select(s.photos.c.id).where(listed_photos(seq), s.photos.c.year == year)
    return list(conn.execute(query).scalars())


def cards(conn: Connection, seq: int, ids: list[str]) -> list[Card]:
    """Grid cards for ``ids``, in that order (unknown ids dropped)."""
    if not ids:
        return []
    dialect = dialect_of(conn)
    statement = _CARDS.get(dialect.name)
    if statement is None:
        statement = _CARDS[dialect.name] = select(*_CARD_COLUMNS).where(
            s.visible_in(s.photos, _SEQ), dialect.any_of(s.photos.c.id, "ids")
        )
    rows = dialect.rows(conn, statement, {"seq": seq, "ids": ids})
    by_id = {row.id: _card(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _card(row: Any) -> Card:
    return Card(
        id=row.id,
        title=row.title,
        description=row.description,
        width=row.width,
        height=row.height,
        color=_color(row.placeholder_color),
        renditions=renditions_from(row.renditions),
        camera_name=row.camera_name,
        focal_length_mm=row.focal_length_mm,
        aperture=row.aperture,
        date_taken=row.date_taken,
        first_published_at=row.first_published_at,
        city_id=row.city_id,
    )


def _color(value: str | None) -> str:
    """Only a plain ``#rrggbb`` reaches a style attribute."""
    return value if value and _COLOR.match(value) else "#222222"


def photo_detail(
    conn: Connection, seq: int, photo_id: str, by_id: dict[str, dict[str, Link]]
) -> PhotoDetail | None:
    """A photo (listed or unlisted) with its gear, city, tags and collections in ONE query:
    names come from ``by_id`` (every facet row of the publish, see ``facets_by_id``)."""
    row = dialect_of(conn).first(conn, _PHOTO_DETAIL, {"seq": seq, "photo_id": photo_id})
    if row is None:
        return None
    tags = _named(by_id["tag"], row.tag_ids)
    collections = _named(by_id["collection"], row.collection_ids)
    return PhotoDetail(
        card=_card(row),
        listed=bool(row.listed),
        exposure=exposure(row.exposure_display),
        iso=row.iso,
        focal_length_35mm=row.focal_length_35mm,
        lens_name=row.lens_name,
        year=row.year,
        camera=by_id["camera"].get(row.camera_id or ""),
        lens=by_id["lens"].get(row.lens_id or ""),
        city=by_id["city"].get(row.city_id or ""),
        tags=tuple(sorted(tags, key=lambda x: x.name.lower())),
        collections=tuple(sorted(collections, key=lambda x: x.extra.get("position") or 0)),
    )


def _ids_of(table: Table, ref: Any) -> Any:
    """A scalar subquery: the comma-joined ``ref`` ids linked to the outer photo."""
    return (
        # The separator as SQL text, not a bound value, so the statement compiles once
        # with nothing left to render per execution (see Dialect.first).
        select(func.aggregate_strings(ref, literal_column("','")))  # type: ignore[arg-type]
        .where(s.visible_in(table, _SEQ), table.c.photo_id == s.photos.c.id)
        .scalar_subquery()
    )


_PHOTO_DETAIL = select(
    *_PHOTO_COLUMNS,
    _ids_of(s.photo_tags, s.photo_tags.c.tag_id).label("tag_ids"),
    _ids_of(s.collection_photos, s.collection_photos.c.collection_id).label("collection_ids"),
).where(s.visible_in(s.photos, _SEQ), s.photos.c.id == bindparam("photo_id"))
_CARDS: dict[str, Any] = {}  # per dialect: how a list of ids is bound differs
_MEMBER_COLUMNS = {
    "camera": s.photos.c.camera_id,
    "lens": s.photos.c.lens_id,
    "city": s.photos.c.city_id,
    "year": s.photos.c.year,
}
_MEMBERS = {
    **{
        kind: select(s.photos.c.id, column).where(
            s.visible_in(s.photos, _SEQ), s.photos.c.listed.is_(True), column.is_not(None)
        )
        for kind, column in _MEMBER_COLUMNS.items()
    },
    "tag": select(s.photo_tags.c.photo_id, s.photo_tags.c.tag_id).where(
        s.visible_in(s.photo_tags, _SEQ)
    ),
}
MEMBER_KINDS = frozenset(_MEMBERS)


def memberships(conn: Connection, seq: int, kind: str) -> list[tuple[str, Any]]:
    """(photo id, camera/lens/city/tag id or year) of every photo of publish ``seq``: the
    photos of every facet of one kind in one read, kept per publish (see
    ``Snapshot.members``) so a facet page needs no query for its list."""
    return [(row[0], row[1]) for row in dialect_of(conn).rows(conn, _MEMBERS[kind], {"seq": seq})]


def _named(links: dict[str, Link], ids: str | None) -> list[Link]:
    return [links[i] for i in (ids or "").split(",") if i in links]


def facets_by_id(conn: Connection, seq: int) -> dict[str, dict[str, Link]]:
    """Every camera, lens, city, tag and collection of the publish, by id: small tables,
    cached per publish, so a photo page needs no joins."""
    return {
        kind: {row.id: link(row) for row in conn.execute(select(t).where(s.visible_in(t, seq)))}
        for kind, t in SLUG_TABLES.items()
    }


def link(row: Any) -> Link:
    """A facet row as a Link; cities read "City, Region" and keep their coordinates."""
    mapping = row._mapping
    name = row.name
    extra: dict[str, Any] = {}
    if "country_code" in mapping:
        extra = {
            "admin1": row.admin1,
            "country_code": row.country_code,
            "latitude": row.latitude,
            "longitude": row.longitude,
        }
        if row.country_code == "US" and row.admin1:
            name = f"{row.name}, {row.admin1}"
    for key in ("make", "cover_photo_id", "description", "date", "position"):
        if key in mapping:
            extra[key] = mapping[key]
    return Link(slug=row.slug, name=name, count=mapping.get("photo_count") or 0, extra=extra)


def facet_links(conn: Connection, seq: int, kind: str, min_count: int = 1) -> list[Link]:
    """Cameras, lenses, tags, cities or collections with at least ``min_count`` photos."""
    table = SLUG_TABLES[kind]
    order = table.c.position if kind == "collection" else table.c.name
    query = (
        select(table)
        .where(s.visible_in(table, seq), table.c.photo_count >= min_count)
        .order_by(order, table.c.slug)
    )
    return [link(row) for row in conn.execute(query)]


def year_counts(conn: Connection, seq: int) -> list[tuple[int, int]]:
    """(year, listed photos) newest first."""
    year = s.photos.c.year
    query = (
        select(year, func.count())
        .where(listed_photos(seq), year.is_not(None))
        .group_by(year)
        .order_by(year.desc())
    )
    return [(row[0], row[1]) for row in conn.execute(query)]


def site_settings(conn: Connection, seq: int) -> dict[str, str]:
    query = select(s.site.c.key, s.site.c.value).where(s.visible_in(s.site, seq))
    return {row.key: row.value for row in conn.execute(query)}


def newest_cards(conn: Connection, seq: int, limit: int) -> list[Card]:
    """The most recently published listed photos (for the feed): newest first by when they
    first went public; photos published together, newest taken first."""
    photos = s.photos.c
    query = (
        select(*_CARD_COLUMNS)
        .where(listed_photos(seq), photos.first_published_at.is_not(None))
        .order_by(
            photos.first_published_at.desc(),
            photos.date_taken.is_(None),
            photos.date_taken.desc(),
            photos.id,
        )
        .limit(limit)
    )
    return [_card(row) for row in conn.execute(query)]
