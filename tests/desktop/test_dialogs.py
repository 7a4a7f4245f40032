"""Dashboard, near-duplicate review and collection management, driven like the owner would."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from catalog import collections as colls
from catalog import query
from catalog.query import PhotoFilter
from catalog.rows import load_rows
from desktop.views.collections import CollectionsDialog
from desktop.views.dashboard import DashboardDialog
from desktop.views.duplicates_review import DuplicatesDialog
from tests.factories import add_photo


def test_dashboard_shows_the_catalog_totals(catalog, window, qtbot):
    from tests.publisher.conftest import photo_with_thumbs

    for _ in range(3):  # with thumbnails: photos the plan can count as going online
        photo_with_thumbs(catalog, camera="Nikon D70")
    add_photo(catalog, camera="Canon EOS 40D", visibility="private")
    add_photo(catalog, status="failed", reason="truncated JPEG")

    dialog = DashboardDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.data is not None)

    assert dialog.data.totals.processed == 4
    assert dialog.data.totals.private == 1
    assert dict(dialog.data.top_cameras)["Nikon D70"] == 3
    assert any(f.reason == "truncated JPEG" for f in dialog.data.failures)
    qtbot.waitUntil(lambda: dialog.plan.count() > 0 and "Working" not in dialog.plan.item(0).text())
    lines = [dialog.plan.item(i).text() for i in range(dialog.plan.count())]
    assert lines[0] == f"Publishing to the local folder {catalog.root / 'site'}:"  # the default
    assert any(line.startswith("3 photo(s) to add") for line in lines), lines


def test_duplicate_review_keeps_the_chosen_photo_and_hides_the_others(catalog, window, qtbot):
    first = add_photo(catalog, dup_group="g1", file_size=900_000).id
    second = add_photo(catalog, dup_group="g1", file_size=2_000_000).id
    add_photo(catalog)

    dialog = DuplicatesDialog(window.ctx, window.thumbs, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.groups) == 1)
    buttons = dialog.keeper.buttons()
    assert [b.property("photo_id") for b in buttons] == [second, first]  # largest first
    buttons[1].setChecked(True)  # keep the smaller one

    dialog.make_private.click()

    def visibility() -> dict[str, str]:
        with catalog.reading() as session:
            return {r.id: r.visibility for r in load_rows(session, [first, second])}

    qtbot.waitUntil(lambda: visibility() == {first: "public", second: "private"})
    assert "No near-duplicates" in dialog.heading.text()
    with catalog.reading() as session:  # decided: the group left "Needs attention"
        assert query.photo_ids(session, PhotoFilter(needs_attention=True, statuses=())) == []


def test_duplicate_review_can_remove_the_others_from_the_catalog(catalog, window, qtbot):
    keeper = add_photo(catalog, dup_group="g2", file_size=2_000_000).id
    copies = [add_photo(catalog, dup_group="g2", file_size=500_000).id for _ in range(2)]

    dialog = DuplicatesDialog(window.ctx, window.thumbs, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.groups) == 1)
    dialog.remove.click()  # the largest is chosen by default

    def remaining() -> list[str]:
        with catalog.reading() as session:
            return [r.id for r in load_rows(session, [keeper, *copies])]

    qtbot.waitUntil(lambda: remaining() == [keeper])
    with catalog.reading() as session:
        assert load_rows(session, [keeper])[0].dup_group is None


def test_collections_dialog_reorders_and_sets_the_cover(catalog, window, qtbot):
    ids = [add_photo(catalog).id for _ in range(3)]
    coll_id = colls.create_collection(catalog, "Coast")
    colls.add_photos(catalog, coll_id, ids)

    dialog = CollectionsDialog(window.ctx, window.thumbs, window.photo_actions, coll_id, window)
    qtbot.addWidget(dialog)
    assert dialog.member_ids() == ids

    dialog.members.model().moveRow(QModelIndex(), 2, QModelIndex(), 0)  # what a drag does

    def order() -> list[str]:
        with catalog.reading() as session:
            return colls.collection_photo_ids(session, coll_id)

    qtbot.waitUntil(lambda: order() == [ids[2], ids[0], ids[1]])
    dialog.members.setCurrentRow(1)
    dialog.cover_button.click()

    def cover() -> str | None:
        with catalog.reading() as session:
            return next(c.cover_photo_id for c in colls.list_collections(session))

    qtbot.waitUntil(lambda: cover() == ids[0])
