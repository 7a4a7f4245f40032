"""Collections: the owner's ordered sets of photos, each with a cover.

Slugs are made once, at creation, and kept through renames, so links to a published
collection keep working. Names are unique (ignoring case) so that the CLI and the owner
can name a collection unambiguously.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.edit_errors import InvalidEditError
from catalog.edits import require_photos
from catalog.errors import NotFoundError
from catalog.models import Collection, CollectionPhoto
from catalog.slugs import unique_slug


@dataclass(frozen=True)
class CollectionInfo:
    id: str
    slug: str
    name: str
    description: str | None
    count: int
    cover_photo_id: str | None  # the chosen cover, else the first photo


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").replace("\x00", "").split())
    if not cleaned:
        raise InvalidEditError("collection name", name, "a name cannot be empty")
    return cleaned


def _check_free(session: Session, name: str, except_id: str | None = None) -> None:
    stmt = select(Collection.id).where(func.lower(Collection.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Collection.id != except_id)
    if session.scalar(stmt) is not None:
        raise InvalidEditError("collection name", name, "another collection has that name")


def _get(session: Session, coll_id: str) -> Collection:
    collection = session.get(Collection, coll_id)
    if collection is None:
        raise NotFoundError("collection", coll_id)
    return collection


def create_collection(catalog: Catalog, name: str, description: str | None = None) -> str:
    """A new, empty collection; returns its id."""
    name = _clean_name(name)
    with catalog.writing() as session:
        _check_free(session, name)
        collection = Collection(
            name=name, slug=unique_slug(session, Collection, name), description=description or None
        )
        session.add(collection)
        session.flush()
        return collection.id


def rename_collection(
    catalog: Catalog, coll_id: str, name: str, description: str | None = None
) -> CatalogChanges:
    """A new name (and description, when given); the slug stays, so links keep working."""
    name = _clean_name(name)
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        _check_free(session, name, except_id=coll_id)
        collection.name = name
        if description is not None:
            collection.description = description.strip() or None
        members = [m.photo_id for m in collection.members]  # their rows show the name
    return CatalogChanges.of(members, collections=True, facets=True)


def delete_collection(catalog: Catalog, coll_id: str) -> CatalogChanges:
    """The collection goes; its photos stay in the catalog."""
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        members = [m.photo_id for m in collection.members]
        session.delete(collection)
    return CatalogChanges.of(members, collections=True, facets=True)


def add_photos(catalog: Catalog, coll_id: str, ids: Sequence[str]) -> CatalogChanges:
    """Append photos at the end, in the order given; members already in stay where they are."""
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        wanted = require_photos(session, ids)
        present = {m.photo_id for m in collection.members}
        end = max((m.position for m in collection.members), default=-1) + 1
        added = [i for i in wanted if i not in present]
        for offset, photo_id in enumerate(added):
            collection.members.append(CollectionPhoto(photo_id=photo_id, position=end + offset))
    return CatalogChanges.of(added, collections=True, facets=True)


def remove_photos(catalog: Catalog, coll_id: str, ids: Sequence[str]) -> CatalogChanges:
    """Take photos out of the collection (never out of the catalog)."""
    leaving = set(ids)
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        gone = [m for m in collection.members if m.photo_id in leaving]
        for member in gone:
            collection.members.remove(member)
        if collection.cover_photo_id in leaving:
            collection.cover_photo_id = None
    return CatalogChanges.of([m.photo_id for m in gone], collections=True, facets=True)


def reorder(catalog: Catalog, coll_id: str, ids_in_order: Sequence[str]) -> CatalogChanges:
    """Put the listed members first, in that order; the others follow as they were."""
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        by_photo = {m.photo_id: m for m in collection.members}
        for photo_id in ids_in_order:
            if photo_id not in by_photo:
                raise InvalidEditError("collection order", photo_id, "not in this collection")
        listed = list(dict.fromkeys(ids_in_order))
        first = set(listed)
        rest = [m.photo_id for m in collection.members if m.photo_id not in first]
        for position, photo_id in enumerate(listed + rest):
            by_photo[photo_id].position = position
    return CatalogChanges.of(by_photo, collections=True)


def set_cover(catalog: Catalog, coll_id: str, photo_id: str | None) -> CatalogChanges:
    """Choose the cover among the members; None falls back to the first photo."""
    with catalog.writing() as session:
        collection = _get(session, coll_id)
        if photo_id is not None and photo_id not in {m.photo_id for m in collection.members}:
            raise InvalidEditError("collection cover", photo_id, "not in this collection")
        collection.cover_photo_id = photo_id
    return CatalogChanges(collections=True)


def list_collections(session: Session) -> list[CollectionInfo]:
    """Every collection, by name, with its size and effective cover."""
    counts = dict(
        session.execute(
            select(CollectionPhoto.collection_id, func.count()).group_by(
                CollectionPhoto.collection_id
            )
        ).all()
    )
    first = _first_photos(session)
    stmt = select(Collection).order_by(Collection.name.collate("NOCASE"))
    return [
        CollectionInfo(
            c.id,
            c.slug,
            c.name,
            c.description,
            counts.get(c.id, 0),
            c.cover_photo_id or first.get(c.id),
        )
        for c in session.scalars(stmt)
    ]


def _first_photos(session: Session) -> dict[str, str]:
    lowest = (
        select(CollectionPhoto.collection_id, func.min(CollectionPhoto.position).label("p"))
        .group_by(CollectionPhoto.collection_id)
        .subquery()
    )
    stmt = select(CollectionPhoto.collection_id, CollectionPhoto.photo_id).join(
        lowest,
        (lowest.c.collection_id == CollectionPhoto.collection_id)
        & (lowest.c.p == CollectionPhoto.position),
    )
    return dict(session.execute(stmt).all())


def collection_photo_ids(session: Session, coll_id: str) -> list[str]:
    """The members in the owner's order."""
    _get(session, coll_id)
    stmt = (
        select(CollectionPhoto.photo_id)
        .where(CollectionPhoto.collection_id == coll_id)
        .order_by(CollectionPhoto.position, CollectionPhoto.id)
    )
    return list(session.scalars(stmt))


def find_collection(session: Session, key: str) -> CollectionInfo:
    """A collection by id, slug or name (any case): what a user types on the command line."""
    for info in list_collections(session):
        if key in (info.id, info.slug) or info.name.lower() == key.strip().lower():
            return info
    raise NotFoundError("collection", key)


rename = rename_collection
delete = delete_collection
