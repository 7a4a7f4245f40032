"""GPS parsing with careful refs, offline reverse geocoding, City rows and re-geocoding."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import exifread
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from catalog.catalog import Catalog
from catalog.gear import add_city_alias, merge_cities, rename_city
from catalog.models import City, Photo
from catalog.places import Place, parse_gps, resolve_city, reverse_geocode
from catalog.places.regeocode import geocode_photos
from desktop.cli import main
from tests.factories import add_photo

# The corpus's GPS files were taken in Arezzo, Tuscany (43.467 N, 11.88 E).
AREZZO = ("Arezzo", "Tuscany", "IT")
GpsReader = Callable[[Path], tuple[float | None, float | None, str | None]]


def _gps_with_exifread(path: Path) -> tuple[float | None, float | None, str | None]:
    with path.open("rb") as handle:
        tags = exifread.process_file(handle, details=False)
    keys = ("GPS GPSLatitude", "GPS GPSLatitudeRef", "GPS GPSLongitude", "GPS GPSLongitudeRef")
    values = [tags[k].values if k in tags else None for k in keys]
    return parse_gps(*values)


def _gps_with_pillow(path: Path) -> tuple[float | None, float | None, str | None]:
    with Image.open(path) as image:
        gps = image.getexif().get_ifd(0x8825)
    return parse_gps(gps.get(2), gps.get(1), gps.get(4), gps.get(3))


@pytest.mark.parametrize("reader", [_gps_with_exifread, _gps_with_pillow])
def test_corpus_gps_files_are_in_arezzo_italy(corpus: Path, reader: GpsReader) -> None:
    files = sorted((corpus / "jpg" / "gps").glob("*.jpg"))
    assert len(files) == 9
    coords = []
    for path in files:
        lat, lon, flag = reader(path)
        assert flag is None, path.name
        assert 43.46 < lat < 43.47 and 11.87 < lon < 11.89, path.name  # north, east
        coords.append((lat, lon))
    places = reverse_geocode(coords)
    assert {(p.name, p.admin1, p.country_code) for p in places} == {AREZZO}


@pytest.mark.parametrize(
    ("lat_ref", "lon_ref", "expected"),
    [
        ("N", "W", (40.5, -74.25)),
        (" n ", b"w\x00", (40.5, -74.25)),  # trimmed, NULs dropped, upper-cased
        ("S", "E", (-40.5, 74.25)),
        (["S"], ("W",), (-40.5, -74.25)),
        ("South", "West", (-40.5, -74.25)),
    ],
)
def test_refs_are_read_carefully(
    lat_ref: object, lon_ref: object, expected: tuple[float, float]
) -> None:
    lat, lon, flag = parse_gps([40, 30, 0], lat_ref, [74, 15, 0], lon_ref)
    assert (lat, lon, flag) == (*expected, None)


@pytest.mark.parametrize(
    ("lat", "lat_ref", "lon", "lon_ref", "flag"),
    [
        ([40, 30, 0], "", [74, 15, 0], "W", "missing GPS latitude ref"),
        ([40, 30, 0], "N", [74, 15, 0], None, "missing GPS longitude ref"),
        ([40, 30, 0], "X", [74, 15, 0], "W", "invalid GPS latitude ref 'X'"),
        ([40, (30, 0), 0], "N", [74, 15, 0], "W", "invalid GPS latitude"),  # zero denominator
        (["40/0", "0/1", "0/1"], "N", [74, 15, 0], "W", "invalid GPS latitude"),
        ([140, 0, 0], "N", [74, 15, 0], "W", "GPS latitude out of range"),
        ([0, 0, 0], "", [0, 0, 0], "", "GPS at 0,0 (no fix)"),
        ([40, 30, 0], "N", None, None, "missing GPS longitude"),
    ],
)
def test_doubtful_gps_gives_no_coordinates_and_a_flag(
    lat: object, lat_ref: object, lon: object, lon_ref: object, flag: str
) -> None:
    assert parse_gps(lat, lat_ref, lon, lon_ref) == (None, None, flag)


def test_no_gps_is_not_a_problem() -> None:
    assert parse_gps(None, None, None, None) == (None, None, None)


def test_equator_needs_no_ref_and_rationals_are_exact() -> None:
    assert parse_gps([0, 0, 0], "", [Fraction(3645, 100), 0, 0], "E") == (0.0, 36.45, None)
    lat, lon, _ = parse_gps(["40/1", "26/1", "4617/100"], "N", "79.98229", "W")
    assert lat == pytest.approx(40.4461583) and lon == pytest.approx(-79.98229)


def _dms(value: float) -> list[Fraction]:
    """How a camera writes an absolute coordinate: whole degrees and minutes, fine seconds."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round((value - degrees - minutes / 60) * 3600 * 10000), 10000)
    return [Fraction(degrees), Fraction(minutes), seconds]


@given(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))
def test_a_written_coordinate_reads_back_with_its_sign(lat: float, lon: float) -> None:
    got_lat, got_lon, flag = parse_gps(
        _dms(lat), "S" if lat < 0 else "N", _dms(lon), "W" if lon < 0 else "E"
    )
    assume(abs(lat) > 1e-4 or abs(lon) > 1e-4)  # (0, 0) is "no fix", tested above
    assert flag is None
    assert got_lat == pytest.approx(lat, abs=1e-6) and got_lon == pytest.approx(lon, abs=1e-6)


def test_reverse_geocoding_is_batched_silent_and_hemisphere_right(
    capfd: pytest.CaptureFixture[str],
) -> None:
    places = reverse_geocode([(-34.6037, -58.3816), (40.7128, -74.0060), (-33.8688, 151.2093)])
    assert [(p.name, p.country_code) for p in places] == [
        ("Buenos Aires", "AR"), ("New York City", "US"), ("Sydney", "AU")]  # fmt: skip
    assert capfd.readouterr().out == ""
    assert reverse_geocode([]) == []
    with pytest.raises(ValueError, match="not a coordinate"):
        reverse_geocode([(91.0, 0.0)])


def test_first_load_prints_nothing_in_a_fresh_process() -> None:
    code = (
        "from catalog.places import reverse_geocode\n"
        "print(reverse_geocode([(48.85, 2.35)])[0].name)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "Paris\n"


def test_cities_are_found_or_created_with_slugs(catalog: Catalog) -> None:
    arezzo = Place("Arezzo", "Tuscany", "IT", 43.46, 11.88)
    with catalog.writing() as session:
        first = resolve_city(session, arezzo)
        assert resolve_city(session, arezzo).id == first.id
        assert first.slug == "arezzo-it"
        one = resolve_city(session, Place("Springfield", "Illinois", "US", 39.8, -89.6))
        two = resolve_city(session, Place("Springfield", "Missouri", "US", 37.2, -93.3))
        assert (one.slug, two.slug) == ("springfield-us", "springfield-missouri-us")
        sao = resolve_city(session, Place("São Paulo", "São Paulo", "BR", -23.5, -46.6))
        assert sao.slug == "sao-paulo-br"


def test_merge_rename_and_alias_cities_keep_future_geocoding(catalog: Catalog) -> None:
    photo = add_photo(catalog, camera=None, city=("Montmartre", "Ile-de-France", "FR"))
    with catalog.writing() as session:
        paris = resolve_city(session, Place("Paris", "Ile-de-France", "FR", 48.85, 2.35))
        source = session.scalar(select(City).where(City.name == "Montmartre")).slug
        assert merge_cities(session, source, paris.slug) == 1
        again = resolve_city(session, Place("Montmartre", "Ile-de-France", "FR", 48.88, 2.34))
        assert again.id == paris.id
        renamed = rename_city(session, "paris-fr", "Paris (centre)")
        assert renamed.slug == "paris-centre-fr"
        assert (
            resolve_city(session, Place("Paris", "Ile-de-France", "FR", 48.85, 2.35)).id == paris.id
        )
        assert (
            add_city_alias(session, "Boulogne-Billancourt", "Ile-de-France", "FR", renamed.slug)
            == 0
        )
        boulogne = Place("Boulogne-Billancourt", "Ile-de-France", "FR", 48.83, 2.24)
        assert resolve_city(session, boulogne).id == paris.id
        assert session.scalar(select(func.count()).select_from(City)) == 1
    with catalog.reading() as session:
        assert session.get(Photo, photo.id).city.name == "Paris (centre)"


def test_geocode_command_places_photos_with_gps(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    located = add_photo(
        catalog, camera=None, exif={"gps_latitude": 43.4674, "gps_longitude": 11.8851}
    )
    blank = add_photo(catalog, camera=None)
    assert main(["--catalog", str(catalog.root), "geocode"]) == 0
    assert "geocoded 1 photo(s) with GPS: 1 changed" in capsys.readouterr().out
    with catalog.reading() as session:
        city = session.get(Photo, located.id).city
        assert (city.name, city.admin1, city.country_code) == AREZZO
        assert session.get(Photo, blank.id).city is None
    result = geocode_photos(catalog)
    assert (result.geocoded, result.changed) == (1, 0)


def test_geocode_applies_the_place_rules(catalog: Catalog) -> None:
    catalog.rules_path.write_text('[places]\naction = "reject"\nrefuse_countries = ["it"]\n')
    photo = add_photo(
        catalog, camera=None, exif={"gps_latitude": 43.4674, "gps_longitude": 11.8851}
    )
    assert geocode_photos(catalog).rejected == 1
    with catalog.reading() as session:
        row = session.get(Photo, photo.id)
        assert row.status == "rejected"
        assert row.reason == "rule places.refuse_countries: taken in IT"


def test_imported_gps_files_land_in_arezzo_and_refused_ones_lose_their_place(
    catalog: Catalog, corpus: Path
) -> None:
    from catalog.ingest import run_import

    catalog.rules_path.write_text('[places.only_cities]\nIT = ["Florence"]\n')
    result = run_import(catalog, [corpus / "jpg" / "gps"], workers=1)
    assert result.imported == 9
    with catalog.reading() as session:
        photos = session.scalars(select(Photo)).all()
        assert {p.city_id for p in photos} == {None}  # Arezzo is not listed for IT
        assert {p.status for p in photos} == {"processed"}
    catalog.rules_path.unlink()
    assert geocode_photos(catalog).changed == 9
    with catalog.reading() as session:
        cities = {(p.city.name, p.city.admin1, p.city.country_code) for p in
                  session.scalars(select(Photo)).all()}  # fmt: skip
    assert cities == {AREZZO}


def test_flagged_location_is_fixed_from_raw_values_or_a_typed_position(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_gps = {"GPSLatitude": [[43, 1], [28, 1], [2, 1]], "GPSLongitude": [[11, 1], [53, 1],
               [6, 1]], "GPSLongitudeRef": "E"}  # fmt: skip
    raw = json.dumps({"GPS": raw_gps})
    flagged = add_photo(catalog, camera=None, location_flag="missing GPS latitude ref",
                        exif={"raw": raw})  # fmt: skip
    typed = add_photo(catalog, camera=None)
    home = ["--catalog", str(catalog.root)]
    assert main([*home, "geocode", flagged.id, "--lat-ref", "n"]) == 0
    assert main([*home, "geocode", typed.id, "--position", "-33.87,151.21"]) == 0
    assert "geocoded 1 photo(s) with GPS: 1 changed" in capsys.readouterr().out
    with catalog.reading() as session:
        fixed = session.get(Photo, flagged.id)
        assert fixed.location_flag is None
        assert (fixed.city.name, fixed.city.country_code) == ("Arezzo", "IT")
        assert session.get(Photo, typed.id).city.name == "Sydney"
    assert main([*home, "geocode", typed.id, "--position", "north"]) == 2
    assert main([*home, "geocode", "--position", "1,2"]) == 2
    assert main([*home, "geocode", "no-such-id", "--position", "1,2"]) == 2
    assert "no photo 'no-such-id'" in capsys.readouterr().err


def test_reprocess_keeps_the_owners_position_fix(catalog: Catalog, tmp_path: Path) -> None:
    from catalog.ingest import reprocess, run_import
    from tests.catalog.ingest_helpers import copy_data

    [path] = copy_data(tmp_path / "in", "DSCN0010.jpg")  # its GPS says Arezzo
    run_import(catalog, [path.parent], workers=1)
    with catalog.reading() as session:
        photo_id = session.scalars(select(Photo.id)).one()
    home = ["--catalog", str(catalog.root)]
    assert main([*home, "geocode", photo_id, "--position", "-33.87,151.21"]) == 0
    assert main([*home, "shift-time", photo_id, "--by", "+01:00"]) == 0
    reprocess(catalog, [photo_id], workers=1)
    with catalog.reading() as session:
        photo = session.get(Photo, photo_id)
        assert photo.city.name == "Sydney"  # not back to Arezzo from the file
        assert photo.locality == reverse_geocode([(-33.87, 151.21)])[0].locality
        assert (photo.exif.gps_latitude, photo.exif.gps_longitude) == (-33.87, 151.21)
        assert photo.date_taken.hour == 17  # the clock fix is kept too (16:xx in the file)


@pytest.mark.parametrize(
    ("where", "point", "city", "locality"),
    [
        ("the Eiffel Tower", (48.85837, 2.294481), "Paris", "Vanves"),
        ("Madrid's west", (40.4350, -3.7190), "Madrid", "Moncloa-Aravaca"),
        ("the Sagrada Familia", (41.4036, 2.1744), "Barcelona", "Horta-Guinardo"),
        ("the palace of Versailles", (48.8049, 2.1204), "Versailles", None),  # its own town
        ("Gordes, a village", (43.9116, 5.2003), "Gordes", None),
        ("Arezzo", (43.4674, 11.8851), "Arezzo", None),
    ],
)
def test_places_are_the_town_a_visitor_names(where, point, city, locality) -> None:
    [place] = reverse_geocode([point])
    assert (place.name, place.locality) == (city, locality), where


def test_geocode_keeps_the_suburb_as_the_locality(catalog: Catalog) -> None:
    photo = add_photo(catalog, camera=None,
                      exif={"gps_latitude": 48.85837, "gps_longitude": 2.294481})  # fmt: skip
    assert geocode_photos(catalog).changed == 1
    with catalog.reading() as session:
        row = session.get(Photo, photo.id)
        assert (row.city.name, row.locality) == ("Paris", "Vanves")
