"""Undoable edits of photo fields: rating, visibility, title, description, tags, rotation,
time shift, a date for undated photos, place fix, approval of AI text and removal from the
catalog.

Each wraps the catalog's edit function of the same name (which checks the input and keeps
search in step) with the row scopes it may touch, so its changes carry an exact undo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from catalog import edits, owner_dates
from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.models import Collection, Photo, PhotoTag
from catalog.operations.core import _park_thumbnails, counted, recorded
from catalog.operations.snapshot import Scope, photo_columns, rows_of
from catalog.rows import chunked


def _ids(photo_ids: str | Sequence[str]) -> list[str]:
    return [photo_ids] if isinstance(photo_ids, str) else list(dict.fromkeys(photo_ids))


def set_rating(catalog: Catalog, ids: Sequence[str], rating: int) -> CatalogChanges:
    ids = _ids(ids)
    return recorded(catalog, counted("Set rating", ids), [photo_columns(ids, "rating")],
                    lambda: edits.set_rating(catalog, ids, rating))  # fmt: skip


def set_visibility(catalog: Catalog, ids: Sequence[str], visibility: str) -> CatalogChanges:
    ids = _ids(ids)
    return recorded(catalog, counted("Set visibility", ids), [photo_columns(ids, "visibility")],
                    lambda: edits.set_visibility(catalog, ids, visibility))  # fmt: skip


def set_title(catalog: Catalog, ids: str | Sequence[str], title: str | None) -> CatalogChanges:
    ids = _ids(ids)
    scope = photo_columns(ids, "title", "title_source")
    return recorded(catalog, counted("Set title", ids), [scope],
                    lambda: edits.set_title(catalog, ids, title))  # fmt: skip


def set_description(catalog: Catalog, ids: str | Sequence[str], text: str | None) -> CatalogChanges:
    ids = _ids(ids)
    scope = photo_columns(ids, "description", "description_source")
    return recorded(catalog, counted("Set description", ids), [scope],
                    lambda: edits.set_description(catalog, ids, text))  # fmt: skip


# a tag row is shared: another photo may have been given it after the edit being undone
_TAG_USERS = (("photo_tags", "tag_id"),)


def _tag_scopes(ids: Sequence[str], names: Iterable[str]) -> list[Scope]:
    """The tags named (created or dropped), the photos' links, and their refused list."""
    slugs = list(edits.tag_names(names))  # refuses a bad name before anything is captured
    return [
        rows_of("tags", "slug", slugs, used_by=_TAG_USERS),
        rows_of("photo_tags", "photo_id", ids),
        photo_columns(ids, "ai_tags_refused"),
    ]


def add_tags(
    catalog: Catalog, ids: Sequence[str], names: Iterable[str], source: str = "owner"
) -> CatalogChanges:
    ids, names = _ids(ids), [names] if isinstance(names, str) else list(names)
    return recorded(catalog, counted("Add tags", ids), _tag_scopes(ids, names),
                    lambda: edits.add_tags(catalog, ids, names, source))  # fmt: skip


def remove_tags(catalog: Catalog, ids: Sequence[str], names: Iterable[str]) -> CatalogChanges:
    ids, names = _ids(ids), [names] if isinstance(names, str) else list(names)
    return recorded(catalog, counted("Remove tags", ids), _tag_scopes(ids, names),
                    lambda: edits.remove_tags(catalog, ids, names))  # fmt: skip


def edit_tags(
    catalog: Catalog, ids: Sequence[str], add: Iterable[str] = (), remove: Iterable[str] = ()
) -> CatalogChanges:
    """Tags put on and taken off at once (the inspector's tag field): one undo step, and
    one update of the search index each way instead of two."""
    ids, add, remove = _ids(ids), _names(add), _names(remove)
    return recorded(catalog, counted("Edit tags", ids), _tag_scopes(ids, [*add, *remove]),
                    lambda: edits.edit_tags(catalog, ids, add, remove))  # fmt: skip


def _names(names: Iterable[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def shift_time(catalog: Catalog, ids: Sequence[str], delta: timedelta) -> CatalogChanges:
    ids = _ids(ids)
    scopes = [photo_columns(ids, "date_taken"), rows_of("exif_data", "photo_id", ids)]
    return recorded(catalog, counted("Shift time", ids), scopes,
                    lambda: edits.shift_time(catalog, ids, delta))  # fmt: skip


def fill_date_taken(catalog: Catalog, ids: Sequence[str], when: datetime) -> CatalogChanges:
    """Date the photos that have none (Flickr's date, a sidecar's): kept by a reprocess."""
    ids = _ids(ids)
    scopes = [photo_columns(ids, "date_taken"), rows_of("exif_data", "photo_id", ids)]
    return recorded(catalog, counted("Set date taken", ids), scopes,
                    lambda: owner_dates.fill_date_taken(catalog, ids, when))  # fmt: skip


def fix_place(
    catalog: Catalog,
    ids: Sequence[str],
    *,
    position: tuple[float, float] | None = None,
    lat_ref: str | None = None,
    lon_ref: str | None = None,
    report: Callable[[Any], None] | None = None,
) -> CatalogChanges:
    """Fix photos' coordinates and look their city up again (the rules apply); ``report``
    is handed the geocoding's counts."""
    from catalog.places.fixes import fix_positions
    from catalog.places.regeocode import geocode_photos

    ids = _ids(ids)

    def fix() -> CatalogChanges:
        fix_positions(catalog, ids, position=position, lat_ref=lat_ref, lon_ref=lon_ref)
        result = geocode_photos(catalog, ids)
        if report is not None:
            report(result)
        return CatalogChanges.of(ids, facets=True)

    scopes = [
        rows_of("exif_data", "photo_id", ids),
        photo_columns(ids, "location_flag", "city_id", "locality", "status", "reason",
                      "visibility", "date_taken"),
    ]  # fmt: skip
    return recorded(catalog, counted("Fix location", ids), scopes, fix)


@dataclass(frozen=True)
class RotateBy:
    """A turn of photos and their thumbnails; undone by the opposite turn."""

    ids: tuple[str, ...]
    turns: int
    label: str

    @property
    def size(self) -> int:
        return len(self.ids)

    def apply(self, catalog: Catalog) -> CatalogChanges:
        changes = edits.rotate(catalog, self.ids, self.turns)
        return changes.labelled(self.label, RotateBy(self.ids, -self.turns, self.label))


def rotate(catalog: Catalog, ids: Sequence[str], turns: int) -> CatalogChanges:
    ids = _ids(ids)
    verb = "Rotate left" if isinstance(turns, int) and turns < 0 else "Rotate right"
    return RotateBy(tuple(ids), turns, counted(verb, ids)).apply(catalog)


def _removal_scopes(catalog: Catalog, ids: Sequence[str]) -> list[Scope]:
    """Every row a removal deletes or changes: the photos and what hangs off them."""
    with catalog.reading() as session:
        tag_ids: set[str] = set()
        covers: set[str] = set()
        groups: set[str] = set()
        for part in chunked(ids):
            tag_ids.update(session.scalars(select(PhotoTag.tag_id).where(
                PhotoTag.photo_id.in_(part))))  # fmt: skip
            covers.update(session.scalars(select(Collection.id).where(
                Collection.cover_photo_id.in_(part))))  # fmt: skip
            groups.update(g for g in session.scalars(select(Photo.dup_group).where(
                Photo.id.in_(part))) if g)  # fmt: skip
        mates = list(session.scalars(select(Photo.id).where(Photo.dup_group.in_(groups))))
    return [
        rows_of("tags", "id", sorted(tag_ids), used_by=_TAG_USERS),
        rows_of("photos", "id", ids),
        rows_of("exif_data", "photo_id", ids),
        rows_of("photo_tags", "photo_id", ids),
        rows_of("collection_photos", "photo_id", ids),
        Scope("collections", "id", tuple(sorted(covers)), ("cover_photo_id",)),
        photo_columns([m for m in mates if m not in set(ids)], "dup_group"),
    ]


def remove_photos(catalog: Catalog, ids: Sequence[str], *, undoable: bool = True) -> CatalogChanges:
    """Take photos out of the catalog (never the files). Undoable: their thumbnails are
    moved aside rather than deleted, so an undo brings everything back; ``undoable=False``
    (the command line, which has no undo) deletes them."""
    ids = _ids(ids)
    if not undoable:
        return edits.remove_photos(catalog, ids)
    removed: dict[str, str] = {}

    def remove() -> CatalogChanges:
        with catalog.reading() as session:
            for part in chunked(ids):
                found = select(Photo.id, Photo.content_hash).where(Photo.id.in_(part))
                removed.update(dict(session.execute(found).all()))
        return edits.remove_photos(catalog, ids, keep_thumbnails=True)

    changes = recorded(catalog, counted("Remove from catalog", ids),
                       _removal_scopes(catalog, ids), remove)  # fmt: skip
    _park_thumbnails(catalog, removed.values())
    return changes


def resolve_duplicates(
    catalog: Catalog, keeper_id: str, others: Sequence[str], *, action: str = "private"
) -> CatalogChanges:
    """The owner's decision on a near-duplicate group (see :func:`edits.resolve_duplicates`),
    undoable: the group comes back for review with every photo as it was."""
    others = [i for i in _ids(others) if i != keeper_id]
    wanted = [keeper_id, *others]
    with catalog.reading() as session:
        groups = {g for g in session.scalars(select(Photo.dup_group).where(
            Photo.id.in_(wanted))) if g}  # fmt: skip
        members = list(session.scalars(select(Photo.id).where(Photo.dup_group.in_(groups))))
    kept = [m for m in dict.fromkeys([*wanted, *members]) if action != "remove" or m not in others]
    scopes = [photo_columns(kept, "dup_group", "visibility")]
    if action == "remove":
        scopes = _removal_scopes(catalog, others) + scopes
    hashes: dict[str, str] = {}

    def resolve() -> CatalogChanges:
        if action == "remove":
            with catalog.reading() as session:
                found = select(Photo.id, Photo.content_hash).where(Photo.id.in_(others))
                hashes.update(dict(session.execute(found).all()))
        return edits.resolve_duplicates(
            catalog, keeper_id, others, action=action, keep_thumbnails=True
        )

    changes = recorded(catalog, counted("Resolve duplicates", wanted), scopes, resolve)
    _park_thumbnails(catalog, hashes.values())
    return changes


def approve_ai_text(catalog: Catalog, ids: Sequence[str] | None = None) -> CatalogChanges:
    """Review mode: AI text awaiting review may now be published (``None``: every photo
    awaiting it). Undone, it waits for review again; nothing pending changes nothing."""
    with catalog.reading() as session:
        pending = list(session.scalars(select(Photo.id).where(Photo.ai_review == "pending")))
    if ids is not None:
        wanted = set(ids)
        pending = [i for i in pending if i in wanted]
    if not pending:
        return CatalogChanges()

    def approve() -> CatalogChanges:
        from catalog.ai.store import approve_review  # the AI package: only when asked for

        approved: list[str] = []
        with catalog.writing() as session:
            for part in chunked(pending):
                approved += approve_review(session, part)
        return CatalogChanges.of(approved)

    scope = photo_columns(pending, "ai_review")
    return recorded(catalog, counted("Approve AI text", pending), [scope], approve)
