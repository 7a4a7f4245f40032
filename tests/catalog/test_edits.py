"""The owner's edits: checked before anything changes, searchable at once, originals untouched."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog import collections as colls
from catalog import edits
from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.edit_errors import InvalidEditError
from catalog.errors import NotFoundError
from catalog.models import ExifData, Photo, PhotoTag, Tag
from catalog.rows import PhotoRow, load_rows
from catalog.search import search_ids
from tests.factories import add_photo, make_jpeg


def row(catalog: Catalog, photo_id: str) -> PhotoRow:
    with catalog.reading() as session:
        return load_rows(session, [photo_id])[0]


def found(catalog: Catalog, text: str) -> list[str]:
    with catalog.reading() as session:
        return search_ids(session, text)


def test_visibility_and_rating_apply_to_every_photo_given(catalog):
    a, b = add_photo(catalog).id, add_photo(catalog).id
    changes = edits.set_visibility(catalog, [a, b], "private")
    edits.set_rating(catalog, [a, b], 4)
    assert changes.photo_ids == {a, b} and changes.facets
    assert {(row(catalog, i).visibility, row(catalog, i).rating) for i in (a, b)} == {
        ("private", 4)
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c, ids: edits.set_visibility(c, ids, "secret"), "public, unlisted, private"),
        (lambda c, ids: edits.set_rating(c, ids, 6), "0 to 5"),
        (lambda c, ids: edits.set_rating(c, ids, -1), "0 to 5"),
        (lambda c, ids: edits.add_tags(c, ids, ["!!!"]), "letter or digit"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_changes(catalog, edit, message):
    photo = add_photo(catalog, rating=2)
    with pytest.raises(InvalidEditError, match=message):
        edit(catalog, [photo.id])
    after = row(catalog, photo.id)
    assert (after.visibility, after.rating, after.tags) == ("public", 2, ())


def test_an_unknown_photo_stops_the_edit_before_any_photo_changes(catalog):
    photo = add_photo(catalog)
    with pytest.raises(NotFoundError, match="no photo 'missing'"):
        edits.set_visibility(catalog, [photo.id, "missing"], "private")
    assert row(catalog, photo.id).visibility == "public"


def test_owner_title_and_description_are_marked_owner_and_searchable(catalog):
    photo = add_photo(catalog, title="Old", title_source="ai")
    edits.set_title(catalog, photo.id, "  Lighthouse at dawn ")
    edits.set_description(catalog, photo.id, "Waves on the rocks")
    after = row(catalog, photo.id)
    assert (after.title, after.title_source) == ("Lighthouse at dawn", "owner")
    assert (after.description, after.description_source) == ("Waves on the rocks", "owner")
    assert found(catalog, "lighthouse") == [photo.id]
    assert found(catalog, "rocks") == [photo.id]
    assert found(catalog, "old") == []


def test_clearing_a_title_keeps_it_the_owners(catalog):
    photo = add_photo(catalog, title="Something")
    edits.set_title(catalog, photo.id, "   ")
    after = row(catalog, photo.id)
    assert (after.title, after.title_source) == (None, "owner")


def test_tags_are_shared_by_slug_and_the_owner_takes_over_ai_tags(catalog):
    a, b = add_photo(catalog).id, add_photo(catalog).id
    edits.add_tags(catalog, [a], ["Sea"], source="ai")
    changes = edits.add_tags(catalog, [a, b], ["sea", "Big Boats", " ", "Big  boats"])
    assert changes.facets and changes.photo_ids == {a, b}
    assert row(catalog, a).tags == ("Big Boats", "Sea")
    assert row(catalog, a).tag_sources == ("owner", "owner")
    with catalog.reading() as session:
        assert sorted(session.scalars(select(Tag.slug))) == ["big-boats", "sea"]
    assert sorted(found(catalog, "boats")) == sorted([a, b])


def test_ai_never_downgrades_an_owner_tag(catalog):
    photo = add_photo(catalog, tags=["sea"])
    edits.add_tags(catalog, [photo.id], ["sea"], source="ai")
    assert row(catalog, photo.id).tag_sources == ("owner",)


def test_removing_the_last_use_of_a_tag_drops_the_tag(catalog):
    a = add_photo(catalog, tags=["sea", "sky"]).id
    b = add_photo(catalog, tags=["sea"]).id
    edits.remove_tags(catalog, [a, b], ["Sea", "unknown"])
    assert row(catalog, a).tags == ("sky",) and row(catalog, b).tags == ()
    with catalog.reading() as session:
        assert list(session.scalars(select(Tag.name))) == ["sky"]
    assert found(catalog, "sea") == []


def test_shift_time_moves_both_dates_and_keeps_the_first_original(catalog):
    taken = datetime(2020, 6, 1, 10, 30)
    photo = add_photo(catalog, date_taken=taken, exif={"date_taken": taken, "raw": '{"a": 1}'})
    undated = add_photo(catalog, date_taken=None)
    changes = edits.shift_time(catalog, [photo.id, undated.id], timedelta(hours=-2))
    edits.shift_time(catalog, [photo.id], timedelta(minutes=30))
    assert changes.photo_ids == {photo.id}
    with catalog.reading() as session:
        exif = session.scalar(select(ExifData).where(ExifData.photo_id == photo.id))
        shifted = session.get(Photo, photo.id)
        assert shifted.date_taken == exif.date_taken == datetime(2020, 6, 1, 9, 0)
        raw = json.loads(exif.raw)
        assert raw["a"] == 1
        assert raw[edits.ORIGINAL_DATE_KEY] == "2020-06-01 10:30:00"
        assert raw["ExifTree:TimeShiftSeconds"] == -90 * 60
        assert session.get(Photo, undated.id).date_taken is None


def test_shift_time_across_midnight_moves_the_photo_to_another_year(catalog):
    photo = add_photo(catalog, date_taken=datetime(2020, 12, 31, 23, 30))
    changes = edits.shift_time(catalog, [photo.id], timedelta(hours=1))
    assert changes.facets
    assert row(catalog, photo.id).date_taken == datetime(2021, 1, 1, 0, 30)


def test_a_shift_past_year_9999_is_refused_and_changes_nothing(catalog):
    early = add_photo(catalog, date_taken=datetime(2020, 1, 1, 12, 0))
    late = add_photo(catalog, date_taken=datetime(9999, 12, 31, 23, 30))
    with pytest.raises(InvalidEditError, match=f"photo {late.id} would be dated"):
        edits.shift_time(catalog, [early.id, late.id], timedelta(hours=1))
    assert row(catalog, early.id).date_taken == datetime(2020, 1, 1, 12, 0)  # not half done


def test_remove_photos_drops_rows_and_thumbnails_but_never_the_original(catalog, tmp_path):
    original = make_jpeg(tmp_path / "photos" / "a.jpg")
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    photo = add_photo(catalog, source_path=str(original), tags=["only-here"], title="Gone")
    keep = add_photo(catalog, tags=["kept"])
    thumbs = [catalog.thumb_path(photo.content_hash, size) for size in THUMB_SIZES_PX]
    for thumb in thumbs:
        thumb.parent.mkdir(parents=True, exist_ok=True)
        thumb.write_bytes(b"jpeg")
    coll = colls.create_collection(catalog, "Trip")
    colls.add_photos(catalog, coll, [photo.id, keep.id])
    colls.set_cover(catalog, coll, photo.id)

    changes = edits.remove_photos(catalog, [photo.id, photo.id, "already-gone"])

    assert changes.removed_ids == {photo.id} and changes.collections
    assert not any(Path(t).exists() for t in thumbs)
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    with catalog.reading() as session:
        assert session.get(Photo, photo.id) is None
        assert session.scalar(select(PhotoTag).where(PhotoTag.photo_id == photo.id)) is None
        assert list(session.scalars(select(Tag.name))) == ["kept"]
        assert colls.collection_photo_ids(session, coll) == [keep.id]
        assert colls.list_collections(session)[0].cover_photo_id == keep.id
    assert found(catalog, "gone") == []


def test_resolving_duplicates_keeps_one_and_the_group_leaves_the_review(catalog):
    keeper, copy = add_photo(catalog, dup_group="g").id, add_photo(catalog, dup_group="g").id
    edits.resolve_duplicates(catalog, keeper, [copy], action="private")
    kept, hidden = row(catalog, keeper), row(catalog, copy)
    assert (kept.visibility, hidden.visibility) == ("public", "private")
    assert kept.dup_group is None and hidden.dup_group is None
    with pytest.raises(InvalidEditError):
        edits.resolve_duplicates(catalog, keeper, [copy], action="delete-originals")


def test_removing_a_copy_dissolves_a_group_left_with_one_photo(catalog):
    a, b, c = (add_photo(catalog, dup_group="g").id for _ in range(3))
    edits.resolve_duplicates(catalog, a, [b], action="remove")
    with catalog.reading() as session:
        assert session.get(Photo, b) is None
    assert row(catalog, c).dup_group is None  # alone now: nothing left to review
    x, y = add_photo(catalog, dup_group="h").id, add_photo(catalog, dup_group="h").id
    edits.remove_photos(catalog, [y])
    assert row(catalog, x).dup_group is None


def test_a_tag_the_owner_takes_off_is_refused_to_the_ai_until_given_again(catalog):
    tagged = add_photo(catalog, tags=["sea", "dog"]).id
    other = add_photo(catalog).id

    def refused():
        with catalog.reading() as session:
            photos = {i: session.get(Photo, i) for i in (tagged, other)}
            return {i: edits.refused_tags(p.ai_tags_refused) for i, p in photos.items()}

    edits.remove_tags(catalog, [tagged, other], ["sea"])
    assert refused() == {tagged: ["sea"], other: ["sea"]}
    edits.add_tags(catalog, [tagged], ["sea", "boat"])  # the owner gives it back to one photo
    assert refused() == {tagged: [], other: ["sea"]}
    edits.add_tags(catalog, [other], ["boat"])  # another tag leaves the list as it is
    assert refused() == {tagged: [], other: ["sea"]}
