"""RAW+JPEG pairs (a camera set to RAW+JPEG): one photo with both files, the JPEG as its
source, as Lightroom imports them; a RAW alone, or whose JPEG is damaged, is a photo itself."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.models import Photo
from catalog.relocate import relocate
from desktop.cli import main
from tests.catalog.raw_samples import painted, write_dng


def _shoot(folder: Path, stem: str, other: bool = False) -> tuple[Path, Path]:
    """What a camera in RAW+JPEG mode writes for one shutter press."""
    folder.mkdir(parents=True, exist_ok=True)
    rgb = painted(640, 426)
    if other:  # another picture: upside down
        rgb = np.ascontiguousarray(rgb[::-1, ::-1])
    raw = write_dng(folder / f"{stem}.NEF", rgb, make="NIKON CORPORATION", model="NIKON D750")
    jpeg = folder / f"{stem}.JPG"
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "NIKON CORPORATION", "NIKON D750"
    Image.fromarray(rgb).save(jpeg, "JPEG", quality=90, exif=exif.tobytes())
    return raw, jpeg


def test_raw_and_jpeg_of_one_shot_are_one_photo(catalog: Catalog, tmp_path: Path) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0001")
    _shoot(tmp_path / "card", "DSC_0002", other=True)
    (tmp_path / "card" / "DSC_0002.JPG").unlink()  # this one shot as RAW only

    result = run_import(catalog, [tmp_path / "card"], workers=1)

    assert (result.imported, result.failed) == (2, 0), result.outcomes
    with catalog.reading() as session:
        photos = {Path(p.source_path).name: p for p in session.scalars(select(Photo))}
    assert set(photos) == {"DSC_0001.JPG", "DSC_0002.NEF"}
    pair = photos["DSC_0001.JPG"]
    assert (pair.format, pair.companion_path) == ("JPEG", str(raw))
    assert pair.dup_group is None  # not a near-duplicate to review
    assert photos["DSC_0002.NEF"].companion_path is None

    again = run_import(catalog, [tmp_path / "card"], workers=1)  # a rescan changes nothing
    assert again.imported == 0
    with catalog.reading() as session:
        assert len(session.scalars(select(Photo)).all()) == 2


def test_list_json_names_both_files_and_the_format(tmp_path: Path, capsys) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "IMG_0042")
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(tmp_path / "card")]) == 0
    capsys.readouterr()

    assert main([*home, "list", "--json"]) == 0

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1
    assert rows[0]["files"] == [str(jpeg), str(raw)]
    assert rows[0]["format"] == "JPEG"


def test_a_raw_copied_in_later_joins_its_jpegs_photo(catalog: Catalog, tmp_path: Path) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0007")
    raw_bytes = raw.read_bytes()
    raw.unlink()
    run_import(catalog, [tmp_path / "card"], workers=1)
    raw.write_bytes(raw_bytes)

    result = run_import(catalog, [raw], workers=1)  # the RAW alone, given by name

    assert result.imported == 0, result.outcomes
    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()
    assert (photo.source_path, photo.companion_path) == (str(jpeg), str(raw))


def test_a_raw_whose_jpeg_is_damaged_is_imported_on_its_own(
    catalog: Catalog, tmp_path: Path
) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0009")
    jpeg.write_bytes(jpeg.read_bytes()[:200])  # the card was pulled while it was written

    result = run_import(catalog, [tmp_path / "card"], workers=1)

    assert (result.imported, result.failed) == (1, 1), result.outcomes
    with catalog.reading() as session:
        good = session.scalars(select(Photo).where(Photo.status == "processed")).one()
    assert (good.source_path, good.format) == (str(raw), "NEF")


def test_relocate_moves_a_pairs_raw_with_its_jpeg(catalog: Catalog, tmp_path: Path) -> None:
    _shoot(tmp_path / "old" / "trip", "DSC_0003")
    run_import(catalog, [tmp_path / "old"], workers=1)
    (tmp_path / "old").rename(tmp_path / "new")  # the drive was renamed

    relocate(catalog, tmp_path / "old", tmp_path / "new")

    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()
    assert photo.source_path == str(tmp_path / "new" / "trip" / "DSC_0003.JPG")
    assert photo.companion_path == str(tmp_path / "new" / "trip" / "DSC_0003.NEF")


def test_a_jpeg_arriving_after_its_raw_joins_the_raws_photo(
    catalog: Catalog, tmp_path: Path
) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0011")
    jpeg_bytes = jpeg.read_bytes()
    jpeg.unlink()
    run_import(catalog, [tmp_path / "card"], workers=1)  # the RAW alone: a photo
    jpeg.write_bytes(jpeg_bytes)

    result = run_import(catalog, [tmp_path / "card"], workers=1)

    assert result.imported == 0, result.outcomes
    with catalog.reading() as session:
        photo = session.scalars(select(Photo)).one()  # no second photo to review
    assert (photo.source_path, photo.companion_path) == (str(raw), str(jpeg))


def test_the_owner_can_make_the_raw_the_source_and_back(tmp_path: Path, capsys) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0021")
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(tmp_path / "card")]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main([*home, "set", row["id"], "--rating", "4"]) == 0

    assert main([*home, "pair-source", row["id"][:8], "raw"]) == 0
    assert main([*home, "import", "--workers", "1", str(tmp_path / "card")]) == 0  # rescan
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    (now,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (now["id"], now["rating"], now["format"]) == (row["id"], 4, "NEF")
    assert now["files"] == [str(raw), str(jpeg)]
    assert now["content_hash"] != row["content_hash"]  # its pictures are the RAW's now

    assert main([*home, "pair-source", row["id"], "jpeg"]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    (back,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (back["files"], back["content_hash"]) == (row["files"], row["content_hash"])


def test_pair_source_refuses_a_photo_with_one_file(tmp_path: Path, capsys) -> None:
    raw, jpeg = _shoot(tmp_path / "card", "DSC_0031")
    raw.unlink()
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(tmp_path / "card")]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert main([*home, "pair-source", row["id"], "raw"]) != 0

    assert "DSC_0031.JPG is not a RAW+JPEG pair: it has one file" in capsys.readouterr().err


def test_the_pair_source_operation_is_one_undoable_step_for_a_selection(
    catalog: Catalog, tmp_path: Path
) -> None:
    """The desktop's way: pairs among the selection switch, a photo of one file is left alone,
    and undo gives each photo back the source it had (redo switches them again)."""
    from catalog import operations as ops

    _shoot(tmp_path / "card", "DSC_0041")
    _shoot(tmp_path / "card", "DSC_0042", other=True)
    Image.fromarray(painted(320, 200)).save(tmp_path / "card" / "ALONE.JPG", "JPEG")
    run_import(catalog, [tmp_path / "card"], workers=1)
    with catalog.reading() as session:
        photos = {Path(p.source_path).name: (p.id, p.content_hash) for p in session.scalars(
            select(Photo))}  # fmt: skip
    ids = [i for i, _ in photos.values()]
    first = photos["DSC_0041.JPG"][0]
    ops.use_pair_source(catalog, [first], "raw")  # one already from its RAW
    assert ops.pair_sources(catalog, ids) == {first: "raw", photos["DSC_0042.JPG"][0]: "jpeg"}

    changes = ops.use_pair_source(catalog, ids, "raw")

    assert changes.label == "Use RAW as source (2 photos)"  # the pairs selected
    assert changes.photo_ids == {photos["DSC_0042.JPG"][0]} and changes.thumbnails
    assert set(ops.pair_sources(catalog, ids).values()) == {"raw"}
    undone = ops.undo(catalog, changes)
    assert ops.pair_sources(catalog, ids)[photos["DSC_0042.JPG"][0]] == "jpeg"
    assert ops.pair_sources(catalog, ids)[first] == "raw"  # it had the RAW before the step
    with catalog.reading() as session:
        hashes = {Path(p.source_path).name: p.content_hash for p in session.scalars(select(Photo))}
    assert hashes["DSC_0042.JPG"] == photos["DSC_0042.JPG"][1]
    assert hashes["ALONE.JPG"] == photos["ALONE.JPG"][1]  # never touched
    ops.redo(catalog, undone)
    assert set(ops.pair_sources(catalog, ids).values()) == {"raw"}
