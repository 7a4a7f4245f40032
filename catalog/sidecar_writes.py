"""The owner's values written back to XMP sidecars, for other tools to read (see
:mod:`catalog.sidecars` for what is written, where, and how it merges).

Title and description are written only when they are the owner's (an AI text is left out,
and a sidecar's own title then stays as it was); tags, only the owner's. After writing, the
sidecar's new size and mtime are recorded, so the next import does not read ExifTree's own
write back as a change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.ingest.sidecars import record_sidecar
from catalog.models import Photo, PhotoSidecar, PhotoTag, Source, Status, Tag
from catalog.query import resolve_ids
from catalog.rows import chunked
from catalog.sidecars import (
    OwnerValues,
    SidecarError,
    fingerprint,
    read_sidecar,
    write_sidecar,
)

WRITABLE_STATUSES = (Status.PROCESSED.value, Status.REJECTED.value)
# The operations (and their undos and redos, which keep the label) whose changes a sidecar
# holds: "Set rating (3 photos)" and so on (catalog.operations.counted).
SYNCED_EDITS = ("Set rating", "Set title", "Set description", "Add tags", "Remove tags",
                "Set visibility")  # fmt: skip


def photos_to_sync(changes: CatalogChanges) -> list[str]:
    """The photos whose sidecars ``changes`` make stale: those of a synced edit, else none."""
    if not changes.label.startswith(SYNCED_EDITS):
        return []
    return sorted(changes.photo_ids - changes.removed_ids)


@dataclass
class WriteReport:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one sentence per photo not written


def all_photo_ids(catalog: Catalog) -> list[str]:
    """Every photo whose original is there to sit beside (failed files have no values)."""
    with catalog.reading() as session:
        stmt = select(Photo.id).where(
            Photo.status.in_(WRITABLE_STATUSES), Photo.missing_since.is_(None)
        )
        return list(session.scalars(stmt.order_by(Photo.source_path)))


def named_photo_ids(catalog: Catalog, keys: Sequence[str]) -> list[str]:
    """Ids from paths of imported files, or from ids and unique id prefixes (what a person
    types on a command line)."""
    ids: list[str] = []
    with catalog.reading() as session:
        for key in keys:
            by_path = None
            if os.path.exists(key):
                stmt = select(Photo.id).where(Photo.source_path == os.path.abspath(key))
                by_path = session.scalar(stmt)
            ids.extend([by_path] if by_path else resolve_ids(session, [key]))
    return list(dict.fromkeys(ids))


def owner_values(session: Session, photo: Photo) -> OwnerValues:
    """What of ``photo`` is the owner's, as :func:`catalog.sidecars.write_sidecar` takes it."""
    tags = session.scalars(
        select(Tag.name)
        .join(PhotoTag, PhotoTag.tag_id == Tag.id)
        .where(PhotoTag.photo_id == photo.id, PhotoTag.source == Source.OWNER.value)
        .order_by(Tag.name)
    ).all()
    extras = session.scalar(select(PhotoSidecar.extras).where(PhotoSidecar.photo_id == photo.id))
    try:
        hierarchies = [str(p) for p in json.loads(extras or "{}").get("hierarchies", [])]
    except (ValueError, AttributeError):
        hierarchies = []
    return OwnerValues(
        rating=photo.rating,
        title=photo.title,
        description=photo.description,
        tags=tuple(tags),
        visibility=photo.visibility,
        hierarchies=tuple(hierarchies),
        owns_title=photo.title_source != Source.AI.value,
        owns_description=photo.description_source != Source.AI.value,
    )


def write_sidecars(catalog: Catalog, photo_ids: Sequence[str]) -> WriteReport:
    """Write (merge) the sidecar of each photo; one photo's problem never stops the rest."""
    report = WriteReport()
    for part in chunked(list(photo_ids)):
        with catalog.reading() as session:
            photos = session.scalars(select(Photo).where(Photo.id.in_(part))).all()
            work = [(p.id, p.source_path, p.status, p.missing_since, owner_values(session, p))
                    for p in photos]  # fmt: skip
        for photo_id, source, status, missing, values in work:
            if status not in WRITABLE_STATUSES:
                report.problems.append(f"{source}: not written (the file failed to import)")
                continue
            if missing is not None or not Path(source).is_file():
                report.problems.append(f"{source}: not written (the original is missing)")
                continue
            try:
                target = write_sidecar(source, values)
                stamp = fingerprint(target)
                if stamp is not None:
                    record_sidecar(catalog, photo_id, target, stamp, read_sidecar(target))
            except SidecarError as exc:
                report.problems.append(str(exc))
                continue
            report.written.append(target)
    return report


def sidecar_paths(catalog: Catalog, photo_ids: Sequence[str]) -> dict[str, str]:
    """photo id → the sidecar the catalog knows of (read on import or written)."""
    out: dict[str, str] = {}
    with catalog.reading() as session:
        for part in chunked(list(photo_ids)):
            stmt = select(PhotoSidecar.photo_id, PhotoSidecar.path).where(
                PhotoSidecar.photo_id.in_(part)
            )
            out.update({photo_id: path for photo_id, path in session.execute(stmt)})
    return out
