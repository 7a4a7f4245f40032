"""Metadata text as the inspector shows it: sizes, coordinates, every parsed field."""

from __future__ import annotations

from catalog.photo_metadata import coordinates_text, leaf_text, raw_metadata, size_text
from tests.factories import add_photo


def test_sizes_and_coordinates_read_as_people_write_them():
    assert size_text(4_213_000) == "4.2 MB"
    assert size_text(812_400) == "812.4 KB"
    assert size_text(90) == "90 bytes"
    assert coordinates_text(43.463214, -11.88) == "43.46321° N, 11.88000° W"
    assert coordinates_text(None, 3.0) == ""
    assert leaf_text([1, 2]) == "1, 2"
    assert leaf_text("x" * 1000).endswith("…") and len(leaf_text("x" * 1000)) == 298


def test_the_raw_tree_is_read_back_and_bad_json_is_empty(catalog):
    good = add_photo(catalog, exif={"raw": '{"Image": {"Model": "NIKON D70"}}'})
    bad = add_photo(catalog, exif={"raw": "{not json"})
    assert raw_metadata(catalog, good.id) == {"Image": {"Model": "NIKON D70"}}
    assert raw_metadata(catalog, bad.id) == {}
