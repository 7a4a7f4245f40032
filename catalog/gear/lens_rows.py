"""Lens rows: find-or-create from raw EXIF, and the owner's aliases, merges and renames.

A lens alias keys on (LensMake, LensModel). When LensMake is missing, the brand the name
begins with stands in for it, or for a bare spec the body's brand, so "18-70mm f/3.5-4.5"
on a Nikon and on a Canon body stay two different lenses (though neither is named after a
maker it may not be). An alias with an empty make serves every body; a merge or
rename leaves one for the old canonical name, so new spellings of it follow the owner.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.gear.errors import GearConflictError
from catalog.gear.lenses import body_brand, lens_spec, normalise_lens
from catalog.gear.makers import leading_maker
from catalog.gear.names import clean_text
from catalog.gear.relink import (
    link_photos,
    merge_gear,
    reindex_photos,
    row_by_slug,
)
from catalog.get_or_create import insert_once
from catalog.models import ExifData, Lens, LensAlias, Photo
from catalog.slugs import slugify, unique_slug


def _alias_make(raw_make: str, name: str, system: str | None) -> str:
    """The make an alias is keyed on: LensMake, else the brand the name begins with, else
    the body's brand for a bare spec (the system it was on)."""
    if raw_make:
        return raw_make
    led = leading_maker(name)
    return led[0].name if led is not None else system or ""


def resolve_lens(
    session: Session,
    lens_make: str | None,
    lens_model: str | None,
    camera_make: str | None = None,
    specification: Sequence[float] | None = None,
) -> Lens | None:
    """The canonical lens for raw EXIF lens fields, created (with its alias) on first sight."""
    raw_make, raw_model = clean_text(lens_make), clean_text(lens_model)
    name = normalise_lens(raw_make, raw_model, camera_make)
    if name is None:
        return None
    system = body_brand(raw_make, raw_model, camera_make)
    key_make = _alias_make(raw_make, name, system)
    for make in dict.fromkeys((raw_make, key_make)):  # an owner's alias without a make first
        alias = _alias(session, make, raw_model)
        if alias is not None:
            return alias.lens
    by_name = _alias(session, "", name)
    lens = by_name.lens if by_name is not None else None
    if lens is None:
        lens = _new_lens(session, name, specification, system)
    insert_once(session, LensAlias, {"lens_id": lens.id, "raw_make": key_make,
                                     "raw_model": raw_model})  # fmt: skip
    # Whoever wrote the alias first (this import or another at the same moment) decides.
    return session.scalars(
        select(Lens)
        .join(LensAlias)
        .where(LensAlias.raw_make == key_make, LensAlias.raw_model == raw_model)
    ).one()


def _alias(session: Session, raw_make: str, raw_model: str) -> LensAlias | None:
    return session.scalar(
        select(LensAlias).where(LensAlias.raw_make == raw_make, LensAlias.raw_model == raw_model)
    )


def _point_name_alias(session: Session, old_name: str, lens_id: str) -> None:
    """Send the canonical name ``old_name`` to ``lens_id`` on every future import."""
    alias = _alias(session, "", old_name)
    if alias is None:
        session.add(LensAlias(lens_id=lens_id, raw_make="", raw_model=old_name))
    else:
        alias.lens_id = lens_id


def _new_lens(
    session: Session, name: str, specification: Sequence[float] | None, system: str | None
) -> Lens:
    """The lens named ``name``, created unless it (or a lens of the same slug) exists. A bare
    spec's slug carries the body's brand: "18-70mm f/3.5-4.5" on a Nikon and on a Canon are
    two lenses (nikon-18-70mm-…, canon-18-70mm-…), neither named after a maker it may not be."""
    # a lens is its slug: the same name on the same system never makes a second one
    slug = slugify(f"{system} {name}" if system else name)
    spec = tuple(specification) if specification is not None else None
    focal_min, focal_max, aperture = lens_spec(name, spec)  # type: ignore[arg-type]
    led = leading_maker(name)
    insert_once(session, Lens, {
        "slug": slug,
        "make": led[0].name if led is not None else None,
        "model": led[1] if led is not None and led[1] else name,
        "name": name,
        "focal_min_mm": focal_min,
        "focal_max_mm": focal_max,
        "max_aperture": aperture,
    })  # fmt: skip
    return session.scalars(select(Lens).where(Lens.slug == slug)).one()


def merge_lenses(session: Session, source_slug: str, target_slug: str) -> int:
    """Fold one lens into another: photos and raw aliases move; returns photos moved."""
    return merge_gear(
        session,
        "lens",
        Lens,
        LensAlias.lens_id,
        Photo.lens_id,
        (source_slug, target_slug),
        _point_name_alias,
    )


def rename_lens(session: Session, slug: str, new_name: str) -> Lens:
    """Give a lens a new name (and slug); a name already taken means merge."""
    lens = row_by_slug(session, Lens, "lens", slug)
    name = clean_text(new_name)
    if not name:
        raise ValueError("a lens needs a name")
    clash = session.scalar(select(Lens).where(Lens.slug == slugify(name), Lens.id != lens.id))
    if clash is not None:
        raise GearConflictError("lens", name, clash.slug)
    _point_name_alias(session, lens.name, lens.id)
    led = leading_maker(name)
    lens.make = led[0].name if led is not None else lens.make
    lens.model = led[1] if led is not None and led[1] else name
    lens.name = name
    lens.slug = unique_slug(session, Lens, name, exclude_id=lens.id)
    session.flush()
    reindex_photos(session, list(session.scalars(select(Photo.id).where(Photo.lens == lens))))
    return lens


def add_lens_alias(session: Session, raw_make: str, raw_model: str, slug: str) -> int:
    """Map a raw EXIF (LensMake, LensModel) pair to a lens, and re-link the photos with it."""
    lens = row_by_slug(session, Lens, "lens", slug)
    make, model = clean_text(raw_make), clean_text(raw_model)
    alias = _alias(session, make, model)
    if alias is None:
        session.add(LensAlias(lens_id=lens.id, raw_make=make, raw_model=model))
    else:
        alias.lens_id = lens.id
    ids = photos_with_raw_lens(session, make, model)
    link_photos(session, Photo.lens_id, ids, lens.id)
    session.flush()
    reindex_photos(session, ids)
    return len(ids)


def photos_with_raw_lens(session: Session, raw_make: str, raw_model: str) -> list[str]:
    """The photos whose EXIF names this lens (LensModel, with this LensMake or none): those
    an alias of it re-links."""
    make, model = clean_text(raw_make), clean_text(raw_model)
    rows = session.execute(
        select(Photo.id, ExifData.lens_make, ExifData.lens_model).join(
            ExifData, ExifData.photo_id == Photo.id
        )
    )
    return [pid for pid, m, n in rows if clean_text(n) == model and clean_text(m) in (make, "")]
