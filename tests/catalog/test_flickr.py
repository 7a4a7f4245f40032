"""``exiftree import-flickr``: a Flickr account export, built here from the fields Flickr's
export documents (photo_<id>.json, albums.json) and real JPEGs, imported into a catalog."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog import collections as colls
from catalog import operations as ops
from catalog.catalog import Catalog
from catalog.flickr import NotAFlickrExportError, import_flickr, parse_photo, read_export
from catalog.models import ExifData, Photo, PhotoTag, Tag
from desktop.cli import main
from tests.factories import make_jpeg

DATETIME_ORIGINAL = 0x9003


def _record(photo_id: str, name: str, privacy: str, **extra: object) -> dict[str, object]:
    """A photo_<id>.json as Flickr writes it (the fields we read, and some we ignore)."""
    return {
        "id": photo_id, "name": name, "description": extra.get("description", ""),
        "count_views": "12", "count_faves": "0",
        "date_taken": extra.get("date_taken", "2014-05-03 12:00:00"),
        "date_imported": "2014-05-04 08:00:00", "license": "All Rights Reserved",
        "privacy": privacy, "comment_permissions": "everybody",
        "tags": [{"tag": t, "user": "12345@N00", "date_create": "1399190400"}
                 for t in extra.get("tags", [])],  # type: ignore[attr-defined]
        "albums": extra.get("albums", []), "geo": extra.get("geo", []),
        "original": f"https://live.staticflickr.com/1/{photo_id}_abc_o.jpg",
    }  # fmt: skip


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """Three photos in the two name shapes Flickr uses, their metadata and two albums."""
    root = tmp_path / "flickr"
    dated = {DATETIME_ORIGINAL: "2014:05:03 12:00:00"}
    make_jpeg(root / "data-1" / "harbour-at-dusk_5001001_o.jpg", (320, 240), exif=dated, seed=1)
    make_jpeg(root / "data-1" / "5001002_9f8e7d6c5b_o.jpg", (320, 240), seed=2)  # no date
    make_jpeg(root / "data-1" / "family-dinner_5001003_o.jpg", (320, 240), exif=dated, seed=3)
    meta = root / "meta"
    meta.mkdir()
    trips = {
        "id": "721001",
        "title": "Trips",
        "url": "https://www.flickr.com/photos/x/albums/721001",
    }
    records = [
        _record("5001001", "Harbour at dusk", "public", description="Oslo, late May",
                tags=["harbour", "dusk"], albums=[trips],
                geo=[{"latitude": "59904583", "longitude": "10740389", "accuracy": "16"}]),
        _record("5001002", "", "public", tags=["dusk"], albums=[trips],
                date_taken="2014-05-02 21:30:00"),
        _record("5001003", "Family dinner", "friend & family", tags=["family"]),
    ]  # fmt: skip
    for record in records:
        (meta / f"photo_{record['id']}.json").write_text(json.dumps(record))
    albums = {"albums": [
        {"id": "721001", "title": "Trips", "description": "", "photos": ["5001002", "5001001"]},
        {"id": "721002", "title": "Home", "description": "", "photos": ["5001003"]},
    ]}  # fmt: skip
    (meta / "albums.json").write_text(json.dumps(albums))
    return root


def _photos(catalog: Catalog) -> dict[str, Photo]:
    with catalog.reading() as session:
        photos = session.scalars(select(Photo)).all()
        return {Path(p.source_path).name.split("_")[0]: p for p in photos}


def _tags(catalog: Catalog, photo_id: str) -> set[str]:
    with catalog.reading() as session:
        query = select(Tag.name).join(PhotoTag, PhotoTag.tag_id == Tag.id)
        return set(session.scalars(query.where(PhotoTag.photo_id == photo_id)))


def _collections(catalog: Catalog) -> dict[str, list[str]]:
    with catalog.reading() as session:
        return {c.name: colls.collection_photo_ids(session, c.id)
                for c in colls.list_collections(session)}  # fmt: skip


def test_flickr_values_become_the_owners_and_a_rerun_changes_nothing(catalog, export) -> None:
    result = import_flickr(catalog, export, workers=1)
    assert (result.imported.imported, result.matched) == (3, 3)
    photos = _photos(catalog)
    harbour, untitled, dinner = (
        photos["harbour-at-dusk"],
        photos["5001002"],
        photos["family-dinner"],
    )
    assert (harbour.title, harbour.description) == ("Harbour at dusk", "Oslo, late May")
    assert untitled.title is None  # an empty Flickr title is no title
    # Flickr's date fills a photo without one; the camera's own date wins over Flickr's
    assert untitled.date_taken == datetime(2014, 5, 2, 21, 30)
    assert harbour.date_taken == datetime(2014, 5, 3, 12, 0)
    assert _tags(catalog, harbour.id) == {"harbour", "dusk"}
    assert _tags(catalog, dinner.id) == {"family"}
    # public on Flickr stays public; friends & family is not public: private
    assert (harbour.visibility, untitled.visibility, dinner.visibility) == (
        "public", "public", "private")  # fmt: skip
    # albums are collections in Flickr's order
    assert _collections(catalog) == {"Trips": [untitled.id, harbour.id], "Home": [dinner.id]}
    with catalog.reading() as session:
        exif = session.scalar(select(ExifData).where(ExifData.photo_id == harbour.id))
        assert exif is not None
        assert (round(exif.gps_latitude, 4), round(exif.gps_longitude, 4)) == (59.9046, 10.7404)

    # the owner edits in ExifTree, then imports the same export again
    ops.set_title(catalog, [harbour.id], "Oslo harbour")
    again = import_flickr(catalog, export, workers=1)
    assert (again.imported.imported, again.collections_created, again.titled) == (0, 0, 0)
    assert (again.dated, again.placed) == (0, 0)
    assert _photos(catalog)["harbour-at-dusk"].title == "Oslo harbour"  # owner edits are kept
    assert _collections(catalog) == {"Trips": [untitled.id, harbour.id], "Home": [dinner.id]}
    assert _tags(catalog, harbour.id) == {"harbour", "dusk"}
    with catalog.reading() as session:
        assert sorted(session.scalars(select(Tag.name))) == ["dusk", "family", "harbour"]


def test_a_photo_private_on_flickr_never_becomes_public(catalog, export) -> None:
    import_flickr(catalog, export, workers=1)
    dinner = _photos(catalog)["family-dinner"]
    ops.set_visibility(catalog, [dinner.id], "public")  # e.g. a default or a slip
    import_flickr(catalog, export, workers=1)
    assert _photos(catalog)["family-dinner"].visibility == "private"


def test_a_malformed_record_is_named_and_the_rest_goes_on(catalog, export) -> None:
    (export / "meta" / "photo_5001003.json").write_text('{"id": "5001003", "name": ')
    result = import_flickr(catalog, export, workers=1)
    assert result.imported.imported == 3  # its photo is still imported
    assert result.matched == 2
    assert any(p.startswith("photo_5001003.json: not readable JSON") for p in result.problems)
    assert _photos(catalog)["harbour-at-dusk"].title == "Harbour at dusk"


def test_a_broken_albums_file_still_leaves_the_albums_named_in_photo_records(
    catalog, export
) -> None:
    (export / "meta" / "albums.json").write_text("[oops")
    result = import_flickr(catalog, export, workers=1)
    assert any(p.startswith("albums.json: not readable JSON") for p in result.problems)
    photos = _photos(catalog)
    assert _collections(catalog) == {"Trips": [photos["harbour-at-dusk"].id, photos["5001002"].id]}


def test_record_fields_of_odd_shapes_are_ignored_not_fatal() -> None:
    record = {"id": 42, "name": "  ", "tags": ["loose", {"tag": " kept "}, 7, None],
              "albums": [{"title": "no id"}, "x"], "privacy": None, "geo": {"latitude": "1.5",
              "longitude": "-2.25"}, "date_taken": "not a date"}  # fmt: skip
    photo = parse_photo(record, "42")
    assert (photo.flickr_id, photo.title, photo.tags, photo.albums) == (
        "42",
        None,
        ("loose", "kept"),
        (),
    )
    assert (photo.visibility, photo.position, photo.taken) == ("private", (1.5, -2.25), None)
    micro = parse_photo({"geo": [{"latitude": "-33868820", "longitude": "151209296"}]}, "1")
    assert micro.position == (-33.86882, 151.209296)
    assert parse_photo({"geo": [{"latitude": "0", "longitude": "0"}]}, "1").position is None


def test_a_folder_that_is_no_flickr_export_is_refused_in_a_sentence(tmp_path, capsys) -> None:
    folder = tmp_path / "holiday"
    make_jpeg(folder / "IMG_0001.jpg", (64, 48))
    with pytest.raises(NotAFlickrExportError, match="no photo_<id>.json metadata files"):
        read_export(folder)
    assert main(["--catalog", str(tmp_path / "cat"), "import-flickr", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder} is not a Flickr export")
    assert "Traceback" not in err


def test_the_command_prints_the_import_and_what_flickr_gave(tmp_path, export, capsys) -> None:
    args = ["--catalog", str(tmp_path / "cat"), "import-flickr", "--workers", "1", str(export)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported 3, skipped 0" in out
    assert "Flickr: 3 photo(s) matched to their metadata; 2 titled" in out
    assert "2 collection(s) created" in out


def test_reprocess_and_a_forced_import_keep_what_flickr_gave(catalog, export) -> None:
    """Flickr's date and position are the owner's: deriving the photos again from their
    files (which carry neither) must not drop them, nor a clock fix made on top."""
    from catalog.ingest import reprocess, run_import

    import_flickr(catalog, export, workers=1)
    untitled, harbour = _photos(catalog)["5001002"], _photos(catalog)["harbour-at-dusk"]
    ops.shift_time(catalog, [untitled.id], timedelta(hours=2))

    assert reprocess(catalog, workers=1).imported == 3
    run_import(catalog, [export], workers=1, force=True)

    photos = _photos(catalog)
    assert photos["5001002"].date_taken == datetime(2014, 5, 2, 23, 30)  # Flickr's, shifted
    assert photos["harbour-at-dusk"].title == "Harbour at dusk"
    assert photos["harbour-at-dusk"].city_id == harbour.city_id is not None
    with catalog.reading() as session:
        exif = session.scalar(select(ExifData).where(ExifData.photo_id == harbour.id))
        assert exif is not None
        assert (round(exif.gps_latitude, 4), round(exif.gps_longitude, 4)) == (59.9046, 10.7404)
    ops.shift_time(catalog, [untitled.id], timedelta(hours=-2))  # the clock fix still undoes
    assert _photos(catalog)["5001002"].date_taken == datetime(2014, 5, 2, 21, 30)
