"""XMP sidecars: another tool's curation read on import, and written back without losing
anything — checked with exiftool (Debian's libimage-exiftool-perl) on both sides."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog import operations
from catalog.ai.schema import Description
from catalog.ai.store import apply_description
from catalog.catalog import Catalog
from catalog.ingest.pipeline import reprocess, run_import
from catalog.models import ExifData, Photo, PhotoSidecar, PhotoTag, Tag
from catalog.sidecars import OwnerValues, read_sidecar, write_sidecar
from desktop.cli import main
from tests.catalog.ingest_helpers import RecordingObserver, sha256_of

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")

LIGHTROOM_ARGS = [
    "-XMP-xmp:Rating=4",
    "-XMP-xmp:Label=Red",
    "-XMP-dc:Title=Piazza Grande",
    "-XMP-dc:Description=Evening light on the square",
    "-XMP-dc:Subject=Tuscany",
    "-XMP-dc:Subject=Arezzo",
    "-XMP-lr:HierarchicalSubject=Places|Italy|Arezzo",
    "-XMP-crs:Exposure2012=+0.35",  # Lightroom's develop settings: not ours, never dropped
    "-XMP-crs:ColorTemperature=5200",
    "-XMP-digiKam:TagsList=Places/Italy/Arezzo",  # another tool's keywords: kept as they are
]


def jpeg(path: Path, colour: tuple[int, int, int] = (200, 120, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (96, 64), colour).save(path, "JPEG", quality=90)
    return path


def exiftool_sidecar(target: Path, *args: str) -> Path:
    """A sidecar written by exiftool itself (replacing any there)."""
    target.unlink(missing_ok=True)
    subprocess.run([EXIFTOOL, "-q", "-o", str(target), *args], check=True)
    return target


def exiftool_read(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [EXIFTOOL, "-json", "-G1", "-struct", "-XMP:all", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)[0]


def photo_of(catalog: Catalog, path: Path) -> Photo:
    with catalog.reading() as session:
        photo = session.scalars(select(Photo).where(Photo.source_path == str(path))).one()
        session.expunge(photo)
        return photo


def tags_of(catalog: Catalog, photo_id: str) -> dict[str, str]:
    with catalog.reading() as session:
        rows = session.execute(
            select(Tag.name, PhotoTag.source).join(PhotoTag, PhotoTag.tag_id == Tag.id)
            .where(PhotoTag.photo_id == photo_id)
        ).all()  # fmt: skip
    return dict(rows)


@needs_exiftool
def test_a_lightroom_sidecar_becomes_the_owners_values(catalog: Catalog, tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "shots" / "DSC_0001.jpg")
    exiftool_sidecar(photo.with_suffix(".xmp"), *LIGHTROOM_ARGS)
    observer = RecordingObserver()
    result = run_import(catalog, [tmp_path / "shots"], workers=1, observer=observer)

    assert result.imported == 1 and result.skipped == 0  # the sidecar is not "not a photo"
    row = photo_of(catalog, photo)
    assert (row.rating, row.title, row.description) == (
        4,
        "Piazza Grande",
        "Evening light on the square",
    )
    assert (row.title_source, row.description_source) == ("owner", "owner")
    assert tags_of(catalog, row.id) == {"Tuscany": "owner", "Arezzo": "owner"}
    assert row.visibility == "private"  # a sidecar never makes a photo public

    # An AI run afterwards leaves the owner's text and tags alone.
    answer = Description("AI title", "AI text", ("square", "Arezzo"))
    with catalog.writing() as session:
        apply_description(session, session.get_one(Photo, row.id), answer, model="m",
                          prompt_version="1", review_required=False)  # fmt: skip
    again = photo_of(catalog, photo)
    assert (again.title, again.description) == ("Piazza Grande", "Evening light on the square")
    assert tags_of(catalog, row.id) == {"Tuscany": "owner", "Arezzo": "owner", "square": "ai"}


@needs_exiftool
def test_an_unchanged_sidecar_never_overwrites_later_edits_a_changed_one_does(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = jpeg(tmp_path / "DSC_0002.JPG")
    sidecar = exiftool_sidecar(tmp_path / "DSC_0002.JPG.xmp", "-XMP-xmp:Rating=2",
                               "-XMP-dc:Title=From darktable")  # fmt: skip
    run_import(catalog, [tmp_path], workers=1)
    row = photo_of(catalog, photo)
    operations.set_rating(catalog, [row.id], 5)
    operations.set_title(catalog, [row.id], "My better title")

    rerun = run_import(catalog, [tmp_path], workers=1)
    assert rerun.skipped == 1
    row = photo_of(catalog, photo)
    assert (row.rating, row.title) == (5, "My better title")

    exiftool_sidecar(sidecar, "-XMP-xmp:Rating=1", "-XMP-dc:Title=Edited in darktable")
    os.utime(sidecar, ns=(1, 1_000_000_000))  # a different mtime whatever the clock says
    run_import(catalog, [tmp_path], workers=1)
    row = photo_of(catalog, photo)
    assert (row.rating, row.title) == (1, "Edited in darktable")


@needs_exiftool
def test_a_rejected_photo_stays_private_and_embedded_xmp_counts(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = jpeg(tmp_path / "embedded.jpg")
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-XMP-dc:Subject=Harbour",
                    "-XMP-xmp:Rating=3", "-XMP-dc:Title=Embedded title", str(photo)],
                   check=True)  # fmt: skip
    rejected = jpeg(tmp_path / "reject.jpg", (10, 200, 10))
    exiftool_sidecar(tmp_path / "reject.xmp", "-XMP-xmp:Rating=-1")
    run_import(catalog, [tmp_path], workers=1)

    embedded = photo_of(catalog, photo)
    assert (embedded.rating, embedded.title) == (3, "Embedded title")
    assert tags_of(catalog, embedded.id) == {"Harbour": "owner"}
    assert photo_of(catalog, rejected).rating == 0
    assert photo_of(catalog, rejected).visibility == "private"


def test_a_damaged_sidecar_is_reported_and_the_photo_still_imported(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = jpeg(tmp_path / "x.jpg")
    (tmp_path / "x.xmp").write_bytes(b"\x00\x01 not xml at all")
    stray = tmp_path / "notes.xmp"
    stray.write_text("<x/>")
    observer = RecordingObserver()
    messages: list[str] = []
    observer.message = messages.append  # type: ignore[method-assign]
    result = run_import(catalog, [tmp_path], workers=1, observer=observer)
    assert result.imported == 1
    assert photo_of(catalog, photo).rating == 0
    assert any("x.xmp" in m and "not a readable XMP sidecar" in m for m in messages)
    # A sidecar without a photo is still a file the owner should hear about.
    assert [o.key for o in result.outcomes if o.status == "skipped"] == [str(stray)]


def cli(catalog: Catalog, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--catalog", str(catalog.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@needs_exiftool
def test_exiftool_to_exiftree_to_exiftool_loses_nothing(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = jpeg(tmp_path / "DSC_0003.jpg")
    digest = sha256_of(photo)
    sidecar = exiftool_sidecar(photo.with_suffix(".xmp"), *LIGHTROOM_ARGS)
    run_import(catalog, [tmp_path], workers=1)
    row = photo_of(catalog, photo)
    operations.set_rating(catalog, [row.id], 5)
    operations.set_title(catalog, [row.id], "Piazza Grande at dusk")
    operations.add_tags(catalog, [row.id], ["dusk"])
    operations.remove_tags(catalog, [row.id], ["Tuscany"])
    operations.set_visibility(catalog, [row.id], "public")

    code, out, err = cli(catalog, capsys, "sidecars", "write", str(photo))
    assert (code, err) == (0, "") and "Wrote 1 sidecar." in out

    back = exiftool_read(sidecar)
    assert back["XMP-crs:Exposure2012"] in (0.35, "+0.35")  # Lightroom's own field, kept
    assert back["XMP-crs:ColorTemperature"] == 5200
    assert back["XMP-digiKam:TagsList"] in (["Places/Italy/Arezzo"], "Places/Italy/Arezzo")
    assert back["XMP-xmp:Label"] == "Red"  # the colour label, untouched
    assert back["XMP-xmp:Rating"] == 5
    assert back["XMP-dc:Title"] == "Piazza Grande at dusk"
    assert back["XMP-dc:Description"] == "Evening light on the square"
    assert sorted(back["XMP-dc:Subject"]) == ["Arezzo", "dusk"]
    assert sorted(back["XMP-lr:HierarchicalSubject"]) == ["Places|Italy|Arezzo", "dusk"]
    assert back["XMP-exiftree:Visibility"] == "public"
    assert sha256_of(photo) == digest  # the original's bytes, never touched
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")]

    # Its own write is not a change: a rescan leaves everything as the owner set it.
    operations.set_rating(catalog, [row.id], 2)
    run_import(catalog, [tmp_path], workers=1)
    assert photo_of(catalog, photo).rating == 2
    code, out, _ = cli(catalog, capsys, "list", "--json")
    assert json.loads(out.splitlines()[0])["sidecar"] == str(sidecar)


def test_writing_a_sidecar_for_a_photo_without_one_creates_file_xmp(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = jpeg(tmp_path / "plain.JPG")
    digest = sha256_of(photo)
    run_import(catalog, [tmp_path], workers=1)
    row = photo_of(catalog, photo)
    code, out, _ = cli(catalog, capsys, "list", "--json")
    assert json.loads(out)["sidecar"] is None
    operations.set_rating(catalog, [row.id], 3)
    code, out, _ = cli(catalog, capsys, "sidecars", "write")
    assert code == 0 and "Wrote 1 sidecar." in out
    values = read_sidecar(tmp_path / "plain.xmp")
    assert (values.rating, values.visibility) == (3, "private")
    assert sha256_of(photo) == digest


def test_a_damaged_sidecar_is_never_replaced_on_write(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = jpeg(tmp_path / "d.jpg")
    run_import(catalog, [tmp_path], workers=1)
    damaged = tmp_path / "d.xmp"
    damaged.write_bytes(b"<x:xmpmeta><rdf:RDF>unclosed")
    code, out, err = cli(catalog, capsys, "sidecars", "write", str(photo))
    assert code == 1 and "Wrote 0 sidecars." in out
    assert "d.xmp" in err and "left as it is" in err and "Traceback" not in err
    assert damaged.read_bytes() == b"<x:xmpmeta><rdf:RDF>unclosed"


@needs_exiftool
def test_what_the_owner_cleared_is_cleared_in_the_sidecar_too(tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "c.jpg")
    sidecar = exiftool_sidecar(tmp_path / "c.xmp", *LIGHTROOM_ARGS)
    write_sidecar(photo, OwnerValues(rating=1, title=None, description=None, tags=()))
    back = exiftool_read(sidecar)
    assert "XMP-dc:Title" not in back and "XMP-dc:Subject" not in back
    assert "XMP-dc:Description" not in back and "XMP-lr:HierarchicalSubject" not in back
    assert back["XMP-xmp:Rating"] == 1 and back["XMP-crs:ColorTemperature"] == 5200
    # An AI title is not the owner's: the sidecar's own title is left as it was.
    exiftool_sidecar(sidecar, "-XMP-dc:Title=Mine, from Lightroom")
    write_sidecar(photo, OwnerValues(0, "AI title", None, owns_title=False))
    assert exiftool_read(sidecar)["XMP-dc:Title"] == "Mine, from Lightroom"
    # The owner's title replaces the default language's; a translation stays.
    exiftool_sidecar(sidecar, "-XMP-dc:Title=Piazza", "-XMP-dc:Title-de=Großer Platz")
    write_sidecar(photo, OwnerValues(0, "Piazza Grande", None))
    back = exiftool_read(sidecar)
    assert (back["XMP-dc:Title"], back["XMP-dc:Title-de"]) == ("Piazza Grande", "Großer Platz")


@needs_exiftool
def test_a_sidecar_date_and_position_fill_a_photo_that_has_none(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo = jpeg(tmp_path / "scan.jpg")  # a scan: no EXIF date, no GPS
    exiftool_sidecar(
        tmp_path / "scan.xmp",
        "-XMP-photoshop:DateCreated=1998:07:14 16:20:00",
        "-XMP-exif:GPSLatitude=43.4633",
        "-XMP-exif:GPSLongitude=11.8796",
    )
    run_import(catalog, [tmp_path], workers=1)
    row = photo_of(catalog, photo)
    assert str(row.date_taken) == "1998-07-14 16:20:00"
    with catalog.reading() as session:
        exif = session.scalars(select(ExifData).where(ExifData.photo_id == row.id)).one()
        assert (round(exif.gps_latitude, 4), round(exif.gps_longitude, 4)) == (43.4633, 11.8796)
        city = session.get_one(Photo, row.id).city
        assert city is not None and city.country_code == "IT"

    # deriving the photo again from its file (which has neither) keeps both
    assert reprocess(catalog, [row.id], workers=1).imported == 1
    run_import(catalog, [tmp_path], workers=1, force=True)
    again = photo_of(catalog, photo)
    assert (str(again.date_taken), again.city_id) == ("1998-07-14 16:20:00", row.city_id)
    with catalog.reading() as session:
        exif = session.scalars(select(ExifData).where(ExifData.photo_id == row.id)).one()
        assert (round(exif.gps_latitude, 4), round(exif.gps_longitude, 4)) == (43.4633, 11.8796)


# What darktable 4.x writes beside DSC_0003.NEF (src/common/exif.cc's shape; its internal
# "darktable|..." tags are never written to the sidecar, its history is not ours).
DARKTABLE_SIDECAR = """<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:darktable="http://darktable.sf.net/"
   xmp:Rating="3"
   xmpMM:DerivedFrom="DSC_0003.NEF"
   darktable:xmp_version="5"
   darktable:raw_params="0"
   darktable:auto_presets_applied="1"
   darktable:history_end="0">
   <darktable:colorlabels><rdf:Seq><rdf:li>2</rdf:li><rdf:li>3</rdf:li></rdf:Seq>
   </darktable:colorlabels>
   <dc:subject><rdf:Bag><rdf:li>Places</rdf:li><rdf:li>Italy</rdf:li><rdf:li>Arezzo</rdf:li>
   </rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Italy|Arezzo</rdf:li></rdf:Bag>
   </lr:hierarchicalSubject>
   <darktable:history><rdf:Seq/></darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


def test_darktables_colour_labels_and_keywords_are_read(tmp_path: Path) -> None:
    """darktable never writes xmp:Label: its colour labels are numbers of its own."""
    sidecar = tmp_path / "DSC_0003.NEF.xmp"
    sidecar.write_text(DARKTABLE_SIDECAR)
    values = read_sidecar(sidecar)
    assert (values.rating, values.label) == (3, "Green")  # the first of its labels
    assert values.hierarchies == ("Places|Italy|Arezzo",)
    assert "Arezzo" in values.tags


@needs_exiftool
def test_a_digikam_sidecar_keeps_its_reject_its_label_and_its_tag_paths(
    catalog: Catalog, tmp_path: Path
) -> None:
    """digiKam may write its tag paths only in digiKam:TagsList ("A/B/C"), and its pick
    and colour labels as numbers: a rejected photo stays private."""
    photo = jpeg(tmp_path / "IMG_0004.JPG")
    exiftool_sidecar(tmp_path / "IMG_0004.JPG.xmp", "-XMP-digiKam:TagsList=Places/Italy/Arezzo",
                     "-XMP-digiKam:PickLabel=1", "-XMP-digiKam:ColorLabel=4",
                     "-XMP-xmp:Rating=2")  # fmt: skip
    run_import(catalog, [tmp_path], workers=1)

    row = photo_of(catalog, photo)
    assert (row.rating, row.visibility) == (0, "private")  # rejected in digiKam
    assert tags_of(catalog, row.id) == {"Arezzo": "owner"}
    with catalog.reading() as session:
        extras = session.scalars(select(PhotoSidecar.extras)).one()
    assert json.loads(extras) == {"hierarchies": ["Places|Italy|Arezzo"], "label": "Green",
                                  "picked": False, "rejected": True}  # fmt: skip
