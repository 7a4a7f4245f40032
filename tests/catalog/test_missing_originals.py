"""Originals that go missing (a drive unplugged, a folder renamed) and come back: a visible
``missing`` state, never ``failed``; the owner's edits kept; publishing from thumbnails;
``relocate`` re-links by content; two rows never claim one file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest.pipeline import run_import
from catalog.models import Photo
from catalog.relocate import relocate
from desktop.cli import main
from publisher.publish import publish
from publisher.targets import local_target
from tests.factories import make_jpeg


def _rows(catalog: Catalog) -> dict[str, Photo]:
    with catalog.reading() as session:
        return {Path(p.source_path).name: p for p in session.scalars(select(Photo))}


def _by_id(catalog: Catalog) -> dict[str, Photo]:
    with catalog.reading() as session:
        return {p.id: p for p in session.scalars(select(Photo))}


@pytest.fixture
def archive(tmp_path: Path, catalog: Catalog) -> Path:
    """A folder of three photos, imported, one rated and titled by the owner."""
    folder = tmp_path / "drive" / "2019"
    for n, name in enumerate(("a.jpg", "b.jpg", "c.jpg")):
        make_jpeg(folder / name, seed=n + 1)
    run_import(catalog, [folder], workers=1)
    with catalog.writing() as session:
        photo = session.scalar(select(Photo).where(Photo.source_path.endswith("a.jpg")))
        photo.rating, photo.title = 4, "Harbour"
    return folder


def test_an_unplugged_folder_makes_its_photos_missing_not_failed(
    catalog: Catalog, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.rename(tmp_path / "drive", tmp_path / "unplugged")

    run_import(catalog, [archive], workers=1)  # a rescan of a folder that is gone

    rows = _rows(catalog)
    assert {r.status for r in rows.values()} == {"processed"}
    assert all(r.missing_since is not None for r in rows.values())
    assert (rows["a.jpg"].rating, rows["a.jpg"].title) == (4, "Harbour")
    assert main(["--catalog", str(catalog.root), "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 3 and all(" missing " in line for line in listed)
    assert main(["--catalog", str(catalog.root), "list", "--json"]) == 0
    assert all(json.loads(line)["missing_since"] for line in capsys.readouterr().out.splitlines())

    os.rename(tmp_path / "unplugged", tmp_path / "drive")  # plugged back in
    run_import(catalog, [archive], workers=1)
    assert all(r.missing_since is None for r in _rows(catalog).values())


def test_check_finds_missing_originals_and_names_their_folder(
    catalog: Catalog, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (archive / "b.jpg").unlink()
    code = main(["--catalog", str(catalog.root), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 missing" in out and str(archive) in out and "exiftree relocate" in out
    assert _rows(catalog)["b.jpg"].missing_since is not None
    assert _rows(catalog)["a.jpg"].missing_since is None


def test_relocate_relinks_by_content_and_keeps_the_owners_edits(
    catalog: Catalog, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p.id: p.content_hash for p in _by_id(catalog).values()}
    new = tmp_path / "new-drive" / "Photos 2019"
    shutil.copytree(archive, new)
    shutil.rmtree(tmp_path / "drive")
    (new / "b.jpg").rename(new / "renamed.jpg")  # found by its content, not its name
    make_jpeg(new / "c.jpg", seed=99)  # same name, another picture: never linked
    assert main(["--catalog", str(catalog.root), "check"]) == 1

    code = main(["--catalog", str(catalog.root), "relocate", str(archive), str(new)])

    captured = capsys.readouterr()
    assert code == 1  # c.jpg's content is nowhere under the new folder
    assert "Re-linked 2 of 3" in captured.out and "c.jpg" in captured.err
    rows = _by_id(catalog)
    assert {pid: p.content_hash for pid, p in rows.items()} == before  # same photos
    paths = {Path(p.source_path).name: p for p in rows.values()}
    assert paths["a.jpg"].source_path == str(new / "a.jpg")
    assert paths["renamed.jpg"].missing_since is None
    assert (paths["a.jpg"].rating, paths["a.jpg"].title) == (4, "Harbour")
    assert paths["c.jpg"].source_path == str(archive / "c.jpg")  # still missing, not relinked
    assert paths["c.jpg"].missing_since is not None


def test_a_file_moved_over_another_leaves_one_row_per_path(catalog: Catalog, archive: Path) -> None:
    """``mv a.jpg b.jpg``: a's photo follows its content to b.jpg; b's photo is missing."""
    ids = {name: row.id for name, row in _rows(catalog).items()}
    os.replace(archive / "a.jpg", archive / "b.jpg")

    run_import(catalog, [archive], workers=1)

    rows = _by_id(catalog)
    present = [p for p in rows.values() if p.missing_since is None]
    assert sorted(p.source_path for p in present) == [str(archive / n) for n in ("b.jpg", "c.jpg")]
    assert rows[ids["a.jpg"]].source_path == str(archive / "b.jpg")
    assert rows[ids["a.jpg"]].title == "Harbour"
    assert rows[ids["b.jpg"]].missing_since is not None
    assert rows[ids["b.jpg"]].status == "processed"

    again = run_import(catalog, [archive], workers=1)  # settled: nothing read again
    assert again.imported == 0 and {o.status for o in again.outcomes} == {"skipped"}


def test_a_missing_photo_still_publishes_from_its_thumbnails(
    catalog: Catalog, archive: Path, tmp_path: Path
) -> None:
    shutil.rmtree(archive)
    run_import(catalog, [archive], workers=1)
    assert all(r.missing_since is not None for r in _rows(catalog).values())
    with catalog.writing() as session:
        for photo in session.scalars(select(Photo)):
            photo.visibility = "public"

    result = publish(catalog, local_target(tmp_path / "site"), workers=1)

    assert not result.failed
    assert result.plan is not None and len(result.plan.site.photos) == 3
    every_size = sum(len(keys) for keys in result.plan.keys.values())  # none upscaled
    assert result.uploaded_objects == every_size >= 3


def test_the_missing_originals_step_is_reversible_and_keeps_photos(
    catalog: Catalog, archive: Path
) -> None:
    from catalog.migrate import downgrade, upgrade

    (archive / "c.jpg").unlink()
    run_import(catalog, [archive], workers=1)
    catalog.close()
    downgrade(catalog.db_path, "0002")
    upgrade(catalog.db_path)
    rows = _rows(catalog)
    assert len(rows) == 3 and rows["a.jpg"].title == "Harbour"
    assert all(r.missing_since is None for r in rows.values())  # the next check finds it again


def test_reprocessing_a_missing_photo_leaves_it_missing_never_failed(
    catalog: Catalog, archive: Path
) -> None:
    from catalog.ingest.pipeline import reprocess

    (archive / "a.jpg").unlink()
    reprocess(catalog, [_rows(catalog)["a.jpg"].id], workers=1)
    row = _rows(catalog)["a.jpg"]
    assert (row.status, row.rating, row.title) == ("processed", 4, "Harbour")
    assert row.missing_since is not None


def test_the_import_says_when_photos_went_missing(
    catalog: Catalog, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (archive / "b.jpg").unlink()
    (archive / "c.jpg").unlink()
    code = main(["--catalog", str(catalog.root), "import", str(archive)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2 photo(s) under these folders are missing now" in captured.out + captured.err


def test_relocate_to_a_folder_that_is_not_there_says_so(
    catalog: Catalog, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--catalog", str(catalog.root), "relocate", str(archive), str(tmp_path / "no")])
    err = capsys.readouterr().err
    assert code == 2 and "is not a folder (is the drive connected?)" in err
    assert all(r.missing_since is None for r in _rows(catalog).values())
    code = main(["--catalog", str(catalog.root), "relocate", str(tmp_path / "x"), str(archive)])
    assert code == 1 and "No photo in the catalog is under" in capsys.readouterr().out


def test_relocate_never_gives_a_failed_photo_another_photos_file(
    catalog: Catalog, tmp_path: Path
) -> None:
    """A failed photo has no content to recognise: it is re-linked only at its own name, and
    never to a file another photo holds (by path or by content), whatever its size."""
    old, new = tmp_path / "old", tmp_path / "new"
    make_jpeg(old / "a.jpg", seed=1)
    make_jpeg(new / "other.jpg", seed=2)
    size = (new / "other.jpg").stat().st_size
    (old / "junk.jpg").write_bytes(os.urandom(size))  # not an image: fails, same size
    (old / "notes.jpg").write_bytes(os.urandom(size))  # fails too; other.jpg takes its name
    run_import(catalog, [old], workers=1)
    run_import(catalog, [new], workers=1)
    ids = {name: row.id for name, row in _rows(catalog).items()}
    assert _rows(catalog)["junk.jpg"].status == "failed"
    shutil.copy(old / "a.jpg", new / "a.jpg")
    shutil.copy(new / "other.jpg", new / "notes.jpg")  # other.jpg's content under notes' name
    shutil.rmtree(old)

    result = relocate(catalog, old, new)

    rows = _by_id(catalog)
    assert rows[ids["other.jpg"]].source_path == str(new / "other.jpg")
    assert rows[ids["other.jpg"]].missing_since is None  # not displaced
    assert rows[ids["a.jpg"]].source_path == str(new / "a.jpg")
    assert rows[ids["junk.jpg"]].source_path == str(old / "junk.jpg")  # not re-linked
    assert rows[ids["notes.jpg"]].source_path == str(old / "notes.jpg")
    assert sorted(result.not_found) == [str(old / "junk.jpg"), str(old / "notes.jpg")]


def test_relocate_relinks_a_failed_photo_at_its_own_name(catalog: Catalog, tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    (old / "junk.jpg").write_bytes(os.urandom(7000))
    run_import(catalog, [old], workers=1)
    os.rename(old, new)

    relocate(catalog, old, new)

    (row,) = _rows(catalog).values()
    assert (row.status, row.missing_since) == ("failed", None)
    assert row.source_path == str(new / "junk.jpg")


def test_relocated_photos_are_found_by_their_new_folder(
    catalog: Catalog, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "Tuscany"
    shutil.copytree(archive, new)
    shutil.rmtree(tmp_path / "drive")
    relocate(catalog, archive, new)
    capsys.readouterr()

    assert main(["--catalog", str(catalog.root), "list", "--search", "Tuscany"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_check_keeps_a_moved_files_owner_after_the_missing_photo_is_edited(
    catalog: Catalog, archive: Path
) -> None:
    """``mv b.jpg a.jpg`` + import settles it; an edit of the missing photo and a new mtime on
    the file must not make ``check`` hand the file back to the edited photo."""
    ids = {name: row.id for name, row in _rows(catalog).items()}
    os.replace(archive / "b.jpg", archive / "a.jpg")
    run_import(catalog, [archive], workers=1)
    assert main(["--catalog", str(catalog.root), "set", ids["a.jpg"], "--rating", "3"]) == 0
    os.utime(archive / "a.jpg", ns=(1_600_000_000_000_000_000,) * 2)  # a sync tool touched it

    main(["--catalog", str(catalog.root), "check"])

    rows = _by_id(catalog)
    assert rows[ids["b.jpg"]].source_path == str(archive / "a.jpg")
    assert rows[ids["b.jpg"]].missing_since is None
    assert rows[ids["a.jpg"]].missing_since is not None
    assert rows[ids["a.jpg"]].rating == 3
