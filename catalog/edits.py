"""The owner's edits, one function per gesture, each one short write transaction.

Every edit checks its input before changing anything (an unknown photo or a bad value
raises and leaves the catalog as it was), keeps ``photo_search`` in step, and returns the
:class:`CatalogChanges` that views refresh from. Owner edits mark their source "owner",
which the AI never overwrites. Originals are never touched: removing a photo drops its rows
and thumbnails only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.changes import CatalogChanges
from catalog.db import new_id, utcnow
from catalog.edit_errors import InvalidEditError
from catalog.errors import NotFoundError
from catalog.files import write_atomically
from catalog.get_or_create import find_or_create_tags, insert_ignore
from catalog.models import CollectionPhoto, ExifData, Photo, PhotoTag, Source, Tag, Visibility
from catalog.owner_input import MAX_RATING
from catalog.rows import chunked
from catalog.search import reindex
from catalog.slugs import slugify

ORIGINAL_DATE_KEY = "ExifTree:OriginalDateTime"
TIME_SHIFT_KEY = "ExifTree:TimeShiftSeconds"
_WORD = re.compile(r"[^\W_]")  # a letter or digit


def tag_slug(name: str) -> str:
    """The URL form of a tag (the catalog's one slug rule); "" when it has no word at all."""
    return slugify(name) if _WORD.search(name) else ""


def require_photos(session: Session, ids: Sequence[str]) -> list[str]:
    """``ids`` without repeats, or NotFoundError naming the first one not in the catalog."""
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    for part in chunked(wanted):
        found.update(session.scalars(select(Photo.id).where(Photo.id.in_(part))))
    for photo_id in wanted:
        if photo_id not in found:
            raise NotFoundError("photo", photo_id)
    return wanted


def _update(catalog: Catalog, ids: Sequence[str], **values: object) -> list[str]:
    with catalog.writing() as session:
        wanted = require_photos(session, ids)
        for part in chunked(wanted):
            stmt = update(Photo).where(Photo.id.in_(part)).values(**values, updated_at=utcnow())
            session.execute(stmt)
        if {"title", "description"} & values.keys():
            reindex(session, wanted)
    return wanted


def set_visibility(catalog: Catalog, ids: Sequence[str], visibility: str) -> CatalogChanges:
    """Public, unlisted (by link only) or private (never leaves the machine)."""
    allowed = [v.value for v in Visibility]
    if visibility not in allowed:
        raise InvalidEditError("visibility", visibility, f"choose one of {', '.join(allowed)}")
    return CatalogChanges.of(_update(catalog, ids, visibility=visibility), facets=True)


def set_rating(catalog: Catalog, ids: Sequence[str], rating: int) -> CatalogChanges:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= MAX_RATING:
        raise InvalidEditError("rating", rating, f"a whole number of stars from 0 to {MAX_RATING}")
    return CatalogChanges.of(_update(catalog, ids, rating=rating))


def _clean_text(value: str | None) -> str | None:
    value = (value or "").replace("\x00", "").strip()
    return value or None


def _one_or_many(photo_ids: str | Sequence[str]) -> list[str]:
    return [photo_ids] if isinstance(photo_ids, str) else list(photo_ids)


def set_title(
    catalog: Catalog, photo_ids: str | Sequence[str], title: str | None
) -> CatalogChanges:
    """The owner's title (of one photo or several); an empty one clears it and still keeps
    the AI from refilling it."""
    ids = _update(
        catalog, _one_or_many(photo_ids), title=_clean_text(title), title_source=Source.OWNER.value
    )
    return CatalogChanges.of(ids)


def set_description(
    catalog: Catalog, photo_ids: str | Sequence[str], text: str | None
) -> CatalogChanges:
    ids = _update(
        catalog,
        _one_or_many(photo_ids),
        description=_clean_text(text),
        description_source=Source.OWNER.value,
    )
    return CatalogChanges.of(ids)


def tag_names(names: Iterable[str]) -> dict[str, str]:
    """slug → name for the usable names; a name with no letter or digit is an error."""
    if isinstance(names, str):  # one tag, not its characters
        names = [names]
    out: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.replace("\x00", "").split())
        if not name:
            continue
        slug = tag_slug(name)
        if not slug:
            raise InvalidEditError("tag", raw, "a tag needs at least one letter or digit")
        out.setdefault(slug, name)
    return out


def _tags_for(session: Session, wanted: dict[str, str]) -> list[str]:
    """Ids of the tags named, creating those that do not exist yet."""
    return [tag.id for tag in find_or_create_tags(session, wanted)]


def add_tags(
    catalog: Catalog, ids: Sequence[str], names: Iterable[str], source: str = "owner"
) -> CatalogChanges:
    """Tag photos; a tag the owner adds that the AI had suggested becomes the owner's."""
    return edit_tags(catalog, ids, add=names, source=source)


def remove_tags(catalog: Catalog, ids: Sequence[str], names: Iterable[str]) -> CatalogChanges:
    """Untag photos; a tag no photo carries any more leaves the catalog."""
    return edit_tags(catalog, ids, remove=names)


def edit_tags(
    catalog: Catalog,
    ids: Sequence[str],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    source: str = "owner",
) -> CatalogChanges:
    """Take tags off photos and put others on, in one transaction with one search update
    (the inspector's tag field does both at once; over 100,000 photos each update of the
    search index costs seconds)."""
    if source not in (Source.OWNER.value, Source.AI.value):
        raise InvalidEditError("tag source", source, "it is either 'owner' or 'ai'")
    wanted, gone = tag_names(add), list(tag_names(remove))
    with catalog.writing() as session:
        photo_ids = require_photos(session, ids)
        removed = _unlink_tags(session, photo_ids, gone) if gone else False
        if not wanted and not removed:
            return CatalogChanges()
        if wanted:
            tag_ids = _tags_for(session, wanted)
            for part in chunked(photo_ids, 200):
                _link_tags(session, part, tag_ids, source)
        given_again = list(wanted) if source == Source.OWNER.value else []
        if removed or given_again:
            _refuse_ai_tags(session, photo_ids, add=gone if removed else (), drop=given_again)
        reindex(session, photo_ids)
    return CatalogChanges.of(photo_ids, facets=True)


def _unlink_tags(session: Session, photo_ids: Sequence[str], slugs: list[str]) -> bool:
    """Take the tags ``slugs`` off the photos; False when no such tag exists."""
    tag_ids = list(session.scalars(select(Tag.id).where(Tag.slug.in_(slugs))))
    if not tag_ids:
        return False
    for part in chunked(photo_ids):
        session.execute(
            delete(PhotoTag).where(PhotoTag.photo_id.in_(part), PhotoTag.tag_id.in_(tag_ids))
        )
    _drop_unused_tags(session, tag_ids)
    return True


def _link_tags(session: Session, photo_ids: Sequence[str], tag_ids: list[str], source: str) -> None:
    """Link each photo to each tag in bulk (Core statements: bulk edits touch thousands)."""
    pairs = PhotoTag.photo_id.in_(photo_ids), PhotoTag.tag_id.in_(tag_ids)
    linked = set(session.execute(select(PhotoTag.photo_id, PhotoTag.tag_id).where(*pairs)).all())
    now = utcnow()
    new = [
        {"id": new_id(), "photo_id": p, "tag_id": t, "source": source, "created_at": now,
         "updated_at": now}
        for p in photo_ids
        for t in tag_ids
        if (p, t) not in linked
    ]  # fmt: skip
    if new:
        session.execute(insert_ignore(PhotoTag), new)  # another writer may link one first
    if source == Source.OWNER.value and linked:
        owned = update(PhotoTag).where(*pairs, PhotoTag.source != source)
        session.execute(owned.values(source=source, updated_at=now))


def _refuse_ai_tags(
    session: Session, photo_ids: Sequence[str], add: Iterable[str] = (), drop: Iterable[str] = ()
) -> None:
    """Keep each photo's list of tags the owner took off (so the AI never puts them back),
    and take a tag off that list when the owner gives it again."""
    add, drop = set(add), set(drop)
    # only dropping: a photo with no list has nothing to drop (most photos, in a bulk add)
    has_list = () if add else (Photo.ai_tags_refused.is_not(None),)
    for part in chunked(photo_ids):
        rows = session.execute(
            select(Photo.id, Photo.ai_tags_refused).where(Photo.id.in_(part), *has_list)
        ).all()
        changed = []
        for photo_id, stored in rows:
            before = set(refused_tags(stored))
            after = (before | add) - drop
            if after != before:
                refused = json.dumps(sorted(after)) if after else None
                changed.append({"pid": photo_id, "refused": refused})
        if changed:
            stmt = update(Photo).where(Photo.id == bindparam("pid"))
            session.connection().execute(stmt.values(ai_tags_refused=bindparam("refused")), changed)


def refused_tags(stored: str | None) -> list[str]:
    """The slugs in a photo's ``ai_tags_refused`` (an unreadable value counts as none)."""
    try:
        value = json.loads(stored or "[]")
    except ValueError:
        return []
    return [slug for slug in value if isinstance(slug, str)] if isinstance(value, list) else []


def _drop_unused_tags(session: Session, tag_ids: Sequence[str]) -> None:
    used = select(PhotoTag.tag_id).where(PhotoTag.tag_id.in_(tag_ids))
    session.execute(delete(Tag).where(Tag.id.in_(tag_ids), Tag.id.not_in(used)))


def shift_time(catalog: Catalog, ids: Sequence[str], delta: timedelta) -> CatalogChanges:
    """Fix a camera clock: move the date taken by ``delta``. The first original value is
    kept in the raw EXIF under ``ExifTree:OriginalDateTime``; photos without a date are
    left alone (and absent from the returned ``photo_ids``)."""
    shifted: list[str] = []
    with catalog.writing() as session:
        wanted = require_photos(session, ids)
        for part in chunked(wanted):
            stmt = select(Photo).where(Photo.id.in_(part)).options(selectinload(Photo.exif))
            for photo in session.scalars(stmt):
                if photo.date_taken is not None:
                    try:
                        _shift_photo(photo, delta)
                    except OverflowError:  # the whole edit is refused: nothing is written
                        why = f"photo {photo.id} would be dated before year 1 or after 9999"
                        raise InvalidEditError("time shift", str(delta), why) from None
                    shifted.append(photo.id)
    return CatalogChanges.of(shifted, facets=bool(shifted))


def _shift_photo(photo: Photo, delta: timedelta) -> None:
    """Shift one dated photo (the caller has checked that it has a date)."""
    taken = photo.date_taken
    assert taken is not None
    if photo.exif is None:
        photo.exif = ExifData(raw="{}", date_taken=photo.date_taken)
    exif = photo.exif
    try:
        raw = json.loads(exif.raw or "{}")
    except ValueError:
        raw = {"ExifTree:UnreadableRaw": exif.raw}
    if not isinstance(raw, dict):
        raw = {"ExifTree:Raw": raw}
    original = exif.date_taken or taken
    raw.setdefault(ORIGINAL_DATE_KEY, original.isoformat(sep=" ") if original else None)
    raw[TIME_SHIFT_KEY] = int(raw.get(TIME_SHIFT_KEY, 0)) + int(delta.total_seconds())
    exif.raw = json.dumps(raw, ensure_ascii=False)
    photo.date_taken = taken + delta
    if exif.date_taken is not None:
        exif.date_taken = exif.date_taken + delta
    else:
        exif.date_taken = photo.date_taken


def rotate(catalog: Catalog, ids: Sequence[str], turns: int) -> CatalogChanges:
    """Turn photos clockwise by ``turns`` quarter turns (negative: anticlockwise), for the
    photos a camera got wrong.

    The three thumbnails are turned where they are, without the original (it may be on a
    drive that is not plugged in), and the turn is stored, so deriving again from the
    original (``reprocess``, ``import --force``) gives the same thumbnails. Width and height
    swap on odd turns; the perceptual hash stays, as it stands for the picture. Every
    thumbnail is turned in memory first: one that cannot be read refuses the whole edit
    before any file or row changes.
    """
    if isinstance(turns, bool) or not isinstance(turns, int):
        raise InvalidEditError("rotation", turns, "a whole number of quarter turns")
    with catalog.writing() as session:
        wanted = require_photos(session, ids)
        if turns % 4 == 0:
            return CatalogChanges()
        photos = [p for part in chunked(wanted) for p in session.scalars(
            select(Photo).where(Photo.id.in_(part)))]  # fmt: skip
        turned = {photo.id: _turned_thumbnails(catalog, photo, turns) for photo in photos}
        for photo in photos:
            for path, data in turned[photo.id]:
                write_atomically(path, data)
            photo.rotation = (photo.rotation + turns) % 4
            if turns % 2 and photo.width is not None and photo.height is not None:
                photo.width, photo.height = photo.height, photo.width
            photo.updated_at = utcnow()
    return CatalogChanges.of(wanted, thumbnails=True)


def _turned_thumbnails(catalog: Catalog, photo: Photo, turns: int) -> list[tuple[Path, bytes]]:
    """Each existing thumbnail turned, in memory (a failed photo has none)."""
    from PIL import UnidentifiedImageError

    from catalog.ingest.imaging import turn_jpeg  # numpy, Pillow: ~0.5 s, so only when needed

    turned = []
    for size in THUMB_SIZES_PX:
        path = catalog.thumb_path(photo.content_hash, size)
        try:
            turned.append((path, turn_jpeg(path.read_bytes(), turns)))
        except FileNotFoundError:
            continue
        except (OSError, UnidentifiedImageError, ValueError) as exc:
            why = f"its {size} px thumbnail cannot be read ({exc}); run exiftree reprocess first"
            raise InvalidEditError("rotation", photo.id, why) from exc
    return turned


def remove_photos(
    catalog: Catalog, ids: Sequence[str], *, keep_thumbnails: bool = False
) -> CatalogChanges:
    """Take photos out of the catalog: rows, search rows and thumbnails (unless an undo
    keeps them). The original files are never touched. Ids already gone are ignored, so a
    repeated request is harmless."""
    wanted = list(dict.fromkeys(ids))
    removed: dict[str, str] = {}
    groups: set[str] = set()
    in_collections = False
    with catalog.writing() as session:
        for part in chunked(wanted):
            found = session.execute(
                select(Photo.id, Photo.content_hash).where(Photo.id.in_(part))
            ).all()
            removed.update(dict(found))
            groups.update(
                session.scalars(
                    select(Photo.dup_group).where(Photo.id.in_(part), Photo.dup_group.is_not(None))
                )
            )
            members = select(func.count()).where(CollectionPhoto.photo_id.in_(part))
            in_collections = in_collections or bool(session.scalar(members))
            session.execute(delete(Photo).where(Photo.id.in_(part)))
        _drop_orphan_tags(session)
        _dissolve_lone_groups(session, groups)
        reindex(session, list(removed))
    for content_hash in () if keep_thumbnails else removed.values():
        catalog.delete_thumbnails(content_hash)
    return CatalogChanges.of(removed_ids=removed, facets=bool(removed), collections=in_collections)


def resolve_duplicates(
    catalog: Catalog,
    keeper_id: str,
    others: Sequence[str],
    *,
    action: str = "private",
    keep_thumbnails: bool = False,
) -> CatalogChanges:
    """The owner's decision on a near-duplicate group: keep ``keeper_id``; the ``others``
    become private (``action="private"``) or leave the catalog (``"remove"``). The group is
    then resolved, so it no longer needs attention."""
    if action not in ("private", "remove"):
        raise InvalidEditError("duplicate action", action, "it is either 'private' or 'remove'")
    others = [i for i in dict.fromkeys(others) if i != keeper_id]
    with catalog.writing() as session:
        wanted = require_photos(session, [keeper_id, *others])
        in_groups = select(Photo.dup_group).where(
            Photo.id.in_(wanted), Photo.dup_group.is_not(None)
        )
        groups = {g for g in session.scalars(in_groups) if g is not None}
        session.execute(
            update(Photo).where(Photo.id.in_(wanted)).values(dup_group=None, updated_at=utcnow())
        )
    changes = CatalogChanges.of(wanted, facets=True)
    if action == "private":
        changes |= set_visibility(catalog, others, Visibility.PRIVATE.value)
    else:
        changes |= remove_photos(catalog, others, keep_thumbnails=keep_thumbnails)
    with catalog.writing() as session:
        _dissolve_lone_groups(session, groups)
    return changes


def _dissolve_lone_groups(session: Session, groups: Iterable[str]) -> None:
    """A near-duplicate group of one photo is no group: it leaves the review list."""
    for group in groups:
        members = list(session.scalars(select(Photo.id).where(Photo.dup_group == group)))
        if len(members) == 1:
            session.execute(update(Photo).where(Photo.id == members[0]).values(dup_group=None))


def _drop_orphan_tags(session: Session) -> None:
    session.execute(delete(Tag).where(Tag.id.not_in(select(PhotoTag.tag_id))))


__all__ = [
    "ORIGINAL_DATE_KEY",
    "add_tags",
    "remove_photos",
    "remove_tags",
    "resolve_duplicates",
    "rotate",
    "set_description",
    "set_rating",
    "set_title",
    "set_visibility",
    "shift_time",
    "tag_slug",
]
