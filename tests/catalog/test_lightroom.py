"""``exiftree import-lightroom``: Lightroom Classic's collections, which it never writes to XMP,
read from its catalog file. The ``.lrcat`` here is SQLite built with the tables and columns
that published readers of Lightroom Classic catalogs query (a subset of Lightroom's), for
photos imported from a folder the archive has since moved to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog import collections as colls
from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.models import Photo
from desktop.cli import main

OLD_ROOT = "/Volumes/Photo Drive/Pictures/"  # where Lightroom knew the archive

SCHEMA = """
CREATE TABLE AgLibraryRootFolder (id_local INTEGER PRIMARY KEY, id_global TEXT,
    absolutePath TEXT, name TEXT, relativePathFromCatalog TEXT);
CREATE TABLE AgLibraryFolder (id_local INTEGER PRIMARY KEY, id_global TEXT,
    parentId INTEGER, pathFromRoot TEXT, rootFolder INTEGER, visibility INTEGER);
CREATE TABLE AgLibraryFile (id_local INTEGER PRIMARY KEY, id_global TEXT, baseName TEXT,
    errorMessage TEXT, errorTime TEXT, extension TEXT, externalModTime REAL, folder INTEGER,
    idx_filename TEXT, importHash TEXT, lc_idx_filename TEXT, lc_idx_filenameExtension TEXT,
    md5 TEXT, modTime REAL, originalFilename TEXT, sidecarExtensions TEXT);
CREATE TABLE Adobe_images (id_local INTEGER PRIMARY KEY, id_global TEXT, captureTime TEXT,
    colorLabels TEXT, fileFormat TEXT, masterImage INTEGER, orientation TEXT, pick REAL,
    rating REAL, rootFile INTEGER, copyName TEXT);
CREATE TABLE AgLibraryCollection (id_local INTEGER PRIMARY KEY, creationId TEXT,
    genealogy TEXT, imageCount REAL, name TEXT, parent INTEGER, systemOnly TEXT);
CREATE TABLE AgLibraryCollectionImage (id_local INTEGER PRIMARY KEY, collection INTEGER,
    image INTEGER, isDeletedFromMobile INTEGER, pick REAL, positionInCollection TEXT);
"""


def _jpeg(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (96, 64), colour).save(path, "JPEG", quality=90)


def _lrcat(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO AgLibraryRootFolder VALUES (1, 'r', ?, 'Pictures', NULL)",
               (OLD_ROOT,))  # fmt: skip
    db.executemany("INSERT INTO AgLibraryFolder VALUES (?, 'f', NULL, ?, 1, NULL)",
                   [(10, "2019/Italy/"), (11, "2020/")])  # fmt: skip
    files = [(100, "arezzo", "jpg", 10), (101, "siena", "jpg", 10), (102, "DSC_0003", "NEF", 11),
             (103, "lost", "jpg", 11)]  # fmt: skip
    db.executemany("INSERT INTO AgLibraryFile (id_local, baseName, extension, folder) "
                   "VALUES (?, ?, ?, ?)", files)  # fmt: skip
    images = [  # id, master (a virtual copy has one), pick (-1 rejected), file
        (1000, None, -1.0, 100), (1001, None, 0.0, 101), (1002, 1001, 0.0, 101),
        (1003, None, 1.0, 102), (1004, None, 0.0, 103),
    ]  # fmt: skip
    db.executemany("INSERT INTO Adobe_images (id_local, masterImage, pick, rootFile) "
                   "VALUES (?, ?, ?, ?)", images)  # fmt: skip
    collections = [  # id, creationId, name, parent
        (1, "com.adobe.ag.library.group", "Travel", None),
        (2, "com.adobe.ag.library.collection", "Italy 2019", 1),
        (3, "com.adobe.ag.library.collection", "Best", None),
        (4, "com.adobe.ag.library.smart_collection", "Five stars", None),
        (5, "com.adobe.ag.webGallery.unsaved", "", None),
    ]
    db.executemany("INSERT INTO AgLibraryCollection (id_local, creationId, name, parent, "
                   "systemOnly) VALUES (?, ?, ?, ?, '0.0')", collections)  # fmt: skip
    members = [(2, 1000, "z1"), (2, 1001, "z2"), (3, 1002, "z1"), (3, 1003, "z2"),
               (3, 1004, "z3"), (5, 1001, "z1")]  # fmt: skip
    db.executemany("INSERT INTO AgLibraryCollectionImage (collection, image, "
                   "positionInCollection) VALUES (?, ?, ?)", members)  # fmt: skip
    db.commit()
    db.close()
    return path


def _named(catalog: Catalog) -> dict[str, list[str]]:
    with catalog.reading() as session:
        names = {p.id: Path(p.source_path).name for p in session.scalars(select(Photo))}
        return {c.name: [names[i] for i in colls.collection_photo_ids(session, c.id)]
                for c in colls.list_collections(session)}  # fmt: skip


def test_lightrooms_collections_become_collections_once(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.catalog.raw_samples import painted, write_dng

    archive = tmp_path / "moved" / "Pictures"  # the archive now lives here
    _jpeg(archive / "2019" / "Italy" / "arezzo.jpg", (200, 40, 40))
    _jpeg(archive / "2019" / "Italy" / "siena.jpg", (40, 200, 40))
    _jpeg(archive / "2020" / "DSC_0003.JPG", (40, 40, 200))  # a pair: the JPEG is the source
    write_dng(archive / "2020" / "DSC_0003.NEF", painted(300, 200), preview_px=300)
    run_import(catalog, [archive], workers=1)
    lrcat = _lrcat(tmp_path / "Lightroom Catalog.lrcat")
    home = ["--catalog", str(catalog.root)]

    assert main([*home, "import-lightroom", str(lrcat)]) == 0

    out = capsys.readouterr().out
    assert _named(catalog) == {
        "Travel / Italy 2019": ["arezzo.jpg", "siena.jpg"],  # a set's name before its own
        "Best": ["siena.jpg", "DSC_0003.JPG"],  # a virtual copy is its master's photo
    }  # the smart collection and the web module's working set are not collections
    assert "2 collection(s) created, 4 photo(s) added" in out
    assert "1 smart collection(s) not imported" in out
    assert f"1 file(s) in collections are not in the catalog (import their folders first): " \
           f"{OLD_ROOT}2020/lost.jpg" in out  # fmt: skip
    with catalog.reading() as session:
        rejected = session.scalars(select(Photo).where(Photo.source_path.like("%arezzo.jpg")))
        assert rejected.one().visibility == "private"  # Lightroom's reject flag

    assert main([*home, "import-lightroom", str(lrcat)]) == 0  # again: nothing new
    assert "0 collection(s) created, 0 photo(s) added" in capsys.readouterr().out
    assert len(_named(catalog)) == 2


def test_a_file_that_is_no_lightroom_catalog_is_refused_in_a_sentence(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--catalog", str(catalog.root)]
    notes = tmp_path / "notes.lrcat"
    notes.write_text("not a database")
    assert main([*home, "import-lightroom", str(notes)]) != 0
    assert "not a Lightroom Classic catalog" in capsys.readouterr().err
    open_one = _lrcat(tmp_path / "open.lrcat")
    Path(f"{open_one}.lock").write_text("locked")
    assert main([*home, "import-lightroom", str(open_one)]) != 0
    assert "Lightroom has it open" in capsys.readouterr().err
