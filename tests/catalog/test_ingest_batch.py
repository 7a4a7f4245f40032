"""The import batch on small files: bad input, re-imports, moves, copies, rules, cancel."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import func, select

from catalog.catalog import Catalog
from catalog.ingest import reprocess, run_import
from catalog.jobs import Cancel, ItemOutcome
from catalog.models import Photo
from catalog.search import search_ids
from tests.catalog.ingest_helpers import DATA, RecordingObserver, copy_data, png_bomb
from tests.factories import make_settings


def _photos(catalog: Catalog) -> list[Photo]:
    with catalog.reading() as session:
        return list(session.scalars(select(Photo).order_by(Photo.source_path)))


def _by_name(outcomes: tuple[ItemOutcome, ...]) -> dict[str, ItemOutcome]:
    return {Path(o.key).name: o for o in outcomes}


def test_bad_files_get_specific_reasons_and_the_batch_goes_on(catalog, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    copy_data(folder, "Nikon_D70.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.jpg").write_text("not a photo at all")
    data = (DATA / "landscape_1.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 3])
    (folder / "bomb.png").write_bytes(png_bomb(40_000, 40_000))
    (folder / "link.jpg").symlink_to(folder / "missing.jpg")
    result = run_import(catalog, [folder], workers=1)
    found = _by_name(result.outcomes)
    assert found["Nikon_D70.jpg"].status == "imported"
    assert found["empty.jpg"].reason == "empty file (0 bytes)"
    assert found["text.jpg"].reason == "not an image (unrecognised file format)"
    assert found["cut.jpg"].reason.startswith("damaged JPEG: the picture data stops early")
    assert found["bomb.png"].reason.startswith("decompression bomb refused")
    assert found["link.jpg"].reason.startswith("broken link to ")
    assert (result.imported, result.failed) == (1, 5)
    failed_rows = {Path(p.source_path).name: p for p in _photos(catalog) if p.status == "failed"}
    assert set(failed_rows) == {"empty.jpg", "text.jpg", "cut.jpg", "bomb.png"}
    assert failed_rows["empty.jpg"].reason == "empty file (0 bytes)"
    assert all(o.photo_id for o in result.outcomes if o.key != str(folder / "link.jpg"))


def test_unchanged_files_are_skipped_without_reading(catalog, tmp_path: Path) -> None:
    (photo,) = copy_data(tmp_path / "in", "Canon_40D.jpg")
    first = run_import(catalog, [photo.parent], workers=1)
    (original,) = _photos(catalog)
    # same size and mtime, different bytes: only a re-read would notice
    stat = photo.stat()
    data = bytearray(photo.read_bytes())
    data[-3] ^= 0xFF
    photo.write_bytes(bytes(data))
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = run_import(catalog, [photo.parent], workers=1)
    assert first.imported == 1
    assert (again.skipped, again.imported) == (1, 0)
    assert again.outcomes[0].reason == "already in the catalog"
    assert again.outcomes[0].photo_id == original.id
    assert _photos(catalog)[0].content_hash == original.content_hash


def test_moved_file_updates_the_path_and_a_copy_is_not_imported_twice(
    catalog, tmp_path: Path
) -> None:
    (photo,) = copy_data(tmp_path / "a", "Nikon_D70.jpg")
    run_import(catalog, [tmp_path], workers=1)
    (before,) = _photos(catalog)
    moved = tmp_path / "b" / "renamed.jpg"
    moved.parent.mkdir()
    photo.rename(moved)
    result = run_import(catalog, [tmp_path], workers=1)
    assert [(o.status, o.photo_id) for o in result.outcomes] == [("moved", before.id)]
    (after,) = _photos(catalog)
    assert (after.id, after.source_path) == (before.id, str(moved))
    shutil.copyfile(moved, tmp_path / "a" / "copy.jpg")
    result = run_import(catalog, [tmp_path], workers=1)
    copy = _by_name(result.outcomes)["copy.jpg"]
    assert (copy.status, copy.photo_id) == ("duplicate", before.id)
    assert copy.reason == f"same content as {moved}"
    assert len(_photos(catalog)) == 1


def test_edited_file_is_refreshed_in_place(catalog, tmp_path: Path) -> None:
    (photo,) = copy_data(tmp_path, "landscape_1.jpg")
    run_import(catalog, [photo], workers=1)
    (before,) = _photos(catalog)
    shutil.copyfile(DATA / "landscape_6.jpg", photo)  # new content at the same path
    result = run_import(catalog, [photo], workers=1)
    (after,) = _photos(catalog)
    assert result.imported == 1 and after.id == before.id
    assert after.content_hash != before.content_hash and after.orientation == 6


def test_rules_reject_clear_dates_and_drop_places(catalog, tmp_path: Path) -> None:
    copy_data(tmp_path / "in", "Nikon_D70.jpg", "Canon_40D.jpg", "DSCN0010.jpg")
    catalog.rules_path.write_text(
        "[reject]\ndates = [{ from = 2008-03-15, to = 2008-03-15 }]\n"
        "[dates]\nplausible_years = [2008, 2008]\n"
        '[places]\nrefuse_countries = ["IT"]\n'
    )
    result = run_import(catalog, [tmp_path / "in"], workers=1)
    found = _by_name(result.outcomes)
    assert found["Nikon_D70.jpg"].status == "rejected"
    assert "reject.dates" in found["Nikon_D70.jpg"].reason
    rows = {Path(p.source_path).name: p for p in _photos(catalog)}
    assert rows["Nikon_D70.jpg"].status == "rejected"
    assert rows["Nikon_D70.jpg"].reason == found["Nikon_D70.jpg"].reason
    assert rows["Canon_40D.jpg"].status == "processed"
    assert rows["DSCN0010.jpg"].city_id is None  # place refused, photo kept
    assert rows["DSCN0010.jpg"].date_taken is not None
    assert result.rejected == 1


def test_place_and_gps_are_stored_without_rules(catalog, tmp_path: Path) -> None:
    copy_data(tmp_path, "DSCN0010.jpg")
    run_import(catalog, [tmp_path], workers=1)
    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()
        assert photo.city.country_code == "IT" and photo.city.name
        assert photo.exif.gps_latitude_ref == "N" and photo.exif.gps_longitude_ref == "E"
        assert 43 < photo.exif.gps_latitude < 44 and 11 < photo.exif.gps_longitude < 12
        assert search_ids(session, "Nikon") == [photo.id]


def test_default_visibility_comes_from_settings(catalog, tmp_path: Path) -> None:
    copy_data(tmp_path / "a", "Canon_40D.jpg")
    run_import(catalog, [tmp_path / "a"], workers=1)  # the safe default: nothing leaves unasked
    copy_data(tmp_path / "b", "Nikon_D70.jpg")
    run_import(
        catalog, [tmp_path / "b"], workers=1, settings=make_settings(default_visibility="public")
    )
    assert [p.visibility for p in _photos(catalog)] == ["private", "public"]


def test_observer_sees_every_item_and_cancel_stops_between_files(catalog, tmp_path: Path) -> None:
    copy_data(tmp_path, "Nikon_D70.jpg", "Canon_40D.jpg", "landscape_1.jpg", "portrait_8.jpg")
    cancel = Cancel()

    class StopAfterOne(RecordingObserver):
        def item_finished(self, outcome: ItemOutcome) -> None:
            super().item_finished(outcome)
            cancel.set()

    observer = StopAfterOne()
    result = run_import(catalog, [tmp_path], workers=1, observer=observer, cancel=cancel)
    assert result.cancelled and result.imported == 1
    assert observer.total == 4 and len(observer.outcomes) == 1
    assert observer.progress[-1].done == 1
    rest = run_import(catalog, [tmp_path], workers=1)
    assert (rest.imported, rest.skipped) == (3, 1)


def test_reprocess_failed_after_the_file_is_fixed(catalog, tmp_path: Path) -> None:
    photo = tmp_path / "later.jpg"
    data = (DATA / "landscape_1.jpg").read_bytes()
    photo.write_bytes(data[:5000])
    assert run_import(catalog, [photo], workers=1).failed == 1
    (failed,) = _photos(catalog)
    photo.write_bytes(data)
    result = reprocess(catalog, failed_only=True, workers=1)
    (fixed,) = _photos(catalog)
    assert result.imported == 1 and fixed.id == failed.id
    assert (fixed.status, fixed.reason, fixed.width) == ("processed", None, 600)


def test_force_derives_again_without_duplicating(catalog, tmp_path: Path) -> None:
    copy_data(tmp_path, "Nikon_D70.jpg", "Canon_40D.jpg")
    run_import(catalog, [tmp_path], workers=1)
    thumb = catalog.thumb_path(_photos(catalog)[0].content_hash, 300)
    thumb.unlink()
    result = run_import(catalog, [tmp_path], workers=1, force=True)
    assert result.imported == 2 and thumb.is_file()
    with catalog.reading() as session:
        assert session.scalar(select(func.count(Photo.id))) == 2


def test_worker_processes_give_the_same_catalog(catalog, tmp_path: Path) -> None:
    names = ("Nikon_D70.jpg", "Canon_40D.jpg", "landscape_1.jpg", "landscape_6.jpg")
    folder = tmp_path / "in"
    copy_data(folder, *names)
    result = run_import(catalog, [folder], workers=2)
    assert result.imported == 4
    inline = Catalog.open(tmp_path / "inline")
    try:
        run_import(inline, [folder], workers=1)
        same = {(p.content_hash, p.phash, p.width) for p in _photos(inline)}
    finally:
        inline.close()
    assert {(p.content_hash, p.phash, p.width) for p in _photos(catalog)} == same
