"""Camera and lens normalisation on every camera of the corpus, and the owner's gear edits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import exifread
import pytest
from sqlalchemy import func, select

from catalog.catalog import Catalog
from catalog.errors import NotFoundError
from catalog.gear import (
    GearConflictError,
    add_camera_alias,
    add_lens_alias,
    camera_display_name,
    lens_spec,
    merge_cameras,
    merge_lenses,
    normalise_camera,
    normalise_lens,
    rename_camera,
    rename_lens,
    resolve_camera,
    resolve_lens,
)
from catalog.gear.city_rows import rename_city
from catalog.gear.makers import MAKERS
from catalog.models import Camera, CameraAlias, City, Lens, Photo
from catalog.slugs import slugify
from desktop.cli import main
from tests.conftest import TEST_DATA
from tests.factories import add_photo

# Every file of the corpus whose EXIF names a camera, and the name people should see.
EXPECTED_CAMERAS = {
    "heic/IMG_5195.HEIC": "Apple iPhone 11 Pro Max",
    "heic/mobile/iphone_13_pro_max.HEIC": "Apple iPhone 13 Pro Max",
    "jpg/Canon_40D.jpg": "Canon EOS 40D",
    "jpg/Canon_DIGITAL_IXUS_400.jpg": "Canon Digital IXUS 400",
    "jpg/Canon_PowerShot_S40.jpg": "Canon PowerShot S40",
    "jpg/Fujifilm_FinePix6900ZOOM.jpg": "Fujifilm FinePix6900ZOOM",
    "jpg/Fujifilm_FinePix_E500.jpg": "Fujifilm FinePix E500",
    "jpg/Kodak_CX7530.jpg": "Kodak CX7530 Zoom",
    "jpg/Konica_Minolta_DiMAGE_Z3.jpg": "Konica Minolta DiMAGE Z3",
    "jpg/Nikon_COOLPIX_P1.jpg": "Nikon COOLPIX P1",
    "jpg/Nikon_D70.jpg": "Nikon D70",
    "jpg/Olympus_C8080WZ.jpg": "Olympus C8080WZ",
    "jpg/Panasonic_DMC-FZ30.jpg": "Panasonic DMC-FZ30",
    "jpg/Pentax_K10D.jpg": "Pentax K10D",
    "jpg/Ricoh_Caplio_RR330.jpg": "Ricoh Caplio RR330",
    "jpg/Samsung_Digimax_i50_MP3.jpg": "Samsung Digimax i50 MP3",
    "jpg/Sony_HDR-HC3.jpg": "Sony HDR-HC3",
    "jpg/WWL_(Polaroid)_ION230.jpg": "WWL ION230",
    "jpg/corrupted.jpg": "Olympus u1020",
    "jpg/exif-org/canon-ixus.jpg": "Canon Digital IXUS",
    "jpg/exif-org/fujifilm-dx10.jpg": "Fujifilm DX-10",
    "jpg/exif-org/fujifilm-finepix40i.jpg": "Fujifilm FinePix40i",
    "jpg/exif-org/fujifilm-mx1700.jpg": "Fujifilm MX-1700ZOOM",
    "jpg/exif-org/kodak-dc210.jpg": "Kodak DC210 Zoom",
    "jpg/exif-org/kodak-dc240.jpg": "Kodak DC240 Zoom",
    "jpg/exif-org/nikon-e950.jpg": "Nikon E950",
    "jpg/exif-org/olympus-c960.jpg": "Olympus C960Z",
    "jpg/exif-org/ricoh-rdc5300.jpg": "Ricoh RDC-5300",
    "jpg/exif-org/sanyo-vpcg250.jpg": "Sanyo SR6",
    "jpg/exif-org/sanyo-vpcsx550.jpg": "Sanyo SX113",
    "jpg/exif-org/sony-cybershot.jpg": "Sony CYBERSHOT",
    "jpg/exif-org/sony-d700.jpg": "Sony DSC-D700",
    "jpg/hdr/canon_hdr_NO.jpg": "Canon PowerShot SX60 HS",
    "jpg/hdr/canon_hdr_YES.jpg": "Canon PowerShot SX60 HS",
    "jpg/hdr/iphone_hdr_NO.jpg": "Apple iPhone 6",
    "jpg/hdr/iphone_hdr_YES.jpg": "Apple iPhone 6",
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg": "Nokia 8.3 5G",
    "jpg/mobile/jolla.jpg": "Jolla",
    "jpg/tests/11-tests.jpg": "Canon Digital IXUS 40",
    "jpg/tests/22-canon_tags.jpg": "Canon PowerShot SD300",
    "jpg/tests/28-hex_value.jpg": "Canon Digital IXUS 40",
    "jpg/tests/32-lens_data.jpeg": "Nikon D300",
    "jpg/tests/33-type_error.jpg": "Canon PowerShot G9",
    "jpg/tests/35-empty.jpg": "Casio EX-Z750",
    "jpg/tests/36-memory_error.jpg": "Casio EX-M2",
    "jpg/tests/42_IndexError.jpg": "Olympus E-P3",
    "jpg/tests/45-gps_ifd.jpg": "Polyphony Digital Gran Turismo 5",
    "jpg/tests/67-0_length_string.jpg": "Samsung SM-G930F",
    "jpg/tests/87_OSError.jpg": "Nikon D70s",
    **{f"jpg/gps/DSCN00{n}.jpg": "Nikon COOLPIX P6000" for n in (10, 12, 21, 25, 27, 29)},
    **{f"jpg/gps/DSCN00{n}.jpg": "Nikon COOLPIX P6000" for n in (38, 40, 42)},
}

EXPECTED_LENSES = {
    "heic/IMG_5195.HEIC": "Apple iPhone 11 Pro Max back triple camera 4.25mm f/1.8",
    "heic/mobile/iphone_13_pro_max.HEIC": "Apple iPhone 13 Pro Max back triple camera 5.7mm f/1.5",
    "jpg/hdr/iphone_hdr_NO.jpg": "Apple iPhone 6 back camera 4.15mm f/2.2",
    "jpg/tests/87_OSError.jpg": "18-70mm f/3.5-4.5",  # a bare spec: no brand guessed
}
MAKER_WORDS = {maker.name.split()[0].casefold() for maker in MAKERS}


# Make, Model, LensMake and LensModel as exifread reads them from every file of the full
# exif-samples corpus (https://github.com/ianare/exif-samples, 32 MB, not in the repo), so
# the names are checked on every camera there without the files; tests/data/README.md says
# how the table was made.
CORPUS_GEAR = TEST_DATA / "exif-samples-gear.json"


def _read_gear(path: Path) -> dict[str, str]:
    """Make, Model, LensMake and LensModel as exifread reports them (missing: absent)."""
    with path.open("rb") as handle:
        try:
            tags = exifread.process_file(handle, details=False)
        except Exception:  # noqa: BLE001 - broken corpus files: no camera to read
            return {}
    names = {"Image Make": "make", "Image Model": "model", "EXIF LensMake": "lens_make",
             "EXIF LensModel": "lens_model"}  # fmt: skip
    return {key: str(tags[tag]) for tag, key in names.items() if tag in tags}


def _corpus_files(corpus: Path) -> dict[str, dict[str, str]]:
    suffixes = {".jpg", ".jpeg", ".heic", ".tif", ".tiff"}
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in suffixes)
    gear = {p.relative_to(corpus).as_posix(): _read_gear(p) for p in files}
    return {key: value for key, value in gear.items() if value.get("make") or value.get("model")}


def _corpus_gear() -> dict[str, dict[str, str]]:
    return json.loads(CORPUS_GEAR.read_text(encoding="utf-8"))


def test_the_recorded_gear_is_what_exifread_reads_from_the_files_we_have(corpus: Path) -> None:
    recorded = _corpus_gear()
    for key, raw in _corpus_files(corpus).items():
        assert recorded[key] == raw, key


def test_every_corpus_camera_gets_its_canonical_name() -> None:
    found = _corpus_gear()
    names = {
        key: camera_display_name(*normalise_camera(raw.get("make"), raw.get("model")))
        for key, raw in found.items()
    }
    assert names == EXPECTED_CAMERAS


def test_no_maker_name_is_doubled_in_the_corpus() -> None:
    for key, raw in _corpus_gear().items():
        make, model = normalise_camera(raw.get("make"), raw.get("model"))
        words = camera_display_name(make, model).casefold().split()
        doubled = [w for w in MAKER_WORDS if words.count(w) > 1]
        assert not doubled, f"{key}: {make} {model}"
        assert make.casefold() not in model.casefold().split(), f"{key}: {make} {model}"
        name = camera_display_name(make, model)
        assert not re.search(r"_|\(v?\d|\s/\s|,", name, re.IGNORECASE), f"{key}: {name}"


def test_corpus_lenses_get_one_maker_and_tidy_spacing() -> None:
    found = _corpus_gear()
    lenses = {
        key: normalise_lens(raw.get("lens_make"), raw["lens_model"], raw.get("make"))
        for key, raw in found.items()
        if raw.get("lens_model") and key in EXPECTED_LENSES
    }
    assert lenses == EXPECTED_LENSES
    with_lens = {k for k, raw in found.items() if raw.get("lens_model")}
    assert set(EXPECTED_LENSES) <= with_lens


@pytest.mark.parametrize(
    ("make", "model", "expected"),
    [
        ("NIKON CORPORATION", "NIKON D70", ("Nikon", "D70")),
        ("Canon", "Canon EOS 40D", ("Canon", "EOS 40D")),
        ("OLYMPUS IMAGING CORP.", "E-M5", ("Olympus", "E-M5")),
        ("FUJIFILM", "X-T3", ("Fujifilm", "X-T3")),
        ("SONY", "ILCE-7M3", ("Sony", "ILCE-7M3")),
        ("Panasonic", "DMC-GH4", ("Panasonic", "DMC-GH4")),
        ("PENTAX Corporation", "PENTAX K-5", ("Pentax", "K-5")),
        ("EASTMAN KODAK COMPANY", "KODAK Z740 ZOOM DIGITAL CAMERA", ("Kodak", "Z740 Zoom")),
        ("Apple", "iPhone 13 Pro Max", ("Apple", "iPhone 13 Pro Max")),
        ("RICOH IMAGING COMPANY, LTD.", "PENTAX K-3 II", ("Pentax", "K-3 II")),
        ("RICOH IMAGING COMPANY, LTD.", "GR III", ("Ricoh", "GR III")),  # Ricoh is not Pentax
        ("OM Digital Solutions", "OM-1", ("OM System", "OM-1")),
        ("NIKON\x00\x00", "  NIKON   D3\x00", ("Nikon", "D3")),
        ("Hasselblad", "X1D II 50C", ("Hasselblad", "X1D II 50C")),
        (None, "Canon EOS R5", ("Canon", "EOS R5")),
        ("ACME OPTICAL CO., LTD.", "Snapper 2", ("Acme", "Snapper 2")),
        # tricky cases found in real archives
        ("Hewlett-Packard", "HP PhotoSmart C812 (V09.33)", ("HP", "PhotoSmart C812")),
        ("Hewlett-Packard", "hp photosmart 735", ("HP", "Photosmart 735")),
        ("hp", "hp hp photosmart 735", ("HP", "Photosmart 735")),
        ("HTC", "HTC_TyTN_II", ("HTC", "TyTN II")),
        ("SAMSUNG TECHWIN", "KENOX S730  / Samsung S730", ("Samsung", "KENOX S730")),
        ("EASTMAN KODAK COMPANY", "KODAK EASYSHARE Touch Camera, M5370",
         ("Kodak", "EasyShare Touch M5370")),
        ("FLIR Systems AB", "FLIR E60", ("FLIR", "E60")),
        ("FLIR", "T640", ("FLIR", "T640")),
        ("Sony Ericsson", "K800i", ("Sony Ericsson", "K800i")),
        ("SonyEricsson", "W890i", ("Sony Ericsson", "W890i")),
        ("SONY", "DSC-W55 Ver.1.00", ("Sony", "DSC-W55")),
        ("Eastman Kodak Company", "DC210 Zoom (V05.00)", ("Kodak", "DC210 Zoom")),
        ("NIKON", "NIKON NIKON D70", ("Nikon", "D70")),
        ("OLYMPUS OPTICAL CO.,LTD", "C960Z,D460Z", ("Olympus", "C960Z")),
    ],
)  # fmt: skip
def test_camera_names_follow_the_maker_table(make: str, model: str, expected: tuple) -> None:
    assert normalise_camera(make, model) == expected


def test_no_camera_in_exif_gives_none() -> None:
    assert normalise_camera(None, None) is None
    assert normalise_camera("  ", "\x00") is None


@pytest.mark.parametrize(
    ("lens_make", "lens_model", "camera_make", "expected"),
    [
        ("Canon", "Canon Canon EF 24-70 mm F2.8L USM", "Canon", "Canon EF 24-70mm f/2.8L USM"),
        (None, "24-70mm F2.8", "NIKON CORPORATION", "24-70mm f/2.8"),  # not "Nikon": unknown
        ("Nikon", "24-70mm F2.8", "NIKON CORPORATION", "Nikon 24-70mm f/2.8"),  # LensMake says
        (None, "100.0 mm f/2.8", "NIKON CORPORATION", "100mm f/2.8"),  # exiftool: 100.0mm f/2.8
        (None, "7.4 - 22.2 mm", "Canon", "7.4-22.2mm"),
        ("FUJIFILM", "XF18-55mmF2.8-4 R LM OIS", None, "Fujifilm XF18-55mm f/2.8-4 R LM OIS"),
        ("Fujinon", "XF 56mm", None, "Fujifilm XF 56mm"),  # a lens line, not "Fuji"+"non"
        (None, "AF-S Nikkor 50mm f/1.8G", "Sony", "Nikon AF-S Nikkor 50mm f/1.8G"),
        ("SIGMA", "18-35mm F1.8 DC HSM | Art 013", "Canon", "Sigma 18-35mm f/1.8 DC HSM | Art 013"),
        ("OLYMPUS IMAGING CORP.", "OLYMPUS M.12-40mm F2.8", None, "Olympus M.12-40mm f/2.8"),
        (None, "18.0 - 70.0 mm f / 3.5 - 4.5", "Nikon", "18-70mm f/3.5-4.5"),
        (None, "Nikkor 18-70mm F3.5-4.5", "Canon", "Nikon Nikkor 18-70mm f/3.5-4.5"),
        (None, "----", "Canon", None),
        (None, "0.0 mm f/0.0", "NIKON", None),
        (None, None, "NIKON", None),
        (None, "smc PENTAX-DA 18-55mm F3.5-5.6 AL II", "PENTAX",
         "smc PENTAX-DA 18-55mm f/3.5-5.6 AL II"),  # the brand is in the name: not twice
    ],
)  # fmt: skip
def test_lens_names_are_tidied(
    lens_make: str | None, lens_model: str | None, camera_make: str, expected: str | None
) -> None:
    assert normalise_lens(lens_make, lens_model, camera_make) == expected


def test_lens_spec_prefers_exif_then_the_name() -> None:
    assert lens_spec("Nikon 18-70mm f/3.5-4.5", (18.0, 70.0, 3.5, 4.5)) == (18.0, 70.0, 3.5)
    assert lens_spec("Canon EF 24-70mm f/2.8L USM", None) == (24.0, 70.0, 2.8)
    assert lens_spec("Canon EF50mm f/1.8", (0.0, 0.0, 0.0, 0.0)) == (50.0, 50.0, 1.8)
    assert lens_spec("Fujifilm XF23mm f/1.4 R", None) == (23.0, 23.0, 1.4)
    assert lens_spec("Leica Summilux", None) == (None, None, None)


def test_two_spellings_of_one_camera_share_a_row(catalog: Catalog) -> None:
    with catalog.writing() as session:
        first = resolve_camera(session, "NIKON CORPORATION", "NIKON D70")
        second = resolve_camera(session, "Nikon", "D70")
        again = resolve_camera(session, "NIKON CORPORATION", "NIKON D70")
        assert first.id == second.id == again.id
        assert (first.name, first.slug, first.make, first.model) == (
            "Nikon D70", "nikon-d70", "Nikon", "D70")  # fmt: skip
        assert session.scalar(select(func.count()).select_from(CameraAlias)) == 2
        assert resolve_camera(session, None, "") is None


def test_lens_row_carries_focal_range_and_aperture(catalog: Catalog) -> None:
    with catalog.writing() as session:
        lens = resolve_lens(session, None, "18.0-70.0 mm f/3.5-4.5", "NIKON CORPORATION",
                            (18.0, 70.0, 3.5, 4.5))  # fmt: skip
        assert (lens.name, lens.slug) == ("18-70mm f/3.5-4.5", "nikon-18-70mm-f-3-5-4-5")
        assert lens.make is None  # the body's brand keeps systems apart, never named maker
        assert (lens.focal_min_mm, lens.focal_max_mm, lens.max_aperture) == (18.0, 70.0, 3.5)
        canon = resolve_lens(session, None, "18.0-70.0 mm f/3.5-4.5", "Canon")
        assert canon.id != lens.id  # same bare name on another system is another lens
        assert resolve_lens(session, None, "----", "Canon") is None


def _photo_with_camera(catalog: Catalog, make: str, model: str) -> str:
    photo = add_photo(catalog, camera=None, exif={"make": make, "model": model})
    with catalog.writing() as session:
        row = session.get(Photo, photo.id)
        row.camera = resolve_camera(session, make, model)
    return photo.id


def _camera_of(catalog: Catalog, photo_id: str) -> str | None:
    with catalog.reading() as session:
        photo = session.get(Photo, photo_id)
        return photo.camera.name if photo.camera else None


def test_merge_moves_every_photo_and_future_imports(catalog: Catalog) -> None:
    a = _photo_with_camera(catalog, "NIKON", "COOLPIX P6000")
    b = _photo_with_camera(catalog, "NIKON", "COOLPIX P 6000")
    with catalog.writing() as session:
        moved = merge_cameras(session, "nikon-coolpix-p-6000", "nikon-coolpix-p6000")
    assert moved == 1
    assert _camera_of(catalog, a) == _camera_of(catalog, b) == "Nikon COOLPIX P6000"
    with catalog.writing() as session:
        assert session.scalar(select(Camera).where(Camera.slug == "nikon-coolpix-p-6000")) is None
        assert resolve_camera(session, "NIKON", "COOLPIX P 6000").slug == "nikon-coolpix-p6000"


def test_rename_changes_name_and_slug_and_refuses_a_taken_name(catalog: Catalog) -> None:
    a = _photo_with_camera(catalog, "WWL", "ION230")
    _photo_with_camera(catalog, "NIKON CORPORATION", "NIKON D70")
    with catalog.writing() as session:
        camera = rename_camera(session, "wwl-ion230", "Polaroid ION 230")
        assert (camera.make, camera.model, camera.slug) == (
            "Polaroid",
            "ION 230",
            "polaroid-ion-230",
        )
    assert _camera_of(catalog, a) == "Polaroid ION 230"
    with pytest.raises(GearConflictError, match="merge"), catalog.writing() as session:
        rename_camera(session, "polaroid-ion-230", "Nikon D70")
    with pytest.raises(NotFoundError), catalog.writing() as session:
        rename_camera(session, "no-such-camera", "X")


def test_owner_alias_relinks_photos_and_wins_on_import(catalog: Catalog) -> None:
    odd = _photo_with_camera(catalog, "WWL", "ION230")
    _photo_with_camera(catalog, "Polaroid", "ION 230")
    with catalog.writing() as session:
        moved = add_camera_alias(session, "WWL", "ION230", "polaroid-ion-230")
    assert moved == 1
    assert _camera_of(catalog, odd) == "Polaroid ION 230"
    with catalog.writing() as session:
        assert resolve_camera(session, "WWL", "ION230").slug == "polaroid-ion-230"


def test_lens_merge_rename_and_alias(catalog: Catalog) -> None:
    photo = add_photo(catalog, camera=None, exif={"lens_make": "", "lens_model": "EF50mm f/1.8"})
    with catalog.writing() as session:
        one = resolve_lens(session, "Canon", "EF50mm f/1.8 II")
        two = resolve_lens(session, None, "EF50mm f/1.8", "Canon")
        session.get(Photo, photo.id).lens = two
        assert merge_lenses(session, two.slug, one.slug) == 1
        renamed = rename_lens(session, one.slug, "Canon EF 50mm f/1.8 II")
        assert renamed.slug == "canon-ef-50mm-f-1-8-ii"
        other = resolve_lens(session, "Canon", "EF 50mm f/1.4 USM")
        assert add_lens_alias(session, "Canon", "EF50mm f/1.8", other.slug) == 1
    with catalog.reading() as session:
        assert session.get(Photo, photo.id).lens.name == "Canon EF 50mm f/1.4 USM"
        assert session.scalar(select(func.count()).select_from(Lens)) == 2


def test_gear_command_lists_counts_and_merges(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        _photo_with_camera(catalog, "NIKON CORPORATION", "NIKON D70")
    _photo_with_camera(catalog, "Nikon", "D 70")
    home = ["--catalog", str(catalog.root)]
    assert main([*home, "gear"]) == 0
    out = capsys.readouterr().out
    assert "     2  Nikon D70  [nikon-d70]" in out
    assert "     1  Nikon D 70  [nikon-d-70]" in out
    assert main([*home, "gear", "merge", "camera", "nikon-d-70", "nikon-d70"]) == 0
    assert "1 photo(s) re-linked" in capsys.readouterr().out
    assert main([*home, "gear", "list", "camera"]) == 0
    assert "     3  Nikon D70  [nikon-d70]" in capsys.readouterr().out
    assert main([*home, "gear", "rename", "camera", "nope", "X"]) == 2
    assert "no camera 'nope'" in capsys.readouterr().err


def test_gear_alias_command_relinks_cameras_and_lenses(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = _photo_with_camera(catalog, "WWL", "ION230")
    _photo_with_camera(catalog, "Polaroid", "ION 230")
    home = ["--catalog", str(catalog.root)]
    args = ["gear", "alias", "camera", "polaroid-ion-230", "--make", "WWL", "--model", "ION230"]
    assert main([*home, *args]) == 0
    assert "1 photo(s) re-linked" in capsys.readouterr().out
    assert _camera_of(catalog, odd) == "Polaroid ION 230"
    with catalog.writing() as session:
        target = resolve_lens(session, "Nikon", "AF-S DX 18-70mm f/3.5-4.5G")
        slug = target.slug
    bare = "18.0-70.0 mm f/3.5-4.5"
    assert main([*home, "gear", "alias", "lens", slug, "--model", bare]) == 0
    with catalog.writing() as session:  # an alias without a make serves every body
        assert resolve_lens(session, None, bare, "NIKON CORPORATION").slug == slug
    assert main([*home, "gear", "alias", "city", "paris-fr", "--name", "Paris"]) == 2
    assert "needs --name and a two-letter --country" in capsys.readouterr().err


def test_new_spellings_of_a_merged_or_renamed_name_follow_the_owner(catalog: Catalog) -> None:
    with catalog.writing() as session:
        resolve_camera(session, "Nikon", "D 70")
        resolve_camera(session, "Nikon", "D70")
        merge_cameras(session, "nikon-d-70", "nikon-d70")
        assert resolve_camera(session, "NIKON CORPORATION", "NIKON D 70").slug == "nikon-d70"
        rename_camera(session, "nikon-d70", "Nikon D70 (mine)")
        assert resolve_camera(session, "NIKON", "NIKON D70").slug == "nikon-d70-mine"
        assert resolve_camera(session, "NIKON", "NIKON D 70").slug == "nikon-d70-mine"
        assert session.scalar(select(func.count()).select_from(Camera)) == 1
        old = resolve_lens(session, None, "24-70 mm F2.8", "Nikon")
        renamed = rename_lens(session, old.slug, "Nikon AF-S 24-70mm f/2.8G ED")
        assert resolve_lens(session, None, "24-70mm f/2.8", "NIKON").id == renamed.id


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Nikon D70", "nikon-d70"),
        ("Crémieux", "cremieux"),
        ("Straße & Co.", "strasse-and-co"),
        ("Москва", "москва"),  # other scripts stay readable, not dropped
        ("東京", "東京"),
        ("Canon EF 24-70mm f/2.8L", "canon-ef-24-70mm-f-2-8l"),
        ("  --  ", "untitled"),
    ],
)
def test_slugs_are_unicode_safe_and_never_empty(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_renaming_a_city_judges_clashes_within_its_region(catalog: Catalog) -> None:
    """Two Springfields in two states are two cities: renaming one is no clash with the
    other, but taking the name of a city in the same region is, and says so (no crash)."""
    for name, state in (("Springfield", "Missouri"), ("Springfield", "Illinois"),
                        ("Bar", "Illinois")):  # fmt: skip
        add_photo(catalog, city=(name, state, "US"))
    with catalog.reading() as session:
        slug = {(c.name, c.admin1): c.slug for c in session.scalars(select(City))}

    with catalog.writing() as session:
        renamed = rename_city(session, slug["Springfield", "Illinois"], "SPRINGFIELD")
        assert (renamed.name, renamed.admin1) == ("SPRINGFIELD", "Illinois")
    with pytest.raises(GearConflictError, match="merge"), catalog.writing() as session:
        rename_city(session, slug["Bar", "Illinois"], "SPRINGFIELD")
    assert main(["--catalog", str(catalog.root), "gear", "rename", "city",
                 slug["Bar", "Illinois"], "SPRINGFIELD"]) != 0  # fmt: skip
