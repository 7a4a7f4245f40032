"""Camera rows: find-or-create from raw EXIF, and the owner's aliases, merges and renames.

Every raw (Make, Model) pair seen is kept as a :class:`CameraAlias`; an alias is consulted
before the name rules, so a pair the owner pointed somewhere stays pointed there. A merge or
rename also leaves a *name alias* ("", old canonical name), so a new spelling of the old
name follows the owner's decision too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.gear.errors import GearConflictError
from catalog.gear.makers import leading_maker
from catalog.gear.names import camera_display_name, clean_text, normalise_camera
from catalog.gear.relink import (
    link_photos,
    merge_gear,
    reindex_photos,
    row_by_slug,
)
from catalog.get_or_create import insert_once
from catalog.models import Camera, CameraAlias, ExifData, Photo
from catalog.slugs import slugify, unique_slug


def resolve_camera(session: Session, make: str | None, model: str | None) -> Camera | None:
    """The canonical camera for a raw EXIF pair, created (with its alias) on first sight."""
    raw_make, raw_model = clean_text(make), clean_text(model)
    if not raw_make and not raw_model:
        return None
    alias = _alias(session, raw_make, raw_model)
    if alias is not None:
        return alias.camera
    canonical = normalise_camera(raw_make, raw_model)
    if canonical is None:
        return None
    name = camera_display_name(*canonical)
    by_name = _alias(session, "", name)
    camera = by_name.camera if by_name is not None else None
    slug = slugify(name)  # a camera is its slug: the same name never makes a second one
    if camera is None:
        insert_once(session, Camera, {"slug": slug, "make": canonical[0],
                                      "model": canonical[1], "name": name})  # fmt: skip
        camera = session.scalars(select(Camera).where(Camera.slug == slug)).one()
    insert_once(session, CameraAlias, {"camera_id": camera.id, "raw_make": raw_make,
                                       "raw_model": raw_model})  # fmt: skip
    # Whoever wrote the alias first (this import or another at the same moment) decides.
    return session.scalars(
        select(Camera)
        .join(CameraAlias)
        .where(CameraAlias.raw_make == raw_make, CameraAlias.raw_model == raw_model)
    ).one()


def _alias(session: Session, raw_make: str, raw_model: str) -> CameraAlias | None:
    return session.scalar(
        select(CameraAlias).where(
            CameraAlias.raw_make == raw_make, CameraAlias.raw_model == raw_model
        )
    )


def _point_name_alias(session: Session, old_name: str, camera_id: str) -> None:
    """Send the canonical name ``old_name`` to ``camera_id`` on every future import."""
    alias = _alias(session, "", old_name)
    if alias is None:
        session.add(CameraAlias(camera_id=camera_id, raw_make="", raw_model=old_name))
    else:
        alias.camera_id = camera_id


def merge_cameras(session: Session, source_slug: str, target_slug: str) -> int:
    """Fold one camera into another: photos and raw aliases move; returns photos moved."""
    return merge_gear(
        session,
        "camera",
        Camera,
        CameraAlias.camera_id,
        Photo.camera_id,
        (source_slug, target_slug),
        _point_name_alias,
    )


def rename_camera(session: Session, slug: str, new_name: str) -> Camera:
    """Give a camera a new display name (and slug); a name already taken means merge."""
    camera = row_by_slug(session, Camera, "camera", slug)
    name = clean_text(new_name)
    if not name:
        raise ValueError("a camera needs a name")
    clash = session.scalar(
        select(Camera).where(Camera.slug == slugify(name), Camera.id != camera.id)
    )
    if clash is not None:
        raise GearConflictError("camera", name, clash.slug)
    _point_name_alias(session, camera.name, camera.id)
    led = leading_maker(name)
    if led is not None:
        camera.make, camera.model = led[0].name, led[1]
        name = camera_display_name(camera.make, camera.model)
    else:
        camera.make, _, camera.model = name.partition(" ")
    camera.name = name
    camera.slug = unique_slug(session, Camera, name, exclude_id=camera.id)
    session.flush()
    reindex_photos(session, list(session.scalars(select(Photo.id).where(Photo.camera == camera))))
    return camera


def add_camera_alias(session: Session, raw_make: str, raw_model: str, slug: str) -> int:
    """Map a raw EXIF (Make, Model) pair to a camera, and re-link the photos that have it."""
    camera = row_by_slug(session, Camera, "camera", slug)
    make, model = clean_text(raw_make), clean_text(raw_model)
    alias = _alias(session, make, model)
    if alias is None:
        session.add(CameraAlias(camera_id=camera.id, raw_make=make, raw_model=model))
    else:
        alias.camera_id = camera.id
    ids = photos_with_raw_camera(session, make, model)
    link_photos(session, Photo.camera_id, ids, camera.id)
    session.flush()
    reindex_photos(session, ids)
    return len(ids)


def photos_with_raw_camera(session: Session, raw_make: str, raw_model: str) -> list[str]:
    """The photos whose EXIF names this (Make, Model) pair: those an alias of it re-links."""
    make, model = clean_text(raw_make), clean_text(raw_model)
    rows = session.execute(
        select(Photo.id, ExifData.make, ExifData.model).join(
            ExifData, ExifData.photo_id == Photo.id
        )
    )
    return [pid for pid, m, n in rows if (clean_text(m), clean_text(n)) == (make, model)]
