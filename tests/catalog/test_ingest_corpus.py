"""Acceptance on the shared corpus: every file imported or explained, originals untouched,
thumbnails upright in pixels, GPS files placed, cameras canonical. One import (two worker
processes) serves every test in this module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest import ImportResult, run_import
from catalog.models import Photo
from tests.catalog.ingest_helpers import pixel_difference, sha256_of

ORIENTATIONS = (
    1,
    3,
    6,
    8,
)  # EXIF orientations in tests/data/exif-samples: none, 180°, 90° both ways


@pytest.fixture(scope="module")
def imported(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Catalog, ImportResult, dict[Path, str]]]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    before = {p: sha256_of(p) for p in files}
    with Catalog.open(tmp_path_factory.mktemp("corpus") / "catalog") as catalog:
        result = run_import(catalog, [corpus], workers=2)
        yield catalog, result, before


def _photo(catalog: Catalog, path: Path) -> Photo:
    with catalog.reading() as session:
        photo = session.scalar(select(Photo).where(Photo.source_path == str(path)))
    assert photo is not None, path
    return photo


def test_every_file_is_imported_or_explained(imported, corpus: Path) -> None:
    catalog, result, before = imported
    by_key = {Path(o.key): o for o in result.outcomes}
    assert set(by_key) == set(before)  # one outcome per file, nothing silently dropped
    for path, outcome in by_key.items():
        assert outcome.status in ("imported", "skipped", "failed"), outcome
        if outcome.status != "imported":
            assert outcome.reason and "Traceback" not in outcome.reason, outcome
        if path.suffix.lower() in (".jpg", ".jpeg", ".heic", ".heif", ".tiff"):
            assert outcome.status in ("imported", "failed"), outcome
    assert result.imported >= 28 and not result.cancelled


def test_originals_are_unchanged(imported) -> None:
    _, _, before = imported
    assert {p: sha256_of(p) for p in before} == before


def test_every_imported_photo_has_three_thumbnails(imported) -> None:
    catalog, result, _ = imported
    with catalog.reading() as session:
        hashes = session.scalars(select(Photo.content_hash).where(Photo.status == "processed"))
        for content_hash in hashes:
            for size in (300, 800, 1600):
                assert catalog.thumb_path(content_hash, size).is_file()


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_orientation_thumbnails_are_upright_in_pixels(imported, corpus: Path, shape: str) -> None:
    catalog, _, _ = imported
    folder = corpus / "jpg" / "orientation"
    reference = catalog.thumb_path(_photo(catalog, folder / f"{shape}_1.jpg").content_hash, 300)
    for n in ORIENTATIONS:
        photo = _photo(catalog, folder / f"{shape}_{n}.jpg")
        thumb = catalog.thumb_path(photo.content_hash, 300)
        width, height = Image.open(thumb).size
        assert (width > height) == (shape == "landscape"), (n, width, height)
        assert (photo.width > photo.height) == (shape == "landscape")
        assert pixel_difference(reference, thumb) < 8, n


def test_gps_files_get_their_city(imported, corpus: Path) -> None:
    catalog, _, _ = imported
    for path in sorted((corpus / "jpg" / "gps").glob("*.jpg")):
        photo = _photo(catalog, path)
        with catalog.reading() as session:
            city = session.get(Photo, photo.id).city
            exif = session.get(Photo, photo.id).exif
            assert city is not None and city.country_code == "IT", path
            assert exif.gps_latitude_ref == "N" and 43 < exif.gps_latitude < 44


def test_cameras_have_canonical_names(imported, corpus: Path) -> None:
    catalog, _, _ = imported
    expected = {
        "jpg/Nikon_D70.jpg": "Nikon D70",
        "jpg/Canon_40D.jpg": "Canon EOS 40D",
        "jpg/Pentax_K10D.jpg": "Pentax K10D",
    }
    for relative, name in expected.items():
        with catalog.reading() as session:
            photo = session.get(Photo, _photo(catalog, corpus / relative).id)
            assert photo.camera is not None and photo.camera.name == name


def test_rotated_copies_are_grouped_as_near_duplicates(imported, corpus: Path) -> None:
    catalog, _, _ = imported
    folder = corpus / "jpg" / "orientation"
    groups = {_photo(catalog, folder / f"landscape_{n}.jpg").dup_group for n in ORIENTATIONS}
    assert len(groups) == 1 and None not in groups
    portrait = _photo(catalog, folder / "portrait_1.jpg").dup_group
    assert portrait not in groups


def test_raw_exif_is_kept_as_json(imported, corpus: Path) -> None:
    catalog, _, _ = imported
    with catalog.reading() as session:
        photo = session.get(Photo, _photo(catalog, corpus / "jpg" / "Nikon_D70.jpg").id)
        assert re.search(r'"Model":"NIKON D70"', photo.exif.raw)
