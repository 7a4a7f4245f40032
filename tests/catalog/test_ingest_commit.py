"""The import writer remembers camera and city ids for the run: an owner's merge or rename
made while an import runs (in this process or another) must still be followed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.gear import merge_cameras, rename_camera
from catalog.ingest.commit import PhotoWriter
from catalog.ingest.duplicates import NearDuplicateIndex
from catalog.ingest.known import KnownFiles
from catalog.ingest.worker import FileTask, Processed, process_file
from catalog.models import Camera, City, Photo
from catalog.places import Place
from catalog.rules import load_rules
from catalog.settings import load_settings
from tests.factories import make_jpeg

CANON = {0x010F: "Canon", 0x0110: "Canon EOS 40D"}
NIKON = {0x010F: "NIKON CORPORATION", 0x0110: "NIKON D70"}
PARIS = Place("Paris", "Ile-de-France", "FR", 48.85, 2.35)


def _writer(catalog: Catalog) -> PhotoWriter:
    with catalog.reading() as session:
        settings = load_settings(session)
        known = KnownFiles.load(session)
        near = NearDuplicateIndex.load(session, settings.near_duplicate_max_bits)
    return PhotoWriter(catalog, settings, load_rules(catalog.rules_path), known, near)


def _processed(folder: Path, name: str, exif: dict[int, str], seed: int) -> Processed:
    path = make_jpeg(folder / name, (320, 240), exif=exif, seed=seed)
    result = process_file(FileTask(str(path), False), frozenset())
    assert isinstance(result, Processed)
    return result


def _camera_of(catalog: Catalog, photo_id: str | None) -> str | None:
    with catalog.reading() as session:
        photo = session.get_one(Photo, photo_id)
        return photo.camera.name if photo.camera else None


def _write_both_cameras(writer: PhotoWriter, folder: Path) -> str | None:
    """Canon, Nikon, then Canon again: both cameras' ids are now remembered by the writer."""
    first = writer.write(_processed(folder, "a.jpg", CANON, 1))
    writer.write(_processed(folder, "b.jpg", NIKON, 2))
    writer.write(_processed(folder, "c.jpg", CANON, 3))
    return first.photo_id


def test_a_merge_in_this_process_between_two_photos_is_followed(
    catalog: Catalog, tmp_path: Path
) -> None:
    writer = _writer(catalog)
    first = _write_both_cameras(writer, tmp_path)
    with catalog.writing() as session:
        merge_cameras(session, "canon-eos-40d", "nikon-d70")
    later = writer.write(_processed(tmp_path, "d.jpg", CANON, 4))
    assert later.status == "imported", later.reason
    assert _camera_of(catalog, later.photo_id) == "Nikon D70"
    assert _camera_of(catalog, first) == "Nikon D70"


def test_a_merge_by_another_process_between_two_photos_is_followed(
    catalog: Catalog, tmp_path: Path
) -> None:
    writer = _writer(catalog)
    _write_both_cameras(writer, tmp_path)
    with Catalog.open(catalog.root) as other, other.writing() as session:  # its own connection
        merge_cameras(session, "nikon-d70", "canon-eos-40d")
        rename_camera(session, "canon-eos-40d", "Canon EOS 40D Mark I")
    later = writer.write(_processed(tmp_path, "d.jpg", NIKON, 4))
    assert later.status == "imported", later.reason
    assert _camera_of(catalog, later.photo_id) == "Canon EOS 40D Mark I"
    with catalog.reading() as session:
        assert session.scalars(select(Camera.name)).all() == ["Canon EOS 40D Mark I"]


def test_photos_of_one_place_share_one_city_row_across_commits(
    catalog: Catalog, tmp_path: Path
) -> None:
    writer = _writer(catalog)
    outcomes = [
        writer.write(_processed(tmp_path, f"p{i}.jpg", CANON, i), PARIS) for i in range(1, 4)
    ]
    assert [o.status for o in outcomes] == ["imported"] * 3
    with catalog.reading() as session:
        cities = session.scalars(select(City)).all()
        assert [c.slug for c in cities] == ["paris-fr"]
        linked = session.scalars(select(Photo.city_id).where(Photo.city_id.is_not(None))).all()
        assert linked == [cities[0].id] * 3
