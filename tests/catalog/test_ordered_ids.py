"""``query.ordered_ids`` (the desktop grid's fast id read) answers exactly as ``photo_ids``."""

from __future__ import annotations

from datetime import datetime

import pytest

from catalog import collections as colls
from catalog import query
from catalog.query import PhotoFilter
from tests.factories import add_photo


@pytest.fixture
def photos(catalog):
    made = [
        add_photo(catalog, title=t, rating=r, date_taken=d, tags=tags)
        for t, r, d, tags in [
            ("Harbour", 2, datetime(2019, 5, 1), ["sea"]),
            ("aurora", 5, datetime(2021, 7, 3), ["sea", "boat"]),
            ("Zebra", 0, datetime(2020, 2, 2), []),
            (None, 3, None, ["snow"]),
            ("Bridge", 5, datetime(2021, 7, 3), []),
        ]
    ]
    add_photo(catalog, status="failed", reason="truncated file")
    return [p.id for p in made]


FILTERS = [PhotoFilter(), PhotoFilter(min_rating=3), PhotoFilter(text="sea"), PhotoFilter(year=0)]


@pytest.mark.parametrize("f", FILTERS)
@pytest.mark.parametrize("sort", ["date_taken", "title", "rating", "created_at", "path"])
@pytest.mark.parametrize("descending", [None, True, False])
def test_the_same_ids_in_the_same_order_as_photo_ids(catalog, photos, f, sort, descending):
    with catalog.reading() as session:
        expected = query.photo_ids(session, f, sort, descending)
        assert query.ordered_ids(session, f, sort, descending) == expected
        assert query.ordered_ids(session, f, sort, descending, limit=2) == expected[:2]


def test_a_collection_in_the_owners_order(catalog, photos):
    coll_id = colls.create_collection(catalog, "Picks")
    colls.add_photos(catalog, coll_id, [photos[2], photos[0], photos[4]])
    f = PhotoFilter(collection_id=coll_id)
    with catalog.reading() as session:
        assert query.ordered_ids(session, f, "position") == [photos[2], photos[0], photos[4]]
        assert query.ordered_ids(session, f, "position") == query.photo_ids(session, f, "position")
