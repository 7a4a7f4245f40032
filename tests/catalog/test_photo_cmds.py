"""The photo commands as a script uses them: ``exiftree --catalog DIR list|set|…``."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.models import ExifData
from desktop.cli import main
from tests.factories import add_photo

LIST_KEYS = {
    "id", "path", "content_hash", "status", "reason", "title", "description", "tags",
    "visibility", "rating", "width", "height", "date_taken", "camera", "lens", "focal_length",
    "aperture", "exposure", "iso", "latitude", "longitude", "city", "country_code", "phash",
    "thumb_300", "thumb_800", "thumb_1600", "sidecar",
}  # fmt: skip


def run(catalog: Catalog, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--catalog", str(catalog.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def listed(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    code, out, _ = run(catalog, capsys, "list", "--json")
    assert code == 0
    return {obj["id"]: obj for obj in map(json.loads, out.splitlines())}


def test_list_json_has_every_documented_key(catalog, capsys):
    photo = add_photo(
        catalog, camera="Nikon D70", lens="Nikkor 50mm", city=("Paris", "Île-de-France", "FR"),
        tags=["sea"], exif={"focal_length_mm": 50.0, "aperture": 2.8, "exposure_display": "1/250",
                            "iso": 200, "gps_latitude": 48.85, "gps_longitude": 2.35},
    )  # fmt: skip
    failed = add_photo(catalog, camera=None, status="failed", reason="truncated JPEG")
    objects = listed(catalog, capsys)
    obj = objects[photo.id]
    assert obj.keys() >= LIST_KEYS
    assert (obj["camera"], obj["lens"], obj["city"], obj["country_code"]) == (
        "Nikon D70",
        "Nikkor 50mm",
        "Paris",
        "FR",
    )
    assert (obj["focal_length"], obj["aperture"], obj["exposure"], obj["iso"]) == (
        50.0,
        2.8,
        "1/250",
        200,
    )
    assert (obj["latitude"], obj["longitude"], obj["tags"]) == (48.85, 2.35, ["sea"])
    assert obj["date_taken"] == "2020-01-01T12:00:00"
    assert obj["thumb_800"] == str(catalog.thumb_path(photo.content_hash, 800))
    assert objects[failed.id]["reason"] == "truncated JPEG"


def test_list_prints_one_line_per_photo_with_failure_reasons(catalog, capsys):
    add_photo(catalog)
    add_photo(catalog, status="failed", reason="not an image")
    code, out, _ = run(catalog, capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and sum("(not an image)" in line for line in lines) == 1


def test_set_edits_photos_by_full_or_short_id(catalog, capsys):
    a, b = add_photo(catalog, tags=["old"]), add_photo(catalog)
    code, out, _ = run(
        catalog, capsys, "set", a.id[:8], b.id, "--private", "--rating", "4", "--title",
        "Harbour", "--description", "Boats", "--add-tags", "sea, boats", "--remove-tags", "old",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "Updated 2 photos.")
    for photo in (a, b):
        obj = listed(catalog, capsys)[photo.id]
        assert (obj["visibility"], obj["rating"], obj["title"], obj["description"]) == (
            "private",
            4,
            "Harbour",
            "Boats",
        )
        assert (obj["tags"], obj["title_source"]) == (["boats", "sea"], "owner")
    code, out, _ = run(catalog, capsys, "list", "--search", "harbour")
    assert len(out.splitlines()) == 2


def test_set_rotate_turns_photos_and_lists_the_turn(catalog, capsys):
    photo = add_photo(catalog)  # 1600 x 1067
    assert run(catalog, capsys, "set", photo.id, "--rotate", "90")[0] == 0
    obj = listed(catalog, capsys)[photo.id]
    assert (obj["width"], obj["height"], obj["rotation"]) == (1067, 1600, 1)
    assert run(catalog, capsys, "set", photo.id, "--rotate", "-90")[0] == 0
    obj = listed(catalog, capsys)[photo.id]
    assert (obj["width"], obj["height"], obj["rotation"]) == (1600, 1067, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "no-such-photo", "--public"], "no photo 'no-such-photo'"),
        (["set", "{id}"], "nothing to set"),
        (["set", "{id}", "--rating", "9"], "0<=x<=5"),
        (["set", "{id}", "--add-tags", "?!"], "letter or digit"),
        (["shift-time", "{id}", "--by", "1 hour"], "not ±HH:MM"),
        (["shift-time", "{id}", "--by", "+01:75"], "not ±HH:MM"),
        (["collection", "add", "nope", "{id}"], "no collection 'nope'"),
    ],
)
def test_bad_input_is_a_clear_error_not_a_traceback(catalog, capsys, args, message):
    photo = add_photo(catalog, rating=1)
    code, out, err = run(catalog, capsys, *[a.format(id=photo.id) for a in args])
    assert code == 2
    assert message in err and "Traceback" not in err + out
    assert listed(catalog, capsys)[photo.id]["rating"] == 1


def test_shift_time_moves_the_clock_and_keeps_the_original(catalog, capsys):
    taken = datetime(2021, 3, 1, 0, 30)
    photo = add_photo(catalog, date_taken=taken, exif={"date_taken": taken})
    undated = add_photo(catalog, date_taken=None)
    code, out, _ = run(catalog, capsys, "shift-time", photo.id, undated.id, "--by", "-01:30")
    assert code == 0
    assert "Shifted 1 photo(s) by -01:30" in out and f"no date taken: {undated.id}" in out
    assert listed(catalog, capsys)[photo.id]["date_taken"] == "2021-02-28T23:00:00"
    with catalog.reading() as session:
        raw = json.loads(session.scalar(select(ExifData.raw).where(ExifData.photo_id == photo.id)))
    assert raw["ExifTree:OriginalDateTime"] == "2021-03-01 00:30:00"


def test_duplicates_lists_each_group_with_its_photos(catalog, capsys):
    a = add_photo(catalog, dup_group="group-1", width=4000, height=3000)
    b = add_photo(catalog, dup_group="group-1", width=2000, height=1500)
    add_photo(catalog)
    code, out, _ = run(catalog, capsys, "duplicates")
    assert code == 0
    assert out.splitlines()[0] == "group group-1 (2 photos)"
    assert a.id in out and b.id in out and "4000x3000" in out
    code, out, _ = run(catalog, capsys, "duplicates", "--json")
    group = json.loads(out)
    assert {p["id"] for p in group["photos"]} == {a.id, b.id}


def test_no_duplicates_says_so(catalog, capsys):
    add_photo(catalog)
    assert run(catalog, capsys, "duplicates")[1].strip() == "No near-duplicates."


def test_stats_prints_the_dashboard(catalog, capsys):
    add_photo(catalog, camera="Nikon D70", date_taken=datetime(2019, 1, 1))
    add_photo(catalog, status="failed", reason="zero-byte file", source_path="/p/empty.jpg")
    code, out, _ = run(catalog, capsys, "stats")
    assert code == 0
    assert "Nikon D70" in out and "2019" in out and "/p/empty.jpg: zero-byte file" in out
    code, out, _ = run(catalog, capsys, "stats", "--json")
    assert json.loads(out)["totals"]["photos"] == 2


def test_collection_commands_round_trip(catalog, capsys):
    a, b = add_photo(catalog), add_photo(catalog)
    code, out, _ = run(catalog, capsys, "collection", "create", "Summer 2021")
    coll_id = out.strip()
    assert code == 0
    assert run(catalog, capsys, "collection", "add", "summer-2021", b.id, a.id[:6])[0] == 0
    assert run(catalog, capsys, "collection", "show", coll_id)[1].split() == [b.id, a.id]
    assert run(catalog, capsys, "collection", "rename", "SUMMER 2021", "Best of")[0] == 0
    assert run(catalog, capsys, "collection", "cover", "best of", a.id)[0] == 0
    code, out, _ = run(catalog, capsys, "collection", "list", "--json")
    info = json.loads(out)
    assert (info["name"], info["slug"], info["count"], info["cover_photo_id"]) == (
        "Best of",
        "summer-2021",
        2,
        a.id,
    )
    assert run(catalog, capsys, "collection", "remove", coll_id, b.id)[0] == 0
    assert run(catalog, capsys, "collection", "show", coll_id)[1].split() == [a.id]
    assert run(catalog, capsys, "collection", "delete", coll_id)[0] == 0
    assert run(catalog, capsys, "collection", "list")[1] == ""
    assert len(listed(catalog, capsys)) == 2  # the photos stay
