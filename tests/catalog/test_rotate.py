"""The owner turns a photo the camera got wrong: thumbnails, size and re-derives agree."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.edit_errors import InvalidEditError
from catalog.edits import rotate, shift_time
from catalog.errors import NotFoundError
from catalog.ingest import reprocess, run_import
from catalog.models import Photo
from tests.catalog.ingest_helpers import RecordingObserver, copy_data, pixel_difference


def _import_landscape(catalog: Catalog, tmp_path: Path) -> Photo:
    copy_data(tmp_path / "in", "landscape_1.jpg")
    assert run_import(catalog, [tmp_path / "in"], workers=1).imported == 1
    with catalog.reading() as session:
        photo = session.query(Photo).one()
        session.expunge(photo)
    return photo


def _copy_thumbs(catalog: Catalog, photo: Photo, folder: Path, turn: int = 0) -> dict[int, Path]:
    """The photo's thumbnails as they are now, turned ``turn`` quarter turns clockwise."""
    folder.mkdir()
    copies = {}
    for size in THUMB_SIZES_PX:
        with Image.open(catalog.thumb_path(photo.content_hash, size)) as image:
            turned = image.rotate(-90 * turn, expand=True)
            copies[size] = folder / f"{size}.png"
            turned.save(copies[size])
    return copies


def test_a_quarter_turn_turns_the_thumbnails_and_swaps_the_size(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = _import_landscape(catalog, tmp_path)
    expected = _copy_thumbs(catalog, photo, tmp_path / "expected", turn=1)

    changes = rotate(catalog, [photo.id], 1)

    assert changes.photo_ids == {photo.id}
    with catalog.reading() as session:
        turned = session.get_one(Photo, photo.id)
        assert (turned.rotation, turned.width, turned.height) == (1, photo.height, photo.width)
        assert turned.phash == photo.phash  # the same picture: its copies still match
        assert turned.updated_at > photo.updated_at
    for size in THUMB_SIZES_PX:
        path = catalog.thumb_path(photo.content_hash, size)
        with Image.open(path) as image:
            assert image.height > image.width  # portrait now
        assert pixel_difference(path, expected[size]) < 3


def test_deriving_again_from_the_original_keeps_the_turn(catalog: Catalog, tmp_path: Path) -> None:
    photo = _import_landscape(catalog, tmp_path)
    rotate(catalog, [photo.id], -1)  # anticlockwise: three quarter turns clockwise
    turned = _copy_thumbs(catalog, photo, tmp_path / "turned")

    assert reprocess(catalog, [photo.id], workers=1).imported == 1

    with catalog.reading() as session:
        again = session.get_one(Photo, photo.id)
        assert (again.rotation, again.width, again.height) == (3, photo.height, photo.width)
        assert again.phash == photo.phash
    for size in THUMB_SIZES_PX:
        assert pixel_difference(catalog.thumb_path(photo.content_hash, size), turned[size]) < 3


def test_four_turns_are_no_turn_and_bad_requests_change_nothing(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = _import_landscape(catalog, tmp_path)
    before = _copy_thumbs(catalog, photo, tmp_path / "before")
    rotate(catalog, [photo.id], 2)
    rotate(catalog, [photo.id], 1)
    rotate(catalog, [photo.id], 1)
    with catalog.reading() as session:
        back = session.get_one(Photo, photo.id)
        assert (back.rotation, back.width, back.height) == (0, photo.width, photo.height)
    assert pixel_difference(catalog.thumb_path(photo.content_hash, 300), before[300]) < 4

    assert rotate(catalog, [photo.id], 4).photo_ids == frozenset()
    with pytest.raises(InvalidEditError, match="quarter turns"):
        rotate(catalog, [photo.id], 1.5)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        rotate(catalog, [photo.id, "no-such-photo"], 1)
    with catalog.reading() as session:
        assert session.get_one(Photo, photo.id).rotation == 0


def test_a_moved_file_imported_with_force_keeps_the_turn(catalog: Catalog, tmp_path: Path) -> None:
    photo = _import_landscape(catalog, tmp_path)
    rotate(catalog, [photo.id], 1)
    moved = tmp_path / "moved"
    moved.mkdir()
    (tmp_path / "in" / "landscape_1.jpg").rename(moved / "landscape_1.jpg")

    run_import(catalog, [moved], workers=1, force=True)  # its task cannot know the turn

    with catalog.reading() as session:
        again = session.get_one(Photo, photo.id)
        assert (again.rotation, again.width, again.height) == (1, photo.height, photo.width)
    with Image.open(catalog.thumb_path(photo.content_hash, 300)) as image:
        assert image.height > image.width


def test_a_turn_made_while_a_reprocess_runs_is_kept(catalog: Catalog, tmp_path: Path) -> None:
    photo = _import_landscape(catalog, tmp_path)

    class TurnMidway(RecordingObserver):
        def started(self, total: int | None) -> None:  # after triage: the task says 0 turns
            rotate(catalog, [photo.id], 1)

    reprocess(catalog, [photo.id], workers=1, observer=TurnMidway())

    with catalog.reading() as session:
        assert session.get_one(Photo, photo.id).rotation == 1
    with Image.open(catalog.thumb_path(photo.content_hash, 800)) as image:
        assert image.height > image.width


def test_an_edited_file_gets_fresh_thumbnails_and_leaves_no_old_ones(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = _import_landscape(catalog, tmp_path)
    rotate(catalog, [photo.id], 1)
    original = tmp_path / "in" / "landscape_1.jpg"
    backup = original.read_bytes()
    with Image.open(original) as image:  # an edit in another program: new content
        image.convert("L").save(original, "JPEG", exif=image.info.get("exif", b""))
    run_import(catalog, [tmp_path / "in"], workers=1)
    assert not catalog.thumb_path(photo.content_hash, 300).exists()  # the old bytes' files

    original.write_bytes(backup)  # the owner restores the backup: the old content again
    run_import(catalog, [tmp_path / "in"], workers=1)
    with catalog.reading() as session:
        row = session.get_one(Photo, photo.id)
        assert row.content_hash == photo.content_hash and row.rotation == 1
        assert row.height > row.width
    with Image.open(catalog.thumb_path(photo.content_hash, 300)) as image:
        assert image.height > image.width  # made anew, turned as the row says


def test_a_broken_thumbnail_refuses_the_turn_before_anything_changes(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = _import_landscape(catalog, tmp_path)
    before = _copy_thumbs(catalog, photo, tmp_path / "before")
    catalog.thumb_path(photo.content_hash, 800).write_bytes(b"not a jpeg")

    with pytest.raises(InvalidEditError, match="800 px thumbnail cannot be read.*reprocess"):
        rotate(catalog, [photo.id], 1)

    with catalog.reading() as session:
        assert session.get_one(Photo, photo.id).rotation == 0
    assert pixel_difference(catalog.thumb_path(photo.content_hash, 300), before[300]) < 1


def test_deriving_again_keeps_the_owners_clock_fix(catalog: Catalog, tmp_path: Path) -> None:
    """shift-time is an owner edit: reprocess must not put the camera's wrong clock back."""
    copy_data(tmp_path / "in", "Canon_40D.jpg")  # dated by its camera
    run_import(catalog, [tmp_path / "in"], workers=1)
    with catalog.reading() as session:
        photo_id = session.scalars(select(Photo.id)).one()
    camera_said = _date(catalog, photo_id)
    assert camera_said is not None
    shift_time(catalog, [photo_id], timedelta(hours=3))

    reprocess(catalog, [photo_id], workers=1)

    assert _date(catalog, photo_id) == camera_said + timedelta(hours=3)
    shift_time(catalog, [photo_id], timedelta(hours=-3))  # and it can still be undone
    assert _date(catalog, photo_id) == camera_said


def _date(catalog: Catalog, photo_id: str) -> datetime | None:
    with catalog.reading() as session:
        return session.get_one(Photo, photo_id).date_taken
