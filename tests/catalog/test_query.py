"""photo_ids, page, facets, load_rows: what the grid and the sidebar show."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, update

from catalog import collections as colls
from catalog import query
from catalog.catalog import Catalog
from catalog.db import utcnow
from catalog.edit_errors import AmbiguousIdError
from catalog.errors import NotFoundError
from catalog.models import Photo
from catalog.query import BadCursorError, PhotoFilter, facets, page, photo_ids
from catalog.rows import load_rows
from tests.catalog.query_helpers import add_many
from tests.factories import add_photo


def ids_of(catalog: Catalog, f: PhotoFilter, sort: str = "date_taken", **kw: object) -> list[str]:
    with catalog.reading() as session:
        return photo_ids(session, f, sort, **kw)


@pytest.fixture
def gallery(catalog: Catalog) -> dict[str, str]:
    """Six photos over two cameras, cities, years and statuses."""
    paris = ("Paris", "Île-de-France", "FR")
    lyon = ("Lyon", "Auvergne-Rhône-Alpes", "FR")
    oslo = ("Oslo", "Oslo", "NO")
    made = {
        "old": add_photo(
            catalog,
            camera="Nikon D70",
            city=paris,
            tags=["sea"],
            date_taken=datetime(2019, 5, 1),
            rating=2,
            title="Harbour",
        ),
        "new": add_photo(
            catalog,
            camera="Nikon D70",
            lens="Nikkor 50mm",
            city=lyon,
            tags=["sea", "boat"],
            date_taken=datetime(2021, 7, 3),
            rating=5,
            title="aurora",
        ),
        "mid": add_photo(
            catalog,
            camera="Canon EOS 40D",
            city=oslo,
            tags=["snow"],
            date_taken=datetime(2020, 2, 2),
            visibility="private",
            title="Zebra",
        ),
        "undated": add_photo(catalog, camera="Canon EOS 40D", date_taken=None),
        "failed": add_photo(catalog, camera=None, status="failed", reason="truncated file"),
        "dup": add_photo(
            catalog, camera="Nikon D70", date_taken=datetime(2021, 7, 3), dup_group="g1"
        ),
    }
    return {name: photo.id for name, photo in made.items()}


def test_default_filter_shows_processed_photos_newest_first_undated_last(catalog, gallery):
    ids = ids_of(catalog, PhotoFilter())
    assert gallery["failed"] not in ids
    assert ids[-1] == gallery["undated"]
    assert ids.index(gallery["new"]) < ids.index(gallery["mid"]) < ids.index(gallery["old"])


def test_each_filter_field_narrows_the_selection(catalog, gallery):
    with catalog.reading() as session:
        f = facets(session)
    nikon = next(i.id for i in f["cameras"] if i.label == "Nikon D70")
    sea = next(i.id for i in f["tags"] if i.label == "sea")
    oslo = next(i.id for i in f["cities"] if i.label == "Oslo")
    lens = f["lenses"][0].id
    g = gallery
    cases = {
        PhotoFilter(camera_id=nikon): {g["old"], g["new"], g["dup"]},
        PhotoFilter(lens_id=lens): {g["new"]},
        PhotoFilter(tag_id=sea): {g["old"], g["new"]},
        PhotoFilter(city_id=oslo): {g["mid"]},
        PhotoFilter(country_code="fr"): {g["old"], g["new"]},
        PhotoFilter(year=2021): {g["new"], g["dup"]},
        PhotoFilter(year=0): {g["undated"]},
        PhotoFilter(visibility="private"): {g["mid"]},
        PhotoFilter(min_rating=3): {g["new"]},
        PhotoFilter(statuses=("failed",)): {g["failed"]},
        PhotoFilter(statuses=()): set(g.values()),
        PhotoFilter(needs_attention=True): {g["failed"], g["dup"]},
        PhotoFilter(text="harb"): {g["old"]},
        PhotoFilter(text="sea", camera_id=nikon, year=2021): {g["new"]},
    }
    for f_, expected in cases.items():
        assert set(ids_of(catalog, f_)) == expected, f_


def test_imported_since_shows_only_recent_imports(catalog, gallery):
    with catalog.writing() as session:
        session.execute(update(Photo).values(created_at=utcnow() - timedelta(days=10)))
    fresh = add_photo(catalog)
    since = utcnow() - timedelta(days=1)
    assert ids_of(catalog, PhotoFilter(imported_since=since)) == [fresh.id]


def test_collection_filter_follows_the_owners_order(catalog, gallery):
    coll = colls.create_collection(catalog, "Best")
    order = [gallery["old"], gallery["mid"], gallery["new"]]
    colls.add_photos(catalog, coll, order)
    assert ids_of(catalog, PhotoFilter(collection_id=coll), "position") == order
    assert (
        ids_of(catalog, PhotoFilter(collection_id=coll), "position", descending=True)
        == (order[::-1])
    )


def test_sorts_by_title_rating_and_import_order(catalog, gallery):
    f = PhotoFilter(statuses=())
    titled = [
        i
        for i in ids_of(catalog, f, "title")
        if i in (gallery["old"], gallery["new"], gallery["mid"])
    ]
    assert titled == [gallery["new"], gallery["old"], gallery["mid"]]  # aurora, Harbour, Zebra
    assert ids_of(catalog, PhotoFilter(), "rating")[0] == gallery["new"]
    assert ids_of(catalog, f, "imported")[0] == gallery["dup"]  # the last one added
    with pytest.raises(ValueError, match="unknown sort"):
        ids_of(catalog, f, "colour")


@pytest.mark.parametrize("sort", ["date_taken", "title", "rating", "created_at", "path"])
@pytest.mark.parametrize("descending", [True, False])
def test_pages_walk_every_photo_once_in_photo_ids_order(catalog, sort, descending):
    for n in range(13):  # equal dates, missing dates and titles: keyset ties and NULLs
        add_photo(
            catalog,
            date_taken=None if n % 4 == 0 else datetime(2020, 1, 1 + n % 3),
            title=None if n % 3 == 0 else f"t{n % 5}",
            rating=n % 2,
        )
    f = PhotoFilter(statuses=())
    expected = ids_of(catalog, f, sort, descending=descending)
    seen: list[str] = []
    cursor = None
    with catalog.reading() as session:
        while True:
            rows, cursor = page(session, f, sort, cursor, 4, descending=descending)
            seen += [r.id for r in rows]
            if cursor is None:
                break
    assert seen == expected


def test_a_foreign_cursor_is_refused(catalog, gallery):
    with catalog.reading() as session:
        _, cursor = page(session, PhotoFilter(), "date_taken", None, 1)
        with pytest.raises(BadCursorError):
            page(session, PhotoFilter(), "title", cursor, 1)
        with pytest.raises(BadCursorError):
            page(session, PhotoFilter(), "date_taken", "not-a-cursor!", 1)


def test_facet_counts_match_the_grid_they_filter(catalog, gallery):
    with catalog.reading() as session:
        sections = facets(session)
    field = {
        "cameras": "camera_id",
        "lenses": "lens_id",
        "tags": "tag_id",
        "cities": "city_id",
        "countries": "country_code",
        "years": "year",
        "collections": "collection_id",
    }
    for key, items in sections.items():
        for item in items:
            value = int(item.id) if key == "years" else item.id
            assert item.count == len(ids_of(catalog, PhotoFilter(**{field[key]: value}))), item


def test_facets_group_cities_and_list_years_newest_first(catalog, gallery):
    colls.create_collection(catalog, "Empty one")
    with catalog.reading() as session:
        sections = facets(session)
    assert [(c.group, c.subgroup, c.label) for c in sections["cities"]] == [
        ("FR", "Auvergne-Rhône-Alpes", "Lyon"),
        ("FR", "Île-de-France", "Paris"),
        ("NO", "Oslo", "Oslo"),
    ]
    assert [(c.id, c.count) for c in sections["countries"]] == [("FR", 2), ("NO", 1)]
    assert [y.label for y in sections["years"]] == ["2021", "2020", "2019", "No date"]
    assert [(c.label, c.count) for c in sections["collections"]] == [("Empty one", 0)]
    nikon = sections["cameras"][0]
    assert (nikon.label, nikon.count) == ("Nikon D70", 3)  # the failed photo is not counted


def test_facets_within_a_filter_count_only_its_photos(catalog, gallery):
    with catalog.reading() as session:
        sections = facets(session, PhotoFilter(year=2021))
    assert {(c.label, c.count) for c in sections["cameras"]} == {("Nikon D70", 2)}
    assert {t.label for t in sections["tags"]} == {"sea", "boat"}


def test_load_rows_keeps_the_order_asked_and_skips_unknown_ids(catalog, gallery):
    asked = [gallery["mid"], "no-such-id", gallery["old"]]
    with catalog.reading() as session:
        rows = load_rows(session, asked)
    assert [r.id for r in rows] == [gallery["mid"], gallery["old"]]
    old = rows[1]
    assert (old.camera, old.city, old.region, old.country_code) == (
        "Nikon D70",
        "Paris",
        "Île-de-France",
        "FR",
    )
    assert old.tags == ("sea",) and old.tag_sources == ("owner",)


def test_load_rows_costs_the_same_few_queries_for_1_or_600_photos(catalog):
    ids = add_many(catalog, 600, tags=("a", "b"))
    statements: list[str] = []
    event.listen(catalog.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with catalog.reading() as session:
        load_rows(session, ids[:1])
        one = len(statements)
        statements.clear()
        rows = load_rows(session, ids[:500])
        five_hundred = len(statements)
    assert len(rows) == 500 and all(r.tags == ("a", "b") for r in rows)
    assert one == five_hundred <= 4


def test_ids_can_be_shortened_to_a_unique_prefix(catalog, gallery):
    full = gallery["old"]
    add_photo(catalog, id="abcd-1", camera=None)
    add_photo(catalog, id="abcd-2", camera=None)
    with catalog.reading() as session:
        assert query.resolve_ids(session, [full[:8], full]) == [full, full]
        with pytest.raises(NotFoundError):
            query.resolve_ids(session, ["zzzzzzzz"])
        with pytest.raises(NotFoundError):
            query.resolve_ids(session, [full[:2]])  # too short to guess
        with pytest.raises(AmbiguousIdError):
            query.resolve_ids(session, ["abcd"])
        with pytest.raises(NotFoundError):
            query.resolve_ids(session, ["abc%"])  # LIKE wildcards are plain characters


def test_pages_of_a_collection_follow_its_order(catalog):
    ids = [add_photo(catalog).id for _ in range(5)]
    coll = colls.create_collection(catalog, "Ordered")
    colls.add_photos(catalog, coll, ids[::-1])
    f = PhotoFilter(collection_id=coll)
    with catalog.reading() as session:
        first, cursor = page(session, f, "position", None, 3)
        rest, end = page(session, f, "position", cursor, 3)
    assert [r.id for r in first + rest] == ids[::-1] and end is None


def test_duplicate_review_suggests_the_largest_copy_as_keeper(catalog):
    """The keeper suggested first: most pixels, then the largest file, then the oldest."""
    small_old = add_photo(
        catalog,
        dup_group="g1",
        width=640,
        height=480,
        file_size=9_000_000,
        date_taken=datetime(2001, 1, 1),
    )
    big_small_file = add_photo(
        catalog,
        dup_group="g1",
        width=4000,
        height=3000,
        file_size=2_000_000,
        date_taken=datetime(2003, 1, 1),
    )
    big_big_file = add_photo(
        catalog,
        dup_group="g1",
        width=4000,
        height=3000,
        file_size=5_000_000,
        date_taken=datetime(2004, 1, 1),
    )
    big_same_older = add_photo(
        catalog,
        dup_group="g1",
        width=4000,
        height=3000,
        file_size=5_000_000,
        date_taken=datetime(2002, 1, 1),
    )
    with catalog.reading() as session:
        groups = query.duplicate_groups(session)
    assert [r.id for r in groups["g1"]] == [
        big_same_older.id,
        big_big_file.id,
        big_small_file.id,
        small_old.id,
    ]
