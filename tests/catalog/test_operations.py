"""Every owner edit is an operation whose changes undo it exactly and redo it again.

One table: each row builds a small catalog, runs one operation, and the test checks that
undo brings back every row of every table (``updated_at`` aside: a restore touches it so
the next publish sees the change) and that redo gives the edited state again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from catalog import operations as ops
from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.changes import CatalogChanges
from catalog.db import Base
from catalog.edit_errors import InvalidEditError
from catalog.models import Collection, Photo, PhotoTag, Tag
from catalog.operations import collections as coll_ops
from catalog.search import search_ids
from tests.factories import add_photo

SKIPPED = {"updated_at"}


def state(catalog: Catalog) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (search rows too), ``updated_at`` left out, in a stable order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with catalog.reading() as session:
        for name, table in Base.metadata.tables.items():
            cols = [c for c in table.columns if c.name not in SKIPPED]
            out[name] = sorted(tuple(r) for r in session.execute(select(*cols)))
        # search rows share their photo's rowid (an undone removal gets new ones): keyed by
        # the photo they join, and none left over
        search = session.execute(
            text("SELECT s.* FROM photo_search s JOIN photos p ON p.rowid = s.rowid")
        ).all()
        out["photo_search"] = sorted(tuple(r) for r in search)
        out["search rows"] = [session.execute(text("SELECT count(*) FROM photo_search")).one()]
        counts = session.execute(text("SELECT * FROM facet_counts WHERE n > 0")).all()
        out["facet_counts"] = sorted(tuple(r) for r in counts)
    return out


def _world(catalog: Catalog) -> dict[str, Any]:
    """Four photos with gear, places, tags, a collection and a near-duplicate pair."""
    a = add_photo(catalog, camera="Nikon D70", lens="Nikkor 50mm", city=("Arezzo", "Tuscany", "IT"),
                  tags=["sea", "dog"], title="A", rating=2, dup_group="g1")  # fmt: skip
    b = add_photo(catalog, camera="Nikon D70s", lens="Nikkor 35mm", city=("Arezo", "Tuscany", "IT"),
                  tags=["sea"], rating=4, dup_group="g1")  # fmt: skip
    c = add_photo(catalog, camera="Canon EOS 40D", tags=["cat"], description="C")
    d = add_photo(catalog, camera=None, date_taken=None)
    made = coll_ops.create_collection(catalog, "Trip", ids=[a.id, b.id, c.id])
    coll = next(iter(made.collection_ids))
    coll_ops.set_cover(catalog, coll, b.id)
    for photo in (a, b, c):
        for size in THUMB_SIZES_PX:
            path = catalog.thumb_path(photo.content_hash, size)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"thumb " + photo.id.encode())
    return {"a": a.id, "b": b.id, "c": c.id, "d": d.id, "all": [a.id, b.id, c.id, d.id],
            "coll": coll}  # fmt: skip


Op = Callable[[Catalog, dict[str, Any]], CatalogChanges]
OPERATIONS: dict[str, Op] = {
    "rating": lambda cat, w: ops.set_rating(cat, w["all"], 5),
    "visibility": lambda cat, w: ops.set_visibility(cat, w["all"], "private"),
    "title": lambda cat, w: ops.set_title(cat, [w["a"], w["c"]], "Harbour"),
    "description": lambda cat, w: ops.set_description(cat, w["all"], "At dawn"),
    "add tags": lambda cat, w: ops.add_tags(cat, w["all"], ["sea", "New Tag"]),
    "remove tags": lambda cat, w: ops.remove_tags(cat, [w["a"], w["b"]], ["sea", "dog"]),
    "edit tags": lambda cat, w: ops.edit_tags(cat, w["all"], ["harbour"], ["sea", "dog"]),
    "time shift": lambda cat, w: ops.shift_time(cat, w["all"], timedelta(hours=-3)),
    "place fix": lambda cat, w: ops.fix_place(cat, [w["c"]], position=(43.46, 11.88)),
    "collection add": lambda cat, w: coll_ops.add_photos(cat, w["coll"], [w["d"]]),
    "collection remove": lambda cat, w: coll_ops.remove_photos(cat, w["coll"], [w["b"]]),
    "collection reorder": lambda cat, w: coll_ops.reorder(cat, w["coll"], [w["c"], w["a"]]),
    "collection rename": lambda cat, w: coll_ops.rename_collection(cat, w["coll"], "Tour"),
    "collection delete": lambda cat, w: coll_ops.delete_collection(cat, w["coll"]),
    "collection create": lambda cat, w: coll_ops.create_collection(cat, "New", ids=[w["d"]]),
    "camera merge": lambda cat, w: ops.merge(cat, "camera", "nikon-d70s", "nikon-d70"),
    "camera rename": lambda cat, w: ops.rename(cat, "camera", "nikon-d70", "Nikon D70 body"),
    "lens merge": lambda cat, w: ops.merge(cat, "lens", "nikkor-35mm", "nikkor-50mm"),
    "lens rename": lambda cat, w: ops.rename(cat, "lens", "nikkor-50mm", "Nikon 50mm f/1.8"),
    "city merge": lambda cat, w: ops.merge(cat, "city", "arezo-tuscany-it", "arezzo-tuscany-it"),
    "city rename": lambda cat, w: ops.rename(cat, "city", "arezzo-tuscany-it", "Città di Arezzo"),
    "remove from catalog": lambda cat, w: ops.remove_photos(cat, [w["a"], w["c"]]),
    "duplicates kept private": lambda cat, w: ops.resolve_duplicates(cat, w["a"], [w["b"]]),
    "duplicates removed": lambda cat, w: ops.resolve_duplicates(
        cat, w["b"], [w["a"]], action="remove"
    ),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_undo_restores_the_exact_prior_state_and_redo_reapplies(
    catalog: Catalog, name: str
) -> None:
    world = _world(catalog)
    _undo_and_redo_are_exact(catalog, lambda: OPERATIONS[name](catalog, world))


def _undo_and_redo_are_exact(catalog: Catalog, operation: Callable[[], CatalogChanges]) -> None:
    before = state(catalog)

    changes = operation()
    edited = state(catalog)
    assert edited != before, "the operation changed nothing"
    assert changes.label and changes.undo is not None

    undone = ops.undo(catalog, changes)
    assert state(catalog) == before
    assert undone.label == changes.label

    redone = ops.redo(catalog, undone)
    assert state(catalog) == edited
    ops.undo(catalog, redone)
    assert state(catalog) == before


def _aliased_world(catalog: Catalog) -> dict[str, Any]:
    """The world, plus photos whose raw EXIF an alias can send elsewhere and AI text
    awaiting review."""
    world = _world(catalog)
    raw = {"make": "WWL", "model": "ION230", "lens_model": "EF50mm f/1.8"}
    odd = add_photo(catalog, camera="WWL ION230", lens="EF50mm f/1.8", tags=["sea"],
                    city=("Parigi", "Ile-de-France", "FR"), title="AI words", title_source="ai",
                    ai_review="pending", exif=raw)  # fmt: skip
    add_photo(catalog, camera="Polaroid ION 230", city=("Paris", "Ile-de-France", "FR"),
              ai_review="pending", exif={"make": "Polaroid", "model": "ION 230"})  # fmt: skip
    return {**world, "odd": odd.id}


ALIASES: dict[str, Op] = {
    "camera alias": lambda cat, w: ops.add_alias(
        cat, "camera", "polaroid-ion-230", make="WWL", model="ION230"
    ),
    "lens alias": lambda cat, w: ops.add_alias(cat, "lens", "nikkor-50mm", model="EF50mm f/1.8"),
    "city alias": lambda cat, w: ops.add_alias(
        cat, "city", "paris-ile-de-france-fr", place=("Parigi", "Ile-de-France", "FR")
    ),
    "approve one": lambda cat, w: ops.approve_ai_text(cat, [w["odd"], w["a"]]),
    "approve all": lambda cat, w: ops.approve_ai_text(cat),
}


@pytest.mark.parametrize("name", list(ALIASES))
def test_aliases_and_approvals_undo_exactly_too(catalog: Catalog, name: str) -> None:
    world = _aliased_world(catalog)
    _undo_and_redo_are_exact(catalog, lambda: ALIASES[name](catalog, world))


def test_an_alias_moves_the_photos_and_its_label_says_so(catalog: Catalog) -> None:
    world = _aliased_world(catalog)
    changes = ALIASES["camera alias"](catalog, world)
    assert changes.photo_ids == {world["odd"]}
    assert changes.label == "Add camera alias “ION230” to “Polaroid ION 230”"
    with catalog.reading() as session:
        assert world["odd"] in search_ids(session, "Polaroid")
    ops.undo(catalog, changes)
    with catalog.reading() as session:
        assert world["odd"] not in search_ids(session, "Polaroid")


def test_approving_nothing_pending_is_no_step(catalog: Catalog) -> None:
    world = _world(catalog)
    changes = ops.approve_ai_text(catalog, [world["a"]])
    assert changes.is_empty and changes.undo is None


def test_undo_of_a_removal_brings_the_thumbnails_back(catalog: Catalog) -> None:
    world = _world(catalog)
    with catalog.reading() as session:
        hashes = [h for (h,) in session.execute(text(
            "SELECT content_hash FROM photos WHERE id = :i"), {"i": world["a"]})]  # fmt: skip
    thumbs = [catalog.thumb_path(hashes[0], s) for s in THUMB_SIZES_PX]
    kept = [p.read_bytes() for p in thumbs]

    changes = ops.remove_photos(catalog, [world["a"]])
    assert changes.removed_ids == {world["a"]}
    assert not any(p.exists() for p in thumbs)

    undone = ops.undo(catalog, changes)
    assert undone.added_ids == {world["a"]}
    assert [p.read_bytes() for p in thumbs] == kept
    with catalog.reading() as session:
        cover = session.scalar(select(Collection.cover_photo_id))
    assert cover == world["b"]


def test_a_bad_value_changes_nothing_and_leaves_nothing_to_undo(catalog: Catalog) -> None:
    world = _world(catalog)
    before = state(catalog)
    with pytest.raises(InvalidEditError):
        ops.set_rating(catalog, world["all"], 9)
    with pytest.raises(InvalidEditError):
        ops.add_tags(catalog, world["all"], ["!!!"])
    assert state(catalog) == before


def test_an_edit_without_an_undo_says_so(catalog: Catalog) -> None:
    with pytest.raises(ops.NothingToUndoError, match="cannot be undone"):
        ops.undo(catalog, CatalogChanges.of(["x"]))


def test_labels_count_the_photos(catalog: Catalog) -> None:
    world = _world(catalog)
    assert ops.set_rating(catalog, world["all"], 1).label == "Set rating (4 photos)"
    assert ops.set_rating(catalog, [world["a"]], 1).label == "Set rating (1 photo)"


def test_an_undo_that_clashes_with_a_later_import_says_so_and_changes_nothing(catalog):
    world = _world(catalog)
    with catalog.reading() as session:
        content_hash = session.scalar(select(Photo.content_hash).where(Photo.id == world["a"]))
    changes = ops.remove_photos(catalog, [world["a"]])
    add_photo(catalog, content_hash=content_hash)  # the same file imported again
    before = state(catalog)

    with pytest.raises(ops.UndoConflictError, match="can no longer be undone") as error:
        ops.undo(catalog, changes)
    assert "INSERT" not in str(error.value) and state(catalog) == before


@pytest.mark.parametrize("name", ["rating", "add tags", "remove from catalog", "camera merge"])
def test_large_scopes_read_by_one_scan_restore_the_same(catalog, monkeypatch, name):
    from catalog.operations import snapshot

    monkeypatch.setattr(snapshot, "SCAN_ABOVE", 0)  # every scope is "large"
    world = _world(catalog)
    before = state(catalog)
    changes = OPERATIONS[name](catalog, world)
    edited = state(catalog)
    undone = ops.undo(catalog, changes)
    assert state(catalog) == before
    ops.redo(catalog, undone)
    assert state(catalog) == edited


def test_undoing_a_tag_never_takes_it_from_a_photo_tagged_since(catalog: Catalog) -> None:
    """Undo "Add tags sunset" on A, after B was given "sunset" too (the CLI, an AI run):
    A loses it, B keeps it (the tag row is shared, so it must stay) and search finds B."""
    a, b = add_photo(catalog), add_photo(catalog)
    tagged_a = ops.add_tags(catalog, [a.id], ["sunset"])  # creates the tag
    ops.add_tags(catalog, [b.id], ["sunset"])  # meanwhile, elsewhere

    ops.undo(catalog, tagged_a)

    with catalog.reading() as session:
        tags = dict(session.execute(
            select(PhotoTag.photo_id, Tag.name).join(Tag, Tag.id == PhotoTag.tag_id)
        ).all())  # fmt: skip
        found = search_ids(session, "sunset")
    assert tags == {b.id: "sunset"}
    assert found == [b.id]


def test_undoing_a_location_fix_restores_the_locality_too(catalog: Catalog) -> None:
    photo = add_photo(catalog, city=("Arezzo", "Tuscany", "IT"))
    before = state(catalog)
    fixed = ops.fix_place(catalog, [photo.id], position=(48.8584, 2.2945))  # the Eiffel Tower
    with catalog.reading() as session:
        assert session.get(Photo, photo.id).locality is not None  # the nearest place, kept
    ops.undo(catalog, fixed)
    after = state(catalog)
    # the city row the lookup created stays, unused (as a gear row with no photos)
    assert {k: v for k, v in after.items() if k != "cities"} == {
        k: v for k, v in before.items() if k != "cities"
    }
