"""Collections: named, ordered sets of photos with a cover; photos never leave the catalog."""

from __future__ import annotations

import pytest

from catalog import collections as colls
from catalog.catalog import Catalog
from catalog.edit_errors import InvalidEditError
from catalog.errors import NotFoundError
from catalog.models import Photo
from tests.factories import add_photo


def members(catalog: Catalog, coll_id: str) -> list[str]:
    with catalog.reading() as session:
        return colls.collection_photo_ids(session, coll_id)


def info(catalog: Catalog, key: str) -> colls.CollectionInfo:
    with catalog.reading() as session:
        return colls.find_collection(session, key)


@pytest.fixture
def photos(catalog: Catalog) -> list[str]:
    return [add_photo(catalog).id for _ in range(4)]


def test_create_gives_a_slug_and_refuses_a_second_collection_of_the_same_name(catalog):
    first = colls.create_collection(catalog, "  Summer   in Crète ", "Holidays")
    assert (info(catalog, first).name, info(catalog, first).slug) == (
        "Summer in Crète",
        "summer-in-crete",
    )
    with pytest.raises(InvalidEditError, match="another collection has that name"):
        colls.create_collection(catalog, "summer in crète")
    with pytest.raises(InvalidEditError, match="cannot be empty"):
        colls.create_collection(catalog, "   ")
    second = colls.create_collection(catalog, "Summer in Crete!")
    assert info(catalog, second).slug == "summer-in-crete-2"


def test_rename_keeps_the_slug_so_published_links_keep_working(catalog):
    coll = colls.create_collection(catalog, "Trips")
    other = colls.create_collection(catalog, "Portraits")
    changes = colls.rename_collection(catalog, coll, "Journeys")
    assert changes.collections
    assert (info(catalog, coll).name, info(catalog, coll).slug) == ("Journeys", "trips")
    assert info(catalog, "journeys").id == coll  # found by name, any case
    with pytest.raises(InvalidEditError):
        colls.rename_collection(catalog, other, "JOURNEYS")
    with pytest.raises(NotFoundError):
        colls.rename_collection(catalog, "missing", "x")


def test_add_appends_in_order_and_ignores_members_already_in(catalog, photos):
    coll = colls.create_collection(catalog, "Best")
    colls.add_photos(catalog, coll, [photos[2], photos[0]])
    changes = colls.add_photos(catalog, coll, [photos[0], photos[1]])
    assert changes.photo_ids == {photos[1]}
    assert members(catalog, coll) == [photos[2], photos[0], photos[1]]
    with pytest.raises(NotFoundError):
        colls.add_photos(catalog, coll, ["missing"])
    assert info(catalog, coll).count == 3


def test_reorder_puts_the_listed_photos_first(catalog, photos):
    coll = colls.create_collection(catalog, "Best")
    colls.add_photos(catalog, coll, photos)
    colls.reorder(catalog, coll, [photos[3], photos[1]])
    assert members(catalog, coll) == [photos[3], photos[1], photos[0], photos[2]]
    with pytest.raises(InvalidEditError, match="not in this collection"):
        colls.reorder(catalog, coll, ["stranger"])
    assert members(catalog, coll) == [photos[3], photos[1], photos[0], photos[2]]


def test_the_cover_is_chosen_among_members_else_the_first_photo(catalog, photos):
    coll = colls.create_collection(catalog, "Best")
    assert info(catalog, coll).cover_photo_id is None
    colls.add_photos(catalog, coll, photos[:3])
    assert info(catalog, coll).cover_photo_id == photos[0]
    colls.set_cover(catalog, coll, photos[2])
    assert info(catalog, coll).cover_photo_id == photos[2]
    with pytest.raises(InvalidEditError):
        colls.set_cover(catalog, coll, photos[3])
    colls.remove_photos(catalog, coll, [photos[2]])
    assert info(catalog, coll).cover_photo_id == photos[0]


def test_removing_and_deleting_never_remove_photos_from_the_catalog(catalog, photos):
    coll = colls.create_collection(catalog, "Best")
    colls.add_photos(catalog, coll, photos)
    colls.remove_photos(catalog, coll, photos[:2])
    assert members(catalog, coll) == photos[2:]
    changes = colls.delete_collection(catalog, coll)
    assert changes.collections and changes.photo_ids == set(photos[2:])
    with catalog.reading() as session:
        assert colls.list_collections(session) == []
        assert all(session.get(Photo, p) is not None for p in photos)
    with pytest.raises(NotFoundError):
        info(catalog, coll)
