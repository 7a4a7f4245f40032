"""The import's last stage: the owner's earlier curation, from XMP sidecars and embedded XMP.

Run after the photos are committed, for every photo the import saw (imported, moved, or
skipped as unchanged): a sidecar that is new, or whose size or mtime differ from the ones
recorded in ``photo_sidecars``, is read again; a photo new to the catalog also takes its
embedded XMP (the sidecar wins field by field). The values become the owner's: rating,
title and description (source "owner", so an AI run never replaces them), and tags
(source "owner"; tags are only ever added from a sidecar, never removed). A date or a
position is taken only when the photo has none of its own. A rejected photo (rating −1,
or an ``xmpDM:pick`` of −1) is kept private. Visibility is never read as public from a
sidecar: nothing goes public by surprise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from catalog import edits
from catalog.catalog import Catalog
from catalog.edit_errors import InvalidEditError
from catalog.models import Photo, PhotoSidecar, Visibility
from catalog.owner_dates import fill_date_taken
from catalog.sidecars import (
    SidecarError,
    XmpValues,
    find_sidecar,
    fingerprint,
    read_embedded,
)
from catalog.sidecars import read_sidecar as read_sidecar_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeenPhoto:
    """A photo the import saw, at ``path``; ``new`` when this import created it."""

    photo_id: str
    path: str
    new: bool


@dataclass(frozen=True)
class SidecarReport:
    applied: int = 0  # photos that took values from XMP
    unreadable: tuple[str, ...] = ()  # sentences about sidecars that could not be read


def apply_xmp(catalog: Catalog, seen: Iterable[SeenPhoto]) -> SidecarReport:
    """Read what changed (see the module docstring) and make it the owner's values."""
    seen = list(seen)
    with catalog.reading() as session:
        rows = session.execute(select(PhotoSidecar.photo_id, PhotoSidecar.path,
                                      PhotoSidecar.size, PhotoSidecar.mtime_ns)).all()  # fmt: skip
    recorded = {r.photo_id: (r.path, r.size, r.mtime_ns) for r in rows}
    applied, problems = 0, []
    for photo in seen:
        sidecar = find_sidecar(photo.path)
        stamp = fingerprint(sidecar) if sidecar is not None else None
        changed = (
            sidecar is not None
            and stamp is not None
            and (recorded.get(photo.photo_id) != (str(sidecar), *stamp))
        )
        if not changed and not photo.new:
            continue
        values = XmpValues()
        if changed:
            assert sidecar is not None and stamp is not None
            try:
                values = read_sidecar_file(sidecar)
            except SidecarError as exc:
                problems.append(str(exc))
                changed = False
        if photo.new:
            values = values.merged_over(read_embedded(photo.path))
        if not values.empty:
            apply_values(catalog, photo.photo_id, values)
            applied += 1
        if changed:
            assert sidecar is not None and stamp is not None
            record_sidecar(catalog, photo.photo_id, sidecar, stamp, values)
    return SidecarReport(applied, tuple(problems))


def apply_values(catalog: Catalog, photo_id: str, values: XmpValues) -> None:
    """``values`` as the owner's, through the same edit functions the owner's edits use."""
    ids = [photo_id]
    if values.rejected:
        edits.set_rating(catalog, ids, 0)
        edits.set_visibility(catalog, ids, Visibility.PRIVATE.value)
    elif values.rating is not None:
        edits.set_rating(catalog, ids, values.rating)
    if values.title:
        edits.set_title(catalog, ids, values.title)
    if values.description:
        edits.set_description(catalog, ids, values.description)
    if values.tags:
        try:
            edits.add_tags(catalog, ids, values.tags, "owner")
        except InvalidEditError:  # a keyword of punctuation only: the rest still count
            usable = [t for t in values.tags if edits.tag_slug(t)]
            if usable:
                edits.add_tags(catalog, ids, usable, "owner")
    if values.date_created is not None or values.position is not None:
        _fill_when_missing(catalog, photo_id, values)


def _fill_when_missing(catalog: Catalog, photo_id: str, values: XmpValues) -> None:
    """A date or place from XMP only where the photo has none: the file's own EXIF stands."""
    if values.date_created is not None:  # noted so that a reprocess keeps it
        fill_date_taken(catalog, [photo_id], values.date_created)
    with catalog.reading() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            return
        has_position = photo.exif is not None and photo.exif.gps_latitude is not None
    if values.position is not None and not has_position:
        from catalog.places.fixes import fix_positions  # the geocoder loads only when needed
        from catalog.places.regeocode import geocode_photos

        try:
            fix_positions(catalog, [photo_id], position=values.position)
            geocode_photos(catalog, [photo_id])
        except Exception as exc:  # noqa: BLE001 - no city is better than no photo
            log.warning("position from XMP not applied to %s: %s", photo_id, exc)


def record_sidecar(
    catalog: Catalog, photo_id: str, sidecar: Path, stamp: tuple[int, int], values: XmpValues
) -> None:
    """Remember the sidecar as read (or written) now, with what the catalog has no column for."""
    extras = json.dumps({"hierarchies": list(values.hierarchies), "label": values.label,
                         "picked": values.picked, "rejected": values.rejected})  # fmt: skip
    with catalog.writing() as session:
        row = session.scalar(select(PhotoSidecar).where(PhotoSidecar.photo_id == photo_id))
        if row is None:
            if session.get(Photo, photo_id) is None:
                return  # removed meanwhile
            row = PhotoSidecar(photo_id=photo_id)
            session.add(row)
        row.path, (row.size, row.mtime_ns), row.extras = str(sidecar), stamp, extras
