"""The stored facet counts (kept by SQLite triggers) always equal a fresh count, whatever
edits the owner makes, and the sidebar, counts and dashboard read them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import text

from catalog import operations as ops
from catalog.catalog import Catalog
from catalog.facets import facets
from catalog.filters import ALL_STATUSES
from catalog.migrate import downgrade, upgrade
from catalog.query import PhotoFilter, count, page, photo_ids
from catalog.search import search_ids
from catalog.stats import dashboard
from tests.factories import add_photo

# facet -> a fresh count of (key, status, photos), straight from the tables
FRESH = {
    "all": "SELECT '', status, count(*) FROM photos GROUP BY 2",
    "camera": "SELECT coalesce(camera_id, ''), status, count(*) FROM photos GROUP BY 1, 2",
    "lens": "SELECT coalesce(lens_id, ''), status, count(*) FROM photos GROUP BY 1, 2",
    "city": "SELECT coalesce(city_id, ''), status, count(*) FROM photos GROUP BY 1, 2",
    "year": "SELECT coalesce(substr(date_taken, 1, 4), ''), status, count(*) FROM photos"
    " GROUP BY 1, 2",
    "visibility": "SELECT visibility, status, count(*) FROM photos GROUP BY 1, 2",
    "described": "SELECT CASE WHEN ai_described_at IS NULL THEN '' ELSE '1' END, status,"
    " count(*) FROM photos GROUP BY 1, 2",
    "tag": "SELECT t.tag_id, p.status, count(*) FROM photo_tags t JOIN photos p"
    " ON p.id = t.photo_id GROUP BY 1, 2",
    "collection": "SELECT c.collection_id, p.status, count(*) FROM collection_photos c"
    " JOIN photos p ON p.id = c.photo_id GROUP BY 1, 2",
}

CAMERAS = ["Nikon D70", "Canon EOS 40D", "Fujifilm X-T4", None]
CITIES = [("Lisbon", "Lisbon", "PT"), ("Porto", "Porto", "PT"), ("Arezzo", "Tuscany", "IT"), None]
TAGS = ["sea", "dog", "cat", "bridge", "night"]


def assert_counts_are_fresh(catalog: Catalog) -> None:
    with catalog.reading() as session:
        for facet, sql in FRESH.items():
            fresh = {(k, s): n for k, s, n in session.execute(text(sql))}
            stored = {
                (k, s): n
                for k, s, n in session.execute(
                    text("SELECT key, status, n FROM facet_counts WHERE facet = :f AND n != 0"),
                    {"f": facet},
                )
            }
            assert stored == fresh, facet


def _random_photo(catalog: Catalog, rng: random.Random) -> str:
    return add_photo(
        catalog,
        camera=rng.choice(CAMERAS),
        lens=rng.choice(["Nikkor 50mm", None]),
        city=rng.choice(CITIES),
        tags=rng.sample(TAGS, rng.randint(0, 3)),
        date_taken=rng.choice([None, datetime(2010 + rng.randint(0, 5), 6, 1)]),
        visibility=rng.choice(["public", "private", "unlisted"]),
        status=rng.choice(["processed", "processed", "failed", "pending"]),
    ).id


def _random_edit(catalog: Catalog, rng: random.Random, ids: list[str]) -> None:
    some = rng.sample(ids, min(len(ids), rng.randint(1, 4)))
    kind = rng.randrange(12)
    if kind == 0:
        ops.set_visibility(catalog, some, rng.choice(["public", "private", "unlisted"]))
    elif kind == 1:
        ops.add_tags(catalog, some, rng.sample(TAGS, 2))
    elif kind == 2:
        ops.remove_tags(catalog, some, rng.sample(TAGS, 2))
    elif kind == 3:
        ops.shift_time(catalog, some, timedelta(days=rng.choice([-400, 30, 800])))
    elif kind == 4:
        changes = ops.remove_photos(catalog, some)
        if rng.random() < 0.5:
            ops.undo(catalog, changes)
        else:
            ids[:] = [i for i in ids if i not in some]
    elif kind == 5:  # a status change (what ingest and reprocessing write), with tags on
        with catalog.writing() as session:
            for photo_id in some:
                session.execute(
                    text("UPDATE photos SET status = :s WHERE id = :id"),
                    {"s": rng.choice(ALL_STATUSES), "id": photo_id},
                )
    elif kind == 6:  # status and camera changed by one statement
        with catalog.writing() as session:
            session.execute(
                text(
                    "UPDATE photos SET status = :s, camera_id = (SELECT min(id) FROM cameras),"
                    " date_taken = NULL WHERE id = :id"
                ),
                {"s": rng.choice(ALL_STATUSES), "id": some[0]},
            )
    elif kind == 7:
        made = ops.collections.create_collection(catalog, f"Trip {rng.random()}", ids=some)
        if rng.random() < 0.3:
            ops.collections.delete_collection(catalog, next(iter(made.collection_ids)))
    elif kind == 8:
        with catalog.reading() as session:
            colls = list(session.scalars(text("SELECT id FROM collections")))
        if colls:
            ops.collections.remove_photos(catalog, rng.choice(colls), some)
    elif kind == 9:
        with catalog.reading() as session:
            slugs = list(session.scalars(text("SELECT slug FROM cameras ORDER BY slug")))
        if len(slugs) >= 2:
            ops.merge(catalog, "camera", slugs[0], slugs[-1])
    elif kind == 10:  # a camera deleted: its photos' camera_id set to NULL by the foreign key
        with catalog.writing() as session:
            session.execute(text("DELETE FROM cameras WHERE id = (SELECT min(id) FROM cameras)"))
    else:
        with catalog.writing() as session:
            session.execute(
                text("UPDATE photos SET ai_described_at = :at WHERE id = :id"),
                {"at": rng.choice([None, datetime(2026, 1, 1)]), "id": some[0]},
            )


def test_stored_counts_equal_a_fresh_count_after_random_edits(catalog: Catalog) -> None:
    rng = random.Random(15)
    ids = [_random_photo(catalog, rng) for _ in range(30)]
    assert_counts_are_fresh(catalog)
    for step in range(60):
        _random_edit(catalog, rng, ids)
        if step % 3 == 0:
            ids.append(_random_photo(catalog, rng))
        assert_counts_are_fresh(catalog)


def test_sidebar_counts_and_dashboard_match_the_photos(catalog: Catalog) -> None:
    rng = random.Random(3)
    ids = [_random_photo(catalog, rng) for _ in range(25)]
    for _ in range(10):
        _random_edit(catalog, rng, ids)
    with catalog.reading() as session:
        processed = session.execute(
            text(
                "SELECT id, camera_id, visibility, date_taken FROM photos"
                " WHERE status = 'processed'"
            )
        )
        rows = processed.all()
        assert count(session, PhotoFilter()) == len(rows)
        private = [r for r in rows if r.visibility == "private"]
        assert count(session, PhotoFilter(visibility="private")) == len(private)
        assert count(session, PhotoFilter(statuses=())) == len(ids)
        undated = [r for r in rows if r.date_taken is None]
        assert count(session, PhotoFilter(year=0)) == len(undated)
        cameras = {item.id: item.count for item in facets(session)["cameras"]}
        for camera_id, n in cameras.items():
            assert n == sum(1 for r in rows if r.camera_id == camera_id)
            assert count(session, PhotoFilter(camera_id=camera_id)) == n
            assert len(photo_ids(session, PhotoFilter(camera_id=camera_id))) == n
        attention = session.execute(
            text(
                "SELECT count(*) FROM photos WHERE status IN ('failed', 'rejected')"
                " OR dup_group IS NOT NULL"
            )
        ).scalar()
        assert count(session, PhotoFilter(needs_attention=True)) == attention > 0
        assert len(photo_ids(session, PhotoFilter(needs_attention=True))) == attention
        totals = dashboard(session).totals
        assert totals.photos == len(ids) and totals.processed == len(rows)
        assert totals.private == len(private)


def test_a_migrated_catalog_starts_with_exact_counts(catalog: Catalog) -> None:
    rng = random.Random(7)
    for _ in range(12):
        _random_photo(catalog, rng)
    catalog.engine.dispose()
    downgrade(catalog.db_path, "0010_date_precision_meta")
    upgrade(catalog.db_path)
    assert_counts_are_fresh(catalog)
    with catalog.reading() as session:
        tagged = session.execute(
            text(
                "SELECT count(DISTINCT photo_id) FROM photo_tags t JOIN tags ON tags.id = t.tag_id"
                " WHERE tags.name = 'sea'"
            )
        ).scalar()
        assert len(search_ids(session, "sea")) == tagged > 0


def test_search_keeps_finding_the_right_photos_after_removals_and_vacuum(catalog: Catalog) -> None:
    """Search rows share their photo's rowid: a removed photo's row goes with it, and VACUUM
    (which SQLite lets renumber rowids of a table without a declared one, though it copies
    them) must not mix photos up."""
    photos = [add_photo(catalog, title=f"Harbour {i}", tags=["sea"]) for i in range(6)]
    ops.remove_photos(catalog, [photos[0].id, photos[5].id])
    newer = add_photo(catalog, title="Harbour late")  # may take the last removed rowid
    with catalog.engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
    with catalog.reading() as session:
        found = sorted(search_ids(session, "harbour"))
        rows = session.execute(text("SELECT count(*) FROM photo_search")).scalar()
        stale = session.execute(
            text(
                "SELECT count(*) FROM photo_search s JOIN photos p ON p.rowid = s.rowid"
                " WHERE p.id != s.photo_id"
            )
        ).scalar()
    assert found == sorted([p.id for p in photos[1:5]] + [newer.id])
    assert rows == 5 and stale == 0


def test_broad_and_rare_texts_find_the_same_photos_in_the_same_order(
    catalog: Catalog, monkeypatch
) -> None:
    """A text matching many photos is tested photo by photo along the sort's index, a rare
    one leads the query: the answers are the same either way."""
    rng = random.Random(5)
    for _ in range(40):
        add_photo(
            catalog,
            title=rng.choice(["Sunset pier", "Quiet alley", "Sunset ridge"]),
            camera=rng.choice(CAMERAS),
            date_taken=datetime(2015, 1, 1) + timedelta(days=rng.randint(0, 900)),
            status=rng.choice(["processed", "processed", "failed"]),
        )
    filters = [
        PhotoFilter(text="sunset"),
        PhotoFilter(text="sun"),
        PhotoFilter(text="sunset", camera_id=None, year=2016),
        PhotoFilter(text="quiet", statuses=()),
    ]

    def answers() -> list[object]:
        with catalog.reading() as session:
            out: list[object] = []
            for f in filters:
                out.append(photo_ids(session, f))
                out.append(photo_ids(session, f, "created_at"))
                out.append([row.id for row in page(session, f, limit=7)[0]])
                out.append(count(session, f))
            return out

    rare = answers()
    monkeypatch.setattr("catalog.filters.BROAD_TEXT", 1)
    broad = answers()
    assert broad == rare
    assert rare[0] and rare[3] == len(rare[0])  # not vacuous


def test_best_matches_first_screen_is_the_head_of_the_ranked_list(catalog: Catalog) -> None:
    for i in range(12):
        add_photo(catalog, title="mountain " * (i % 4 + 1), description=f"walk {i}")
    with catalog.reading() as session:
        everything = search_ids(session, "mount")
        assert len(everything) == 12
        assert search_ids(session, "mount", limit=5) == everything[:5]
