"""Metadata text as the inspector shows it: sizes, coordinates, every parsed field."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from catalog.ingest import run_import
from catalog.models import Photo
from catalog.photo_metadata import (
    coordinates_text,
    leaf_text,
    parsed_fields,
    raw_metadata,
    size_text,
)
from catalog.rows import load_rows
from catalog.taken import taken_text
from tests.catalog.ingest_helpers import DATA
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


def test_a_day_without_a_time_is_shown_without_one(catalog, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(DATA / "long_description.jpg", folder / "day.jpg")  # XMP "2003-08-31"
    shutil.copyfile(DATA / "Nikon_D70.jpg", folder / "timed.jpg")
    run_import(catalog, [folder], workers=1)
    with catalog.reading() as session:
        ids = {Path(p.source_path).name: p.id for p in session.scalars(select(Photo))}
        day, timed = load_rows(session, [ids["day.jpg"], ids["timed.jpg"]])
    assert (day.date_taken, day.date_taken_precision) == (datetime(2003, 8, 31), "day")
    assert dict(parsed_fields(day))["Date taken"] == "31 Aug 2003"
    assert taken_text(day.date_taken, day.date_taken_precision) == "2003-08-31"
    assert timed.date_taken_precision is None
    assert ":" in dict(parsed_fields(timed))["Date taken"]  # the camera's time stays
