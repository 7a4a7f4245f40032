"""The dashboard's figures on a small catalog whose answers are known."""

from __future__ import annotations

from datetime import datetime

from catalog import collections as colls
from catalog.stats import dashboard
from tests.factories import add_photo


def test_dashboard_counts_what_the_owner_has(catalog):
    paris = ("Paris", "Île-de-France", "FR")
    add_photo(
        catalog,
        camera="Nikon D70",
        lens="Nikkor 50mm",
        city=paris,
        tags=["sea"],
        date_taken=datetime(2019, 1, 1),
    )
    add_photo(
        catalog,
        camera="Nikon D70",
        city=("Oslo", "Oslo", "NO"),
        tags=["sea", "snow"],
        date_taken=datetime(2021, 1, 1),
        visibility="private",
        ai_described_at=datetime(2025, 1, 1),
    )
    add_photo(
        catalog, camera="Canon EOS 40D", date_taken=None, visibility="unlisted", dup_group="g"
    )
    add_photo(
        catalog,
        camera="Canon EOS 40D",
        status="failed",
        reason="truncated file",
        source_path="/photos/broken.jpg",
        tags=["ignored"],
    )
    add_photo(catalog, camera=None, status="rejected", reason="rule: year 1970")
    colls.create_collection(catalog, "Empty")
    with catalog.reading() as session:
        board = dashboard(session)
    t = board.totals
    assert (t.photos, t.processed, t.failed, t.rejected, t.pending) == (5, 3, 1, 1, 0)
    assert (t.public, t.unlisted, t.private) == (1, 1, 1)
    assert (t.cameras, t.lenses, t.cities, t.countries, t.tags, t.collections) == (2, 1, 2, 2, 2, 1)
    assert (t.described_by_ai, t.near_duplicates) == (1, 1)
    assert board.per_year == ((2019, 1), (2021, 1), (None, 1))
    assert board.top_cameras == (("Nikon D70", 2), ("Canon EOS 40D", 1))
    assert board.top_lenses == (("Nikkor 50mm", 1),)
    failures = {f.status: (f.path, f.reason) for f in board.failures}
    assert failures["failed"] == ("/photos/broken.jpg", "truncated file")
    assert failures["rejected"][1] == "rule: year 1970"


def test_an_empty_catalog_has_an_empty_dashboard(catalog):
    with catalog.reading() as session:
        board = dashboard(session)
    assert board.totals.photos == 0 and board.per_year == () and board.failures == ()
