"""Undoable renames, merges and aliases of cameras, lenses and cities: one implementation
for the three kinds, told apart by a :class:`GearKind` (its table, its alias rows, its photo
column).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.gear import (
    add_camera_alias,
    add_city_alias,
    add_lens_alias,
    merge_cameras,
    merge_cities,
    merge_lenses,
    rename_camera,
    rename_city,
    rename_lens,
)
from catalog.gear.cameras import photos_with_raw_camera
from catalog.gear.lens_rows import photos_with_raw_lens
from catalog.gear.names import clean_text
from catalog.gear.relink import row_by_slug
from catalog.models import Camera, CameraAlias, City, Lens, LensAlias, Photo
from catalog.operations.core import recorded
from catalog.operations.snapshot import Scope, photo_columns, rows_of
from catalog.places.aliases import ALIASES_KEY, load_city_aliases


@dataclass(frozen=True)
class GearKind:
    """What differs between cameras, lenses and cities for the owner's edits."""

    name: str  # "camera", "lens", "city"
    table: Any
    photo_column: Any
    merge: Callable[[Session, str, str], int]
    rename: Callable[[Session, str, str], Any]
    alias_table: Any = None  # None: the kind keeps its aliases in a setting (cities)

    def alias_scopes(self, row_ids: list[str], names: list[str]) -> list[Scope]:
        """The alias rows a rename or merge may repoint or add."""
        if self.alias_table is None:
            return [rows_of("settings", "key", [ALIASES_KEY])]
        table, fk = self.alias_table.__tablename__, f"{self.name}_id"
        return [rows_of(table, fk, row_ids), rows_of(table, "raw_model", names)]


KINDS: dict[str, GearKind] = {
    "camera": GearKind("camera", Camera, Photo.camera_id, merge_cameras, rename_camera,
                       CameraAlias),
    "lens": GearKind("lens", Lens, Photo.lens_id, merge_lenses, rename_lens, LensAlias),
    "city": GearKind("city", City, Photo.city_id, merge_cities, rename_city),
}  # fmt: skip


def kind_of(name: str) -> GearKind:
    try:
        return KINDS[name.lower()]
    except KeyError:
        raise ValueError(f"no gear kind {name!r}: camera, lens or city") from None


def _scopes(
    catalog: Catalog, kind: GearKind, slugs: list[str], labels: list[str] | None = None
) -> tuple[list[Scope], list[str]]:
    """The rows of ``slugs``, their aliases and their photos' links; and the photos of the
    first row (those a merge moves). ``labels`` is handed the rows' names."""
    with catalog.reading() as session:
        rows = [row_by_slug(session, kind.table, kind.name, slug) for slug in slugs]
        row_ids = [row.id for row in rows]
        names = [row.name for row in rows]
        linked = select(Photo.id, kind.photo_column).where(kind.photo_column.in_(row_ids))
        photos = session.execute(linked).all()
    if labels is not None:
        labels.extend(names)
    table = kind.table.__tablename__
    scopes = [rows_of(table, "id", row_ids), *kind.alias_scopes(row_ids, names),
              photo_columns([p for p, _ in photos], kind.photo_column.key)]  # fmt: skip
    return scopes, [p for p, row_id in photos if row_id == row_ids[0]]


def merge(catalog: Catalog, kind_name: str, source: str, target: str) -> CatalogChanges:
    """Fold ``source`` into ``target`` (slugs): photos and aliases move, ``source`` goes."""
    kind = kind_of(kind_name)
    names: list[str] = []
    scopes, photo_ids = _scopes(catalog, kind, [source, target], names)

    def edit() -> CatalogChanges:
        with catalog.writing() as session:
            kind.merge(session, source, target)
        return CatalogChanges.of(photo_ids, facets=True)

    label = f"Merge {kind.name} “{names[0]}” into “{names[1]}”"
    return recorded(catalog, label, scopes, edit)


def rename(catalog: Catalog, kind_name: str, slug: str, new_name: str) -> CatalogChanges:
    """A new name (and slug) for a camera, lens or city; a name taken means merge instead."""
    kind = kind_of(kind_name)
    names: list[str] = []
    scopes, photo_ids = _scopes(catalog, kind, [slug], names)

    def edit() -> CatalogChanges:
        with catalog.writing() as session:
            kind.rename(session, slug, new_name)
        return CatalogChanges.of(photo_ids, facets=True)

    return recorded(catalog, f"Rename {kind.name} “{names[0]}”", scopes, edit)


def add_alias(
    catalog: Catalog,
    kind_name: str,
    slug: str,
    *,
    make: str = "",
    model: str = "",
    place: tuple[str, str, str] | None = None,
) -> CatalogChanges:
    """Send raw EXIF strings (a camera's Make and Model, a lens's LensMake and LensModel)
    or a geocoder place (name, region, country code) to ``slug``, now and on every import;
    the photos that carry them follow at once. One undo step takes all of it back."""
    kind = kind_of(kind_name)
    if kind.name == "city":
        if place is None:
            raise ValueError("a city alias needs the geocoder's place: name, region, country")
        return _add_city_alias(catalog, slug, place)
    raw_model = clean_text(model)
    if not raw_model:
        raise ValueError(f"a {kind.name} alias needs at least the model")
    find = photos_with_raw_camera if kind.name == "camera" else photos_with_raw_lens
    add = add_camera_alias if kind.name == "camera" else add_lens_alias
    with catalog.reading() as session:
        target = row_by_slug(session, kind.table, kind.name, slug).name  # or NotFoundError
        photo_ids = find(session, make, model)
    scopes = [rows_of(kind.alias_table.__tablename__, "raw_model", [raw_model]),
              photo_columns(photo_ids, kind.photo_column.key)]  # fmt: skip

    def edit() -> CatalogChanges:
        with catalog.writing() as session:
            add(session, make, model, slug)
        return CatalogChanges.of(photo_ids, facets=True)

    return recorded(catalog, f"Add {kind.name} alias “{raw_model}” to “{target}”", scopes, edit)


def _add_city_alias(catalog: Catalog, slug: str, place: tuple[str, str, str]) -> CatalogChanges:
    """A geocoder place sent to a city; the city it made before, if any, merges into it."""
    name, region, country = place
    kind = KINDS["city"]
    with catalog.reading() as session:
        target = row_by_slug(session, City, "city", slug)
        target_name, target_slug = target.name, target.slug
        source = session.scalar(select(City.slug).where(
            City.name == name, City.admin1 == region, City.country_code == country.upper(),
            City.id != target.id))  # fmt: skip
    slugs = [source, target_slug] if source else [target_slug]
    scopes, photo_ids = _scopes(catalog, kind, slugs)
    if not source:
        photo_ids = []

    def edit() -> CatalogChanges:
        with catalog.writing() as session:
            add_city_alias(session, name, region, country, slug)
        return CatalogChanges.of(photo_ids, facets=True)

    return recorded(catalog, f"Add city alias “{name}” to “{target_name}”", scopes, edit)


@dataclass(frozen=True)
class GearCount:
    """One camera, lens or city with how many photos show it, and its aliases if asked."""

    slug: str
    label: str
    count: int
    row_id: str
    aliases: tuple[str, ...] = ()


def gear_counts(catalog: Catalog, kind_name: str, with_aliases: bool = False) -> list[GearCount]:
    """Every row of a kind with its photo count, most photos first."""
    kind = kind_of(kind_name)
    table = kind.table
    label = table.name + ", " + table.country_code if kind.name == "city" else table.name
    query = (
        select(table.slug, label, func.count(Photo.id), table.id)
        .outerjoin(Photo, kind.photo_column == table.id)
        .group_by(table.id)
        .order_by(func.count(Photo.id).desc(), table.name)
    )
    with catalog.reading() as session:
        rows = [GearCount(*row) for row in session.execute(query)]
        if with_aliases:
            rows = [replace(r, aliases=_aliases(session, kind, r.row_id)) for r in rows]
    return rows


def gear_row(catalog: Catalog, kind_name: str, key: str) -> GearCount:
    """One row by slug (or a name that slugifies to it) or id: NotFoundError otherwise."""
    kind = kind_of(kind_name)
    with catalog.reading() as session:
        row = session.get(kind.table, key) or row_by_slug(session, kind.table, kind.name, key)
        count = session.scalar(select(func.count()).where(kind.photo_column == row.id)) or 0
        return GearCount(row.slug, row.name, count, row.id)


def _aliases(session: Session, kind: GearKind, row_id: str) -> tuple[str, ...]:
    """The raw strings (or geocoder places) that lead to one row, said for people."""
    if kind.alias_table is None:
        slug = session.scalar(select(City.slug).where(City.id == row_id))
        aliases = load_city_aliases(session)
        return tuple(f"geocoder place {k!r}" for k, target in aliases.items() if target == slug)
    alias = kind.alias_table
    fk = getattr(alias, f"{kind.name}_id")
    rows = session.execute(select(alias.raw_make, alias.raw_model).where(fk == row_id))
    return tuple(f"{make!r} + {model!r}" for make, model in rows)
