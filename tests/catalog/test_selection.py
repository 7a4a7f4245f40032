"""What several photos share: the values an inspector shows, or <mixed>."""

from __future__ import annotations

from catalog.selection import summarise
from tests.factories import add_photo


def test_shared_values_mixed_fields_and_tags_on_all_or_some(catalog):
    a = add_photo(catalog, title="Dawn", rating=3, tags=["sea", "dog"]).id
    b = add_photo(catalog, title="Dawn", rating=4, tags=["sea"]).id
    with catalog.reading() as session:
        both = summarise(session, [a, b])
        one = summarise(session, [b])
    assert both.value("title") == "Dawn" and both.value("visibility") == "public"
    assert both.mixed == {"rating"} and both.value("rating") is None
    assert (both.tags_on_all, both.tags_on_some) == (("sea",), ("dog",))
    assert one.mixed == frozenset() and one.value("rating") == 4
    assert one.value("description") is None


def test_an_empty_title_and_no_title_are_the_same(catalog):
    a = add_photo(catalog, title="").id
    b = add_photo(catalog, title=None).id
    with catalog.reading() as session:
        assert "title" not in summarise(session, [a, b]).mixed
